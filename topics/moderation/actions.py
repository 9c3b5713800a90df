"""What moderators do to topics, posts, reports and members.

Like topics.actions: keyword-only functions, one transaction each, permission checked
inside. Every moderator action writes exactly one ModerationLogEntry in its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import actions as account_actions
from accounts.models import Organisation, User
from accounts.tasks import send_account_email
from directory.models import Sector
from forum.page_cache import invalidates_public_pages
from topics import permissions, signals
from topics.actions import EditConflict, post_published, slug_for
from topics.models import (
    Category,
    ModerationLogEntry,
    Poll,
    Post,
    Report,
    Topic,
    TopicRedirect,
)
from topics.moderation.log import log_moderation

Action = ModerationLogEntry.Action

# Positions are unique per topic; while posts are renumbered they wait above this.
_PARKING_OFFSET = 10_000_000


def _require_topic_moderator(by: User, topic: Topic) -> Topic:
    if not permissions.can_moderate_topic(by, topic):
        raise PermissionDenied(_("Bare moderatorer kan gjøre dette."))
    return Topic.objects.select_for_update().get(pk=topic.pk)


def _required_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv en grunn.")})
    return reason[:500]


# ---- Topics -----------------------------------------------------------------


@transaction.atomic
@invalidates_public_pages
def set_pinned_in_category(*, topic: Topic, by: User, pinned: bool) -> Topic:
    topic = _require_topic_moderator(by, topic)
    topic.is_pinned_in_category = pinned
    topic.save(update_fields=["is_pinned_in_category"])
    action = Action.TOPIC_PINNED_IN_CATEGORY if pinned else Action.TOPIC_UNPINNED_IN_CATEGORY
    log_moderation(actor=by, action=action, target=topic.title, topic=topic)
    return topic


@transaction.atomic
@invalidates_public_pages
def set_curated(*, topic: Topic, by: User, curated: bool) -> Topic:
    topic = _require_topic_moderator(by, topic)
    topic.is_curated = curated
    topic.save(update_fields=["is_curated"])
    action = Action.TOPIC_CURATED if curated else Action.TOPIC_UNCURATED
    log_moderation(actor=by, action=action, target=topic.title, topic=topic)
    return topic


@transaction.atomic
@invalidates_public_pages
def close_topic(*, topic: Topic, by: User, reason: str) -> Topic:
    """Closed: no new replies, and a public notice with the reason."""
    topic = _require_topic_moderator(by, topic)
    topic.closed_reason = _required_reason(reason)
    topic.is_locked = True
    topic.save(update_fields=["closed_reason", "is_locked"])
    log_moderation(
        actor=by, action=Action.TOPIC_CLOSED, target=topic.title, topic=topic, reason=reason
    )
    return topic


@transaction.atomic
@invalidates_public_pages
def reopen_topic(*, topic: Topic, by: User) -> Topic:
    topic = _require_topic_moderator(by, topic)
    topic.closed_reason = ""
    topic.is_locked = False
    topic.save(update_fields=["closed_reason", "is_locked"])
    log_moderation(actor=by, action=Action.TOPIC_REOPENED, target=topic.title, topic=topic)
    return topic


@transaction.atomic
@invalidates_public_pages
def move_topic(*, topic: Topic, by: User, category: Category, reason: str = "") -> Topic:
    topic = _require_topic_moderator(by, topic)
    if not Category.objects.visible_to(by).filter(pk=category.pk).exists():
        raise ValidationError({"category": _("Velg en kategori.")})
    if category.pk == topic.category_id:
        raise ValidationError({"category": _("Tråden ligger allerede i denne kategorien.")})
    old = Category.objects.get(pk=topic.category_id)
    topic.category = category
    topic.save(update_fields=["category"])
    log_moderation(
        actor=by,
        action=Action.TOPIC_MOVED,
        target=topic.title,
        topic=topic,
        reason=reason.strip(),
        details={"from": old.name, "to": category.name},
    )
    return topic


def _same_audience(a: Category, b: Category) -> bool:
    """Whether the two categories are open to the same readers: same visibility level and,
    for group spaces, the same groups. Merging across audiences would show posts to people
    their authors did not write them for."""
    if a.visibility != b.visibility:
        return False
    if a.visibility == Category.Visibility.GRUPPE:
        return set(a.groups.values_list("pk", flat=True)) == set(
            b.groups.values_list("pk", flat=True)
        )
    return True


def _renumber(topic: Topic, posts: list[Post]) -> None:
    """Give `posts` (already in `topic`, parked) positions 1..n by time, and fix the counters."""
    posts.sort(key=lambda p: (p.created_at, p.pk))
    for number, post in enumerate(posts, start=1):
        post.position = number
        post.topic_id = topic.pk
    Post.objects.bulk_update(posts, ["position", "topic"])
    latest = next((p for p in reversed(posts) if p.is_approved and not p.is_hidden), posts[-1])
    Topic.objects.filter(pk=topic.pk).update(
        reply_count=len(posts) - 1,
        last_activity_at=latest.created_at,
        last_poster_id=latest.author_id,
    )


def _park(queryset, offset: int) -> None:
    queryset.update(position=F("position") + offset)


@transaction.atomic
@invalidates_public_pages
def merge_topic(*, topic: Topic, into: Topic, by: User, reason: str = "") -> Topic:
    """Move every post of `topic` into `into`, ordered by time; /t/<old id>/ redirects."""
    if not permissions.can_moderate_topic(by, topic):
        raise PermissionDenied(_("Bare moderatorer kan gjøre dette."))
    if into.pk == topic.pk:
        raise ValidationError({"into": _("En tråd kan ikke slås sammen med seg selv.")})
    locked = {
        t.pk: t
        for t in Topic.objects.select_for_update()
        .select_related("category")
        .filter(pk__in=[topic.pk, into.pk])
        .order_by("pk")
    }
    visible = Topic.objects.visible_to(by).filter(pk=into.pk, deleted_at__isnull=True).exists()
    if into.pk not in locked or not visible:
        raise ValidationError({"into": _("Fant ingen tråd med dette nummeret.")})
    source, target = locked[topic.pk], locked[into.pk]
    if not _same_audience(source.category, target.category):
        raise ValidationError(
            {"into": _("Tråden ligger i en kategori med andre lesere; flytt den først.")}
        )
    if hasattr(source, "workshop"):
        raise ValidationError(
            {"into": _("Et workshop-tema kan ikke slås sammen inn i en annen tråd.")}
        )
    with_polls = set(
        Poll.objects.filter(topic__in=[source, target]).values_list("topic_id", flat=True)
    )
    if len(with_polls) == 2:
        raise ValidationError(
            {"into": _("Begge trådene har en avstemning, og en tråd kan ha bare én.")}
        )
    _park(Post.objects.filter(topic=target), _PARKING_OFFSET)
    _park(Post.objects.filter(topic=source), 2 * _PARKING_OFFSET)
    Post.objects.filter(topic=source).update(topic=target)
    _renumber(target, list(Post.objects.filter(topic=target)))
    target.tags.add(*source.tags.all())
    signals.topics_merged.send(sender=Topic, source=source, target=target, by=by)
    TopicRedirect.objects.filter(topic=source).update(topic=target)
    TopicRedirect.objects.create(old_topic_id=source.pk, topic=target)
    Poll.objects.filter(topic=source).update(topic=target)  # its votes with it
    log_moderation(
        actor=by,
        action=Action.TOPIC_MERGED,
        target=f"{source.title} → {target.title}",
        topic=target,
        other_topic=source,
        reason=reason.strip(),
        details={"from_topic": source.pk, "from_title": source.title},
    )
    source.delete()
    target.refresh_from_db()
    return target


@transaction.atomic
@invalidates_public_pages
def split_topic(
    *,
    topic: Topic,
    by: User,
    posts: Iterable[Post],
    title: str,
    category: Category | None = None,
    reason: str = "",
) -> Topic:
    """Move the chosen posts into a new topic; both keep their posts ordered by time."""
    source = _require_topic_moderator(by, topic)
    chosen = {p.pk for p in posts}
    remaining = list(Post.objects.filter(topic=source).exclude(pk__in=chosen))
    moving = list(Post.objects.filter(topic=source, pk__in=chosen))
    if not moving or len(moving) != len(chosen):
        raise ValidationError({"posts": _("Velg innleggene som skal skilles ut.")})
    if not remaining:
        raise ValidationError(
            {"posts": _("Du kan ikke skille ut alle innleggene; minst ett må bli igjen.")}
        )
    title = title.strip()
    if len(title) < 5:
        raise ValidationError({"title": _("Den nye tråden trenger en tittel på minst 5 tegn.")})
    category = category or source.category
    if not Category.objects.visible_to(by).filter(pk=category.pk).exists():
        raise ValidationError({"category": _("Velg en kategori.")})
    moving.sort(key=lambda p: (p.created_at, p.pk))
    new = Topic.objects.create(
        title=title,
        slug=slug_for(title),
        category=category,
        author_id=moving[0].author_id,
        kind=source.kind if source.kind != Topic.Kind.WORKSHOP else Topic.Kind.DISKUSJON,
        created_at=moving[0].created_at,
        last_activity_at=moving[-1].created_at,
        last_poster_id=moving[-1].author_id,
    )
    new.tags.set(list(source.tags.all()))
    _park(Post.objects.filter(topic=source), _PARKING_OFFSET)
    Post.objects.filter(pk__in=chosen).update(topic=new)
    _renumber(new, moving)
    _renumber(source, remaining)
    log_moderation(
        actor=by,
        action=Action.TOPIC_SPLIT,
        target=f"{source.title} → {new.title}",
        topic=source,
        other_topic=new,
        reason=reason.strip(),
        details={"posts": len(moving), "new_title": new.title, "from_title": source.title},
    )
    return new


@transaction.atomic
@invalidates_public_pages
def edit_topic(
    *,
    topic: Topic,
    by: User,
    title: str,
    sectors: Iterable[Sector],
    version: int | None = None,
) -> Topic:
    """`version`: what the moderator's form was opened on; if the title or the sectors were
    saved since, EditConflict (see topics.actions.edit_post)."""
    topic = _require_topic_moderator(by, topic)
    title = title.strip()
    if len(title) < 5:
        raise ValidationError({"title": _("Tittelen må ha minst 5 tegn.")})
    before = {"title": topic.title, "sectors": sorted(s.name for s in topic.tags.all())}
    unchanged_since = {} if version is None else {"version": version}
    if not Topic.objects.filter(pk=topic.pk, **unchanged_since).update(
        title=title, slug=slug_for(title), version=F("version") + 1
    ):
        raise EditConflict(topic=topic)
    topic.refresh_from_db(fields=["title", "slug", "version"])
    topic.tags.set(list(sectors))
    after = {"title": title, "sectors": sorted(s.name for s in topic.tags.all())}
    log_moderation(
        actor=by,
        action=Action.TOPIC_EDITED,
        target=title,
        topic=topic,
        details={"before": before, "after": after},
    )
    return topic


@transaction.atomic
@invalidates_public_pages
def delete_topic(*, topic: Topic, by: User, reason: str) -> Topic:
    """Soft delete: the topic disappears for members; moderators can restore it."""
    topic = _require_topic_moderator(by, topic)
    if topic.deleted_at is not None:
        raise ValidationError(_("Tråden er allerede slettet."))
    topic.deleted_at = timezone.now()
    topic.deleted_by = by
    topic.save(update_fields=["deleted_at", "deleted_by"])
    log_moderation(
        actor=by,
        action=Action.TOPIC_DELETED,
        target=topic.title,
        topic=topic,
        reason=_required_reason(reason),
    )
    return topic


@transaction.atomic
@invalidates_public_pages
def restore_topic(*, topic: Topic, by: User) -> Topic:
    topic = _require_topic_moderator(by, topic)
    if topic.deleted_at is None:
        raise ValidationError(_("Tråden er ikke slettet."))
    topic.deleted_at = None
    topic.deleted_by = None
    topic.save(update_fields=["deleted_at", "deleted_by"])
    log_moderation(actor=by, action=Action.TOPIC_RESTORED, target=topic.title, topic=topic)
    return topic


# ---- Approval of first posts ---------------------------------------------------


@transaction.atomic
@invalidates_public_pages
def approve_post(*, post: Post, by: User) -> Post:
    if not permissions.can_approve_post(by, post):
        raise PermissionDenied
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.is_approved:
        raise ValidationError(_("Innlegget er allerede godkjent."))
    post.is_approved = True
    post.save(update_fields=["is_approved"])
    topic = post.topic
    if post.is_first:
        Topic.objects.filter(pk=topic.pk).update(is_approved=True)
    elif post.created_at >= topic.last_activity_at:
        Topic.objects.filter(pk=topic.pk).update(
            last_activity_at=post.created_at, last_poster_id=post.author_id
        )
    action = Action.TOPIC_APPROVED if post.is_first else Action.POST_APPROVED
    log_moderation(actor=by, action=action, target=str(post), post=post)
    # Watchers and mentioned members hear of a held post only once it is published.
    post_published(post=post)
    return post


@transaction.atomic
@invalidates_public_pages
def reject_post(*, post: Post, by: User, reason: str) -> Post:
    """The post stays unpublished and hidden; its author sees the reason."""
    if not permissions.can_approve_post(by, post):
        raise PermissionDenied
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.is_approved or post.is_hidden:
        raise ValidationError(_("Innlegget venter ikke på godkjenning."))
    post.is_hidden = True
    post.hidden_reason = _required_reason(reason)
    post.hidden_by = by
    post.hidden_at = timezone.now()
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    log_moderation(
        actor=by, action=Action.POST_REJECTED, target=str(post), post=post, reason=reason
    )
    return post


# ---- Reports -----------------------------------------------------------------


def _reporters_who_count(post: Post) -> int:
    """Distinct members with a verified organisation behind the post's open reports."""
    return (
        Report.objects.filter(post=post, status=Report.Status.OPEN)
        .exclude(reporter__organisation_verification="")
        .values("reporter")
        .distinct()
        .count()
    )


