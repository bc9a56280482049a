"""Celebrity post, no action: the incident's causal chain, as players see it.

With the scenario's own numbers and nobody acting, the frames must tell the
story in order: (a) the hot key's misses overload the database, (b) the API's
threads block on it and its queue grows, (c) client retries keep the system
down after the surge has passed, (d) the autoscaler's new replicas open more
connections than the database takes. Each step is read from frames only.
"""

from typing import Any

from sim_helpers import run, variant

from simulation import Simulation

GAME_S = 900
BASELINE_RPS = 6000
DB_CORES = 16
BASE_QUERY_MS = 8.0


def metric(frame: dict[str, Any], component: str, name: str) -> float:
    for entry in frame["components"]:
        if entry["id"] == component:
            return float(entry["metrics"][name])
    raise KeyError(component)


def tick_frames(first_s: int, last_s: int) -> list[dict[str, Any]]:
    """Frames at every tick of a window: the finest a player could be sent."""
    sim = Simulation(variant(), seed=1)
    sim.advance_to(first_s * sim.ticks_per_second)
    frames = []
    for tick in range(first_s * sim.ticks_per_second, last_s * sim.ticks_per_second):
        sim.advance_to(tick + 1)
        frames.append(sim.frame())
    return frames


def first_second(condition: Any, first: int = 1, last: int = GAME_S) -> int:
    """The first game second whose frame meets `condition` (or a failure)."""
    game = run(GAME_S)
    for second in range(first, last + 1):
        if condition(game.frames[second]):
            return second
    raise AssertionError("never happened")


def db_overloaded(frame: dict[str, Any]) -> bool:
    return (
        metric(frame, "db", "active_queries") > DB_CORES
        and metric(frame, "cache", "hot_key_misses_rps") > 0
    )


def threads_blocked_on_db(frame: dict[str, Any]) -> bool:
    threads = metric(frame, "api", "threads")
    return (
        metric(frame, "api", "threads_blocked_on_db") >= threads / 2
        and metric(frame, "api", "queue") > threads
    )


def retry_storm(frame: dict[str, Any]) -> bool:
    return (
        metric(frame, "clients", "retry_ratio") >= 1.0
        and frame["users"]["error_ratio"] > 0.5
    )


def refusing(frame: dict[str, Any]) -> bool:
    return metric(frame, "db", "refused_rps") > 0


def test_all_is_well_until_the_post() -> None:
    """Before the post, users succeed, nothing queues and no line is logged."""
    game = run(GAME_S)

    for second in range(5, 60):
        frame = game.frames[second]
        assert frame["users"]["error_ratio"] == 0
        assert metric(frame, "api", "queue") == 0
        assert metric(frame, "api", "db_pool_waiting") == 0
        assert frame["logs"] == []


def test_the_hot_key_misses_overload_the_database_before_threads_block() -> None:
    """The database is overloaded by hot-key misses before the API queues.

    Tick by tick around the key's expiry: first the key misses and the
    database runs more queries than it has cores; only then are half the
    API's threads blocked on it, with a queue longer than its threads.
    """
    frames = tick_frames(115, 125)

    overloaded = next(i for i, f in enumerate(frames) if db_overloaded(f))
    blocked = next(i for i, f in enumerate(frames) if threads_blocked_on_db(f))

    assert overloaded < blocked
    assert all(metric(f, "api", "queue") == 0 for f in frames[:overloaded])


def test_blocked_threads_wait_on_the_pool_while_the_database_is_slow() -> None:
    """When the API starts queueing, its threads wait on pool connections.

    In that second the database's queries take many times their usual time,
    every connection of the pools is busy, and requests wait for one.
    """
    second = first_second(threads_blocked_on_db)
    frame = run(GAME_S).frames[second]

    assert metric(frame, "db", "query_ms") > 10 * BASE_QUERY_MS
    assert metric(frame, "api", "db_pool_in_use") == metric(
        frame, "api", "db_pool_size"
    )
    assert run(GAME_S).most(second - 1, second + 1, "api", "db_pool_waiting") > 0


def test_then_retries_multiply_the_load_and_the_queue_fills() -> None:
    """After the threads block, timed-out clients retry and the queue fills.

    The retry storm starts after the database overload and the blocked
    threads; the queue reaches its bound and new requests are refused fast,
    which the clients retry too.
    """
    overloaded = first_second(db_overloaded)
    blocked = first_second(threads_blocked_on_db)
    storm = first_second(retry_storm)
    game = run(GAME_S)

    assert overloaded <= blocked < storm
    # Read after the tick's threads took their share of the full queue.
    assert game.metric(storm + 5, "api", "queue") >= 0.9 * game.metric(
        storm + 5, "api", "queue_limit"
    )
    assert game.metric(storm + 5, "api", "rejected_rps") > 0


def test_retries_keep_the_system_down_after_the_surge_has_passed() -> None:
    """With first tries back near the baseline, errors and retries stay high.

    The queue holds requests longer than the client timeout, so the API
    serves requests whose clients already left (wasted work) while the
    clients retry each failure.
    """
    game = run(GAME_S)

    for second in range(360, 480, 10):
        assert game.metric(second, "clients", "first_tries_rps") < 1.15 * BASELINE_RPS
        assert game.users(second, "error_ratio") > 0.5
        assert game.metric(second, "clients", "retry_ratio") > 1.0
        assert game.metric(second, "api", "oldest_wait_ms") > 1000
        assert game.metric(second, "api", "wasted_rps") > 0


def test_the_autoscaler_then_multiplies_pools_until_the_database_refuses() -> None:
    """Last, the autoscaler's replicas ask for more connections than allowed.

    Refusals start only after the retry storm, once more replicas are ready
    than max_connections has room for; their pools then wait in vain.
    """
    storm = first_second(retry_storm)
    refused = first_second(refusing)
    game = run(GAME_S)
    frame = game.frames[refused + 15]

    assert storm < refused
    assert game.metric(storm, "api", "replicas") <= 30
    assert metric(frame, "db", "connections_in_use") == 297  # 300 - reserved
    assert metric(frame, "api", "db_pool_size") > 297
    assert game.most(refused, refused + 30, "api", "db_pool_waiting") > 100
    assert any(
        "too many clients" in line["text"]
        for second in range(refused, refused + 10)
        for line in game.frames[second]["logs"]
    )
