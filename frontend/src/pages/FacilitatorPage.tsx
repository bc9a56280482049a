import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { GameClock } from "../components/GameClock";
import { P99Text, SloBadge } from "../components/SloCells";
import { formatAvailability, formatGameTime, formatNumber, formatPercent } from "../game/format";
import { useFacilitator, type Facilitator, type GameCommand } from "../hooks/useFacilitator";
import { useLeaderboard } from "../hooks/useLeaderboard";
import type { Game } from "../protocol/types";

const MIN_SPEED = 0.25;
const MAX_SPEED = 60;
const SPEED_PRESETS = [0.5, 1, 2, 5, 10];

function LoginForm({ onLogin, error }: { onLogin: Facilitator["login"]; error: string | null }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    await onLogin(username, password);
    setBusy(false);
  }

  return (
    <main className="join-page">
      <h1 className="brand">wargame</h1>
      <p className="tagline">Facilitator</p>
      <form className="card join-form" onSubmit={submit} data-testid="login-form">
        <label className="field">
          <span>Username</span>
          <input
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            autoComplete="username"
            required
            data-testid="login-username"
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            autoComplete="current-password"
            required
            data-testid="login-password"
          />
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary big" disabled={busy} data-testid="login-submit">
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p className="muted footer-links">
        <Link to="/">Join as a player</Link>
      </p>
    </main>
  );
}

function CreateGameForm({
  facilitator,
  onCreated,
}: {
  facilitator: Facilitator;
  onCreated(game: Game): void;
}) {
  const { scenarios } = facilitator;
  const [scenario, setScenario] = useState("");
  const [name, setName] = useState("");
  const [teams, setTeams] = useState("Blue, Red");
  const [speed, setSpeed] = useState("1");
  const [seed, setSeed] = useState("");
  const [busy, setBusy] = useState(false);
  const chosen = scenario || scenarios[0]?.slug || "";
  const summary = scenarios.find((item) => item.slug === chosen);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const teamNames = teams
      .split(/[,\n]/)
      .map((team) => team.trim())
      .filter(Boolean);
    const seedNumber = seed.trim() === "" ? undefined : Number(seed);
    const game = await facilitator.create({
      scenario: chosen,
      name: name.trim() || summary?.title || chosen,
      teams: teamNames,
      speed: Number(speed),
      ...(seedNumber === undefined || Number.isNaN(seedNumber) ? {} : { seed: seedNumber }),
    });
    setBusy(false);
    if (game) onCreated(game);
  }

  return (
    <form className="panel create-game" onSubmit={submit} data-testid="create-game">
      <h2>New game</h2>
      <label className="field">
        <span>Scenario</span>
        <select
          value={chosen}
          onChange={(event) => setScenario(event.target.value)}
          data-testid="create-scenario"
        >
          {scenarios.map((item) => (
            <option key={item.slug} value={item.slug}>
              {item.title} ({formatGameTime(item.duration_s)})
            </option>
          ))}
        </select>
      </label>
      {summary?.summary && <p className="muted small-text">{summary.summary}</p>}
      <label className="field">
        <span>Name</span>
        <input
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder={summary?.title}
          maxLength={80}
          data-testid="create-name"
        />
      </label>
      <label className="field">
        <span>Teams (comma separated)</span>
        <input
          value={teams}
          onChange={(event) => setTeams(event.target.value)}
          required
          data-testid="create-teams"
        />
      </label>
      <div className="field-row">
        <label className="field">
          <span>Speed</span>
          <input
            type="number"
            min={MIN_SPEED}
            max={MAX_SPEED}
            step="any"
            value={speed}
            onChange={(event) => setSpeed(event.target.value)}
            data-testid="create-speed"
          />
        </label>
        <label className="field">
          <span>Seed (optional)</span>
          <input
            type="number"
            step={1}
            value={seed}
            onChange={(event) => setSeed(event.target.value)}
            data-testid="create-seed"
          />
        </label>
      </div>
      <button
        type="submit"
        className="primary"
        disabled={busy || !chosen}
        data-testid="create-submit"
      >
        Create game
      </button>
    </form>
  );
}

