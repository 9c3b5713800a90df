"""Follow-up listens to topics (topics/signals.py); topics does not import this app."""

from django.dispatch import receiver

from followup import actions
from topics import signals


@receiver(signals.topics_merged)
def move_action_items(sender, *, source, target, **kwargs) -> None:
    actions.follow_merged_topic(source=source, target=target)
