"""A member's own parts of pages that members share (forum/member_cache.py): the header's
account part (unread notifications, name, sign-out) and the watch buttons, rendered by the
same functions as on every other page (notifications/buttons.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from forum.member_cache import csrf_token, hole_renderer, member
from notifications import buttons, permissions, unread
from notifications.models import Watch

_KINDS = {"topic": "trad", "category": "kategori", "sector": "sektor", "system": "system"}


@hole_renderer("account")
def account(request: HttpRequest, args: list[str]) -> dict[str, str]:
    user = member(request)
    html = buttons.header_account(user, unread.count(user), csrf_token(request))
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
        return mark_safe("")
    return buttons.watch_button(
        kind=_KINDS[kind],
        target_pk=target_pk,
        watching=Watch.objects.is_watching(user.pk, kind, target_pk),
        next_url=request.get_full_path(),
        csrf_token=token,
    )
