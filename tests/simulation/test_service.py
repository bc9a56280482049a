"""API servers, pools and the autoscaler; right and wrong mitigations."""

from sim_helpers import run, variant

from simulation.scenario import AutoscalerSpec
from simulation.service import Autoscaler


def test_the_autoscaler_adds_replicas_when_threads_are_busy() -> None:
    game = run(180)

    assert game.metric(50, "api", "replicas") == 20
    assert game.metric(175, "api", "replicas") > 30


def test_the_autoscaler_multiplies_pools_until_the_database_refuses() -> None:
    game = run(240)

    assert game.metric(235, "db", "connections_in_use") == 297  # 300 - reserved
    assert game.metric(235, "db", "refused_rps") > 0
    assert game.metric(235, "api", "db_pool_size") > 297
    assert any(
        "too many clients" in line["text"]
        for s in range(230, 241)
        for line in game.frames[s]["logs"]
    )


def test_an_autoscaler_capped_at_what_the_db_takes_opens_no_extra_connection() -> None:
    capped = run(
        240, actions=((5, "set_autoscaler", {"enabled": True, "max_replicas": 29}),)
    )

    assert capped.most(100, 240, "api", "replicas") <= 29
    assert capped.most(100, 240, "db", "refused_rps") == 0


def test_scaling_out_past_max_connections_makes_things_worse() -> None:
    calm = variant(faults=[])
    plain = run(120, scenario=calm)
    scaled = run(120, actions=((5, "scale_api", {"replicas": 45}),), scenario=calm)

    assert scaled.metric(100, "db", "refused_rps") > 0
    assert scaled.most(60, 120, "api", "pool_timeouts_rps") > 0
    assert scaled.users(100, "error_ratio") > plain.users(100, "error_ratio")
    assert scaled.sim.score()["cost"] > plain.sim.score()["cost"]


def test_restarting_the_api_drops_work_and_capacity() -> None:
    calm = variant(faults=[])
    plain = run(60, scenario=calm)
    restarted = run(60, actions=((20, "restart_api", {}),), scenario=calm)

    assert restarted.metric(25, "api", "ready_replicas") == 0
    assert restarted.users(30, "error_ratio") > 0.9
    assert plain.users(30, "error_ratio") == 0
    assert restarted.sim.score()["score"] < plain.sim.score()["score"]


def test_replicas_come_back_after_their_startup_time() -> None:
    calm = variant(faults=[])
    restarted = run(80, actions=((20, "restart_api", {}),), scenario=calm)

    assert restarted.metric(60, "api", "ready_replicas") == 0
    assert restarted.metric(70, "api", "ready_replicas") == 20


def test_shedding_answers_a_share_fast_and_spares_the_backend() -> None:
    calm = variant(faults=[])
    plain = run(60, scenario=calm)
    shed = run(60, actions=((5, "shed_load", {"share": 0.5}),), scenario=calm)

    assert shed.metric(50, "api", "shed_rps") > 0.4 * shed.users(50, "offered_rps")
    assert shed.metric(50, "api", "served_rps") < plain.metric(50, "api", "served_rps")
    assert shed.users(50, "error_ratio") > 0


def test_dropping_expired_requests_ends_the_wasted_work() -> None:
    plain = run(170)
    dropping = run(
        170, actions=((140, "shed_load", {"share": 0.0, "drop_expired": True}),)
    )

    assert plain.metric(165, "api", "wasted_rps") > 1000
    assert dropping.most(150, 155, "api", "dropped_expired_rps") > 1000
    assert dropping.metric(165, "api", "wasted_rps") == 0
    assert dropping.users(165, "error_ratio") < plain.users(165, "error_ratio")


def test_smaller_pools_open_fewer_connections() -> None:
    game = run(90, actions=((5, "cap_db_pool", {"connections_per_replica": 5}),))

    assert game.metric(4, "db", "connections_in_use") == 200
    assert game.metric(85, "db", "connections_in_use") == 100


