import { useEffect, useState } from "react";
import { api, errorText } from "../net/http";
import { ReconnectingSocket, websocketUrl, type ConnectionStatus } from "../net/reconnectingSocket";
import { parseLeaderboard, parseLeaderboardMessage } from "../protocol/parse";
import type { Leaderboard } from "../protocol/types";

export interface LeaderboardFeed {
  board: Leaderboard | null;
  status: ConnectionStatus;
  error: string | null;
}

// The server answers ping with pong, so a quiet board (a paused game) is not taken for dead.
const HEARTBEAT = { ping_every_ms: 10_000, stale_after_ms: 25_000 };

const INITIAL_STATUS: ConnectionStatus = {
  phase: "connecting",
  attempt: 0,
  retry_at_ms: null,
  reason: null,
};

/** The game's leaderboard: fetched once over HTTP, then live from `/ws/leaderboard/<id>/`. */
export function useLeaderboard(gameId: string): LeaderboardFeed {
  const [board, setBoard] = useState<Leaderboard | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>(INITIAL_STATUS);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const path = `/api/games/${encodeURIComponent(gameId)}/leaderboard`;
    api("GET", path).then(
      (answer) => {
        const parsed = parseLeaderboard(answer);
        if (live && parsed) setBoard((current) => current ?? parsed);
      },
      (failure: unknown) => live && setError(errorText(failure)),
    );
    const url = websocketUrl(`/ws/leaderboard/${encodeURIComponent(gameId)}/`, window.location);
    const socket = new ReconnectingSocket(
      url,
      {
        onOpen: () => undefined,
        onMessage: (text) => {
          const parsed = parseLeaderboardMessage(text);
          if (parsed) {
            setBoard(parsed);
            setError(null);
          }
        },
        onStatus: setStatus,
      },
      { heartbeat: HEARTBEAT },
    );
    socket.start();
    return () => {
      live = false;
      socket.stop();
    };
  }, [gameId]);

  return { board, status, error };
}
