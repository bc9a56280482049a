"""The user-facing apps: demand, timeouts, retries and their policy.

Clients send cohorts: all the requests of one kind that the apps send in one
tick as the same attempt. A cohort waits for its answers until its deadline
(the client timeout); what has not been answered by then times out at the
client, and the client retries it like an error. Retries are real extra load:
they come back as new cohorts, after the backoff of the policy the client
runs. A new retry policy reaches the apps gradually, each on its next app
start or config refresh.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from simulation.scenario import ClientsSpec, PostSurgeFault
from simulation.signals import TickRecord

# The longest a client waits before a retry, whatever the backoff says: the
# usual cap in retry libraries (gRPC: 120 s; mobile SDKs: 10-30 s).
MAX_BACKOFF_S = 20.0
# How finely jittered retries are spread over the ticks of their window.
JITTER_SLICES = 8
# How many seconds of first tries a retry budget may save up (Finagle: 10 s).
BUDGET_WINDOW_S = 10.0


class Cohort:
    """Requests of one kind sent in one tick as the same attempt."""

    __slots__ = ("tick", "origin_tick", "attempt", "hot", "size", "pending")

    def __init__(
        self, tick: int, origin_tick: float, attempt: int, hot: bool, size: float
    ) -> None:
        self.tick = tick
        self.origin_tick = origin_tick  # mean tick of the users' first tries
        self.attempt = attempt  # 0 for first tries
        self.hot = hot  # reads the hot key
        self.size = size
        self.pending = size  # still waiting for an answer at the client


@dataclass(frozen=True)
class RetryPolicy:
    """How a client retries after an error or a timeout."""

    max_retries: int
    backoff: str  # none | exponential | exponential_jitter
    base_s: float
    budget_ratio: float | None

    def delay_window_s(self, attempt: int) -> tuple[float, float]:
        """Earliest and latest delay before retrying a failed `attempt`."""
        delay = self.base_s
        if self.backoff != "none":
            delay = self.base_s * 2**attempt
        delay = min(delay, MAX_BACKOFF_S)
        if self.backoff == "exponential_jitter":
            return 0.0, delay
        return delay, delay


class AppGroup:
    """The apps running one retry policy: their share, and their retry budget."""

    __slots__ = ("policy", "share", "tokens")

    def __init__(self, policy: RetryPolicy, share: float) -> None:
        self.policy = policy
        self.share = share  # of all apps
        self.tokens = 0.0  # retries the budget allows now

    def earn(self, first_tries: float, tick_s: float) -> None:
        """Each first try earns `budget_ratio` of a retry, up to a window's worth."""
        ratio = self.policy.budget_ratio
        if ratio is None:
            return
        mine = first_tries * self.share
        cap = mine / tick_s * BUDGET_WINDOW_S * ratio
        self.tokens = min(self.tokens + mine * ratio, cap)

    def allow(self, retries: float) -> float:
        """How many of `retries` the budget lets through (and spend them)."""
        if self.policy.budget_ratio is None:
            return retries
        allowed = min(retries, self.tokens)
        self.tokens -= allowed
        return allowed


class Surge:
    """Extra first tries after a post: a linear rise, then exponential decay."""

    __slots__ = ("start_tick", "peak_rps", "rise_s", "decay_s", "tick_s")

    def __init__(self, fault: PostSurgeFault, start_tick: int, tick_s: float) -> None:
        total = fault.followers * fault.open_ratio * fault.requests_per_open
        self.peak_rps = total / (fault.rise / 2 + fault.decay)
        self.start_tick = start_tick
        self.rise_s = fault.rise
        self.decay_s = fault.decay
        self.tick_s = tick_s

    def rate_rps(self, tick: int) -> float:
        """Requests per second this surge adds at `tick`."""
        elapsed_s = (tick - self.start_tick) * self.tick_s
        if elapsed_s < 0:
            return 0.0
        if elapsed_s < self.rise_s:
            return self.peak_rps * elapsed_s / self.rise_s
        return self.peak_rps * math.exp(-(elapsed_s - self.rise_s) / self.decay_s)


