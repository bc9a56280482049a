import { formatAvailability, formatNumber, formatPercent } from "../game/format";
import type { Score } from "../protocol/types";

/** The score and what it is made of, not one opaque number. */
export function ScorePanel({ score }: { score: Score | null }) {
  if (!score) {
    return (
      <div className="score" data-testid="score">
        <p className="muted">No score yet.</p>
      </div>
    );
  }
  return (
    <div className="score" data-testid="score">
      <div className="score-head">
        <span className="score-total" data-testid="score-total">
          {formatNumber(Math.round(score.score))}
        </span>
        <span className={`slo-badge ${score.slo_met ? "slo-met" : "slo-missed"}`}>
          {score.slo_met ? "SLO met" : "SLO missed"}
        </span>
      </div>
      <dl className="score-figures">
        <dt>error budget left</dt>
        <dd>
          <span className="meter">
            <span
              className="meter-fill"
              style={{ width: `${Math.max(0, Math.min(1, score.error_budget_left_ratio)) * 100}%` }}
            />
          </span>
          {formatPercent(score.error_budget_left_ratio, 0)}
        </dd>
        <dt>time in SLO</dt>
        <dd>{formatPercent(score.time_in_slo_ratio, 0)}</dd>
        <dt>availability</dt>
        <dd>{formatAvailability(score.availability_ratio)}</dd>
        <dt>p99 latency</dt>
        <dd>{formatNumber(score.latency_p99_ms)} ms</dd>
        <dt>cost</dt>
        <dd>{formatNumber(score.cost)}</dd>
      </dl>
      {score.parts.length > 0 && (
        <table className="score-parts">
          <tbody>
            {score.parts.map((part) => (
              <tr key={part.name}>
                <td>{part.name}</td>
                <td className={part.points < 0 ? "negative" : "positive"}>
                  {part.points > 0 ? "+" : ""}
                  {formatNumber(part.points)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
