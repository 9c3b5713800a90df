from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from directory.models import Sector, System
from forum.forms import form_status
from forum.pagination import capped_page
from notifications import actions, emails
from notifications.forms import DeliveryForm
from notifications.models import DEFAULT_DELIVERY, Notification, NotificationPreference, Watch
from notifications.tokens import read_token
from topics.models import Category, Mute, Topic

NOTIFICATIONS_PER_PAGE = 30


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.for_recipient(request.user).for_display()
    page = capped_page(notifications, NOTIFICATIONS_PER_PAGE, request.GET.get("side"))
    items = [(n, emails.summary(n)) for n in page.object_list]
    return render(request, "notifications/list.html", {"page": page, "items": items})


@login_required
@require_http_methods(["GET", "HEAD"])
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """A link (in the list, in an e-mail) to what the notification is about. A GET writes
    nothing: the notification is read once the member reads the topic there (the topic
    page posts its read mark, notifications.actions.mark_read_in_topic)."""
    notification = get_object_or_404(
        Notification.objects.for_recipient(request.user).select_related("post", "topic"), pk=pk
    )
    return redirect(notification.post or notification.topic)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    actions.mark_all_read(user=request.user)
    messages.success(request, _("Alle varsler er merket som lest."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    preference = NotificationPreference.objects.filter(user=user).first()
    form = DeliveryForm(
        request.POST or None,
        initial={
            "delivery": preference.delivery if preference else DEFAULT_DELIVERY,
            "mentions_when_muted": preference.mentions_when_muted if preference else True,
        },
    )
    if request.method == "POST" and form.is_valid():
        actions.set_delivery(
            user=user,
            delivery=form.cleaned_data["delivery"],
            mentions_when_muted=form.cleaned_data["mentions_when_muted"],
        )
        messages.success(request, _("Varslingsvalget er lagret."))
        return redirect("notifications:preferences")
    watches = (
        Watch.objects.filter(user=user)
        .filter(topic__isnull=True)
        .select_related("category", "sector")
        .order_by("created_at")
    )
    watched_topics = (
        Topic.objects.visible_to(user).filter(watch__user=user).order_by("-last_activity_at")[:100]
    )
    mutes = (
        Mute.objects.filter(member=user)
        .filter(Q(topic__isnull=True) | Q(topic__in=Topic.objects.visible_to(user)))
        .filter(Q(category__isnull=True) | Q(category__in=Category.objects.visible_to(user)))
        .select_related("topic", "category", "sector", "muted_member")
        .order_by("-created_at", "-pk")[:200]
    )
    status = form_status(form)
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "watches": watches,
            "watched_topics": watched_topics,
            "mutes": [(mute, _mute_type(mute)) for mute in mutes],
        },
        status=status,
    )


def _mute_type(mute: Mute) -> str:
    """The type the mute form (topics:mute) names it by."""
    if mute.topic_id:
        return "trad"
    if mute.category_id:
        return "kategori"
    return "sektor" if mute.sector_id else "medlem"


_WATCH_TARGETS = {"trad": "topic", "kategori": "category", "sektor": "sector", "system": "system"}


def _watch_target(request: HttpRequest, kind: str, pk: str) -> object:
    """The thing to watch, looked up through the visibility querysets (404 when hidden)."""
    try:
        pk_int = int(pk)
    except ValueError:
        raise Http404 from None
    if kind == "topic":
        return get_object_or_404(Topic.objects.visible_to(request.user), pk=pk_int)
    if kind == "category":
        return get_object_or_404(Category.objects.visible_to(request.user), pk=pk_int)
    if kind == "system":
        return get_object_or_404(System.objects.visible_to(request.user), pk=pk_int)
    return get_object_or_404(Sector, pk=pk_int)


@login_required
@require_POST
def toggle_watch(request: HttpRequest) -> HttpResponse:
    kind = _WATCH_TARGETS.get(request.POST.get("type", ""))
    if kind is None:
        raise Http404
    target = _watch_target(request, kind, request.POST.get("id", ""))
    try:
        if request.POST.get("action") == "slutt":
            actions.unwatch(user=request.user, **{kind: target})
            messages.success(request, _("Du følger ikke lenger «%(name)s».") % {"name": target})
        else:
            actions.watch(user=request.user, **{kind: target})
            messages.success(request, _("Du følger nå «%(name)s».") % {"name": target})
    except PermissionDenied:
        raise Http404 from None
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(target)


@csrf_exempt  # The signed token is the proof; mail clients' one-click POST carries no cookie.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    parsed = read_token(token)
    if parsed is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        try:
            done = actions.unsubscribe(
                request=parsed, everything=request.POST.get("hva", "alle") != "trad"
            )
        except PermissionDenied:
            return render(request, "notifications/unsubscribe_invalid.html", status=400)
        return render(request, "notifications/unsubscribe_done.html", {"done": done})
    return render(
        request,
        "notifications/unsubscribe.html",
        {"token": token, "has_topic": parsed.topic_id is not None},
    )
