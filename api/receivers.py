"""The API's webhooks listen to topics (topics does not know about the API)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from api import webhooks
from directory.models import UsageChange
from topics import signals


@receiver(signals.post_published, dispatch_uid="api_webhooks_post_published")
def post_published(sender: object, *, post, **kwargs: object) -> None:
    event = webhooks.TOPIC_CREATED if post.position == 1 else webhooks.POST_CREATED
    webhooks.event_happened(event, post.pk)


@receiver(signals.answer_accepted, dispatch_uid="api_webhooks_answer_accepted")
def answer_accepted(sender: object, *, post, **kwargs: object) -> None:
    webhooks.event_happened(webhooks.ANSWER_ACCEPTED, post.pk)


@receiver(post_save, sender=UsageChange, dispatch_uid="api_webhooks_usage_changed")
def usage_changed(sender: object, *, instance: UsageChange, created: bool, **kwargs) -> None:
    """Every change to a usage writes a UsageChange (directory/actions.py) inside the action's
    transaction. A deleted usage is not told: the change no longer says which system it was."""
    if created and instance.action != UsageChange.Action.DELETED:
        change_id = instance.pk
        transaction.on_commit(lambda: webhooks.fan_out_usage.enqueue(change_id))
