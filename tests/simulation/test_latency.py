"""Latency histograms: percentiles read from weighted buckets."""

from simulation.latency import LatencyHistogram


def test_percentiles_interpolate_inside_a_bucket() -> None:
    histogram = LatencyHistogram()
    histogram.add(12.0, 100)  # the (10, 15] bucket

    assert histogram.percentile_ms(0.5) == 12.5
    assert histogram.percentile_ms(0.99) == 14.95


def test_a_slow_tail_moves_p99_but_not_p50() -> None:
    histogram = LatencyHistogram()
    histogram.add(20.0, 980)
    histogram.add(1200.0, 20)

    assert histogram.percentile_ms(0.5) < 30
    assert 1000 < histogram.percentile_ms(0.99) <= 1500


def test_service_time_is_spread_into_a_tail() -> None:
    histogram = LatencyHistogram()
    histogram.add(21.0, 1000, spread_ms=20.0)

    assert histogram.percentile_ms(0.5) < 21
    assert histogram.percentile_ms(0.995) > 75


def test_an_empty_histogram_reads_zero() -> None:
    assert LatencyHistogram().percentile_ms(0.99) == 0.0


def test_subtracting_a_merged_histogram_restores_the_window() -> None:
    window, second = LatencyHistogram(), LatencyHistogram()
    window.add(40.0, 10)
    second.add(400.0, 10)

    window.merge([second])
    window.subtract(second)

    assert window.total() == 10
    assert window.percentile_ms(0.99) < 50
