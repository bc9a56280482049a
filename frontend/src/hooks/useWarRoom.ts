import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { WarRoom, type WarRoomState } from "../game/warRoom";
import { ReconnectingSocket, websocketUrl, type ConnectionStatus } from "../net/reconnectingSocket";
import { parseServerMessage } from "../protocol/parse";
import type { ParamValue } from "../protocol/types";

const HEARTBEAT = { ping_every_ms: 10_000, stale_after_ms: 25_000 };

const INITIAL_STATUS: ConnectionStatus = {
  phase: "connecting",
  attempt: 0,
  retry_at_ms: null,
  reason: null,
};

let nextClientId = 0;

function newClientId(): string {
  nextClientId += 1;
  return `${Date.now().toString(36)}-${nextClientId}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface WarRoomConnection {
  state: WarRoomState;
  status: ConnectionStatus;
  /** Sends an action; returns false when the connection is not open. */
  sendAction(action: string, params: Record<string, ParamValue>): boolean;
  reconnectNow(): void;
}

/** Connects to `/ws/play/` with the player's token and keeps the war room's state. */
export function useWarRoom(token: string): WarRoomConnection {
  const [room] = useState(() => new WarRoom());
  const socket = useRef<ReconnectingSocket | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>(INITIAL_STATUS);
  const state = useSyncExternalStore(room.subscribe, room.getState);

  useEffect(() => {
    const url = websocketUrl("/ws/play/", window.location);
    const connection = new ReconnectingSocket(
      url,
      {
        onOpen: (send) => {
          send(JSON.stringify({ type: "hello", token, last_seq: room.lastSeq }));
          room.helloSent();
        },
        onMessage: (text) => {
          const message = parseServerMessage(text);
          if (!message) return;
          room.receive(message);
          if (room.getState().refused) connection.stop(room.getState().refused);
        },
        onStatus: (next) => {
          if (next.phase !== "open") room.disconnected();
          if (next.phase === "stopped" && next.reason && !room.getState().refused) {
            room.refuse(next.reason);
          }
          setStatus(next);
        },
      },
      { heartbeat: HEARTBEAT },
    );
    const online = () => connection.reconnectNow();
    window.addEventListener("online", online);
    socket.current = connection;
    connection.start();
    return () => {
      window.removeEventListener("online", online);
      connection.stop();
      if (socket.current === connection) socket.current = null;
    };
  }, [room, token]);

  const sendAction = useCallback(
    (action: string, params: Record<string, ParamValue>) => {
      const id = newClientId();
      const message = JSON.stringify({ type: "action", id, action, params });
      if (!socket.current?.send(message)) return false;
      room.sent(id, action, params);
      return true;
    },
    [room],
  );

  const reconnectNow = useCallback(() => socket.current?.reconnectNow(), []);

  return { state, status, sendAction, reconnectNow };
}
