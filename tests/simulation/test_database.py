"""The database: connections and query time under load."""

from simulation.database import HOT, Database
from simulation.scenario import DatabaseSpec
from simulation.signals import TickRecord

TICK_S = 0.1


def loaded_database(queries: int, connections: int) -> tuple[Database, TickRecord]:
    database = Database(DatabaseSpec(), pool_timeout_s=1.0, tick_s=TICK_S)
    database.connect(connections, 0)
    database.submit(None, float(queries), HOT, 0, 0)
    record = TickRecord(1000.0)
    database.step(0, record)
    return database, record


def test_query_time_grows_superlinearly_past_the_cores() -> None:
    few, _ = loaded_database(16, 300)  # ~5 at once: under the 16 cores
    many, _ = loaded_database(200, 300)  # ~60 at once
    crowd, _ = loaded_database(400, 300)  # ~120 at once

    assert few.slowdown == 1.0
    assert many.slowdown > many.active / 16
    assert crowd.slowdown / many.slowdown > crowd.active / many.active


def test_throughput_falls_when_too_many_queries_run_at_once() -> None:
    _, capped = loaded_database(2000, 40)
    _, crowded = loaded_database(2000, 297)

    assert capped.db_queries > crowded.db_queries


def test_connections_past_the_maximum_are_refused() -> None:
    database = Database(DatabaseSpec(), pool_timeout_s=1.0, tick_s=TICK_S)

    starved = database.connect(400, 0)

    assert database.connections() == 297
    assert database.missing_connections == 103
    assert round(starved, 3) == round(103 / 400, 3)
    assert database.refused_per_tick() > 0


def test_open_connections_stay_open_when_more_are_wanted() -> None:
    database = Database(DatabaseSpec(), pool_timeout_s=1.0, tick_s=TICK_S)
    database.connect(200, 0)

    database.connect(200, 40)

    assert database.granted_direct == 200
    assert database.pooler_connections == 40
    assert database.connections() == 240


def test_queries_waiting_past_the_pool_timeout_fail() -> None:
    database = Database(DatabaseSpec(), pool_timeout_s=1.0, tick_s=TICK_S)
    database.connect(0, 0)
    database.submit(None, 10.0, HOT, 0, 0)

    timed_out = []
    for tick in range(12):
        timed_out += database.step(tick, TickRecord(1000.0)).timed_out

    assert sum(size for _, size in timed_out) == 10.0
    assert database.queued == 0