@transaction.atomic
@invalidates_public_pages
def report_post(*, post: Post, reporter: User, reason: str, text: str = "") -> Report:
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if not Post.objects.visible_to(reporter).filter(pk=post.pk).exists():
        raise PermissionDenied(_("Fant ikke innlegget."))
    if not permissions.can_report_post(reporter, post):
        raise PermissionDenied(_("Du kan ikke rapportere dette innlegget."))
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Velg en grunn.")})
    text = text.strip()
    if reason == Report.Reason.OTHER and not text:
        raise ValidationError({"text": _("Forklar kort hva som er galt.")})
    if Report.objects.filter(post=post, reporter=reporter, status=Report.Status.OPEN).exists():
        raise ValidationError(_("Du har allerede rapportert dette innlegget."))
    report = Report.objects.create(post=post, reporter=reporter, reason=reason, text=text[:2000])
    if not post.is_hidden and _reporters_who_count(post) >= settings.FORUM_REPORTS_TO_HIDE:
        post.is_hidden = True
        post.hidden_reason = _(
            "Skjult automatisk etter rapporter fra flere medlemmer. En moderator ser på saken."
        )
        post.hidden_by = None
        post.hidden_at = timezone.now()
        post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
        log_moderation(
            actor=None,
            action=Action.POST_AUTO_HIDDEN,
            target=str(post),
            post=post,
            reason=post.hidden_reason,
        )
    return report


