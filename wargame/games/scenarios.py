"""The scenario files in settings.SCENARIOS_DIR, loaded once per change on disk."""

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from simulation import Scenario, Simulation, load_scenario


class UnknownScenario(LookupError):
    pass


@dataclass(frozen=True)
class ScenarioEntry:
    slug: str
    path: Path
    scenario: Scenario
    title: str
    summary: str
    briefing: str
    duration_s: float
    catalog: list[dict[str, Any]]

    def listing(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "summary": self.summary,
            "duration_s": self.duration_s,
        }

    def simulation(self, seed: int) -> Simulation:
        return Simulation(self.scenario, seed=seed)

    def validate_action(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """Normalised params, or ActionError naming the field."""
        return _validator(self.path, self.path.stat().st_mtime).validate_action(
            name, params
        )


def scenario_paths() -> list[Path]:
    return sorted(Path(settings.SCENARIOS_DIR).glob("*.yaml"))


def get(slug: str) -> ScenarioEntry:
    path = Path(settings.SCENARIOS_DIR) / (f"{slug}.yaml")
    if "/" in slug or slug.startswith(".") or not path.is_file():
        raise UnknownScenario(slug)
    return _load(path, path.stat().st_mtime)


def get_by_path(path: Path) -> ScenarioEntry:
    return _load(path.resolve(), path.stat().st_mtime)


def all_entries() -> list[ScenarioEntry]:
    """Every scenario that loads; one that does not raises ScenarioError."""
    return [get_by_path(path) for path in scenario_paths()]


def _text(scenario: Scenario, name: str, default: str) -> str:
    value = getattr(scenario, name, None)
    return str(value) if value else default


@functools.lru_cache(maxsize=64)
def _load(path: Path, mtime: float) -> ScenarioEntry:
    scenario = load_scenario(str(path))
    probe = Simulation(scenario, seed=0)
    return ScenarioEntry(
        slug=path.stem,
        path=path,
        scenario=scenario,
        title=_text(scenario, "title", path.stem),
        summary=_text(scenario, "summary", ""),
        briefing=_text(scenario, "briefing", ""),
        duration_s=float(probe.duration_s),
        catalog=probe.catalog(),
    )


@functools.lru_cache(maxsize=64)
def _validator(path: Path, mtime: float) -> Simulation:
    return Simulation(_load(path, mtime).scenario, seed=0)
