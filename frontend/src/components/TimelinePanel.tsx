import { describeParams } from "../game/actionParams";
import { formatGameTime } from "../game/format";
import { entryPhase, mergeTimeline } from "../game/timeline";
import type { CatalogAction, GameEvent, TimelineEntry } from "../protocol/types";

interface TimelinePanelProps {
  entries: TimelineEntry[];
  events: GameEvent[];
  catalog: CatalogAction[];
  now_s: number;
}

function at(game_time_s: number | null): string {
  return game_time_s === null ? "…" : formatGameTime(game_time_s);
}

/** Who did what and when it landed, with the faults and events of the game, newest first. */
export function TimelinePanel({ entries, events, catalog, now_s }: TimelinePanelProps) {
  const items = mergeTimeline(entries, events).reverse();
  const labels = new Map(catalog.map((action) => [action.action, action.label]));
  if (!items.length) {
    return (
      <p className="muted" data-testid="timeline">
        Nothing happened yet.
      </p>
    );
  }
  return (
    <ol className="timeline" data-testid="timeline">
      {items.map((item) => {
        if ("entry" in item) {
          const entry = item.entry;
          const phase = entryPhase(entry, now_s);
          return (
            <li
              key={item.key}
              className="timeline-item timeline-action"
              data-testid="timeline-entry"
              data-kind="action"
              data-phase={phase}
            >
              <span className="timeline-time">{formatGameTime(item.game_time_s)}</span>
              <span className="timeline-body">
                <strong className="timeline-player">{entry.player || "someone"}</strong>{" "}
                {labels.get(entry.action) ?? entry.action}
                {Object.keys(entry.params).length > 0 && (
                  <span className="muted"> ({describeParams(entry.params)})</span>
                )}
                <span className="timeline-phases">
                  received {at(entry.received_game_time_s)} · applied{" "}
                  {at(entry.applied_game_time_s)} · in effect {at(entry.effective_game_time_s)}
                </span>
              </span>
              <span className={`phase phase-${phase.replace(" ", "-")}`}>{phase}</span>
            </li>
          );
        }
        return (
          <li
            key={item.key}
            className={`timeline-item timeline-${item.kind}`}
            data-testid="timeline-entry"
            data-kind={item.kind}
          >
            <span className="timeline-time">{formatGameTime(item.game_time_s)}</span>
            <span className="timeline-body">{item.event.text}</span>
            <span className={`phase phase-${item.kind}`}>{item.kind}</span>
          </li>
        );
      })}
    </ol>
  );
}
