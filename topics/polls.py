"""Polls: creating one with its topic, voting, changing a vote, closing.

Keyword-only functions, one transaction each. A vote locks the poll's row, so one member's
two votes sent at once end as one of them, never as both; the database's constraints
(topics/models/polls.py) hold even if a caller forgets. A vote moves the topic's page-cache
tag only: the signed-out page shows the results, no list does.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from forum import page_cache
from topics import permissions
from topics.models import Poll, PollOption, PollVote, Topic
from topics.models.polls import MAX_OPTIONS, MIN_OPTIONS, OPTION_MAX_LENGTH, QUESTION_MAX_LENGTH


class PollClosed(PermissionDenied):
    pass


@dataclass(frozen=True)
class PollDraft:
    """A poll as a form or a script describes it, before it is stored."""

    question: str
    options: Sequence[str]
    kind: str = Poll.Kind.SINGLE
    max_choices: int | None = None
    closes_at: datetime.datetime | None = None
    results_visibility: str = Poll.ResultsVisibility.AFTER_VOTE
    voters: str = Poll.Voters.ANONYMOUS


def option_lines(text: str) -> list[str]:
    """The options typed one a line: blank lines and surrounding spaces dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def check_draft(draft: PollDraft, *, now: datetime.datetime | None = None) -> None:
    """Raise a ValidationError naming each field that is wrong (the names of PollForm)."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    question = draft.question.strip()
    if not question:
        errors["question"] = [_("Skriv spørsmålet avstemningen stiller.")]
    elif len(question) > QUESTION_MAX_LENGTH:
        errors["question"] = [
            _("Spørsmålet kan ha høyst %(limit)d tegn (det har %(count)d).")
            % {"limit": QUESTION_MAX_LENGTH, "count": len(question)}
        ]
    options = [text.strip() for text in draft.options]
    if len(options) < MIN_OPTIONS or len(options) > MAX_OPTIONS:
        errors["options"] = [
            _(
                "En avstemning har %(min)d til %(max)d svaralternativer, ett på hver linje "
                "(du skrev %(count)d)."
            )
            % {"min": MIN_OPTIONS, "max": MAX_OPTIONS, "count": len(options)}
        ]
    elif too_long := [text for text in options if len(text) > OPTION_MAX_LENGTH]:
        errors["options"] = [
            _("Et svaralternativ kan ha høyst %(limit)d tegn: «%(start)s…» er for langt.")
            % {"limit": OPTION_MAX_LENGTH, "start": too_long[0][:30]}
        ]
    elif len({text.casefold() for text in options}) != len(options):
        errors["options"] = [_("To svaralternativer er like. Hvert alternativ må være ulikt.")]
    if draft.kind not in Poll.Kind.values:
        errors["kind"] = [_("Velg ett valg eller flere valg.")]
    limit = draft.max_choices
    if draft.kind == Poll.Kind.MULTIPLE and limit is not None and not 1 <= limit <= len(options):
        errors["max_choices"] = [
            _("Høyst antall valg må være mellom 1 og antall svaralternativer (%(count)d).")
            % {"count": len(options)}
        ]
    if draft.closes_at is not None and draft.closes_at <= now:
        errors["closes_at"] = [_("Tidspunktet for avslutning må være fram i tid.")]
    if draft.results_visibility not in Poll.ResultsVisibility.values:
        errors["results_visibility"] = [_("Velg når resultatene skal vises.")]
    if draft.voters not in Poll.Voters.values:
        errors["voters"] = [_("Velg om stemmene er anonyme eller vises med navn.")]
    if errors:
        raise ValidationError(errors)


def create_poll(*, topic: Topic, draft: PollDraft) -> Poll:
    """Called by topics.actions.create_topic inside its transaction: a poll that is wrong
    raises before anything of it is stored, and takes the topic with it."""
    check_draft(draft)
    poll = Poll.objects.create(
        topic=topic,
        question=draft.question.strip(),
        kind=draft.kind,
        max_choices=draft.max_choices if draft.kind == Poll.Kind.MULTIPLE else None,
        closes_at=draft.closes_at,
        results_visibility=draft.results_visibility,
        voters=draft.voters,
    )
    PollOption.objects.bulk_create(
        PollOption(poll=poll, text=text.strip(), position=number)
        for number, text in enumerate(draft.options, start=1)
    )
    return poll


def _locked_poll(poll: Poll) -> Poll:
    return (
        Poll.objects.select_for_update(of=("self",))
        .select_related("topic__category")
        .get(pk=poll.pk)
    )


@transaction.atomic
def vote(*, poll: Poll, member: User, option_ids: Iterable[int]) -> list[PollVote]:
    """The member's choice, in place of any earlier one (a vote is changed by voting again)."""
    poll = _locked_poll(poll)
    topic = poll.topic
    if poll.is_closed():
        raise PollClosed(_("Avstemningen er avsluttet, og tar ikke imot flere stemmer."))
    if not permissions.can_vote_in_poll(member, poll, topic):
        raise PermissionDenied(_("Du kan ikke stemme i denne avstemningen."))
    chosen = set(option_ids)
    options = list(PollOption.objects.filter(poll=poll, pk__in=chosen))
    if not chosen:
        raise ValidationError(_("Velg et svaralternativ før du stemmer."))
    if len(options) != len(chosen):
        raise ValidationError(_("Velg blant svaralternativene i avstemningen."))
    if (limit := poll.choice_limit) is not None and len(options) > limit:
        raise ValidationError(
            _("Du kan velge høyst %(limit)d svaralternativ.")
            if limit == 1
            else _("Du kan velge høyst %(limit)d svaralternativer."),
            params={"limit": limit},
        )
    PollVote.objects.filter(poll=poll, member=member).delete()
    votes = PollVote.objects.bulk_create(
        PollVote(poll=poll, option=option, member=member, is_single_choice=poll.is_single_choice)
        for option in options
    )
    page_cache.changed(page_cache.topic_tag(topic.pk))
    return votes


@transaction.atomic
def close_poll(*, poll: Poll, by: User) -> Poll:
    poll = _locked_poll(poll)
    if not permissions.can_close_poll(by, poll, poll.topic):
        raise PermissionDenied(_("Du kan ikke avslutte denne avstemningen."))
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    page_cache.changed(page_cache.topic_tag(poll.topic_id))
    return poll
