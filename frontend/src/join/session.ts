/** The player's join answer, kept in localStorage so a reload or a reconnect needs no new code. */
import { parseJoinSession } from "../protocol/parse";
import type { JoinSession } from "../protocol/types";

const KEY = "wargame.session";

export function loadSession(storage: Storage = window.localStorage): JoinSession | null {
  try {
    const text = storage.getItem(KEY);
    return text ? parseJoinSession(JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: JoinSession, storage: Storage = window.localStorage): void {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = window.localStorage): void {
  storage.removeItem(KEY);
}
