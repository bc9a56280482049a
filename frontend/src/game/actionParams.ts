/**
 * The form of an action in the catalog: its starting values and the check before sending.
 * The server validates again; this only spares a round trip for an obvious slip.
 */
import type { CatalogAction, ParamSpec, ParamValue } from "../protocol/types";

/** What a form field holds: text for numbers (so "1." can be typed), booleans as booleans. */
export type FieldValue = string | boolean;

export function initialField(spec: ParamSpec): FieldValue {
  switch (spec.type) {
    case "bool":
      return spec.default ?? false;
    case "choice":
      return spec.default ?? spec.choices[0] ?? "";
    default:
      return spec.default === undefined ? String(spec.min ?? 0) : String(spec.default);
  }
}

export function initialFields(action: CatalogAction): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const [name, spec] of Object.entries(action.params)) fields[name] = initialField(spec);
  return fields;
}

function parseNumberField(name: string, spec: ParamSpec, raw: FieldValue): number | string {
  const text = String(raw).trim();
  const value = Number(text);
  if (text === "" || !Number.isFinite(value)) return `${name}: a number is expected`;
  if (spec.type === "int" && !Number.isInteger(value)) return `${name}: a whole number is expected`;
  if (spec.type === "int" || spec.type === "float") {
    if (spec.min !== undefined && value < spec.min) return `${name}: at least ${spec.min}`;
    if (spec.max !== undefined && value > spec.max) return `${name}: at most ${spec.max}`;
  }
  return value;
}

export interface CheckedParams {
  params: Record<string, ParamValue>;
  errors: Record<string, string>;
}

export function checkParams(
  action: CatalogAction,
  fields: Record<string, FieldValue>,
): CheckedParams {
  const params: Record<string, ParamValue> = {};
  const errors: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.params)) {
    const raw = fields[name] ?? initialField(spec);
    if (spec.type === "bool") {
      params[name] = raw === true;
    } else if (spec.type === "choice") {
      if (spec.choices.includes(String(raw))) params[name] = String(raw);
      else errors[name] = `${name}: one of ${spec.choices.join(", ")}`;
    } else {
      const value = parseNumberField(name, spec, raw);
      if (typeof value === "number") params[name] = value;
      else errors[name] = value;
    }
  }
  return { params, errors };
}

/** "replicas=20, policy=jitter" for the timeline. */
export function describeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(
      ([name, value]) =>
        `${name}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    )
    .join(", ");
}
