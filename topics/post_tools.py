"""The small parts of topic lists and topic pages that are each member's own: «N nye» on a
topic row, and on each post the «Nyttig», «Rediger» and «Rapporter» buttons.

They are written here in Python rather than as template partials. A topic page shows three
per post, and the members' shared pages (forum/member_cache.py) render them again for each
member on every page they read, where the template engine cost more than everything else
the page does for them. The page's templates (through the tags in `forum_tags`) and the
holes of the shared pages (topics/holes.py) call these same functions, so the two cannot
differ.
"""

from __future__ import annotations

import functools
from html import escape
from types import SimpleNamespace

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from forum.urls_cache import object_url
from topics import permissions

_EMPTY = mark_safe("")


def unread_link(topic_pk: int, unread_count: int | None) -> SafeString:
    """«N nye» on a topic row: where the member's unread posts begin."""
    if not unread_count or unread_count <= 0:
        return _EMPTY
    return format_html(
        '<a class="ds-tag unread-link" data-color="accent" href="{}">{}</a>',
        object_url("topics:first_unread", pk=topic_pk),
        ngettext("%(counter)s nytt", "%(counter)s nye", unread_count) % {"counter": unread_count},
    )


@functools.lru_cache(maxsize=32)
def _words(language: str | None) -> SimpleNamespace:
    """The buttons' words in one language, translated and escaped once (a topic page shows
    sixty buttons; `format_html` for each cost a tenth of a shared page's time)."""
    return SimpleNamespace(
        useful=escape(gettext("Nyttig")),
        undo=escape(gettext("trykk for å angre")),
        edit=escape(gettext("Rediger")),
        report=escape(gettext("Rapporter")),
    )


def useful_button(post, user, csrf_token: str) -> SafeString:
    """«Nyttig» (pressed or not) on others' posts for members who may post; on one's own, or
    for anyone else, how many found it useful. `post.marked_useful`: this member's mark."""
    count = int(post.useful_count)
    if permissions.can_mark_useful(user, post):
        words = _words(get_language())
        if getattr(post, "marked_useful", False):
            button = (
                '<button class="ds-button useful-button" data-variant="secondary" data-size="sm"'
                ' name="action" value="angre" type="submit" aria-pressed="true">'
                f'{words.useful} · {count}<span class="visually-hidden"> ({words.undo})</span>'
                "</button>"
            )
        else:
            button = (
                '<button class="ds-button useful-button" data-variant="tertiary" data-size="sm"'
                ' name="action" value="nyttig" type="submit" aria-pressed="false">'
                f"{words.useful} · {count}</button>"
            )
        url = escape(object_url("topics:mark_useful", pk=post.pk))
        return mark_safe(  # every value in it is escaped or an int
            f'<form class="inline-form" method="post" action="{url}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
            f"{button}</form>"
        )
    if count:
        return format_html(
            '<span class="meta useful-count">{}</span>',
            ngettext(
                "%(counter)s synes dette er nyttig", "%(counter)s synes dette er nyttig", count
            )
            % {"counter": count},
        )
    return _EMPTY


def edit_link(post, user) -> SafeString:
    """«Rediger» on what the member may edit (their own posts)."""
    if not permissions.can_edit_post(user, post):
        return _EMPTY
    href = object_url("topics:edit_post", pk=post.pk)
    return _tool_link(href, _words(get_language()).edit)


def report_link(post, user) -> SafeString:
    """«Rapporter» on others' visible posts."""
    if not permissions.can_report_post(user, post):
        return _EMPTY
    href = object_url("moderation:report_post", pk=post.pk)
    return _tool_link(href, _words(get_language()).report)


def _tool_link(href: str, label: str) -> SafeString:
    """`label`: already escaped."""
    return mark_safe(  # both values escaped
        f'<a class="ds-button" data-variant="tertiary" data-size="sm" href="{escape(href)}">'
        f"{label}</a>"
    )
