from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Follow-up of what was agreed: action items on topics, their updates, the workshop's steps.

    Leans on topics (an item belongs to a topic); topics knows nothing of it: the topic page draws
    its items with the `topic_action_items` tag, and a merge moves them through a signal.
    """

    name = "followup"
    verbose_name = _("Oppfølging")

    def ready(self) -> None:
        from followup import receivers  # noqa: F401
