from django.core.management.base import BaseCommand
from django.db import transaction

from topics.attachments.actions import purge_stale_drafts


class Command(BaseCommand):
    help = (
        "Remove files pasted into texts that were never sent, once older than "
        "ATTACHMENT_DRAFT_MAX_AGE (run daily from cron; a member's own go at their next upload)."
    )

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            removed = purge_stale_drafts()
        self.stdout.write(f"Removed {removed} draft attachment(s).")
