import { useState, type FormEvent } from "react";
import { checkParams, describeParams, initialFields, type FieldValue } from "../game/actionParams";
import { formatGameTime } from "../game/format";
import { findSentEntry, sentPhase } from "../game/timeline";
import type { SentAction } from "../game/warRoom";
import type { CatalogAction, ParamSpec, ParamValue, TimelineEntry } from "../protocol/types";

interface ActionFormProps {
  action: CatalogAction;
  connected: boolean;
  gameRunning: boolean;
  sent: SentAction[];
  timeline: TimelineEntry[];
  now_s: number;
  onSend(action: string, params: Record<string, ParamValue>): boolean;
}

function Field({
  name,
  spec,
  value,
  testId,
  onChange,
}: {
  name: string;
  spec: ParamSpec;
  value: FieldValue;
  testId: string;
  onChange(value: FieldValue): void;
}) {
  if (spec.type === "bool") {
    return (
      <label className="field field-bool">
        <input
          type="checkbox"
          checked={value === true}
          data-testid={testId}
          onChange={(event) => onChange(event.target.checked)}
        />
        {name}
      </label>
    );
  }
  if (spec.type === "choice") {
    return (
      <label className="field">
        <span>{name}</span>
        <select
          value={String(value)}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
        >
          {spec.choices.map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      </label>
    );
  }
  const range =
    spec.min !== undefined || spec.max !== undefined
      ? `${spec.min ?? "…"}–${spec.max ?? "…"}${spec.unit ? ` ${spec.unit}` : ""}`
      : spec.unit;
  return (
    <label className="field">
      <span>
        {name} {range && <small className="muted">({range})</small>}
      </span>
      <input
        type="number"
        inputMode={spec.type === "int" ? "numeric" : "decimal"}
        step={spec.type === "int" ? 1 : "any"}
        min={spec.min}
        max={spec.max}
        value={String(value)}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );
}

const PHASE_TEXT: Record<string, string> = {
  pending: "pending: sent, waiting for the server",
  acked: "acked: recorded, waiting for the next tick",
  applied: "applied: rolling out",
  "in effect": "in effect",
  rejected: "rejected",
  unknown: "unknown: the connection dropped; check the timeline",
};

/** One action of the catalog as a form, with the fate of what this browser sent. */
export function ActionForm(props: ActionFormProps) {
  const { action, connected, gameRunning, sent, timeline, now_s, onSend } = props;
  const [fields, setFields] = useState(() => initialFields(action));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sendError, setSendError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkParams(action, fields);
    setErrors(checked.errors);
    if (Object.keys(checked.errors).length) return;
    setSendError(onSend(action.action, checked.params) ? null : "Not connected: nothing was sent.");
  }

  const recent = sent.slice(-3).reverse();
  const testId = `action-${action.action}`;
  return (
    <form className="action-form" data-testid={testId} onSubmit={submit} noValidate>
      <div className="action-head">
        <strong>{action.label}</strong>
        <span className="action-meta">
          takes ~{action.delay_s} s{action.cost ? ` · ${action.cost}` : ""}
        </span>
      </div>
      {action.description && <p className="action-description">{action.description}</p>}
      <div className="action-fields">
        {Object.entries(action.params).map(([name, spec]) => (
          <Field
            key={name}
            name={name}
            spec={spec}
            value={fields[name] ?? ""}
            testId={`${testId}-${name}`}
            onChange={(value) => setFields((current) => ({ ...current, [name]: value }))}
          />
        ))}
        <button
          type="submit"
          className="primary"
          data-testid={`${testId}-submit`}
          disabled={!connected}
          title={gameRunning ? undefined : "The game is not running; it applies when it runs."}
        >
          Apply
        </button>
      </div>
      {Object.values(errors).map((error) => (
        <p key={error} className="form-error" role="alert">
          {error}
        </p>
      ))}
      {sendError && <p className="form-error">{sendError}</p>}
      {recent.length > 0 && (
        <ul className="sent-list">
          {recent.map((item) => {
            const entry = findSentEntry(item, timeline);
            const phase = sentPhase(item.status, entry, now_s);
            return (
              <li
                key={item.client_id}
                className={`sent sent-${phase.replace(" ", "-")}`}
                data-testid={`${testId}-status`}
                data-phase={phase}
              >
                <span className="sent-params">
                  {describeParams(item.params) || "no parameters"}
                </span>
                <span className="sent-phase">{PHASE_TEXT[phase]}</span>
                {entry?.effective_game_time_s != null && phase === "applied" && (
                  <span className="muted"> at {formatGameTime(entry.effective_game_time_s)}</span>
                )}
                {item.error && phase !== "unknown" && (
                  <span className="form-error"> {item.error}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </form>
  );
}
