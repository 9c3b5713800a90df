"""A member's own parts of pages that members share (forum/member_cache.py): the header's
account part (unread notifications, name, sign-out) and the watch buttons, rendered by the
same partials as on every other page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from forum.member_cache import csrf_token, hole_renderer, member
from notifications import permissions, unread
from notifications.models import Watch

_KINDS = {"topic": "trad", "category": "kategori", "sector": "sektor", "system": "system"}


@hole_renderer("account")
def account(request: HttpRequest, args: list[str]) -> dict[str, str]:
    html = render_to_string(
        "partials/header_account.html",
        {
            "user": member(request),
            "unread_notification_count": unread.count(member(request)),
            "csrf_token": csrf_token(request),
        },
    )
    return dict.fromkeys(args, html)


@hole_renderer("watch")
def watch_buttons(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """Args are "kind:pk", as `{% watch_button %}` writes them."""
    token = csrf_token(request)
    buttons = {}
    for arg in args:
        kind, pk = arg.split(":")
        buttons[arg] = render_watch_button(request, kind, int(pk), token)
    return buttons


def render_watch_button(request: HttpRequest, kind: str, target_pk: int, token: str) -> SafeString:
    """The member's button for the `kind` ("topic", "category", …) with this pk."""
    user = member(request)
    if not permissions.can_watch(user):
        context = {"show": False}
    else:
        context = {
            "show": True,
            "watching": Watch.objects.filter(user=user, **{f"{kind}_id": target_pk}).exists(),
            "kind": _KINDS[kind],
            "target": {"pk": target_pk},
            "next": request.get_full_path(),
            "csrf_token": token,
        }
    return mark_safe(render_to_string("notifications/partials/watch_button.html", context))
