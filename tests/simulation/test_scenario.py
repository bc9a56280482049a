"""Scenario files: loading, defaults, and errors that say where and why."""

from pathlib import Path

import pytest
import yaml
from sim_helpers import CELEBRITY_POST, SCENARIOS

from simulation import ScenarioError, list_scenarios, load_scenario
from simulation.scenario import Scenario, parse_duration
from simulation.schema import SCHEMA_PATH, schema_text


def write(tmp_path: Path, document: object, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document))
    return path


def celebrity_post_with(**changes: object) -> dict[str, object]:
    document = yaml.safe_load(CELEBRITY_POST.read_text())
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node = document
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    return document


def error_of(path: Path) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return str(caught.value)


def test_celebrity_post_loads_with_units_converted() -> None:
    scenario = load_scenario(CELEBRITY_POST)

    assert scenario.slug == "celebrity-post"
    assert scenario.duration == 900.0
    assert scenario.tick == 0.1
    assert scenario.topology.cache.ttl == 60.0
    assert scenario.topology.api.service_time == 0.02
    assert len(scenario.faults) == 4


def test_durations_need_their_unit() -> None:
    assert parse_duration("500ms") == 0.5
    assert parse_duration("2m") == 120.0
    with pytest.raises(ValueError):
        parse_duration("60")
    with pytest.raises(ValueError):
        parse_duration(60)


def test_a_minimal_scenario_takes_every_default() -> None:
    scenario = Scenario.model_validate({"title": "Quiet evening"})

    assert scenario.duration == 900.0
    assert scenario.topology.database.max_connections == 300
    assert scenario.faults == []
    assert "scale_api" in scenario.mitigations


def test_error_names_file_field_and_expected_duration(tmp_path: Path) -> None:
    path = write(tmp_path, celebrity_post_with(**{"topology.cache.ttl": "sixty"}))

    message = error_of(path)

    assert str(path) in message
    assert "topology.cache.ttl" in message
    assert "'60s'" in message
    assert "sixty" in message


def test_error_names_the_fault_by_its_index(tmp_path: Path) -> None:
    path = write(tmp_path, celebrity_post_with(**{"faults.1.every_min": "soon"}))

    message = error_of(path)

    assert "faults[1].every_min" in message
    assert "duration" in message


def test_error_lists_the_fault_kinds_expected(tmp_path: Path) -> None:
    path = write(tmp_path, celebrity_post_with(**{"faults.0.kind": "meteor"}))

    message = error_of(path)

    assert "faults[0]" in message
    assert "post_surge" in message and "meteor" in message


def test_error_names_an_unknown_field(tmp_path: Path) -> None:
    path = write(tmp_path, celebrity_post_with(**{"topology.api.replicaz": 3}))

    assert "topology.api.replicaz: unknown field" in error_of(path)


def test_error_names_a_number_out_of_range(tmp_path: Path) -> None:
    path = write(tmp_path, celebrity_post_with(**{"slo.availability_ratio": 99.9}))

    message = error_of(path)

    assert "slo.availability_ratio" in message
    assert "less than or equal to 1" in message


def test_error_names_an_unknown_mitigation(tmp_path: Path) -> None:
    path = write(tmp_path, celebrity_post_with(mitigations=["scale_api", "pray"]))

    message = error_of(path)

    assert "mitigations[1]" in message
    assert "'restart_api'" in message


def test_error_names_a_missing_field(tmp_path: Path) -> None:
    path = write(tmp_path, {"summary": "no title"})

    assert error_of(path) == f"{path}: title: required field is missing"


def test_error_for_yaml_that_does_not_parse_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("title: x\nfaults: [\n")

    message = error_of(path)

    assert message.startswith(f"{path}: line ")
    assert "Traceback" not in message


def test_error_for_a_missing_file_names_it(tmp_path: Path) -> None:
    assert "cannot read" in error_of(tmp_path / "nowhere.yaml")


def test_list_scenarios_gives_the_lobby_what_it_shows(tmp_path: Path) -> None:
    write(tmp_path, {"summary": "invalid"}, "broken.yaml")
    write(tmp_path, {"title": "Quiet", "duration": "5m"}, "quiet.yaml")

    assert list_scenarios(tmp_path) == [
        {"slug": "quiet", "title": "Quiet", "summary": "", "duration_s": 300.0}
    ]
    assert [entry["slug"] for entry in list_scenarios(SCENARIOS)] == ["celebrity-post"]


def test_every_field_of_the_schema_has_a_description_and_a_default() -> None:
    for model in Scenario.model_fields.values():
        assert model.description
    schema = Scenario.model_json_schema()
    for definition in schema["$defs"].values():
        for name, prop in definition.get("properties", {}).items():
            if name in {"kind", "at", "until"}:
                continue  # a fault states its kind and time
            assert prop.get("description"), name
            assert "default" in prop, name


def test_schema_json_is_up_to_date() -> None:
    """Regenerate on purpose with `.venv/bin/python -m simulation.schema --write`."""
    assert SCHEMA_PATH.read_text() == schema_text()


def test_the_scenario_guide_documents_every_field() -> None:
    guide = (SCENARIOS.parent / "docs" / "scenarios.md").read_text()
    schema = Scenario.model_json_schema()
    definitions = [schema, *schema["$defs"].values()]

    for definition in definitions:
        for name in definition.get("properties", {}):
            assert f"`{name}`" in guide, name
