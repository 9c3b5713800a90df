from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """Private conversations between members, several members, or a member and an
    organisation. Leans on accounts, topics (Markdown, attachment checks) and notifications
    (each member's delivery choice); nothing but the project's urls, the nav and the tests
    knows of it. A conversation is shown only where this app shows it."""

    name = "conversations"
    verbose_name = _("Samtaler")

    def ready(self) -> None:
        from conversations import drafts, privacy, unread
        from notifications import digest
        from notifications import unread as header_counts

        privacy.register()
        drafts.register()
        digest.register_lines("conversations", unread.digest_lines)
        header_counts.register_count("conversations", unread.unread_for)
