import { useParams } from "react-router";
import { ConnectionBadge } from "../components/ConnectionBadge";
import { GameClock } from "../components/GameClock";
import { P99Text, SloBadge } from "../components/SloCells";
import { formatAvailability, formatNumber } from "../game/format";
import { useLeaderboard } from "../hooks/useLeaderboard";

/** The projector view: teams ranked by score, live. */
export function LeaderboardPage() {
  const { gameId = "" } = useParams();
  const { board, status, error } = useLeaderboard(gameId);

  return (
    <main className="leaderboard-page">
      <header className="leaderboard-head">
        <h1 data-testid="leaderboard-title">{board?.game?.name ?? "Leaderboard"}</h1>
        <GameClock
          game_time_s={board?.game_time_s ?? 0}
          duration_s={board?.duration_s ?? null}
          state={board?.state ?? null}
          large
        />
      </header>
      {status.phase === "stopped" && !board && (
        <p className="banner banner-bad" role="alert">
          No game {gameId} here. Check the link from the facilitator page.
        </p>
      )}
      {error && !board && (
        <p className="banner banner-bad" role="alert">
          {error}
        </p>
      )}
      <table
        className={`leaderboard${(board?.teams.length ?? 0) > 6 ? " leaderboard-many" : ""}`}
        data-testid="leaderboard"
      >
        <thead>
          <tr>
            <th className="rank">#</th>
            <th>Team</th>
            <th className="num">Score</th>
            <th className="num">Availability</th>
            <th className="num">p99</th>
            <th>SLO</th>
          </tr>
        </thead>
        <tbody>
          {(board?.teams ?? []).map((row, index) => (
            <tr key={`${row.team_id ?? row.team}`} data-testid="leaderboard-row">
              <td className="rank">{index + 1}</td>
              <td className="team">{row.team}</td>
              <td className="num score-cell">{formatNumber(Math.round(row.score))}</td>
              <td className="num">{formatAvailability(row.availability_ratio)}</td>
              <td className="num">
                <P99Text latency_p99_ms={row.latency_p99_ms} />
              </td>
              <td>
                <SloBadge slo_met={row.slo_met} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {board && board.teams.length === 0 && <p className="muted big-muted">No team yet.</p>}
      <footer className="leaderboard-foot">
        <ConnectionBadge status={status} />
      </footer>
    </main>
  );
}
