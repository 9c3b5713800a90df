"""The API's webhooks listen to topics (topics does not know about the API)."""

from __future__ import annotations

from django.dispatch import receiver

from api import webhooks
from topics import signals


@receiver(signals.post_published, dispatch_uid="api_webhooks_post_published")
def post_published(sender: object, *, post, **kwargs: object) -> None:
    event = webhooks.TOPIC_CREATED if post.position == 1 else webhooks.POST_CREATED
    webhooks.event_happened(event, post.pk)


@receiver(signals.answer_accepted, dispatch_uid="api_webhooks_answer_accepted")
def answer_accepted(sender: object, *, post, **kwargs: object) -> None:
    webhooks.event_happened(webhooks.ANSWER_ACCEPTED, post.pk)
