import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command


def test_it_loads_every_scenario() -> None:
    out = io.StringIO()
    call_command("load_scenarios", stdout=out)
    assert "ok    celebrity-post" in out.getvalue()


def test_a_broken_scenario_is_named(settings: Any, tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("title: 5\nduration: soon\n")
    settings.SCENARIOS_DIR = tmp_path
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 scenarios failed"):
        call_command("load_scenarios", stderr=err)
    assert "broken.yaml" in err.getvalue()
