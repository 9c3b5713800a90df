"""Moderators' pages: topic tools, the queue (reports and approvals), the log, members.

Views stay thin: they check access, hand the input to topics.moderation.actions and
redirect, or show the form again with its errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions as account_permissions
from accounts.decorators import moderator_tool
from accounts.models import User
from forum.forms import add_errors, form_status
from forum.ratelimit import ratelimit
from topics import permissions
from topics.actions import EditConflict
from topics.models import Category, ModerationLogEntry, Post, Report, Topic
from topics.moderation import actions as mod
from topics.moderation.forms import (
    CloseTopicForm,
    DeleteTopicForm,
    EditTopicForm,
    LogFilterForm,
    MergeTopicForm,
    MoveTopicForm,
    ReportForm,
    ResolveReportForm,
    SilenceForm,
    SplitTopicForm,
    SuspendForm,
    VerifyMemberForm,
)


def _require_moderator(request: HttpRequest) -> None:
    if not permissions.can_view_moderation(request.user):
        raise PermissionDenied


def _moderated_topic(request: HttpRequest, pk: int) -> Topic:
    """404 when the user cannot see the topic, 403 when they see it but do not moderate."""
    topic = get_object_or_404(
        Topic.objects.visible_to(request.user).select_related("category"), pk=pk
    )
    if not permissions.can_moderate_topic(request.user, topic):
        raise PermissionDenied
    return topic


# ---- Topic tools ----------------------------------------------------------------


def _post_choices(topic: Topic) -> list[tuple[int, str]]:
    posts = Post.objects.filter(topic=topic).select_related("author").order_by("position")[:500]
    return [(p.pk, f"#{p.position} {p.author.display_name}: {p.body[:80]}") for p in posts]


def _tool_forms(request: HttpRequest, topic: Topic, bound: str = "") -> dict[str, forms.Form]:
    data = request.POST if request.method == "POST" else None
    categories = Category.objects.visible_to(request.user).exclude(pk=topic.category_id)

    def d(name: str) -> Any:
        return data if name == bound else None

    return {
        "lukk": CloseTopicForm(d("lukk"), prefix="lukk"),
        "flytt": MoveTopicForm(d("flytt"), prefix="flytt", categories=categories),
        "slaa_sammen": MergeTopicForm(d("slaa_sammen"), prefix="slaa_sammen"),
        "del": SplitTopicForm(d("del"), prefix="del", post_choices=_post_choices(topic)),
        "rediger": EditTopicForm(
            d("rediger"),
            prefix="rediger",
            initial={
                "title": topic.title,
                "sectors": list(topic.tags.all()),
                "version": topic.version,
            },
        ),
        "slett": DeleteTopicForm(d("slett"), prefix="slett"),
    }


def _run_tool(name: str, request: HttpRequest, topic: Topic, data: dict) -> tuple[object, str]:
    user = request.user
    if name == "lukk":
        return mod.close_topic(topic=topic, by=user, reason=data["reason"]), _("Tråden er lukket.")
    if name == "flytt":
        mod.move_topic(topic=topic, by=user, category=data["category"], reason=data["reason"])
        return topic, _("Tråden er flyttet.")
    if name == "slaa_sammen":
        into = Topic.objects.filter(pk=data["into"]).first()
        if into is None:
            raise ValidationError({"into": _("Fant ingen tråd med dette nummeret.")})
        target = mod.merge_topic(topic=topic, into=into, by=user, reason=data["reason"])
        return target, _("Trådene er slått sammen.")
    if name == "del":
        posts = Post.objects.filter(topic=topic, pk__in=data["posts"])
        new = mod.split_topic(
            topic=topic, by=user, posts=posts, title=data["title"], reason=data["reason"]
        )
        return new, _("Innleggene er skilt ut i en ny tråd.")
    if name == "rediger":
        if data["version"] is None:  # a form from before versions: unknown, so stale
            raise EditConflict(topic=topic)
        mod.edit_topic(
            topic=topic,
            by=user,
            title=data["title"],
            sectors=data["sectors"],
            version=data["version"],
        )
        return topic, _("Tittel og sektorer er lagret.")
    if name == "slett":
        mod.delete_topic(topic=topic, by=user, reason=data["reason"])
        return topic, _("Tråden er slettet. Den kan gjenopprettes.")
    raise Http404


@moderator_tool
@login_required
@require_http_methods(["GET", "HEAD"])
def topic_tools(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _moderated_topic(request, pk)
    return render(
        request,
        "topics/moderation/tools.html",
        {"topic": topic, "tools": _tool_forms(request, topic)},
    )


@moderator_tool
@login_required
@require_POST
def topic_tool(request: HttpRequest, pk: int, tool: str) -> HttpResponse:
    topic = _moderated_topic(request, pk)
    tool = tool.replace("-", "_")
    tools = _tool_forms(request, topic, bound=tool)
    form = tools.get(tool)
    if form is None:
        raise Http404
    if form.is_valid():
        try:
            result, message = _run_tool(tool, request, topic, form.cleaned_data)
        except EditConflict:
            tools[tool] = _stale_edit_form(request, topic)
            return render(
                request,
                "topics/moderation/tools.html",
                {"topic": topic, "tools": tools, "bound": tool},
                status=409,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(result)
    return render(
        request,
        "topics/moderation/tools.html",
        {"topic": topic, "tools": tools, "bound": tool},
        status=400,
    )


def _stale_edit_form(request: HttpRequest, topic: Topic) -> EditTopicForm:
    """What the moderator typed, now carrying the newer version, and what the title is now."""
    topic.refresh_from_db(fields=["title", "slug", "version"])
    data = request.POST.copy()
    data["rediger-version"] = topic.version
    form = EditTopicForm(data, prefix="rediger")
    form.is_valid()
    form.add_error(
        None,
        _(
            "Noen har endret tittelen eller sektorene mens du hadde skjemaet åpent. Tittelen "
            "er nå «%(title)s». Det du skrev, står i skjemaet: lagre på nytt for å bruke det."
        )
        % {"title": topic.title},
    )
    return form


_SWITCHES: dict[str, tuple[Callable[..., Topic], dict[str, bool], Promise]] = {
    "anbefal": (mod.set_curated, {"curated": True}, gettext_lazy("Tråden er merket som anbefalt.")),
    "fjern-anbefaling": (
        mod.set_curated,
        {"curated": False},
        gettext_lazy("Tråden er ikke lenger anbefalt."),
    ),
    "fest-i-kategori": (
        mod.set_pinned_in_category,
        {"pinned": True},
        gettext_lazy("Tråden er festet i kategorien."),
    ),
    "losne-i-kategori": (
        mod.set_pinned_in_category,
        {"pinned": False},
        gettext_lazy("Tråden er ikke lenger festet i kategorien."),
    ),
    "gjenapne": (mod.reopen_topic, {}, gettext_lazy("Tråden er åpnet igjen.")),
    "gjenopprett": (mod.restore_topic, {}, gettext_lazy("Tråden er gjenopprettet.")),
}


@moderator_tool
@login_required
@require_POST
def topic_switch(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _moderated_topic(request, pk)
    try:
        action, arguments, message = _SWITCHES[request.POST.get("action", "")]
    except KeyError:
        raise Http404 from None
    try:
        action(topic=topic, by=request.user, **arguments)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect(topic)


# ---- Reports --------------------------------------------------------------------


@login_required
@ratelimit("report")
@require_http_methods(["GET", "POST"])
def report_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(
        Post.objects.visible_to(request.user).select_related("topic", "author"), pk=pk
    )
    if not permissions.can_report_post(request.user, post):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mod.report_post(
                post=post,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Takk! Moderatorene ser på innlegget, og du får beskjed når det er gjort."),
            )
            return redirect(post)
    status = form_status(form)
    return render(
        request, "topics/moderation/report.html", {"post": post, "form": form}, status=status
    )


@moderator_tool
@login_required
@require_http_methods(["GET", "HEAD"])
def queue(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    open_reports = Report.objects.filter(status=Report.Status.OPEN).select_related(
        "reporter__organisation"
    )
    reported = (
        Post.objects.filter(reports__status=Report.Status.OPEN)
        .annotate(open_reports=Count("reports", filter=Q(reports__status=Report.Status.OPEN)))
        .select_related("topic", "author__organisation", "hidden_by")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_report_list"))
        .order_by("-open_reports", "pk")
        .distinct()
    )
    awaiting = (
        Post.objects.awaiting_approval()
        .select_related("topic", "author__organisation")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "topics/moderation/queue.html",
        {"reported": list(reported), "awaiting": list(awaiting)},
    )


@moderator_tool
@login_required
@require_POST
def resolve_reports(request: HttpRequest, pk: int) -> HttpResponse:
    _require_moderator(request)
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    form = ResolveReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Velg om innlegget skal skjules eller rapporten avvises."))
        return redirect("moderation:queue")
    hide = form.cleaned_data["decision"] == "hide"
    try:
        mod.resolve_reports(
            post=post, by=request.user, hide=hide, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Innlegget er skjult, og de som rapporterte har fått beskjed.")
            if hide
            else _("Rapporten er avvist, og de som rapporterte har fått beskjed."),
        )
    return redirect("moderation:queue")


@moderator_tool
@login_required
@require_POST
def approve_post(request: HttpRequest, pk: int) -> HttpResponse:
    _require_moderator(request)
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if request.POST.get("decision") == "reject":
            mod.reject_post(post=post, by=request.user, reason=reason)
            messages.success(request, _("Innlegget er avvist. Forfatteren ser grunnen."))
        else:
            mod.approve_post(post=post, by=request.user)
            messages.success(request, _("Innlegget er godkjent og publisert."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("moderation:queue")


# ---- Log ----------------------------------------------------------------------


@moderator_tool
@login_required
@require_http_methods(["GET", "HEAD"])
def log(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    form = LogFilterForm(request.GET or None)
    entries = ModerationLogEntry.objects.for_log_page()
    if form.is_valid():
        if action := form.cleaned_data["action"]:
            entries = entries.filter(action=action)
        if actor := form.cleaned_data["actor"]:
            entries = entries.filter(actor_id=actor)
        if q := form.cleaned_data["q"].strip():
            entries = entries.filter(Q(target__icontains=q) | Q(reason__icontains=q))
    page = Paginator(entries, 50).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "topics/moderation/log.html",
        {"form": form, "page": page, "entries": page.object_list, "query": query.urlencode()},
    )


# ---- Members ------------------------------------------------------------------


@moderator_tool
@login_required
@require_http_methods(["GET", "HEAD"])
def members(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    q = request.GET.get("q", "").strip()[:100]
    people = User.objects.select_related("organisation").order_by("display_name", "pk")
    if q:
        people = people.filter(
            Q(display_name__icontains=q)
            | Q(email__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    else:
        people = people.filter(
            Q(silenced_until__isnull=False)
            | Q(suspended_at__isnull=False)
            | Q(organisation_verification="")
        )
    page = Paginator(people, 50).get_page(request.GET.get("side"))
    return render(
        request,
        "topics/moderation/members.html",
        {"q": q, "page": page, "people": page.object_list},
    )


def _member_forms(request: HttpRequest, member: User, bound: str = "") -> dict[str, forms.Form]:
    def d(name: str) -> Any:
        return request.POST if name == bound else None

    return {
        "skrivepause": SilenceForm(d("skrivepause"), prefix="skrivepause"),
        "utesteng": SuspendForm(d("utesteng"), prefix="utesteng"),
        "verifiser": VerifyMemberForm(
            d("verifiser"), prefix="verifiser", initial={"organisation": member.organisation_id}
        ),
    }


def _member_context(request: HttpRequest, member: User, member_forms: dict) -> dict:
    return {
        "member": member,
        "forms": member_forms,
        "can_sanction": account_permissions.can_sanction_member(request.user, member),
        "can_change_role": account_permissions.can_change_moderator_role(request.user, member),
        "history": ModerationLogEntry.objects.filter(member=member).select_related("actor")[:20],
    }


@moderator_tool
@login_required
@require_http_methods(["GET", "HEAD"])
def member(request: HttpRequest, pk: int) -> HttpResponse:
    _require_moderator(request)
    member = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    return render(
        request,
        "topics/moderation/member.html",
        _member_context(request, member, _member_forms(request, member)),
    )


@moderator_tool
@login_required
@require_POST
def member_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    _require_moderator(request)
    member = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    by = request.user
    switches: dict[str, tuple[Callable[..., User], dict, str]] = {
        "opphev-skrivepause": (mod.lift_silence, {}, _("Skrivepausen er opphevet.")),
        "opphev-utestenging": (mod.lift_suspension, {}, _("Utestengingen er opphevet.")),
        "gi-moderator": (mod.set_moderator_role, {"moderator": True}, _("Medlemmet er moderator.")),
        "fjern-moderator": (
            mod.set_moderator_role,
            {"moderator": False},
            _("Medlemmet er ikke lenger moderator."),
        ),
    }
    if verb in switches:
        action, arguments, message = switches[verb]
        action(member=member, by=by, **arguments)
        messages.success(request, message)
        return redirect("moderation:member", pk=member.pk)
    member_forms = _member_forms(request, member, bound=verb)
    form = member_forms.get(verb)
    if form is None:
        raise Http404
    if form.is_valid():
        data = form.cleaned_data
        try:
            if verb == "skrivepause":
                mod.silence_member(member=member, by=by, until=data["until"], reason=data["reason"])
                message = _("Medlemmet har skrivepause.")
            elif verb == "utesteng":
                mod.suspend_member(member=member, by=by, reason=data["reason"])
                message = _("Medlemmet er utestengt.")
            else:
                mod.verify_member(member=member, by=by, organisation=data["organisation"])
                message = _("Medlemmet er verifisert.")
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("moderation:member", pk=member.pk)
    return render(
        request,
        "topics/moderation/member.html",
        _member_context(request, member, member_forms),
        status=400,
    )
