"""Serving an attached file: only to someone who may see its post (a draft: only to the member
who uploaded it); and taking a file pasted or dropped into a text that is not sent yet."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from forum.ratelimit import ratelimit
from topics import permissions
from topics.attachments import actions as attachment_actions
from topics.models import Attachment


@require_http_methods(["GET", "HEAD"])
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A file in a closed category answers 404, exactly like a file that does not exist."""
    attachment = get_object_or_404(
        Attachment.objects.visible_to(request.user).select_related("post"), pk=pk
    )
    if (
        attachment.post
        and attachment.post.is_hidden
        and not permissions.can_see_hidden_post(request.user, attachment.post)
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


@never_cache
@ratelimit("upload")
@require_POST
def upload_draft(request: HttpRequest) -> JsonResponse:
    """The editor's upload (static/js/editor.js): the file's address and the Markdown to put
    into the text, or the reason it was refused, as JSON. Never a redirect to sign in: the
    page that asks shows the answer."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Logg inn for å laste opp filer.")}, status=403)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": _("Filen kom ikke fram. Prøv igjen.")}, status=400)
    try:
        attachment = attachment_actions.upload_draft(by=request.user, upload=upload)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse(
        {
            "id": attachment.pk,
            "url": attachment.get_absolute_url(),
            "name": attachment.name,
            "is_image": attachment.is_image,
            "markdown": attachment_actions.markdown_for(attachment),
        },
        status=201,
    )
