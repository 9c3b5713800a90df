from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from followup.workshop import import_workshop


class Command(BaseCommand):
    help = "Create the 18 topics of the 4 December 2018 workshop (run load_reference_data first)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = import_workshop()
        except Organisation.DoesNotExist:
            raise CommandError(
                "Kartverket is missing: run `manage.py load_reference_data` first."
            ) from None
        self.stdout.write(
            f"Workshop topics: {result.created} created, {result.unchanged} already there; "
            f"{result.action_items} action items created."
        )
