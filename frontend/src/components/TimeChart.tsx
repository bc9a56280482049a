import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatGameTime, formatMetric, formatNumber, formatPercent } from "../game/format";
import type { SeriesBuffer } from "../game/series";
import { useElementWidth } from "../hooks/useElementWidth";

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  /** Ratios (0..1) get their own percent axis on the right. */
  ratio?: boolean;
  dash?: number[];
}

interface TimeChartProps {
  title: string;
  testId: string;
  buffer: SeriesBuffer;
  /** Changes whenever the buffer's content did (the buffer itself is mutated in place). */
  version: number;
  series: ChartSeries[];
  height?: number;
}

const AXIS_COLOR = "#9fb0c3";
const GRID_COLOR = "rgba(159, 176, 195, 0.12)";

/** Zero-based scale with some headroom; ratios zoom in on small values and stop at 100 %. */
function zeroBased(ratio: boolean): uPlot.Scale.Range {
  return (_u, _min, max) => {
    const top = Number.isFinite(max) ? max : 0;
    // Some "ratios" pass 1 (a retry ratio of 3 means three tries per request).
    if (ratio) return [0, top > 1 ? top * 1.1 : Math.min(1, Math.max(0.05, top * 1.15))];
    return [0, top > 0 ? top * 1.15 : 1];
  };
}

/** Wide enough for the longest tick label ("25.0 k", "100 %"), so none is clipped. */
function axisWidth(_u: uPlot, values: string[] | null): number {
  const longest = Math.max(0, ...(values ?? []).map((value) => value.length));
  return Math.max(36, longest * 7 + 18);
}

/** While the pointer is off the chart, the legend shows the newest values, not dashes. */
function showLatestInLegend(chart: uPlot): void {
  const last = chart.data[0].length - 1;
  if (chart.cursor.idx == null && last >= 0) chart.setLegend({ idx: last });
}

function buildOptions(series: ChartSeries[], width: number, height: number): uPlot.Options {
  const hasRatio = series.some((item) => item.ratio);
  const hasPlain = series.some((item) => !item.ratio);
  const axes: uPlot.Axis[] = [
    {
      stroke: AXIS_COLOR,
      grid: { stroke: GRID_COLOR },
      ticks: { stroke: GRID_COLOR },
      values: (_u, ticks) => ticks.map(formatGameTime),
      space: 70,
    },
  ];
  if (hasPlain) {
    axes.push({
      scale: "y",
      stroke: AXIS_COLOR,
      grid: { stroke: GRID_COLOR },
      ticks: { stroke: GRID_COLOR },
      values: (_u, ticks) => ticks.map((tick) => formatNumber(tick)),
      size: axisWidth,
    });
  }
  if (hasRatio) {
    axes.push({
      scale: "ratio",
      side: hasPlain ? 1 : 3,
      stroke: AXIS_COLOR,
      grid: { show: !hasPlain, stroke: GRID_COLOR },
      ticks: { stroke: GRID_COLOR },
      values: (_u, ticks) => ticks.map((tick) => formatPercent(tick, tick < 0.1 ? 1 : 0)),
      size: axisWidth,
    });
  }
  return {
    width,
    height,
    legend: { live: true },
    hooks: { setData: [showLatestInLegend], setCursor: [showLatestInLegend] },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false },
      y: { range: zeroBased(false) },
      ratio: { range: zeroBased(true) },
    },
    axes,
    series: [
      { label: "game time", value: (_u, value) => (value === null ? "–" : formatGameTime(value)) },
      ...series.map((item): uPlot.Series => ({
        label: item.label,
        stroke: item.color,
        width: 2,
        dash: item.dash,
        scale: item.ratio ? "ratio" : "y",
        spanGaps: false,
        points: { show: false },
        value: (_u, value) => formatMetric(item.key, value),
      })),
    ],
  };
}

/** A live uPlot chart over game time, drawn from a rolling series buffer. */
export function TimeChart({
  title,
  testId,
  buffer,
  version,
  series,
  height = 150,
}: TimeChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const plotHost = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const width = useElementWidth(holder);
  const signature = series.map((item) => `${item.key}:${item.ratio ? 1 : 0}`).join(",");

  useEffect(() => {
    const host = plotHost.current;
    if (!host || width <= 0) return;
    const keys = series.map((item) => item.key);
    const chart = new uPlot(buildOptions(series, width, height), buffer.chartColumns(keys), host);
    plot.current = chart;
    return () => {
      chart.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its series or size change; new points go through setData.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signature, width, height, buffer]);

  useEffect(() => {
    const chart = plot.current;
    if (!chart) return;
    chart.setData(buffer.chartColumns(series.map((item) => item.key)));
  }, [version, buffer, series]);

  return (
    <figure className="chart" data-testid={testId} ref={holder}>
      <figcaption className="chart-title">{title}</figcaption>
      <div ref={plotHost} />
    </figure>
  );
}
