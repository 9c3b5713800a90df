"""Polls in a topic's first post: the question, its options, and each member's votes.

A member's vote is one row per chosen option. A single-choice poll's rows carry
`is_single_choice`, and a partial unique constraint then allows one row per member and poll,
so the database itself refuses a second vote however two requests interleave; the actions
(topics/polls.py) also lock the poll's row while they change a member's votes."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_OPTIONS = 2
MAX_OPTIONS = 20
OPTION_MAX_LENGTH = 200
QUESTION_MAX_LENGTH = 300


class Poll(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Ett valg")
        MULTIPLE = "multiple", _("Flere valg")

    class ResultsVisibility(models.TextChoices):
        AFTER_VOTE = "after_vote", _("Når man har stemt")
        AFTER_CLOSE = "after_close", _("Når avstemningen er avsluttet")

    class Voters(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonyme")
        PUBLIC = "public", _("Vises med navn")

    topic = models.OneToOneField(
        "topics.Topic", verbose_name=_("tråd"), on_delete=models.CASCADE, related_name="poll"
    )
    question = models.CharField(_("spørsmål"), max_length=QUESTION_MAX_LENGTH)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    max_choices = models.PositiveSmallIntegerField(
        _("høyst antall valg"),
        null=True,
        blank=True,
        help_text=_("Bare for flervalg. Tom: så mange man vil."),
    )
    closes_at = models.DateTimeField(_("avsluttes"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    results_visibility = models.CharField(
        _("resultatene vises"),
        max_length=12,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_VOTE,
    )
    voters = models.CharField(
        _("stemmene"), max_length=10, choices=Voters.choices, default=Voters.ANONYMOUS
    )
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("avstemning")
        verbose_name_plural = _("avstemninger")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=1),
                name="poll_max_choices_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.closed_at is not None or (self.closes_at is not None and self.closes_at <= now)

    def closes_within(self, seconds: float) -> bool:
        """Will it close by the clock in the next `seconds`? Closing by the clock moves no
        page-cache tag, so a page that would be kept that long must not be kept at all."""
        if self.is_closed() or self.closes_at is None:
            return False
        return (self.closes_at - timezone.now()).total_seconds() <= seconds

    @property
    def is_single_choice(self) -> bool:
        return self.kind == self.Kind.SINGLE

    @property
    def is_public(self) -> bool:
        return self.voters == self.Voters.PUBLIC

    @property
    def choice_limit(self) -> int | None:
        """How many options one member may choose (None: any number)."""
        return 1 if self.is_single_choice else self.max_choices


class PollOptionQuerySet(models.QuerySet["PollOption"]):
    def with_results(self, user: object) -> PollOptionQuerySet:
        """Each option with its number of votes, the poll's number of voters and whether
        `user` chose it, in the one query that fetches the options."""
        voters = (
            PollVote.objects.filter(poll=models.OuterRef("poll"))
            .order_by()
            .values("poll")
            .annotate(n=models.Count("member", distinct=True))
            .values("n")
        )
        votes = (
            PollVote.objects.filter(option=models.OuterRef("pk"))
            .order_by()
            .values("option")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        if getattr(user, "is_authenticated", False):
            mine = models.Exists(PollVote.objects.filter(option=models.OuterRef("pk"), member=user))
        else:
            mine = models.Value(False)
        return self.annotate(
            vote_count=models.functions.Coalesce(models.Subquery(votes), 0),
            voter_count=models.functions.Coalesce(models.Subquery(voters), 0),
            is_mine=mine,
        ).order_by("position")


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("svaralternativ"), max_length=OPTION_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(_("plass"))

    objects = PollOptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("svaralternativ")
        verbose_name_plural = _("svaralternativer")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position"),
        ]

    def __str__(self) -> str:
        return self.text


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="poll_votes",
    )
    is_single_choice = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("stemt"), default=timezone.now)

    class Meta:
        verbose_name = _("stemme")
        verbose_name_plural = _("stemmer")
        constraints = [
            models.UniqueConstraint(fields=["option", "member"], name="poll_vote_once_per_option"),
            models.UniqueConstraint(
                fields=["poll", "member"],
                condition=Q(is_single_choice=True),
                name="poll_vote_once_in_single_choice",
            ),
        ]
        indexes = [models.Index(fields=["poll", "member"], name="poll_vote_member")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.option_id}"
