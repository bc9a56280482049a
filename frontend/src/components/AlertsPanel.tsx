import { formatGameTime } from "../game/format";
import type { Alert } from "../protocol/types";

/** The alerts firing now, pages first. */
export function AlertsPanel({ alerts }: { alerts: Alert[] }) {
  if (!alerts.length) {
    return (
      <p className="muted" data-testid="alerts">
        No alert firing.
      </p>
    );
  }
  const sorted = [...alerts].sort(
    (a, b) => Number(b.severity === "page") - Number(a.severity === "page"),
  );
  return (
    <ul className="alerts" data-testid="alerts">
      {sorted.map((alert) => (
        <li key={`${alert.name}-${alert.since_s}`} className={`alert alert-${alert.severity}`}>
          <span className="alert-severity">{alert.severity}</span>
          <span className="alert-name">{alert.name}</span>
          <span className="alert-since">since {formatGameTime(alert.since_s)}</span>
          <span className="alert-text">{alert.text}</span>
        </li>
      ))}
    </ul>
  );
}
