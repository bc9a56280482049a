import { describe, expect, it } from "vitest";
import { breakGaps, SeriesBuffer } from "./series";

describe("SeriesBuffer", () => {
  it("keeps columns aligned when a metric appears later", () => {
    const buffer = new SeriesBuffer(60);
    buffer.add(1, { queue: 0 });
    buffer.add(2, { queue: 3, refused_rps: 5 });
    expect(buffer.chartColumns(["queue", "refused_rps"])).toEqual([
      [1, 2],
      [0, 3],
      [null, 5],
    ]);
  });

  it("drops points older than the window behind the newest", () => {
    const buffer = new SeriesBuffer(10);
    for (let t = 0; t <= 30; t += 5) buffer.add(t, { v: t });
    expect(buffer.times).toEqual([20, 25, 30]);
    expect(buffer.column("v")).toEqual([20, 25, 30]);
  });

  it("puts late history in its place and replaces a repeated instant", () => {
    const buffer = new SeriesBuffer(100);
    buffer.add(10, { v: 1 });
    buffer.add(30, { v: 3 });
    buffer.add(20, { v: 2 });
    buffer.add(30, { v: 33 });
    expect(buffer.times).toEqual([10, 20, 30]);
    expect(buffer.column("v")).toEqual([1, 2, 33]);
  });

  it("ignores a point already out of the window", () => {
    const buffer = new SeriesBuffer(10);
    buffer.add(100, { v: 1 });
    expect(buffer.add(50, { v: 2 })).toBe(false);
    expect(buffer.times).toEqual([100]);
  });
});

describe("breakGaps", () => {
  it("breaks the line where frames are missing, not where they are a little late", () => {
    const times = [0, 0.3, 0.6, 0.9, 1.2, 2.5, 2.8, 60, 60.3];
    const values = times.map((time) => time);
    const [outTimes, outValues] = breakGaps([times, values]);
    expect(outTimes).toEqual([0, 0.3, 0.6, 0.9, 1.2, 2.5, 2.8, 31.4, 60, 60.3]);
    expect(outValues?.[7]).toBeNull();
    expect(outValues?.[8]).toBe(60);
  });

  it("scales with the spacing of frames at a high speed", () => {
    const times = [0, 20, 40, 60, 80];
    expect(breakGaps([times, times])).toEqual([times, times]);
  });
});
