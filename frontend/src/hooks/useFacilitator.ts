import { useCallback, useEffect, useState } from "react";
import { api, ApiError, errorText } from "../net/http";
import { isObject, parseGame, parseScenarios } from "../protocol/parse";
import type { Game, ScenarioSummary } from "../protocol/types";

const REFRESH_MS = 2_000;

export type GameCommand = "start" | "pause" | "resume" | "end";

export interface NewGame {
  scenario: string;
  name: string;
  teams: string[];
  speed: number;
  seed?: number;
}

export interface Facilitator {
  /** undefined while asking the server, null when nobody is logged in. */
  username: string | null | undefined;
  games: Game[];
  scenarios: ScenarioSummary[];
  error: string | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  create(game: NewGame): Promise<Game | null>;
  command(gameId: Game["id"], command: GameCommand): Promise<void>;
  setSpeed(gameId: Game["id"], speed: number): Promise<void>;
}

function parseGames(value: unknown): Game[] {
  if (!Array.isArray(value)) return [];
  return value.map(parseGame).filter((game): game is Game => game !== null);
}

/** The facilitator's session and games over the HTTP API; games refresh every 2 s. */
export function useFacilitator(): Facilitator {
  const [username, setUsername] = useState<string | null | undefined>(undefined);
  const [games, setGames] = useState<Game[]>([]);
  const [scenarios, setScenarios] = useState<ScenarioSummary[]>([]);
  const [error, setError] = useState<string | null>(null);

  const replaceGame = useCallback((game: Game) => {
    setGames((current) => {
      const others = current.filter((item) => item.id !== game.id);
      return [game, ...others].sort((a, b) =>
        String(b.id).localeCompare(String(a.id), undefined, { numeric: true }),
      );
    });
  }, []);

  // GET /api/auth/me also hands out the csrftoken cookie that the writes need.
  useEffect(() => {
    api("GET", "/api/auth/me").then(
      (answer) => setUsername(isObject(answer) ? String(answer.username ?? "") : null),
      (failure: unknown) => {
        setUsername(null);
        if (!(failure instanceof ApiError) || (failure.status !== 403 && failure.status !== 401)) {
          setError(errorText(failure));
        }
      },
    );
  }, []);

  useEffect(() => {
    if (!username) return;
    let live = true;
    const refresh = () =>
      api("GET", "/api/games").then(
        (answer) => live && setGames(parseGames(answer)),
        (failure: unknown) => live && setError(errorText(failure)),
      );
    api("GET", "/api/scenarios").then(
      (answer) => live && setScenarios(parseScenarios(answer)),
      (failure: unknown) => live && setError(errorText(failure)),
    );
    refresh();
    const timer = window.setInterval(refresh, REFRESH_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [username]);

  const login = useCallback(async (name: string, password: string) => {
    setError(null);
    try {
      const answer = await api("POST", "/api/auth/login", { username: name, password });
      setUsername(isObject(answer) && typeof answer.username === "string" ? answer.username : name);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await api("POST", "/api/auth/logout");
    } finally {
      setUsername(null);
      setGames([]);
    }
  }, []);

  const create = useCallback(
    async (game: NewGame) => {
      setError(null);
      try {
        const created = parseGame(await api("POST", "/api/games", game));
        if (created) replaceGame(created);
        return created;
      } catch (failure) {
        setError(errorText(failure));
        return null;
      }
    },
    [replaceGame],
  );

  const command = useCallback(
    async (gameId: Game["id"], name: GameCommand) => {
      setError(null);
      try {
        const game = parseGame(await api("POST", `/api/games/${gameId}/${name}`));
        if (game) replaceGame(game);
      } catch (failure) {
        setError(errorText(failure));
      }
    },
    [replaceGame],
  );

  const setSpeed = useCallback(
    async (gameId: Game["id"], speed: number) => {
      setError(null);
      try {
        const game = parseGame(await api("POST", `/api/games/${gameId}/speed`, { speed }));
        if (game) replaceGame(game);
      } catch (failure) {
        setError(errorText(failure));
      }
    },
    [replaceGame],
  );

  return { username, games, scenarios, error, login, logout, create, command, setSpeed };
}
