from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from directory import actions


class Command(BaseCommand):
    help = (
        "Load system usages from a CSV file in the open-data format. With --dry-run, only "
        "report the bad rows. A file with any bad row changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file, change nothing."
        )
        parser.add_argument(
            "--by", default="", help="E-mail of the moderator the history names (default: none)."
        )

    def handle(self, *args: object, file: Path, dry_run: bool, by: str, **options: object) -> None:
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        user = None
        if by:
            user = User.objects.filter(email=by.lower()).first()
            if user is None:
                raise CommandError(f"No member with the e-mail address {by}.")
        report = actions.import_usages(by=user, content=content, dry_run=dry_run)
        for line, reason in report.errors:
            self.stderr.write(f"{file}:{line}: {reason}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} bad row(s); nothing was changed.")
        if dry_run:
            self.stdout.write(f"Dry run: all {report.rows} rows are valid. Nothing was changed.")
        else:
            self.stdout.write(
                f"Imported {report.rows} rows: {report.created} created, "
                f"{report.updated} updated, {report.unchanged} unchanged."
            )