def test_a_pooler_multiplexes_replicas_onto_a_few_connections() -> None:
    game = run(
        200,
        actions=((5, "enable_db_pooler", {"enabled": True, "pool_size": 40}),),
    )

    assert game.metric(150, "db", "connections_in_use") == 40
    assert game.most(150, 200, "db", "refused_rps") == 0
    assert game.most(150, 200, "db", "active_queries") <= 40


def test_a_pooler_keeps_the_database_out_of_contention_in_a_stampede() -> None:
    plain = run(130)
    pooled = run(
        130,
        actions=((5, "enable_db_pooler", {"enabled": True, "pool_size": 40}),),
    )

    assert pooled.most(118, 126, "db", "query_ms") < plain.most(
        118, 126, "db", "query_ms"
    )


def test_threads_wait_for_a_connection_and_give_up_after_the_pool_timeout() -> None:
    slow_post = variant(
        **{
            "topology.api.db_pool_per_replica": 1,
            "topology.database.hot_query_time": "300ms",
        }
    )
    game = run(140, scenario=slow_post)

    assert game.metric(105, "db", "connections_in_use") == 20
    assert game.most(118, 140, "api", "db_pool_waiting") > 100
    assert game.most(118, 140, "api", "pool_timeouts_rps") > 0
    assert any(
        "HikariPool-1 - Connection is not available" in line["text"]
        for s in range(118, 141)
        for line in game.frames[s]["logs"]
    )


def test_small_pools_keep_the_database_efficient_in_a_stampede() -> None:
    plain = run(140)
    small = run(140, actions=((5, "cap_db_pool", {"connections_per_replica": 1}),))

    assert small.most(118, 140, "db", "query_ms") < 50
    assert small.users(140, "error_ratio") < plain.users(140, "error_ratio")


def test_restarted_replicas_come_back_with_cold_in_process_caches() -> None:
    calm = variant(faults=[])
    plain = run(75, scenario=calm)
    restarted = run(75, actions=((20, "restart_api", {}),), scenario=calm)

    assert restarted.metric(70, "db", "queries_rps") > 1.5 * plain.metric(
        70, "db", "queries_rps"
    )


def test_the_autoscaler_waits_out_its_window_before_scaling_down() -> None:
    autoscaler = Autoscaler(AutoscalerSpec(), tick_s=0.1)
    autoscaler.sample(1.0)
    assert autoscaler.recommend(20, tick=150) == 34
    autoscaler.sample(0.1)
    assert autoscaler.recommend(34, tick=300) is None  # 34 was asked < 5 min ago
    autoscaler.sample(0.1)
    assert autoscaler.recommend(34, tick=3200) == 20


def test_a_full_backlog_refuses_new_requests_fast_and_clients_retry_them() -> None:
    game = run(140)

    limit = game.metric(135, "api", "queue_limit")
    assert limit == game.metric(135, "api", "ready_replicas") * 1024
    assert game.most(120, 140, "api", "queue") <= limit
    assert game.metric(135, "api", "rejected_rps") > 1000
    assert game.metric(135, "clients", "retry_ratio") > 1


def test_a_restart_loses_the_queue_and_refuses_until_replicas_are_back() -> None:
    game = run(160, actions=((130, "restart_api", {}),))

    assert game.metric(129, "api", "queue") > 10000
    assert game.metric(132, "api", "queue") == 0
    assert game.metric(140, "api", "queue_limit") == 0
    assert game.metric(140, "api", "rejected_rps") > 1000


def test_replicas_removed_take_their_share_of_the_queue_with_them() -> None:
    game = run(140, actions=((130, "scale_api", {"replicas": 10}),))

    assert game.metric(134, "api", "queue") > 15000
    assert game.metric(137, "api", "ready_replicas") == 10
    assert game.metric(137, "api", "queue") <= 10 * 1024
