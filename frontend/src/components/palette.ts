/** Series colours that stay apart on a dark background and on a washed-out projector. */
export const SERIES_COLORS = [
  "#4cc9f0",
  "#ffd166",
  "#f15bb5",
  "#06d6a0",
  "#b388ff",
  "#ff8c42",
  "#90e0ef",
  "#ef476f",
  "#c5e063",
  "#f4a261",
];

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

/** A component's utilisation as a colour: calm below 70 %, amber to 90 %, red above. */
export function utilisationColor(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return "#3a4656";
  if (ratio >= 0.9) return "#d7263d";
  if (ratio >= 0.7) return "#f4a261";
  return "#1f8a5b";
}
