"""Seeded golden runs of celebrity-post, compared with the saved files.

When a change to the model is meant to change these numbers, regenerate the
files on purpose and review the diff:

    .venv/bin/python -m simulation.golden --write
"""

import json

import pytest

from simulation.golden import GOLDEN_RUNS, golden_path, golden_run


@pytest.mark.parametrize(("slug", "seed", "policy_name"), GOLDEN_RUNS)
def test_golden_run_matches_the_saved_file(
    slug: str, seed: int, policy_name: str
) -> None:
    saved = json.loads(golden_path(slug, seed, policy_name).read_text())

    assert golden_run(slug, seed, policy_name) == saved
