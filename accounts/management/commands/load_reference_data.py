from django.core.management.base import BaseCommand

from accounts.reference_data import load_reference_data


class Command(BaseCommand):
    help = "Load counties, municipalities (2019 and 2020, with the 2020 mergers), agencies and vendors."

    def handle(self, *args: object, **options: object) -> None:
        report = load_reference_data()
        self.stdout.write(
            f"Reference data: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
        for kind, count in sorted(report.by_kind.items()):
            self.stdout.write(f"  {kind}: {count}")
