/**
 * Rolling, column-oriented buffers of numeric signals over game time, in the shape uPlot draws.
 *
 * Points are kept sorted by game time: a frame that arrives late (history after a reconnect)
 * is put in its place, one at a time already present replaces the old values, and points
 * older than the window behind the newest are dropped.
 */

export const DEFAULT_WINDOW_S = 15 * 60;

export type ChartColumns = [number[], ...(number | null)[][]];

/** A hole shorter than this is never broken: a runner a second or two late is no gap. */
export const MIN_GAP_S = 5;
/** A hole this many times the usual spacing of frames is a gap. */
const GAP_FACTOR = 5;

function medianSpacing(times: number[]): number {
  const recent = times.slice(-101);
  const spacings = recent.slice(1).map((time, index) => time - recent[index]!);
  if (!spacings.length) return 0;
  spacings.sort((a, b) => a - b);
  return spacings[spacings.length >> 1]!;
}

/**
 * Puts a row of nulls into each hole in the frames (a reconnect that got no history, a runner
 * that replayed and jumped), so the chart shows a gap instead of a straight line that never
 * happened.
 */
export function breakGaps(columns: ChartColumns): ChartColumns {
  const [times, ...values] = columns;
  const gap_s = Math.max(MIN_GAP_S, GAP_FACTOR * medianSpacing(times));
  const holes: number[] = [];
  for (let index = 1; index < times.length; index += 1) {
    if (times[index]! - times[index - 1]! > gap_s) holes.push(index);
  }
  if (!holes.length) return columns;
  const outTimes: number[] = [];
  const outColumns: (number | null)[][] = values.map(() => []);
  let hole = 0;
  for (let index = 0; index < times.length; index += 1) {
    if (holes[hole] === index) {
      outTimes.push((times[index - 1]! + times[index]!) / 2);
      for (const column of outColumns) column.push(null);
      hole += 1;
    }
    outTimes.push(times[index]!);
    outColumns.forEach((column, which) => column.push(values[which]![index] ?? null));
  }
  return [outTimes, ...outColumns];
}

export class SeriesBuffer {
  readonly times: number[] = [];
  private readonly columns = new Map<string, (number | null)[]>();

  constructor(readonly window_s: number = DEFAULT_WINDOW_S) {}

  get length(): number {
    return this.times.length;
  }

  get latestTime(): number | null {
    return this.times.length ? this.times[this.times.length - 1]! : null;
  }

  /** Metric names in the order they first appeared. */
  keys(): string[] {
    return [...this.columns.keys()];
  }

  column(key: string): (number | null)[] {
    return this.columns.get(key) ?? [];
  }

  /** Adds the values of one instant; returns false when it fell outside the window. */
  add(game_time_s: number, values: Record<string, number>): boolean {
    const latest = this.latestTime;
    if (latest !== null && game_time_s < latest - this.window_s) return false;

    const index = this.insertionIndex(game_time_s);
    const replacing = this.times[index] === game_time_s;
    for (const key of Object.keys(values)) this.ensureColumn(key);
    if (replacing) {
      for (const [key, column] of this.columns)
        column[index] = values[key] ?? column[index] ?? null;
    } else {
      this.times.splice(index, 0, game_time_s);
      for (const [key, column] of this.columns) column.splice(index, 0, values[key] ?? null);
    }
    this.trim();
    return true;
  }

  /**
   * `[times, ...one column per key]`, the columns uPlot wants, for the given keys, with a
   * break wherever frames are missing (see `breakGaps`).
   */
  chartColumns(keys: string[]): ChartColumns {
    return breakGaps([this.times, ...keys.map((key) => this.column(key))]);
  }

  clear(): void {
    this.times.length = 0;
    this.columns.clear();
  }

  private ensureColumn(key: string): void {
    if (!this.columns.has(key))
      this.columns.set(
        key,
        this.times.map(() => null),
      );
  }

  /** The index of the first time >= game_time_s (binary search; appends are the common case). */
  private insertionIndex(game_time_s: number): number {
    const times = this.times;
    if (!times.length || times[times.length - 1]! < game_time_s) return times.length;
    let low = 0;
    let high = times.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (times[middle]! < game_time_s) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private trim(): void {
    const latest = this.latestTime;
    if (latest === null) return;
    const oldest_kept_s = latest - this.window_s;
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! < oldest_kept_s) drop += 1;
    if (!drop) return;
    this.times.splice(0, drop);
    for (const column of this.columns.values()) column.splice(0, drop);
  }
}
