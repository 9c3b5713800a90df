"""Writes for questions and experiences: the accepted answer, and an experience's verdict.

Same rules as topics/actions.py: keyword-only, one transaction, permission inside.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from topics import permissions, signals
from topics.actions import changed_topic
from topics.models import Post, Topic


@transaction.atomic
def accept_answer(*, post: Post, by: User) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    if not permissions.can_mark_answer(by, topic):
        raise PermissionDenied(_("Bare den som spurte, eller en moderator, kan velge svaret."))
    if not permissions.can_accept_post_as_answer(by, post, topic):
        raise ValidationError(_("Dette innlegget kan ikke markeres som svar."))
    if topic.solved_post_id == post.pk:
        return topic
    changed_topic(topic.pk)
    topic.solved_post = post
    topic.solved_by = by
    topic.solved_at = timezone.now()
    topic.save(update_fields=["solved_post", "solved_by", "solved_at"])
    signals.answer_accepted.send(sender=Topic, topic=topic, post=post, by=by)
    return topic


@transaction.atomic
def unaccept_answer(*, topic: Topic, by: User) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if not permissions.can_mark_answer(by, topic):
        raise PermissionDenied(_("Bare den som spurte, eller en moderator, kan velge svaret."))
    changed_topic(topic.pk)
    topic.solved_post = None
    topic.solved_by = None
    topic.solved_at = None
    topic.save(update_fields=["solved_post", "solved_by", "solved_at"])
    return topic


@transaction.atomic
def set_verdict(*, topic: Topic, by: User, verdict: str) -> Topic:
    first = Post.objects.get(topic=topic, position=1)
    if topic.kind != Topic.Kind.ERFARING or not permissions.can_edit_post(by, first):
        raise PermissionDenied(_("Du kan ikke endre vurderingen av denne erfaringen."))
    if verdict not in Topic.Verdict.values:
        raise ValidationError({"verdict": _("Velg positiv, negativ eller blandet.")})
    Topic.objects.filter(pk=topic.pk).update(verdict=verdict)
    changed_topic(topic.pk)
    topic.verdict = verdict
    return topic
