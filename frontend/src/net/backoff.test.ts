import { describe, expect, it } from "vitest";
import { backoffCeilingMs, backoffDelayMs, DEFAULT_BACKOFF } from "./backoff";

describe("backoff", () => {
  it("doubles the ceiling per attempt up to the cap", () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffCeilingMs(attempt));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  it("draws the delay between half the ceiling and the ceiling", () => {
    expect(backoffDelayMs(3, () => 0)).toBe(1000);
    expect(backoffDelayMs(3, () => 0.999999)).toBe(2000);
    expect(backoffDelayMs(20, () => 0.5)).toBe(Math.round(DEFAULT_BACKOFF.max_ms * 0.75));
  });

  it("spreads a crowd reconnecting at once", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const delays = new Set(Array.from({ length: 100 }, () => backoffDelayMs(4, random)));
    expect(delays.size).toBeGreaterThan(80);
  });
});
