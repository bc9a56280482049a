/** How numbers of the game read on screen; the unit comes from the metric's name. */

export function formatGameTime(game_time_s: number): string {
  const total_s = Math.max(0, Math.floor(game_time_s));
  const hours = Math.floor(total_s / 3600);
  const minutes = Math.floor((total_s % 3600) / 60);
  const seconds = total_s % 60;
  const mmss = `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
  return hours ? `${hours}:${mmss}` : mmss;
}

export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "–";
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** Availability wants its nines: 0.9991 reads 99.91 %, not 99.9 %. */
export function formatAvailability(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "–";
  return formatPercent(ratio, ratio >= 0.99 ? 2 : 1);
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const size = Math.abs(value);
  if (size >= 1e6) return `${(value / 1e6).toFixed(size >= 1e7 ? 0 : 1)} M`;
  if (size >= 1e4) return `${(value / 1e3).toFixed(size >= 1e5 ? 0 : 1)} k`;
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(size >= 100 ? 0 : size >= 10 ? 1 : 2);
}

export type MetricUnit = "ratio" | "ms" | "s" | "rps" | "count";

export function metricUnit(name: string): MetricUnit {
  if (name.endsWith("_ratio")) return "ratio";
  if (name.endsWith("_ms")) return "ms";
  if (name.endsWith("_s")) return "s";
  if (name.endsWith("_rps")) return "rps";
  return "count";
}

export function formatMetric(name: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  switch (metricUnit(name)) {
    case "ratio":
      return formatPercent(value);
    case "ms":
      return `${formatNumber(value)} ms`;
    case "s":
      return `${formatNumber(value)} s`;
    case "rps":
      return `${formatNumber(value)}/s`;
    default:
      return formatNumber(value);
  }
}

/** `latency_p99_ms` reads "latency p99"; the unit is shown beside the value. */
export function metricLabel(name: string): string {
  return name.replace(/_(ratio|ms|s|rps)$/, "").replace(/_/g, " ");
}
