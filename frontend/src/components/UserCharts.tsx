import type { SeriesBuffer } from "../game/series";
import { TimeChart, type ChartSeries } from "./TimeChart";

const REQUESTS: ChartSeries[] = [
  { key: "offered_rps", label: "offered", color: "#90e0ef", dash: [6, 4] },
  { key: "success_rps", label: "successful", color: "#06d6a0" },
];
const ERRORS: ChartSeries[] = [
  { key: "error_ratio", label: "errors", color: "#ef476f", ratio: true },
];
const LATENCY: ChartSeries[] = [
  { key: "latency_p50_ms", label: "p50", color: "#4cc9f0" },
  { key: "latency_p99_ms", label: "p99", color: "#ffd166" },
];

/** What the users see: requests offered vs served, the error ratio, latency at the client. */
export function UserCharts({ buffer, version }: { buffer: SeriesBuffer; version: number }) {
  return (
    <div className="user-charts">
      <TimeChart
        title="Requests/s at the clients"
        testId="chart-users-requests"
        buffer={buffer}
        version={version}
        series={REQUESTS}
      />
      <TimeChart
        title="Error ratio"
        testId="chart-users-errors"
        buffer={buffer}
        version={version}
        series={ERRORS}
      />
      <TimeChart
        title="Latency at the clients"
        testId="chart-users-latency"
        buffer={buffer}
        version={version}
        series={LATENCY}
      />
    </div>
  );
}
