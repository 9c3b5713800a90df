"""A topic's poll: what the topic page shows of it, voting and closing.

Thin like the other views: the topic through `Topic.objects.visible_to`, the answers of
topics/permissions.py, the writes of topics/polls.py. A vote is a plain form POST that
answers with a redirect to the poll and a message.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from topics import permissions, polls
from topics.models import Poll, PollOption, PollVote, Topic


@dataclass
class PollOnPage:
    """What one reader sees of a poll: the options (with counts and percentages when the
    results are theirs to see), whether they voted and what they may do."""

    poll: Poll
    options: list[PollOption]
    voter_count: int
    has_voted: bool
    show_results: bool
    may_vote: bool
    may_close: bool
    is_closed: bool


def poll_on_page(user, topic: Topic) -> PollOnPage | None:
    """The topic's poll for its page, or None: no query for a topic without one (the poll
    comes with the topic, `select_related("poll")`), one for the options, their counts and
    the reader's choice, and one more for the names in a public poll whose results show."""
    poll = getattr(topic, "poll", None)
    if poll is None:
        return None
    options = list(PollOption.objects.filter(poll=poll).with_results(user))
    voter_count = options[0].voter_count if options else 0
    has_voted = any(option.is_mine for option in options)
    show = permissions.can_see_poll_results(user, poll, has_voted=has_voted)
    for option in options:
        option.percent = round(100 * option.vote_count / voter_count) if voter_count else 0
    names: dict[int, list[str]] = {}
    if show and poll.is_public and voter_count:
        votes = (
            PollVote.objects.filter(poll=poll)
            .order_by("member__display_name", "member_id")
            .values_list("option_id", "member__display_name")
        )
        for option_id, name in votes:
            names.setdefault(option_id, []).append(name)
    for option in options:
        option.voter_names = names.get(option.pk, [])
    return PollOnPage(
        poll=poll,
        options=options,
        voter_count=voter_count,
        has_voted=has_voted,
        show_results=show,
        may_vote=permissions.can_vote_in_poll(user, poll, topic),
        may_close=permissions.can_close_poll(user, poll, topic),
        is_closed=poll.is_closed(),
    )


def keep_fresh(response: HttpResponse, shown: PollOnPage | None) -> HttpResponse:
    """A poll that closes by the clock moves no cache tag when it does: a page that would
    outlive the closing time in the shared page cache is not stored there."""
    if shown is not None and shown.poll.closes_within(settings.FORUM_PAGE_CACHE_SECONDS):
        patch_cache_control(response, private=True)
    return response


def _topic_with_poll(request: HttpRequest, pk: int) -> tuple[Topic, Poll]:
    topic = get_object_or_404(
        Topic.objects.visible_to(request.user).select_related("category", "poll"), pk=pk
    )
    poll = getattr(topic, "poll", None)
    if poll is None:
        raise Http404  # a topic without a poll has no poll to vote in
    permissions.remember_category_visible(request.user, topic.category)
    return topic, poll


def _back_to_poll(topic: Topic) -> HttpResponse:
    return redirect(f"{topic.get_absolute_url()}#poll")


def _chosen_ids(request: HttpRequest) -> list[int]:
    values = request.POST.getlist("option")[:50]
    return [int(value) for value in values if value.isdecimal() and len(value) < 19]


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    topic, poll = _topic_with_poll(request, pk)
    try:
        polls.vote(poll=poll, member=request.user, option_ids=_chosen_ids(request))
    except (PermissionDenied, ValidationError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text or _("Du kan ikke stemme i denne avstemningen."))
    else:
        messages.success(
            request, _("Stemmen din er registrert. Du kan endre den til avstemningen avsluttes.")
        )
    return _back_to_poll(topic)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    topic, poll = _topic_with_poll(request, pk)
    if poll.is_closed():  # sent twice, or closed by the clock meanwhile
        messages.info(request, _("Avstemningen er avsluttet."))
        return _back_to_poll(topic)
    if not permissions.can_close_poll(request.user, poll, topic):
        raise PermissionDenied
    polls.close_poll(poll=poll, by=request.user)
    messages.success(request, _("Avstemningen er avsluttet."))
    return _back_to_poll(topic)
