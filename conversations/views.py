"""«Samtaler»: the list, a conversation, a new one, and what a participant does in one.

Every page starts from Conversation.objects.visible_to(user): a conversation someone does
not take part in answers 404, exactly like one that does not exist, to moderators too."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import moderator_tool
from accounts.models import Organisation, User
from conversations import actions, drafts, permissions
from conversations.forms import NewConversationForm, ReplyForm, ReportForm
from conversations.models import (
    Block,
    Conversation,
    ConversationOrganisation,
    ConversationReport,
    Message,
    MessageAttachment,
    Participant,
)
from forum import ratelimit
from forum.forms import add_errors, form_status
from forum.pagination import capped_page
from forum.query import slug_or_none
from topics import drafts as topic_drafts
from topics import preview
from topics.models import Draft

CONVERSATIONS_PER_PAGE = 30
MESSAGES_SHOWN = 200


def _with_people(conversations, user: User):
    """Who is named in each conversation, which organisations take part, and how far the
    member has read: one query each, however many conversations there are."""
    my_read = Participant.objects.filter(conversation=OuterRef("pk"), user=user)
    return conversations.annotate(
        my_last_read_at=Subquery(my_read.values("last_read_at")[:1])
    ).prefetch_related(
        Prefetch(
            "participants",
            queryset=Participant.objects.filter(is_named=True, left_at__isnull=True)
            .select_related("user__organisation")
            .order_by("pk"),
            to_attr="named",
        ),
        Prefetch(
            "organisation_links",
            queryset=ConversationOrganisation.objects.select_related("organisation"),
            to_attr="organisations",
        ),
    )


def _is_unread(conversation: Conversation) -> bool:
    return (
        conversation.my_last_read_at is None
        or conversation.my_last_read_at < conversation.last_message_at
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = _with_people(Conversation.objects.visible_to(request.user), request.user)
    page = capped_page(conversations, CONVERSATIONS_PER_PAGE, request.GET.get("side"))
    rows = [(c, _is_unread(c)) for c in page.object_list]
    return render(
        request,
        "conversations/list.html",
        {
            "page": page,
            "rows": rows,
            "can_start": permissions.can_start_conversation(request.user),
            "can_view_reports": permissions.can_view_reports(request.user),
        },
    )


def _visible_conversation(request: HttpRequest, pk: int) -> Conversation:
    """The conversation with its people and the member's draft of a reply (`my_draft`), in
    the same query."""
    my_draft = Draft.objects.filter(member=request.user, place=drafts.place(pk))
    return get_object_or_404(
        _with_people(Conversation.objects.visible_to(request.user), request.user).annotate(
            my_draft=Subquery(my_draft.values("body")[:1])
        ),
        pk=pk,
    )


def _conversation_page(
    request: HttpRequest, conversation: Conversation, form: ReplyForm, **context: object
) -> HttpResponse:
    shown = list(
        Message.objects.filter(conversation=conversation)
        .for_display()
        .order_by("-created_at", "-pk")[:MESSAGES_SHOWN]
    )
    shown.reverse()
    named_ids = [p.user_id for p in conversation.named if p.user_id != request.user.pk]
    blocked = set(
        Block.objects.filter(blocker=request.user, blocked_id__in=named_ids).values_list(
            "blocked_id", flat=True
        )
    )
    others = [
        (p.user, p.user_id in blocked) for p in conversation.named if p.user_id != request.user.pk
    ]
    return render(
        request,
        "conversations/conversation.html",
        {
            "conversation": conversation,
            "conversation_messages": [
                (m, permissions.can_report_message(request.user, m)) for m in shown
            ],
            "others": others,
            "form": form if permissions.can_reply(request.user, conversation) else None,
            "unread": _is_unread(conversation),
            "draft_place": drafts.place(conversation),
            **context,
        },
        status=form_status(form),
    )


def _quote(conversation: Conversation, message_pk: str) -> dict[str, str]:
    """The reply form's text quoting ?sitat=<message id>, a message of this conversation."""
    if not message_pk.isdigit():
        return {}
    message = (
        Message.objects.filter(conversation=conversation, pk=int(message_pk))
        .select_related("author")
        .first()
    )
    if message is None:
        return {}
    quoted = "\n".join(f"> {line}" if line else ">" for line in message.body.strip().splitlines())
    name = message.author.display_name if message.author else _("Slettet medlem")
    heading = _("%(name)s skrev") % {"name": name}
    return {"body": f"> **{heading}:**\n>\n{quoted}\n\n"}


@login_required
@require_http_methods(["GET", "HEAD"])
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    found = _visible_conversation(request, pk)
    initial = _quote(found, request.GET.get("sitat", ""))
    if found.my_draft:  # an unsent draft comes back, before a quote the member asked for
        quote = initial.get("body", "")
        initial["body"] = f"{found.my_draft}\n\n{quote}" if quote else found.my_draft
    return _conversation_page(request, found, ReplyForm(initial=initial))