def _tell_reporters(report_ids: list[int], upheld: bool) -> None:
    for report in Report.objects.filter(pk__in=report_ids).select_related("reporter", "post"):
        if upheld:
            body = _(
                "Takk for rapporten din om et innlegg i «{topic}». En moderator har sett på "
                "den og skjult innlegget."
            )
        else:
            body = _(
                "Takk for rapporten din om et innlegg i «{topic}». En moderator har sett på "
                "den og kom fram til at innlegget kan bli stående."
            )
        send_account_email.enqueue(  # sent by the task worker once this commits
            subject=_("Rapporten din er behandlet"),
            body=body.format(topic=report.post.topic.title),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[report.reporter.email],
        )


@transaction.atomic
@invalidates_public_pages
def resolve_reports(*, post: Post, by: User, hide: bool, reason: str = "") -> list[Report]:
    """Decide every open report on the post at once; each reporter is told by e-mail."""
    if not permissions.can_resolve_report(by, post):
        raise PermissionDenied
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    reports = list(Report.objects.select_for_update().filter(post=post, status=Report.Status.OPEN))
    if not reports:
        raise ValidationError(_("Det er ingen åpne rapporter på dette innlegget."))
    now = timezone.now()
    status = Report.Status.UPHELD if hide else Report.Status.DISMISSED
    for report in reports:
        report.status, report.resolved_by, report.resolved_at = status, by, now
    Report.objects.bulk_update(reports, ["status", "resolved_by", "resolved_at"])
    if hide:
        post.is_hidden = True
        post.hidden_reason = reason.strip()[:500] or _("Brudd på forumets regler.")
        post.hidden_by, post.hidden_at = by, now
    elif post.is_hidden and post.hidden_by_id is None:
        # Hidden by the reports alone: the moderator's "no" puts it back.
        post.is_hidden, post.hidden_reason, post.hidden_at = False, "", None
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    log_moderation(
        actor=by,
        action=Action.REPORT_UPHELD if hide else Action.REPORT_DISMISSED,
        target=str(post),
        post=post,
        reason=reason.strip(),
        details={"reports": [r.pk for r in reports]},
    )
    ids = [r.pk for r in reports]
    # robust: a mail server that is down must not turn the moderator's decision into an error.
    _tell_reporters(ids, hide)  # queued with this transaction
    return reports


