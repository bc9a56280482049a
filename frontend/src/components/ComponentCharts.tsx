import { useMemo } from "react";
import { metricLabel } from "../game/format";
import { groupMetrics } from "../game/metricGroups";
import type { SeriesBuffer } from "../game/series";
import type { ComponentSignals } from "../protocol/types";
import { seriesColor } from "./palette";
import { TimeChart, type ChartSeries } from "./TimeChart";

interface ComponentChartsProps {
  components: ComponentSignals[];
  buffers: ReadonlyMap<string, SeriesBuffer>;
  version: number;
}

interface ComponentCardProps {
  component: ComponentSignals;
  buffer: SeriesBuffer;
  version: number;
}

/** One component: a small chart per unit of its metrics. */
function ComponentCard({ component, buffer, version }: ComponentCardProps) {
  const keys = buffer.keys().join(",");
  const groups = useMemo(
    () =>
      groupMetrics(keys.split(",").filter(Boolean)).map((group) => ({
        ...group,
        series: group.keys.map((key, index): ChartSeries => ({
          key,
          label: metricLabel(key),
          color: seriesColor(index),
          ratio: group.unit === "ratio",
        })),
      })),
    [keys],
  );
  return (
    <section className="component-card" data-testid={`chart-component-${component.id}`}>
      <h3 className="component-title">
        {component.label} <span className="muted">· {component.kind}</span>
      </h3>
      <div className="component-card-charts">
        {groups.map((group) => (
          <TimeChart
            key={group.unit}
            title={group.title}
            testId={`chart-component-${component.id}-${group.unit}`}
            buffer={buffer}
            version={version}
            series={group.series}
            height={110}
          />
        ))}
      </div>
    </section>
  );
}

/** Every numeric metric of every component, as the frames carry them. */
export function ComponentCharts({ components, buffers, version }: ComponentChartsProps) {
  return (
    <div className="component-charts">
      {components.map((component) => {
        const buffer = buffers.get(component.id);
        return buffer ? (
          <ComponentCard
            key={component.id}
            component={component}
            buffer={buffer}
            version={version}
          />
        ) : null;
      })}
    </div>
  );
}
