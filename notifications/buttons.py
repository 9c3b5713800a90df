"""The header's account part (notifications with the unread count, the member's name,
«Logg ut») and the watch buttons, written in Python rather than as template partials: the
header is on every page a member reads, and on the pages members share
(forum/member_cache.py) both are filled in again for each member on every hit, where the
template engine cost more than the rest of what the page does for them. The page's
templates (through `notification_tags`) and the holes (notifications/holes.py) call these
same functions, so the two cannot differ."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop, ngettext

from forum.urls_cache import object_url

_FOLLOW = {
    "trad": gettext_noop("Følg tråden"),
    "kategori": gettext_noop("Følg kategorien"),
    "system": gettext_noop("Følg systemet"),
    "sektor": gettext_noop("Følg sektoren"),
}


def _csrf_input(token: str) -> SafeString:
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def header_account(user, unread_count: int, csrf_token: str) -> SafeString:
    badge = ""
    if unread_count:
        badge = format_html(
            ' <span class="ds-badge" data-color="danger" data-count="{}">'
            '<span class="visually-hidden">{}</span></span>',
            unread_count,
            ngettext("%(counter)s ulest", "%(counter)s uleste", unread_count)
            % {"counter": unread_count},
        )
    return format_html(
        '<a class="header-notifications" href="{}">{}{}</a>\n'
        '          <a href="{}">{}</a>\n'
        '          <form method="post" action="{}">{}'
        '<button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">{}'
        "</button></form>",
        object_url("notifications:list"),
        gettext("Varsler"),
        badge,
        object_url("accounts:profile"),
        user.display_name or user.email,
        object_url("account_logout"),
        _csrf_input(csrf_token),
        gettext("Logg ut"),
    )


def watch_button(
    *, kind: str, target_pk: int, watching: bool, next_url: str, csrf_token: str
) -> SafeString:
    """`kind` as the watch view names it: "trad", "kategori", "sektor" or "system"."""
    if watching:
        button = format_html(
            '<button class="ds-button" data-variant="secondary" data-size="sm" name="action"'
            ' value="slutt" type="submit" aria-pressed="true">{} · {}</button>',
            gettext("Følger"),
            gettext("Slutt å følge"),
        )
    else:
        button = format_html(
            '<button class="ds-button" data-variant="secondary" data-size="sm" name="action"'
            ' value="folg" type="submit">{}</button>',
            gettext(_FOLLOW[kind]),
        )
    return format_html(
        '<form class="inline-form watch-form" method="post" action="{}">{}'
        '<input type="hidden" name="type" value="{}">'
        '<input type="hidden" name="id" value="{}">'
        '<input type="hidden" name="next" value="{}">{}</form>',
        object_url("notifications:watch"),
        _csrf_input(csrf_token),
        kind,
        target_pk,
        next_url,
        button,
    )
