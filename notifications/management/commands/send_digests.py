from django.core.management.base import BaseCommand, CommandParser

from notifications.models import Delivery
from notifications.tasks import send_digests

PERIODS = {
    "daily": Delivery.DAILY,
    "weekly": Delivery.WEEKLY,
    "daglig": Delivery.DAILY,
    "ukentlig": Delivery.WEEKLY,
}


class Command(BaseCommand):
    help = "Queue the daily or weekly e-mail digests (run from cron or a systemd timer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", choices=sorted(PERIODS), required=True)

    def handle(self, *args: object, period: str, **options: object) -> None:
        result = send_digests.enqueue(str(PERIODS[period]))
        self.stdout.write(f"Queued {period} digests ({result.id}).")