# ---- Members (the sanction itself lives in accounts.actions) -------------------


@transaction.atomic
@invalidates_public_pages
def silence_member(*, member: User, by: User, until: datetime, reason: str) -> User:
    member = account_actions.silence_member(member=member, by=by, until=until, reason=reason)
    log_moderation(
        actor=by,
        action=Action.MEMBER_SILENCED,
        target=str(member),
        member=member,
        reason=member.silence_reason,
        details={"until": until.isoformat()},
    )
    return member


@transaction.atomic
@invalidates_public_pages
def lift_silence(*, member: User, by: User) -> User:
    member = account_actions.lift_silence(member=member, by=by)
    log_moderation(actor=by, action=Action.MEMBER_UNSILENCED, target=str(member), member=member)
    return member


@transaction.atomic
@invalidates_public_pages
def suspend_member(*, member: User, by: User, reason: str) -> User:
    member = account_actions.suspend_member(member=member, by=by, reason=reason)
    log_moderation(
        actor=by,
        action=Action.MEMBER_SUSPENDED,
        target=str(member),
        member=member,
        reason=member.suspension_reason,
    )
    return member


@transaction.atomic
@invalidates_public_pages
def lift_suspension(*, member: User, by: User) -> User:
    member = account_actions.lift_suspension(member=member, by=by)
    log_moderation(actor=by, action=Action.MEMBER_UNSUSPENDED, target=str(member), member=member)
    return member


@transaction.atomic
@invalidates_public_pages
def verify_member(*, member: User, by: User, organisation: Organisation) -> User:
    before = member.organisation.name if member.organisation_id else ""
    member = account_actions.verify_member(member=member, organisation=organisation, by=by)
    log_moderation(
        actor=by,
        action=Action.MEMBER_VERIFIED,
        target=str(member),
        member=member,
        details={"from": before, "to": organisation.name},
    )
    return member


@transaction.atomic
@invalidates_public_pages
def set_moderator_role(*, member: User, by: User, moderator: bool) -> User:
    member = account_actions.set_moderator_role(member=member, by=by, moderator=moderator)
    log_moderation(
        actor=by,
        action=Action.MODERATOR_GRANTED if moderator else Action.MODERATOR_REVOKED,
        target=str(member),
        member=member,
    )
    return member
