"""Clients: the post's surge, timeouts, and retries as real extra load."""

from sim_helpers import run, variant

from simulation.clients import RetryPolicy

JITTERED_BUDGET = {
    "max_retries": 2,
    "backoff": "exponential_jitter",
    "base_ms": 200,
    "budget_ratio": 0.1,
}


def test_the_post_brings_a_surge_of_reads_of_one_key() -> None:
    game = run(110)

    assert game.metric(50, "cache", "hot_key_rps") == 0
    assert game.metric(105, "cache", "hot_key_rps") > 4000
    assert game.users(105, "offered_rps") > 1.5 * game.users(50, "offered_rps")


def test_timeouts_come_back_as_retries_that_multiply_the_load() -> None:
    game = run(140)

    first_tries = game.metric(135, "clients", "first_tries_rps")
    assert game.metric(135, "clients", "timeouts_rps") > first_tries
    assert game.metric(135, "clients", "attempts_rps") > 3 * first_tries


def test_the_system_stays_down_after_the_surge_has_passed() -> None:
    game = run(420)

    assert game.users(415, "offered_rps") < 7000  # back near the baseline
    assert game.users(415, "error_ratio") > 0.9  # still failing: metastable
    assert game.metric(415, "clients", "retries_rps") > 2 * game.users(
        415, "offered_rps"
    )


def test_backoff_with_jitter_and_a_budget_cuts_retries() -> None:
    plain = run(200)
    careful = run(200, actions=((5, "client_retry_policy", JITTERED_BUDGET),))

    first_tries = careful.metric(190, "clients", "first_tries_rps")
    assert careful.metric(190, "clients", "retries_rps") <= 0.12 * first_tries
    assert plain.metric(190, "clients", "retries_rps") > 2 * first_tries


def test_a_new_retry_policy_reaches_the_apps_gradually() -> None:
    game = run(200, actions=((10, "client_retry_policy", JITTERED_BUDGET),))

    assert game.metric(15, "clients", "retry_policy_rollout_ratio") == 0
    assert 0.2 < game.metric(100, "clients", "retry_policy_rollout_ratio") < 0.8
    assert game.metric(180, "clients", "retry_policy_rollout_ratio") == 1


def test_exponential_backoff_doubles_the_delay_and_jitter_spreads_it() -> None:
    plain = RetryPolicy(3, "exponential", 0.1, None)
    jittered = RetryPolicy(3, "exponential_jitter", 0.1, None)

    assert plain.delay_window_s(0) == (0.1, 0.1)
    assert plain.delay_window_s(2) == (0.4, 0.4)
    assert jittered.delay_window_s(2) == (0.0, 0.4)


def test_a_retry_budget_in_the_scenario_holds_from_the_start() -> None:
    budgeted = variant(**{"topology.clients.retry_budget_ratio": 0.1})
    game = run(140, scenario=budgeted)

    seconds = range(120, 141)
    retries = sum(game.metric(s, "clients", "retries_rps") for s in seconds)
    first_tries = sum(game.metric(s, "clients", "first_tries_rps") for s in seconds)
    assert retries <= 0.1 * first_tries + 0.1 * 10 * 10000  # plus 10 s saved up
