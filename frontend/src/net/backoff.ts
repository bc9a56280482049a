/**
 * Exponential backoff with full jitter for reconnecting websockets.
 *
 * A hundred browsers on one wifi drop together; without jitter they would all come back in the
 * same millisecond, again and again. Each delay is drawn uniformly from
 * [base/2, base] where base doubles per failed attempt up to a cap.
 */

export interface BackoffPolicy {
  initial_ms: number;
  max_ms: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initial_ms: 500, max_ms: 15_000, factor: 2 };

/** The upper bound of the delay before attempt number `attempt` (1 is the first retry). */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.max_ms, policy.initial_ms * policy.factor ** exponent);
}

/** The delay before attempt number `attempt`; `random` returns a number in [0, 1). */
export function backoffDelayMs(
  attempt: number,
  random: () => number = Math.random,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const ceiling = backoffCeilingMs(attempt, policy);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
