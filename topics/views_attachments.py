"""Serving an attached file: only to someone who may see its post."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from topics import permissions
from topics.models import Attachment, Post


@require_http_methods(["GET", "HEAD"])
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A file in a closed category answers 404, exactly like a file that does not exist."""
    attachment = get_object_or_404(
        Attachment.objects.filter(post__in=Post.objects.visible_to(request.user)).select_related(
            "post"
        ),
        pk=pk,
    )
    if attachment.post.is_hidden and not permissions.can_see_hidden_post(
        request.user, attachment.post
    ):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not attachment.is_image,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even an image opened on its own can run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
