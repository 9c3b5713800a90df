from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from topics.demo import load_closed_spaces_demo, load_demo_data


class Command(BaseCommand):
    help = "Create demo members (municipal, vendor, moderator) and a demo thread. Development only."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args: object, force: bool, **options: object) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo members have published passwords; refusing with DEBUG off.")
        members = load_demo_data()
        load_closed_spaces_demo()
        self.stdout.write("Demo members (e-mail / password):")
        for member in members:
            self.stdout.write(f"  {member.role:<11} {member.email}  /  {member.password}")
