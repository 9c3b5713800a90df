from __future__ import annotations

import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops import backup


class Command(BaseCommand):
    help = "Replace the whole database with a backup written by `manage.py backup`."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask; everything now stored is replaced."
        )

    def handle(self, *args, path: str, yes: bool = False, **options) -> None:
        if not yes:
            answer = input(f"Replace everything in the database with {path}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            backup.restore(Path(path))
        except FileNotFoundError as exc:
            raise CommandError(f"No such backup: {path}") from exc
        except subprocess.CalledProcessError as exc:
            raise CommandError(exc.stderr.decode(errors="replace")) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}"))
