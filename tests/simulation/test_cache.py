"""The hot key: stampede on expiry, and the cures that change the mechanism."""

from sim_helpers import run, variant

from simulation.cache import Cache
from simulation.scenario import CacheSpec

# The post goes out at 60 s; its key is first filled just after and expires
# on its 60 s TTL, at the peak of the surge, a little after 120 s.
EXPIRY_WINDOW = (118, 126)


def test_ttl_expiry_sends_a_stampede_of_hot_key_misses_to_the_database() -> None:
    game = run(130)

    before = game.most(100, 115, "cache", "hot_key_misses_rps")
    stampede = game.most(*EXPIRY_WINDOW, "cache", "hot_key_misses_rps")

    assert before < 5
    assert stampede > 300  # one per API thread: each miss blocks its thread
    assert game.most(*EXPIRY_WINDOW, "db", "query_ms") > 100


def test_coalescing_cuts_db_queries_on_hot_key_miss() -> None:
    plain = run(130)
    coalesced = run(130, actions=((70, "enable_coalescing", {}),))

    assert coalesced.most(*EXPIRY_WINDOW, "cache", "hot_key_misses_rps") < 20
    assert coalesced.most(*EXPIRY_WINDOW, "db", "hot_queries_rps") < 20
    assert plain.most(*EXPIRY_WINDOW, "cache", "hot_key_misses_rps") > 300
    assert coalesced.most(*EXPIRY_WINDOW, "cache", "coalesced_rps") > 0


def test_serve_stale_answers_from_the_stale_copy_while_one_read_refreshes() -> None:
    plain = run(130)
    stale = run(130, actions=((70, "serve_stale", {"enabled": True}),))

    assert stale.least(*EXPIRY_WINDOW, "cache", "hot_key_hit_ratio") > 0.99
    assert stale.most(*EXPIRY_WINDOW, "cache", "stale_served_rps") > 0
    assert plain.least(*EXPIRY_WINDOW, "cache", "hot_key_hit_ratio") < 0.9


def test_prewarm_refreshes_the_hot_key_before_it_expires() -> None:
    plain = run(190)
    prewarmed = run(190, actions=((70, "prewarm_hot_key", {}),))

    assert prewarmed.most(110, 190, "cache", "hot_key_misses_rps") == 0
    assert prewarmed.least(110, 190, "cache", "hot_key_hit_ratio") > 0.99
    assert plain.most(110, 190, "cache", "hot_key_misses_rps") > 300


def test_invalidation_keeps_a_stale_copy_but_a_node_restart_does_not() -> None:
    cache = Cache(CacheSpec(), 0.5, 60.0, 0.1)
    cache.fill(cache.hot.generation, tick=0)

    cache.invalidate(tick=10)
    assert not cache.hot.is_fresh(11)
    assert cache.hot.has_stale(11)

    cache.flush_node()
    assert not cache.hot.has_stale(11)


def test_a_fill_read_before_an_invalidation_is_not_stored() -> None:
    cache = Cache(CacheSpec(), 0.5, 60.0, 0.1)
    generation = cache.hot.generation

    cache.invalidate(tick=5)

    assert not cache.fill(generation, tick=6)
    assert not cache.hot.is_fresh(7)


def test_a_saturated_cache_node_turns_hot_reads_into_misses() -> None:
    small_nodes = variant(**{"topology.cache.node_capacity_rps": 3000})
    game = run(100, scenario=small_nodes)

    assert game.most(80, 100, "cache", "utilisation_ratio") == 1.0
    assert game.metric(95, "cache", "errors_rps") > 0
    assert game.metric(95, "cache", "hot_key_misses_rps") > 0
