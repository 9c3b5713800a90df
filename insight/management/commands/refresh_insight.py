import datetime

from django.core.management.base import BaseCommand

from insight import actions
from insight.tasks import refresh_figures_task


class Command(BaseCommand):
    help = "Work out the counts of the status pages again (queued for the worker, or --now)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", action="store_true", help="Run here instead of queueing.")
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            help="Count the weeks up to this day (YYYY-MM-DD), for a copy of old data; "
            "implies --now.",
        )

    def handle(
        self, *args, now: bool = False, until: datetime.date | None = None, **options
    ) -> None:
        if now or until:
            refresh = actions.refresh_figures(until=until)
            self.stdout.write(f"Counts refreshed in {refresh.seconds:.2f} s.")
        else:
            refresh_figures_task.enqueue()
            self.stdout.write("Refresh queued for the worker.")
