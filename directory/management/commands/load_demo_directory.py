from __future__ import annotations

from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory.demo import load_demo_directory


class Command(BaseCommand):
    help = (
        "Load an example system directory (real vendors and products, invented usages, all "
        "marked as example data). Development only. Run load_reference_data first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args: object, force: bool, **options: object) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development; use --force to load it anyway.")
        report = load_demo_directory()
        if report.skipped:
            self.stdout.write(f"{report.systems} example systems; example usages already loaded.")
        else:
            self.stdout.write(
                f"Loaded {report.systems} example systems and {report.usages} example usages."
            )
