"""A member's own pages: drafts, bookmarks, and muting. Nothing here is public or shared."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from directory.models import Sector
from forum.forms import add_errors, form_status
from forum.pagination import capped_page
from forum.ratelimit import ratelimit
from topics import bookmarks, drafts, muting
from topics.forms import BookmarkForm, DraftForm
from topics.models import Bookmark, Category, Draft, Post, Topic

PER_PAGE = 30


# ---- Drafts --------------------------------------------------------------------------


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(message) for message in exc.messages)


@login_required
@ratelimit("draft")
@require_POST
def save_draft(request: HttpRequest) -> JsonResponse:
    """static/js/drafts.js posts the form's text here every few seconds. JSON both ways; an
    error says why, and nothing is stored."""
    form = DraftForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _("Utkastet kunne ikke lagres.")}, status=400)
    try:
        draft = drafts.save_draft(
            member=request.user,
            place=form.cleaned_data["place"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
    except ValidationError as exc:
        return JsonResponse({"error": _error_text(exc)}, status=400)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    if draft is None:
        return JsonResponse({"saved": False})
    saved_at = formats.time_format(timezone.localtime(draft.updated_at), "H:i")
    return JsonResponse(
        {"saved": True, "message": _("Utkast lagret kl. %(time)s") % {"time": saved_at}}
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def draft_list(request: HttpRequest) -> HttpResponse:
    page = capped_page(
        Draft.objects.filter(member=request.user).order_by("-updated_at", "-pk"),
        PER_PAGE,
        request.GET.get("side"),
    )
    listed = drafts.my_drafts(request.user, page.object_list)
    return render(request, "topics/drafts.html", {"page": page, "drafts": listed})


@login_required
@require_POST
def delete_draft(request: HttpRequest, pk: int) -> HttpResponse:
    if not drafts.delete_draft(member=request.user, pk=pk):
        raise Http404
    messages.success(request, _("Utkastet er slettet."))
    return redirect("topics:drafts")


# ---- Bookmarks -----------------------------------------------------------------------


_BOOKMARK_TARGETS = {"trad": "topic", "innlegg": "post"}


@login_required
@require_http_methods(["GET", "HEAD"])
def bookmark_list(request: HttpRequest) -> HttpResponse:
    listed = Bookmark.objects.visible_to(request.user).for_listing().order_by("-created_at", "-pk")
    page = capped_page(listed, PER_PAGE, request.GET.get("side"))
    return render(request, "topics/bookmarks.html", {"page": page, "bookmarks": page.object_list})


@login_required
@require_POST
def add_bookmark(request: HttpRequest) -> HttpResponse:
    kind = _BOOKMARK_TARGETS.get(request.POST.get("type", ""))
    try:
        pk = int(request.POST.get("id", ""))
    except ValueError:
        raise Http404 from None
    if kind == "topic":
        target = get_object_or_404(Topic.objects.visible_to(request.user), pk=pk)
    elif kind == "post":
        target = get_object_or_404(Post.objects.visible_to(request.user), pk=pk, is_hidden=False)
    else:
        raise Http404
    try:
        found = bookmarks.bookmark(member=request.user, **{kind: target})
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request, _("Bokmerket er lagret. Her kan du skrive et notat og velge en påminnelse.")
    )
    return redirect("topics:bookmark", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit_bookmark(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Bookmark.objects.visible_to(request.user).for_listing(), pk=pk)
    initial = {
        "note": found.note,
        "remind_at": timezone.localtime(found.remind_at) if found.remind_at else None,
    }
    form = BookmarkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bookmarks.update_bookmark(
                bookmark=found,
                note=form.cleaned_data["note"],
                remind_at=form.cleaned_data["remind_at"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Bokmerket er lagret."))
            return redirect("topics:bookmarks")
    return render(
        request,
        "topics/bookmark_edit.html",
        {"bookmark": found, "form": form},
        status=form_status(form),
    )


@login_required
@require_POST
def remove_bookmark(request: HttpRequest, pk: int) -> HttpResponse:
    if not bookmarks.remove_bookmark(member=request.user, pk=pk):
        raise Http404
    messages.success(request, _("Bokmerket er fjernet."))
    return _back(request, "topics:bookmarks")


# ---- Muting --------------------------------------------------------------------------


_MUTE_TARGETS = {"trad": "topic", "kategori": "category", "sektor": "sector", "medlem": "member"}


def _mute_target(request: HttpRequest, kind: str, pk: str) -> tuple[str, object]:
    """The field and the thing, looked up through the visibility querysets (404 when hidden)."""
    try:
        pk_int = int(pk)
    except ValueError:
        raise Http404 from None
    if kind == "topic":
        return "topic", get_object_or_404(Topic.objects.visible_to(request.user), pk=pk_int)
    if kind == "category":
        return "category", get_object_or_404(Category.objects.visible_to(request.user), pk=pk_int)
    if kind == "sector":
        return "sector", get_object_or_404(Sector, pk=pk_int)
    return "muted_member", get_object_or_404(User.objects.with_public_page(), pk=pk_int)


def _back(request: HttpRequest, fallback: str, **kwargs: object) -> HttpResponse:
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(fallback, **kwargs)


@login_required
@require_POST
def toggle_mute(request: HttpRequest) -> HttpResponse:
    kind = _MUTE_TARGETS.get(request.POST.get("type", ""))
    if kind is None:
        raise Http404
    field, target = _mute_target(request, kind, request.POST.get("id", ""))
    name = getattr(target, "display_name", None) or str(target)
    if request.POST.get("action") == "opphev":
        muting.unmute(member=request.user, **{field: target})
        messages.success(request, _("«%(name)s» er ikke lenger dempet.") % {"name": name})
    else:
        try:
            muting.mute(member=request.user, **{field: target})
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("«%(name)s» er dempet: du ser det ikke i listene og blir ikke varslet om det.")
                % {"name": name},
            )
    return _back(request, "notifications:preferences")
