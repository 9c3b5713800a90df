"""What the post editor asks for while a member writes (static/js/editor.js): the preview of
the text. Each answers only members who may post, only to POST (with the CSRF token), and
never into a cache."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forum.ratelimit import ratelimit
from topics import permissions
from topics.preview import render_preview


@never_cache
@ratelimit("preview")
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The rendered text as an HTML fragment, the same the «Forhåndsvis» button shows."""
    if not permissions.can_start_topic(request.user):
        return HttpResponse(status=403)
    shown = render_preview(request.POST.get("body", ""))
    return render(request, "topics/partials/preview_body.html", {"preview": shown})
