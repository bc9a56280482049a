/**
 * A component's metrics split by unit, one chart each: a connection count and a query time
 * on one axis would make either unreadable.
 */
import { metricUnit, type MetricUnit } from "./format";

export interface MetricGroup {
  unit: MetricUnit;
  title: string;
  keys: string[];
}

const ORDER: MetricUnit[] = ["ratio", "rps", "ms", "s", "count"];

const TITLES: Record<MetricUnit, string> = {
  ratio: "ratios",
  rps: "per second",
  ms: "milliseconds",
  s: "seconds",
  count: "counts",
};

export function groupMetrics(keys: string[]): MetricGroup[] {
  return ORDER.map((unit) => ({
    unit,
    title: TITLES[unit],
    keys: keys.filter((key) => metricUnit(key) === unit),
  })).filter((group) => group.keys.length > 0);
}
