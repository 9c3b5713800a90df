from __future__ import annotations

import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from ops import backup


class Command(BaseCommand):
    help = "Write a backup of the whole database to a file (pg_dump custom format, or SQLite)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="Where to write it (default: backups/reformforum-<time>.<dump|sqlite3>).",
        )

    def handle(self, *args, path: str | None = None, **options) -> None:
        if path is None:
            suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
            path = f"backups/reformforum-{timezone.now():%Y%m%d-%H%M%S}.{suffix}"
        try:
            written = backup.backup(Path(path))
        except subprocess.CalledProcessError as exc:
            raise CommandError(exc.stderr.decode(errors="replace")) from exc
        size = written.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written to {written} ({size} bytes)"))