def _keep_draft(request: HttpRequest, found: Conversation, form: ReplyForm) -> HttpResponse:
    """«Lagre utkast» without JavaScript: keep the text and come back to it on the page; an
    error is shown by the field, with the text still there."""
    form.is_valid()  # bound, so a page with an error keeps what was typed
    try:
        kept = topic_drafts.save_draft(
            member=request.user, place=drafts.place(found), body=request.POST.get("body", "")
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            exc = ValidationError({f: e for f, e in exc.error_dict.items() if f not in form.errors})
        add_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    else:
        messages.success(
            request,
            _("Utkastet er lagret. Det står her igjen neste gang du kommer tilbake.")
            if kept
            else _("Utkastet er tomt og slettet."),
        )
        return redirect(f"{found.get_absolute_url()}#svar")
    return _conversation_page(request, found, form)


@login_required
@ratelimit.ratelimit("post")
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    found = _visible_conversation(request, pk)
    if not permissions.can_reply(request.user, found):
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES)
    if preview.is_requested(request):
        shown = preview.render_preview(
            str(form["body"].value() or ""), files_dropped=bool(request.FILES)
        )
        fresh = ReplyForm(initial=preview.kept_values(form))
        return _conversation_page(request, found, fresh, preview=shown)
    if "lagre_utkast" in request.POST:
        return _keep_draft(request, found, form)
    if form.is_valid():
        try:
            message = actions.reply(
                author=request.user,
                conversation=found,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect(message.get_absolute_url())
    return _conversation_page(request, found, form)


def _start_rate(user: User) -> tuple[str, str]:
    """New conversations cost others attention: fewer for members not yet verified."""
    scope = "conversation" if user.organisation_is_verified else "conversation_unverified"
    return scope, settings.FORUM_RATE_LIMITS[scope]


@login_required
@require_http_methods(["GET", "POST"])
def new_conversation(request: HttpRequest) -> HttpResponse:
    if not permissions.can_start_conversation(request.user):
        return render(request, "conversations/cannot_start.html", status=403)
    initial: dict[str, object] = {}
    to = request.GET.get("til", "")
    if to.isdigit():
        member = User.objects.with_public_page().filter(pk=int(to)).first()
        initial["members"] = member.display_name if member else ""
    if slug := slug_or_none(request.GET.get("org")):
        initial["organisation"] = Organisation.objects.filter(slug=slug).first()
    form = NewConversationForm(request.POST or None, request.FILES or None, initial=initial)
    if preview.is_requested(request):
        shown = preview.render_preview(
            str(form["body"].value() or ""), files_dropped=bool(request.FILES)
        )
        fresh = NewConversationForm(initial=preview.kept_values(form))
        return render(request, "conversations/new.html", {"form": fresh, "preview": shown})
    if request.method == "POST" and form.is_valid():
        scope, rate = _start_rate(request.user)
        retry_after = ratelimit.hit(scope, f"user:{request.user.pk}", ratelimit.Rate.parse(rate))
        if retry_after:
            return ratelimit.rate_limited(request, retry_after=retry_after)
        organisation = form.cleaned_data["organisation"]
        try:
            started = actions.start_conversation(
                by=request.user,
                recipients=actions.Recipients(
                    members=form.cleaned_data["members"],
                    organisations=[organisation] if organisation else [],
                ),
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Meldingen er sendt."))
            return redirect(started)
    return render(request, "conversations/new.html", {"form": form}, status=form_status(form))


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Posted by the page's script once it is shown (204), or by «Merk som lest»."""
    found = _visible_conversation(request, pk)
    actions.mark_read(user=request.user, conversation=found)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(found)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    found = _visible_conversation(request, pk)
    actions.leave(user=request.user, conversation=found)
    messages.success(
        request, _("Du har forlatt «%(subject)s». Du ser den ikke lenger.") % {"subject": found}
    )
    return redirect("conversations:list")


@login_required
@require_POST
def block(request: HttpRequest, pk: int) -> HttpResponse:
    """Block or unblock a member; back to the conversation the form was in."""
    member = get_object_or_404(User.objects.with_public_page(), pk=pk)
    if not permissions.can_block(request.user, member):
        raise Http404
    if request.POST.get("action") == "opphev":
        actions.unblock(blocker=request.user, blocked=member)
        messages.success(request, _("%(name)s kan skrive til deg igjen.") % {"name": member})
    else:
        actions.block(blocker=request.user, blocked=member)
        messages.success(
            request,
            _("%(name)s kan ikke lenger starte samtaler med deg.") % {"name": member},
        )
    back = request.POST.get("samtale", "")
    if back.isdigit():
        found = Conversation.objects.visible_to(request.user).filter(pk=int(back)).first()
        if found is not None:
            return redirect(found)
    return redirect("conversations:list")


def _visible_message(request: HttpRequest, pk: int) -> Message:
    return get_object_or_404(
        Message.objects.visible_to(request.user).select_related("author", "conversation"), pk=pk
    )


@login_required
@ratelimit.ratelimit("report")
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    message = _visible_message(request, pk)
    if not permissions.can_report_message(request.user, message):
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report(
                message=message, reporter=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Takk. Moderatorene ser på meldingen."))
            return redirect(message.get_absolute_url())
    return render(
        request,
        "conversations/report.html",
        {"message": message, "form": form},
        status=form_status(form),
    )


@moderator_tool
@login_required
@require_http_methods(["GET", "HEAD"])
def reports(request: HttpRequest) -> HttpResponse:
    """Moderators see each reported message and the report, and nothing else of the
    conversation (not its subject, not the other messages)."""
    if not permissions.can_view_reports(request.user):
        raise Http404
    found = ConversationReport.objects.open().select_related(
        "reporter", "message__author__organisation"
    )
    page = capped_page(found, CONVERSATIONS_PER_PAGE, request.GET.get("side"))
    return render(request, "conversations/reports.html", {"page": page})


@moderator_tool
@login_required
@require_POST
def resolve_report(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_view_reports(request.user):
        raise Http404
    found = get_object_or_404(ConversationReport, pk=pk)
    actions.resolve_report(report=found, by=request.user)
    messages.success(request, _("Rapporten er behandlet."))
    return redirect("conversations:reports")


@require_http_methods(["GET", "HEAD"])
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Only to participants; to anyone else exactly what a missing file answers."""
    found = get_object_or_404(MessageAttachment.objects.visible_to(request.user), pk=pk)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not found.is_image,
        filename=found.name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
