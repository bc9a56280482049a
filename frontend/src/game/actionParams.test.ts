import { describe, expect, it } from "vitest";
import type { CatalogAction } from "../protocol/types";
import { checkParams, describeParams, initialFields } from "./actionParams";

const scale: CatalogAction = {
  action: "scale_api",
  label: "Scale API replicas",
  description: "",
  delay_s: 45,
  cost: "4 points per replica-minute",
  params: {
    replicas: { type: "int", min: 1, max: 200, default: 20 },
    jitter: { type: "bool", default: true },
    backoff: { type: "choice", choices: ["none", "exponential"], default: "exponential" },
    timeout_s: { type: "float", min: 0.1, max: 30 },
  },
};

describe("action params", () => {
  it("starts from the catalog's defaults", () => {
    expect(initialFields(scale)).toEqual({
      replicas: "20",
      jitter: true,
      backoff: "exponential",
      timeout_s: "0.1",
    });
  });

  it("turns form text into typed params", () => {
    const checked = checkParams(scale, {
      replicas: "40",
      jitter: false,
      backoff: "none",
      timeout_s: "2.5",
    });
    expect(checked.errors).toEqual({});
    expect(checked.params).toEqual({
      replicas: 40,
      jitter: false,
      backoff: "none",
      timeout_s: 2.5,
    });
  });

  it("names the field and what was expected", () => {
    const checked = checkParams(scale, {
      replicas: "4.5",
      jitter: true,
      backoff: "sometimes",
      timeout_s: "99",
    });
    expect(checked.errors).toEqual({
      replicas: "replicas: a whole number is expected",
      backoff: "backoff: one of none, exponential",
      timeout_s: "timeout_s: at most 30",
    });
  });

  it("describes params for the timeline", () => {
    expect(describeParams({ replicas: 40, policy: "jitter" })).toBe("replicas=40, policy=jitter");
  });
});