class ClientPopulation:
    """All the apps: what they send each tick and how they react to failure."""

    def __init__(self, spec: ClientsSpec, tick_s: float, rng: random.Random) -> None:
        self.spec = spec
        self.tick_s = tick_s
        self.rng = rng
        self.timeout_ms = spec.timeout * 1000
        self.timeout_ticks = max(1, round(spec.timeout / tick_s))
        policy = RetryPolicy(
            spec.max_retries,
            spec.retry_backoff,
            spec.retry_base,
            spec.retry_budget_ratio,
        )
        self.current = AppGroup(policy, 1.0)  # apps on the policy in force
        self.updated = AppGroup(policy, 0.0)  # apps that picked up a new one
        self.surges: list[Surge] = []
        self._retries: dict[int, dict[tuple[bool, int], list[float]]] = {}
        self._deadlines: dict[int, list[Cohort]] = {}

    def add_surge(self, surge: Surge) -> None:
        """Start a post's surge of first tries."""
        self.surges.append(surge)

    def start_policy(self, policy: RetryPolicy) -> None:
        """Begin rolling out a retry policy; apps pick it up over time."""
        # Limitation: a policy published while another is still rolling out
        # replaces it; apps are taken to run whichever of the two most of
        # them ran. Real fleets would run three versions for a while.
        if self.updated.share >= 0.5:
            self.current = AppGroup(self.updated.policy, 1.0)
            self.current.tokens = self.updated.tokens
        self.updated = AppGroup(policy, 0.0)
        self.current.share = 1.0

    def roll_out(self, share: float) -> None:
        """`share` of the apps now run the policy being rolled out."""
        self.updated.share = share
        self.current.share = 1.0 - share

    def rollout_ratio(self) -> float:
        """Share of the apps running the latest published policy."""
        return self.updated.share

    def arrivals(self, tick: int, record: TickRecord) -> list[Cohort]:
        """The cohorts the apps send this tick: first tries, then due retries."""
        noise = max(0.0, 1.0 + self.rng.gauss(0.0, self.spec.noise_ratio))
        ordinary = self.spec.baseline_rps * noise * self.tick_s
        hot = sum(surge.rate_rps(tick) for surge in self.surges) * self.tick_s
        for group in (self.current, self.updated):
            group.earn(ordinary + hot, self.tick_s)
        record.first_tries += ordinary + hot
        cohorts = [Cohort(tick, tick, 0, False, ordinary)]
        if hot > 0:
            cohorts.append(Cohort(tick, tick, 0, True, hot))
        for (is_hot, attempt), (size, origin_sum) in self._retries.pop(
            tick, {}
        ).items():
            cohorts.append(Cohort(tick, origin_sum / size, attempt, is_hot, size))
            record.retries += size
        self._deadlines[tick + self.timeout_ticks] = cohorts
        record.attempts += sum(cohort.size for cohort in cohorts)
        return cohorts

    def expire(self, tick: int, record: TickRecord) -> None:
        """Time out, at the client, whatever of a cohort is still unanswered."""
        for cohort in self._deadlines.pop(tick, ()):
            if cohort.pending > 0:
                size = cohort.pending
                cohort.pending = 0.0
                record.timeouts += size
                self._failed(cohort, size, tick, self.timeout_ms, record)

    def answer(
        self,
        cohort: Cohort,
        size: float,
        ok: bool,
        tick: int,
        attempt_ms: float,
        record: TickRecord,
        spread_ms: float = 0.0,
    ) -> None:
        """Deliver answers to `size` requests of a cohort.

        1. After the client gave up, the answer is wasted work.
        2. A success within the timeout is the user's final outcome.
        3. An error (or a success slower than the timeout) is a failed attempt.
        """
        if cohort.pending <= 0:
            record.wasted += size
            return
        if size > cohort.pending:
            record.wasted += size - cohort.pending
            size = cohort.pending
        cohort.pending -= size
        if ok and attempt_ms <= self.timeout_ms:
            waited_ms = (cohort.tick - cohort.origin_tick) * self.tick_s * 1000
            record.final(size, True, waited_ms + attempt_ms, spread_ms)
            return
        if ok:
            record.timeouts += size
            attempt_ms = self.timeout_ms
        self._failed(cohort, size, tick, attempt_ms, record)

    def _failed(
        self,
        cohort: Cohort,
        size: float,
        tick: int,
        attempt_ms: float,
        record: TickRecord,
    ) -> None:
        """Retry what each policy allows; the rest fails for the user."""
        gave_up = 0.0
        for group in (self.current, self.updated):
            part = size * group.share
            if part <= 0:
                continue
            if cohort.attempt >= group.policy.max_retries:
                gave_up += part
                continue
            allowed = group.allow(part)
            gave_up += part - allowed
            self._schedule(cohort, allowed, tick, group.policy)
        if gave_up > 0:
            waited_ms = (cohort.tick - cohort.origin_tick) * self.tick_s * 1000
            record.final(gave_up, False, waited_ms + attempt_ms)

    def _schedule(
        self, cohort: Cohort, size: float, tick: int, policy: RetryPolicy
    ) -> None:
        if size <= 0:
            return
        low_s, high_s = policy.delay_window_s(cohort.attempt)
        low = max(1, round(low_s / self.tick_s))
        high = max(low, round(high_s / self.tick_s))
        slices = min(JITTER_SLICES, high - low + 1)
        key = (cohort.hot, cohort.attempt + 1)
        for index in range(slices):
            offset = low + round((index + 0.5) * (high - low) / slices)
            due = self._retries.setdefault(tick + offset, {})
            entry = due.setdefault(key, [0.0, 0.0])
            entry[0] += size / slices
            entry[1] += size / slices * cohort.origin_tick
