"""Check that every scenario file loads, and list them."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from simulation import ScenarioError
from wargame.games import scenarios


class Command(BaseCommand):
    help = "Load and validate every scenario in the scenarios directory."

    def handle(self, *args: Any, **options: Any) -> None:
        paths = scenarios.scenario_paths()
        if not paths:
            raise CommandError("no scenarios (*.yaml) found")
        failed = 0
        for path in paths:
            try:
                entry = scenarios.get_by_path(path)
            except ScenarioError as error:
                failed += 1
                self.stderr.write(f"error {path.name}: {error}")
                continue
            self.stdout.write(
                f"ok    {entry.slug}: {entry.title} ({entry.duration_s:.0f} s game, "
                f"{len(entry.catalog)} actions)"
            )
        if failed:
            raise CommandError(f"{failed} of {len(paths)} scenarios failed to load")
        self.stdout.write(f"{len(paths)} scenarios loaded")
