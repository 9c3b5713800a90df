from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import actions
from accounts.enhetsregisteret import RegistryFileError, read_units


class Command(BaseCommand):
    help = (
        "Record the municipalities' organisation numbers from an Enhetsregisteret file "
        "(Brønnøysundregistrene, NLOD) as published: JSON or CSV, optionally gzip. "
        "Municipalities are matched by kommunenummer; see README.md for where to get the file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args: object, file: Path, dry_run: bool, **options: object) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            report = actions.import_registry_numbers(units=read_units(file), dry_run=dry_run)
        except RegistryFileError as exc:
            raise CommandError(f"{file}: {exc}") from None
        for line in report.recorded:
            self.stdout.write(f"  {line}")
        for line in report.problems:
            self.stderr.write(f"  skipped: {line}")
        verb = "would be recorded" if dry_run else "recorded"
        self.stdout.write(
            f"Organisation numbers: {len(report.recorded)} {verb}, {report.unchanged} unchanged, "
            f"{len(report.problems)} skipped."
        )
