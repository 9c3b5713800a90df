"""Follow-up listens to topics (topics/signals.py); topics does not import this app."""

from django.dispatch import receiver

from followup.models import ActionItem
from topics import signals


@receiver(signals.topics_merged)
def move_action_items(sender, *, source, target, **kwargs) -> None:
    """A merged topic's action items follow its posts into the topic it was merged into."""
    ActionItem.objects.filter(topic=source).update(topic=target)
