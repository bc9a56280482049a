import { formatNumber } from "../game/format";

/** A team's p99 latency at the client, or a dash before the first frame. */
export function P99Text({ latency_p99_ms }: { latency_p99_ms: number | null }) {
  return <>{latency_p99_ms === null ? "–" : `${formatNumber(Math.round(latency_p99_ms))} ms`}</>;
}

/** Whether a team meets its SLO, as a badge, or a dash before the first frame. */
export function SloBadge({ slo_met }: { slo_met: boolean | null }) {
  if (slo_met === null) return <>–</>;
  return (
    <span className={`slo-badge ${slo_met ? "slo-met" : "slo-missed"}`}>
      {slo_met ? "met" : "missed"}
    </span>
  );
}
