from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.loaddata import NATIONAL, Loader, Size

SIZES = {"national": 1.0, "small": 0.01}


class Command(BaseCommand):
    help = (
        "Replace the forum's content with a deterministic benchmark data set (PostgreSQL). "
        "Keeps the reference data; deletes members, topics, posts, systems and usages."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            default="national",
            help=f"national: {NATIONAL['posts']:,} posts; small: 1/100 of it.",
        )
        parser.add_argument("--scale", type=float, help="Any other fraction of the national size.")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before deleting the existing content."
        )

    def handle(
        self, *args: object, size: str, scale: float | None, seed: int, yes: bool, **options: object
    ) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("generate_load_data needs PostgreSQL: set DATABASE_URL.")
        database = connection.settings_dict["NAME"]
        if not yes:
            answer = input(f"Delete all members and content in «{database}»? [y/N] ")
            if answer.strip().lower() not in {"y", "yes", "j", "ja"}:
                raise CommandError("Cancelled.")
        chosen = Size.scaled(scale if scale is not None else SIZES[size])
        self.stdout.write(f"Generating into {database}: {chosen}")
        loader = Loader(size=chosen, seed=seed, report=lambda line: self.stdout.write(line))
        loader.run()
        self.stdout.write(self.style.SUCCESS(loader_summary(loader)))


def loader_summary(loader: Loader) -> str:
    import time

    return f"Done in {time.perf_counter() - loader.started:.0f} s."
