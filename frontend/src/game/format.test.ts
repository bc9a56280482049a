import { describe, expect, it } from "vitest";
import { formatAvailability, formatGameTime, formatMetric, metricLabel } from "./format";

describe("format", () => {
  it("shows game time as mm:ss, with hours past the hour", () => {
    expect(formatGameTime(0)).toBe("00:00");
    expect(formatGameTime(125.7)).toBe("02:05");
    expect(formatGameTime(3725)).toBe("1:02:05");
  });

  it("reads the unit from the metric's name", () => {
    expect(formatMetric("hit_ratio", 0.953)).toBe("95.3 %");
    expect(formatMetric("query_ms", 5)).toBe("5 ms");
    expect(formatMetric("offered_rps", 1_250_000)).toBe("1.3 M/s");
    expect(formatMetric("connections_in_use", 50)).toBe("50");
    expect(metricLabel("latency_p99_ms")).toBe("latency p99");
  });

  it("keeps the nines of availability", () => {
    expect(formatAvailability(0.9991)).toBe("99.91 %");
    expect(formatAvailability(0.85)).toBe("85.0 %");
  });
});
