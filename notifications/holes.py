"""A member's own parts of pages that members share (forum/member_cache.py): the header's
account part (unread notifications, name, sign-out) and the watch buttons, rendered by the
same functions as on every other page (notifications/buttons.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from forum import sql
from forum.member_cache import csrf_token, hole_query, hole_renderer, hole_rows, member
from notifications import buttons, permissions, unread
from notifications.models import Watch

_KINDS = {"topic": "trad", "category": "kategori", "sector": "sektor", "system": "system"}


@hole_renderer("account")
def account(request: HttpRequest, args: list[str]) -> dict[str, str]:
    user = member(request)
    html = buttons.header_account(user, unread.count(user), csrf_token(request))
    return dict.fromkeys(args, html)


@hole_query("watch")
def _watching_query(request: HttpRequest, args: list[str]) -> tuple[str, list[object]]:
    """Args are "kind:pk", as `{% watch_button %}` writes them: a row (index, 1) for each
    that the member follows."""
    statements, params = [], []
    for index, arg in enumerate(args):
        kind, pk = arg.split(":")
        statements.append(
            f"SELECT {index} AS a, 1 AS b, {sql.NULL_INTEGER} AS c"  # noqa: S608
            f" FROM {sql.table(Watch)} WHERE {sql.column(Watch, 'user')} = %s"
            f" AND {sql.column(Watch, kind)} = %s"
        )
        params += [member(request).pk, int(pk)]
    return " UNION ALL ".join(statements), params


@hole_renderer("watch")
def watch_buttons(request: HttpRequest, args: list[str]) -> dict[str, str]:
    token = csrf_token(request)
    followed = {index for index, _b, _c in hole_rows(request, "watch")}
    buttons = {}
    for index, arg in enumerate(args):
        kind, pk = arg.split(":")
        buttons[arg] = render_watch_button(request, kind, int(pk), token, index in followed)
    return buttons


def render_watch_button(
    request: HttpRequest, kind: str, target_pk: int, token: str, watching: bool | None = None
) -> SafeString:
    """The member's button for the `kind` ("topic", "category", …) with this pk; whether
    they follow it is read unless `watching` says."""
    user = member(request)
    if not permissions.can_watch(user):
        return mark_safe("")
    return buttons.watch_button(
        kind=_KINDS[kind],
        target_pk=target_pk,
        watching=Watch.objects.is_watching(user.pk, kind, target_pk)
        if watching is None
        else watching,
        next_url=request.get_full_path(),
        csrf_token=token,
    )
