"""The header's account part, and the watch button for topic, category, sector and system
pages (one query per button): notifications/buttons.py writes both."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from forum import member_cache
from notifications import buttons
from notifications.holes import render_watch_button

register = template.Library()


@register.simple_tag(takes_context=True)
def watch_button(context: template.Context, target: object, kind: str) -> SafeString:
    """`{% watch_button category "category" %}`; on a page that members share
    (forum/member_cache.py) a hole, filled in by notifications.holes."""
    request = context["request"]
    button = render_watch_button(request, kind, target.pk, context.get("csrf_token"))
    if member_cache.is_storing(request):
        return mark_safe(member_cache.marked("watch", f"{kind}:{target.pk}", button))
    return button


@register.simple_tag(takes_context=True)
def header_account(context: template.Context) -> SafeString:
    """The signed-in header's notifications link, name and «Logg ut»."""
    count = context.get("unread_notification_count", 0)
    return buttons.header_account(
        context["user"], count() if callable(count) else count, str(context.get("csrf_token", ""))
    )