const COMMANDS: Record<Game["state"], GameCommand[]> = {
  lobby: ["start", "end"],
  running: ["pause", "end"],
  paused: ["resume", "end"],
  ended: [],
};

function SpeedControl({ game, facilitator }: { game: Game; facilitator: Facilitator }) {
  const [custom, setCustom] = useState("");
  const apply = (speed: number) => void facilitator.setSpeed(game.id, speed);
  return (
    <div className="speed-control" data-testid="speed-control">
      <span className="muted">speed</span>
      {SPEED_PRESETS.map((speed) => (
        <button
          key={speed}
          type="button"
          className={game.speed === speed ? "chip chip-on" : "chip"}
          onClick={() => apply(speed)}
          disabled={game.state === "ended"}
        >
          ×{speed}
        </button>
      ))}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const speed = Number(custom);
          if (speed >= MIN_SPEED && speed <= MAX_SPEED) apply(speed);
        }}
      >
        <input
          type="number"
          min={MIN_SPEED}
          max={MAX_SPEED}
          step="any"
          value={custom}
          placeholder="×"
          onChange={(event) => setCustom(event.target.value)}
          className="speed-input"
          aria-label="custom speed"
        />
      </form>
    </div>
  );
}

/** The players of a team as the API lists them (`[{id, name}]`), names kept as text. */
function playerNames(players: unknown): string[] | null {
  if (!Array.isArray(players)) return null;
  return players.map((player: unknown) =>
    typeof player === "object" && player !== null && "name" in player
      ? String((player as { name: unknown }).name)
      : String(player),
  );
}

