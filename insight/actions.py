"""The one write of this app: work out the counts of insight.models again.

Run by the task `refresh_figures_task` (queued by `manage.py refresh_insight`, from cron)
or directly by the command with `--now`. A fixed number of aggregate queries, whatever the
size of the forum; the results replace the old rows in one transaction, so a page reads
either the old counts or the new, never half of each.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections import defaultdict

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.utils import timezone

from accounts.models import Organisation
from directory.models import Usage, UsageChange
from directory.queries import ACTIVE_STATUSES, DECIDED_STATUSES
from followup.models import ActionItem
from forum import page_cache
from insight.models import FiguresRefresh, MunicipalityFigures, WeeklyActivity
from topics.models import Post, Topic

WEEKS = 26
# The signed-out page cache's tag of the pages that show these counts.
PAGE_TAG = "insight"


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _municipality_figures(municipalities: dict[int, Organisation]) -> list[MunicipalityFigures]:
    public = AnonymousUser()
    registered: dict[int, set[int]] = defaultdict(set)
    decided: dict[int, set[int]] = defaultdict(set)
    usages: dict[int, int] = defaultdict(int)
    rows = (
        Usage.objects.of_approved_systems()
        .filter(organisation__in=municipalities, status__in=ACTIVE_STATUSES)
        .values_list("organisation_id", "sector_id", "status")
    )
    for org_id, sector_id, status in rows:
        registered[org_id].add(sector_id)
        usages[org_id] += 1
        if status in DECIDED_STATUSES:
            decided[org_id].add(sector_id)
    topics = dict(
        Topic.objects.visible_to(public)
        .filter(author__organisation__in=municipalities)
        .values("author__organisation")
        .annotate(n=Count("pk"))
        .values_list("author__organisation", "n")
        .order_by()
    )
    items = dict(
        ActionItem.objects.visible_to(public)
        .open()
        .filter(responsible_organisation__in=municipalities)
        .values("responsible_organisation")
        .annotate(n=Count("pk"))
        .values_list("responsible_organisation", "n")
        .order_by()
    )
    changes = dict(
        UsageChange.objects.filter(organisation__in=municipalities)
        .values("organisation")
        .annotate(last=Max("changed_at"))
        .values_list("organisation", "last")
        .order_by()
    )
    return [
        MunicipalityFigures(
            organisation_id=org_id,
            sectors_registered=len(registered[org_id]),
            sectors_decided=len(decided[org_id]),
            usages=usages[org_id],
            public_topics=topics.get(org_id, 0),
            open_action_items=items.get(org_id, 0),
            last_change_at=changes.get(org_id),
        )
        for org_id in municipalities
    ]


def _weekly_activity(since: datetime.date, before: datetime.date) -> list[WeeklyActivity]:
    public = AnonymousUser()
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(before, datetime.time()))
    weeks: dict[tuple[datetime.date, int | None], WeeklyActivity] = {}

    def row(week: datetime.date, sector: int | None) -> WeeklyActivity:
        if (week, sector) not in weeks:
            weeks[week, sector] = WeeklyActivity(week=week, sector_id=sector)
        return weeks[week, sector]

    first_answer = (
        Post.objects.filter(topic=OuterRef("pk"), position__gt=1, is_approved=True, is_hidden=False)
        .exclude(author=OuterRef("author"))
        .order_by()
        .values("topic")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    topics = (
        Topic.objects.visible_to(public)
        .filter(created_at__gte=start, created_at__lt=end)
        .annotate(first_answer_at=Subquery(first_answer))
        .values_list("pk", "created_at", "kind", "first_answer_at")
        .order_by()
    )
    # The sectors of every topic active in the period (a superset of those begun in it).
    sectors_of: dict[int, list[int]] = defaultdict(list)
    tagged = Topic.tags.through.objects.filter(
        content_object__in=Topic.objects.visible_to(public).filter(last_activity_at__gte=start)
    ).values_list("content_object_id", "tag_id")
    for topic_id, sector_id in tagged:
        sectors_of[topic_id].append(sector_id)
    waits: dict[tuple[datetime.date, int | None], list[float]] = defaultdict(list)
    for pk, created_at, kind, first_answer_at in topics:
        week = monday(timezone.localdate(created_at))
        for sector in [None, *sectors_of[pk]]:
            entry = row(week, sector)
            entry.topics += 1
            if kind == Topic.Kind.SPORSMAL:
                entry.questions += 1
                if first_answer_at is not None:
                    entry.answered += 1
                    waits[week, sector].append((first_answer_at - created_at).total_seconds())
    replies = (
        Post.objects.visible_to(public)
        .filter(created_at__gte=start, created_at__lt=end, position__gt=1, is_hidden=False)
        .values_list("created_at", "topic_id")
        .order_by()
    )
    for created_at, topic_id in replies:
        week = monday(timezone.localdate(created_at))
        for sector in [None, *sectors_of[topic_id]]:
            row(week, sector).replies += 1
    for key, seconds in waits.items():
        weeks[key].median_first_answer_hours = round(statistics.median(seconds) / 3600, 1)
    return list(weeks.values())


def refresh_figures(*, until: datetime.date | None = None) -> FiguresRefresh:
    """Work out every count again and replace the stored ones: the weeks up to the one of
    `until` (today; an earlier day for a copy of old data, such as the benchmarks')."""
    began = time.monotonic()
    municipalities = {
        org.pk: org for org in Organisation.objects.municipalities().current().only("pk")
    }
    figures = _municipality_figures(municipalities)
    last_week = monday(until or timezone.localdate())
    since = last_week - datetime.timedelta(weeks=WEEKS - 1)
    activity = _weekly_activity(since, last_week + datetime.timedelta(weeks=1))
    with transaction.atomic():
        MunicipalityFigures.objects.all().delete()
        MunicipalityFigures.objects.bulk_create(figures)
        WeeklyActivity.objects.all().delete()
        WeeklyActivity.objects.bulk_create(activity)
        FiguresRefresh.objects.all().delete()
        page_cache.changed(PAGE_TAG)
        return FiguresRefresh.objects.create(
            finished_at=timezone.now(),
            last_week=last_week,
            seconds=round(time.monotonic() - began, 2),
        )
