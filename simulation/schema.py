"""The JSON schema of scenario files, and a command to check scenario files.

scenarios/schema.json is generated from the pydantic models in
simulation/scenario.py (editors use it to complete and check YAML). A test
fails when it is out of date; regenerate it on purpose with:

    .venv/bin/python -m simulation.schema --write

With file names, the command validates those scenario files and prints each
problem the way the server would report it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from simulation.scenario import (
    Scenario,
    ScenarioError,
    format_duration,
    load_scenario,
)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "scenarios" / "schema.json"
DURATION_PATTERN = r"^\d+(\.\d+)?(ms|s|m|min|h)$"  # as in scenario.Duration


def json_schema() -> dict[str, Any]:
    """The JSON schema of a scenario file, durations' defaults as strings."""
    schema = Scenario.model_json_schema(mode="validation")
    definitions: dict[str, Any] = {**schema.get("$defs", {}), "Scenario": schema}
    for definition in definitions.values():
        for prop in definition.get("properties", {}).values():
            if "default" in prop:
                prop["default"] = _written(prop["default"], prop, definitions)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "wargame scenario"
    return schema


def _written(value: Any, prop: dict[str, Any], definitions: dict[str, Any]) -> Any:
    """A default value the way a scenario file writes it (durations as '60s')."""
    if prop.get("pattern") == DURATION_PATTERN and isinstance(value, int | float):
        return format_duration(float(value))
    reference = prop.get("$ref", "").rsplit("/", 1)[-1]
    if isinstance(value, dict) and reference in definitions:
        properties = definitions[reference].get("properties", {})
        return {
            key: _written(item, properties.get(key, {}), definitions)
            for key, item in value.items()
        }
    return value


def schema_text() -> str:
    """`json_schema()` as the exact text stored in scenarios/schema.json."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Validate scenario files, or rewrite scenarios/schema.json."""
    parser = argparse.ArgumentParser(description="Check scenario files.")
    parser.add_argument("files", nargs="*", help="scenario files to validate")
    parser.add_argument(
        "--write", action="store_true", help="rewrite scenarios/schema.json"
    )
    args = parser.parse_args(argv)
    if args.write:
        SCHEMA_PATH.write_text(schema_text())
        print(f"wrote {SCHEMA_PATH}")
    failed = 0
    for name in args.files:
        try:
            load_scenario(name)
        except ScenarioError as error:
            failed += 1
            print(error)
            continue
        print(f"ok {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