/** The teams' standing, live, so the facilitator sees who struggles without the projector. */
function TeamStanding({ gameId }: { gameId: Game["id"] }) {
  const { board } = useLeaderboard(String(gameId));
  if (!board || board.teams.length === 0) return null;
  return (
    <table className="standing" data-testid="standing">
      <thead>
        <tr>
          <th>Team</th>
          <th className="num">Score</th>
          <th className="num">Availability</th>
          <th className="num">p99</th>
          <th className="num">Error budget left</th>
          <th>SLO</th>
        </tr>
      </thead>
      <tbody>
        {board.teams.map((row) => (
          <tr key={String(row.team_id ?? row.team)}>
            <td>{row.team}</td>
            <td className="num">{formatNumber(Math.round(row.score))}</td>
            <td className="num">{formatAvailability(row.availability_ratio)}</td>
            <td className="num">
              <P99Text latency_p99_ms={row.latency_p99_ms} />
            </td>
            <td className="num">{formatPercent(row.error_budget_left_ratio, 0)}</td>
            <td>
              <SloBadge slo_met={row.slo_met} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The join codes over the whole screen, for the projector while teams join. */
function CodesOnScreen({ game, onClose }: { game: Game; onClose(): void }) {
  return (
    <div className="codes-overlay" data-testid="codes-overlay" role="dialog" aria-modal="true">
      <button type="button" className="ghost codes-close" onClick={onClose}>
        Close
      </button>
      <p className="codes-how">
        Open <strong>{window.location.host}</strong> and type your team&apos;s code
      </p>
      <div className="codes-grid">
        {game.teams.map((team) => (
          <div key={team.id} className="codes-team">
            <div className="codes-team-name">{team.name}</div>
            <div className="codes-code">{team.join_code}</div>
          </div>
        ))}
      </div>
    </div>
  );
}

function GameDetail({ game, facilitator }: { game: Game; facilitator: Facilitator }) {
  const [projecting, setProjecting] = useState(false);
  return (
    <section className="panel game-detail" data-testid={`game-${game.id}`}>
      <div className="game-detail-head">
        <div>
          <h2 className="game-title">{game.name}</h2>
          <span className="muted">
            {game.scenario} · seed {game.seed ?? "–"}
          </span>
        </div>
        <GameClock
          game_time_s={game.game_time_s}
          duration_s={game.duration_s}
          state={game.state}
          speed={game.speed}
        />
      </div>
      <div className="controls">
        {COMMANDS[game.state].map((command) => (
          <button
            key={command}
            type="button"
            className={`command ${command === "end" ? "danger" : "primary"}`}
            data-testid={`game-${command}`}
            onClick={() => {
              if (
                command === "end" &&
                !window.confirm(`End the game "${game.name}" for all teams?`)
              )
                return;
              void facilitator.command(game.id, command);
            }}
          >
            {command}
          </button>
        ))}
        <SpeedControl game={game} facilitator={facilitator} />
        <button type="button" onClick={() => setProjecting(true)} data-testid="show-codes">
          Codes on screen
        </button>
        <Link
          className="button-link"
          to={`/leaderboard/${game.id}`}
          target="_blank"
          data-testid="leaderboard-link"
        >
          Leaderboard ↗
        </Link>
      </div>
      <div className="join-codes">
        {game.teams.map((team) => {
          const names = playerNames(team.players);
          return (
            <div key={team.id} className="join-code-card" data-testid={`join-code-${team.name}`}>
              <div className="join-code-team">{team.name}</div>
              <div className="join-code">{team.join_code}</div>
              {names && (
                <div className="muted join-code-players">
                  {names.length} player{names.length === 1 ? "" : "s"}
                  {names.length > 0 && `: ${names.join(", ")}`}
                </div>
              )}
            </div>
          );
        })}
      </div>
      <p className="muted small-text">
        Players open <strong>{window.location.host}/</strong> and type their team&apos;s code.
      </p>
      {game.state !== "lobby" && <TeamStanding gameId={game.id} />}
      {projecting && <CodesOnScreen game={game} onClose={() => setProjecting(false)} />}
    </section>
  );
}

/** The facilitator's desk: log in, create games, hand out codes, run the clock. */
export function FacilitatorPage() {
  const facilitator = useFacilitator();
  const [selected, setSelected] = useState<Game["id"] | null>(null);

  if (facilitator.username === undefined) return <main className="join-page muted">Loading…</main>;
  if (facilitator.username === null)
    return <LoginForm onLogin={facilitator.login} error={facilitator.error} />;

  const game =
    facilitator.games.find((item) => item.id === selected) ?? facilitator.games[0] ?? null;
  return (
    <div className="facilitator">
      <header className="topbar">
        <div className="topbar-names">
          <span className="brand small">wargame</span>
          <span className="team-name">Facilitator</span>
        </div>
        <span className="muted">{facilitator.username}</span>
        <button type="button" className="ghost" onClick={() => void facilitator.logout()}>
          Log out
        </button>
      </header>
      {facilitator.error && (
        <div className="banner banner-bad" role="alert" data-testid="facilitator-error">
          {facilitator.error}
        </div>
      )}
      <div className="facilitator-grid">
        <aside>
          <section className="panel">
            <h2>Games</h2>
            {facilitator.games.length === 0 && <p className="muted">No games yet.</p>}
            <ul className="game-list" data-testid="game-list">
              {facilitator.games.map((item) => (
                <li key={item.id}>
                  <button
                    type="button"
                    className={item.id === game?.id ? "game-item game-item-on" : "game-item"}
                    onClick={() => setSelected(item.id)}
                  >
                    <span>
                      {item.name} <span className="muted">#{item.id}</span>
                    </span>
                    <span className={`state-badge state-${item.state}`}>{item.state}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <CreateGameForm
            facilitator={facilitator}
            onCreated={(created) => setSelected(created.id)}
          />
        </aside>
        <main>
          {game ? (
            <GameDetail game={game} facilitator={facilitator} />
          ) : (
            <p className="muted">Create a game to begin.</p>
          )}
        </main>
      </div>
    </div>
  );
}
