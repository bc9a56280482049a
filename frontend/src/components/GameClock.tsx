import { formatGameTime } from "../game/format";
import type { GameState } from "../protocol/types";

interface GameClockProps {
  game_time_s: number;
  duration_s: number | null;
  state: GameState | null;
  speed?: number | null;
  large?: boolean;
}

const STATE_LABEL: Record<GameState, string> = {
  lobby: "waiting to start",
  running: "running",
  paused: "paused",
  ended: "ended",
};

/** Game time against the scenario's length, the game's state and its speed. */
export function GameClock({ game_time_s, duration_s, state, speed, large }: GameClockProps) {
  return (
    <div className={`game-clock${large ? " game-clock-large" : ""}`} data-testid="game-clock">
      <span className="clock-time">
        {formatGameTime(game_time_s)}
        {duration_s ? (
          <span className="clock-duration"> / {formatGameTime(duration_s)}</span>
        ) : null}
      </span>
      {state && (
        <span className={`state-badge state-${state}`} data-testid="game-state">
          {STATE_LABEL[state]}
        </span>
      )}
      {speed ? <span className="clock-speed">×{speed}</span> : null}
    </div>
  );
}
