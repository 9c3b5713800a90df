from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import moderator_tool
from accounts.models import User
from directory.models import Sector, System
from forum import kept_text
from forum.forms import add_errors, form_status
from forum.page_cache import category_tag, public_page, sector_tag, topic_tag
from forum.pagination import capped_page, page_number
from forum.query import slug_or_none
from forum.ratelimit import ratelimit
from topics import actions, drafts, fragments, permissions, poll_forms, preview
from topics.forms import EditPostForm, HidePostForm, ReplyForm, TopicForm, blank_reply_form
from topics.models import Category, Draft, ModerationLogEntry, Post, Topic
from topics.poll_forms import PollForm
from topics.views import polls as poll_views
from topics.views import questions


def _page_of(request: HttpRequest, queryset, per_page: int):
    return capped_page(queryset, per_page, request.GET.get("side"))


def _visible_topic(request: HttpRequest, pk: int, *, for_page: bool = False) -> Topic:
    """The topic, or 404 whether it is missing or hidden from this user (same answer).

    For the topic page it also brings who marked the answer and how far the member has read.
    """
    topics = Topic.objects.visible_to(request.user).select_related("category", "workshop")
    if for_page:
        topics = (
            topics.select_related("solved_by", "poll")
            .with_read_state(request.user)
            .with_page_flags()
            .with_personal_state(request.user)
        )
    topic = get_object_or_404(topics, pk=pk)
    permissions.remember_category_visible(request.user, topic.category)
    return topic


def _preview_page(
    request: HttpRequest, template: str, sent: object, fresh: object, **context: object
) -> HttpResponse:
    """The form as it was sent, with the rendered text above it; nothing is saved."""
    shown = preview.render_preview(
        str(sent["body"].value() or ""), files_dropped=bool(request.FILES)
    )
    response = render(request, template, {"form": fresh, "preview": shown, **context})
    return kept_text.private(response)


def _keep_draft(
    request: HttpRequest, form, *, place: str, back: str, template: str, **context: object
) -> HttpResponse:
    """«Lagre utkast» without JavaScript: keep the text as the member's draft and come back to
    the form with it in place; an error is shown by its field, with the text still there."""
    form.is_valid()  # bound, so a page with an error keeps what was typed
    try:
        kept = drafts.save_draft(
            member=request.user,
            place=place,
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
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
        return redirect(back)
    context.update(form=form, draft_place=place)
    return render(request, template, context, status=400)


def _fill_from_draft(form, draft: Draft | None) -> None:
    """An unsent draft goes into the empty form (before a quote the member asked for)."""
    if draft is None:
        return
    quote = form.initial.get("body", "")
    form.initial["body"] = f"{draft.body}\n\n{quote}" if quote else draft.body
    if draft.title and "title" in form.fields:
        form.initial["title"] = draft.title


def _topic_list(request: HttpRequest, topics, template: str, **context: object) -> HttpResponse:
    topics = topics.not_muted_by(request.user)
    topics = questions.filter_topics(request, topics).with_read_state(request.user)
    ordered = topics.in_category_order() if "category" in context else topics.in_front_page_order()
    page = _page_of(request, ordered.for_listing(), settings.TOPICS_PER_PAGE)
    context.update(**questions.list_context(request))
    context.update(
        page=page,
        topics=page.object_list,
        categories=Category.objects.visible_to(request.user),
        can_start_topic=permissions.can_start_topic(request.user, context.get("category")),
    )
    return render(request, template, context)


@public_page()
@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    topics = Topic.objects.visible_to(request.user)
    curated = topics.not_muted_by(request.user).curated().for_listing().in_front_page_order()[:5]
    return _topic_list(request, topics, "topics/index.html", curated=curated)


@public_page(lambda slug, **_: [category_tag(slug)])
@require_http_methods(["GET", "HEAD"])
def category(request: HttpRequest, slug: str) -> HttpResponse:
    cat = get_object_or_404(Category.objects.visible_to(request.user), slug=slug)
    topics = Topic.objects.visible_to(request.user).filter(category=cat)
    return _topic_list(request, topics, "topics/category.html", category=cat)


@public_page(lambda slug, **_: [sector_tag(slug)])
@require_http_methods(["GET", "HEAD"])
def sector(request: HttpRequest, slug: str) -> HttpResponse:
    sector = get_object_or_404(Sector, slug=slug)
    topics = Topic.objects.visible_to(request.user).filter(tags=sector)
    return _topic_list(request, topics, "topics/sector.html", sector=sector)


@public_page(lambda pk, **_: [topic_tag(pk)])
@require_http_methods(["GET", "HEAD"])
def topic_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    try:
        topic = _visible_topic(request, pk, for_page=True)
    except Http404:
        # A topic merged into another: its old address leads to where its posts are now.
        merged_into = Topic.objects.visible_to(request.user).filter(redirects_here__old_topic_id=pk)
        if (target := merged_into.first()) is None:
            raise
        return redirect(target, permanent=True)
    if slug != topic.slug:
        return redirect(topic, permanent=True)
    per_page = settings.POSTS_PER_PAGE
    num_pages = max(1, math.ceil((topic.reply_count + 1) / per_page))
    number = min(page_number(request.GET.get("side")), num_pages)
    # Posts are numbered 1..n in the topic, so a page is a range of positions: the last
    # page of a long topic costs what the first does.
    first = (number - 1) * per_page + 1
    on_page = Q(position__gte=first, position__lt=first + per_page)
    # The accepted answer is shown above page 1: fetched with the page, not on its own.
    wants_answer = topic.solved_post_id is not None and number == 1
    fetched = list(
        Post.objects.visible_in(topic, request.user)  # topic: from Topic.objects.visible_to
        .filter(on_page | Q(pk=topic.solved_post_id) if wants_answer else on_page)
        .for_display()
        .with_bookmarks(request.user)
        .order_by("position")[: per_page + 1]  # the LIMIT keeps the planner on the index
    )
    for post in fetched:
        post.topic = topic  # the permission filters ask for the category: no query per post
    posts = [p for p in fetched if first <= p.position < first + per_page]
    answer = next((p for p in fetched if p.pk == topic.solved_post_id), None)
    workshop = getattr(topic, "workshop", None)
    qa_context = questions.topic_context(
        request, topic, posts=posts, page_number=number, answer=answer
    )
    may_reply = permissions.can_reply(request.user, topic)
    _prepare_posts(request.user, topic, qa_context, posts, may_reply=may_reply)
    poll = poll_views.poll_on_page(request.user, topic) if number == 1 else None
    response = render(
        request,
        "topics/topic.html",
        {
            "topic": topic,
            "posts": posts,
            "workshop": workshop,
            "follow_up_organisations": list(workshop.follow_up_organisations.all())
            if workshop
            else [],
            "page_number": number,
            "num_pages": num_pages,
            "page_range": range(1, num_pages + 1) if num_pages <= 12 else None,
            "sectors": list(topic.tags.all()),
            "reply_form": _reply_form_for(topic) if may_reply else None,
            "draft_place": drafts.reply_place(topic),
            "can_moderate": permissions.can_moderate_topic(request.user, topic),
            **qa_context,
            "notices": ModerationLogEntry.objects.public_notices_for(topic.pk)
            if topic.has_public_notices
            else [],
            "poll": poll,
        },
    )
    return poll_views.keep_fresh(response, poll)


def _reply_form_for(topic: Topic):
    """The form under the posts: the member's draft in it, or the shared blank one."""
    if draft_body := getattr(topic, "draft_body", None):
        return ReplyForm(initial={"body": draft_body})
    return blank_reply_form()


def _prepare_posts(user, topic: Topic, qa_context: dict, posts: list[Post], *, may_reply: bool):
    """The page's posts (those of the Q&A context when it sorted them) get their shared
    pieces from the fragment cache and what this reader may do with each."""
    posts = qa_context.get("posts", posts)
    answer = qa_context.get("answer")
    fragments.fill_post_pieces([*posts, answer] if answer else posts)
    for post in posts:
        post.tools = permissions.post_tools(user, post, topic, may_reply=may_reply)


@require_http_methods(["GET", "HEAD"])
def post_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("topic"), pk=pk)
    return redirect(post.topic.position_url(post.position))


@kept_text.login_required_keeping_text(
    "title",
    "category",
    "kind",
    "verdict",
    "sectors",
    "systems",
    "body",
    "client_token",
    *poll_forms.KEPT_FIELDS,
)
@ratelimit("post")
@require_http_methods(["GET", "POST"])
def new_topic(request: HttpRequest) -> HttpResponse:
    visible = list(Category.objects.visible_to(request.user))
    for category in visible:  # proven visible: can_start_topic need not ask again
        permissions.remember_category_visible(request.user, category)
    categories = Category.objects.filter(
        pk__in=[c.pk for c in visible if permissions.can_start_topic(request.user, c)]
    )
    if not permissions.can_start_topic(request.user) or not categories:
        return render(request, "topics/cannot_post.html", status=403)
    initial = {}
    if slug := slug_or_none(request.GET.get("kategori")):
        initial["category"] = categories.filter(slug=slug).first()
    if system_slug := slug_or_none(request.GET.get("system")):
        initial["systems"] = list(System.objects.approved().filter(slug=system_slug))
    form = TopicForm(
        request.POST or None, request.FILES or None, categories=categories, initial=initial
    )
    poll_form = PollForm(request.POST or None)
    restored = kept_text.restore(request, form, poll_form)
    if not restored and not form.is_bound:
        _fill_from_draft(form, drafts.draft_for(request.user, drafts.NEW_TOPIC_PLACE))
    if preview.is_requested(request):
        fresh = TopicForm(categories=categories, initial=preview.kept_values(form))
        return _preview_page(
            request,
            "topics/new_topic.html",
            form,
            fresh,
            poll_form=poll_form.kept(),
            draft_place=drafts.NEW_TOPIC_PLACE,
        )
    if request.method == "POST" and "lagre_utkast" in request.POST:
        return _keep_draft(
            request,
            form,
            place=drafts.NEW_TOPIC_PLACE,
            back=reverse("topics:new"),
            template="topics/new_topic.html",
            poll_form=poll_form.kept(),
        )
    if request.method == "POST" and "sjekk_lignende" in request.POST:
        return questions.new_topic_check(request, form, poll_form=poll_form.kept())
    poll_ok = not poll_form.is_wanted() or poll_form.is_valid()
    if request.method == "POST" and form.is_valid() and poll_ok:
        try:
            topic = actions.create_topic(
                author=request.user,
                category=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                kind=form.cleaned_data["kind"],
                sectors=form.cleaned_data["sectors"],
                client_token=form.cleaned_data["client_token"],
                systems=form.cleaned_data["systems"],
                verdict=form.cleaned_data["verdict"],
                attachments=form.cleaned_data["attachments"],
                poll=poll_form.draft(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Tråden er opprettet.")
                if topic.is_approved
                else _("Tråden venter på godkjenning fra en moderator før andre ser den."),
            )
            return redirect(topic)
    response = render(
        request,
        "topics/new_topic.html",
        {"form": form, "poll_form": poll_form, "draft_place": drafts.NEW_TOPIC_PLACE},
        status=form_status(form, poll_form if poll_form.is_wanted() else None),
    )
    return kept_text.private(response) if restored else response


@kept_text.login_required_keeping_text("body", "client_token")
@ratelimit("post")
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _visible_topic(request, pk)
    form = ReplyForm(
        request.POST or None, request.FILES or None, initial=questions.quote_initial(request, topic)
    )
    restored = kept_text.restore(request, form)
    if not permissions.can_reply(request.user, topic):
        if not topic.is_locked:
            return render(request, "topics/cannot_post.html", status=403)
        # Keep what the member wrote, and say why it cannot be sent.
        form.is_valid()
        form.add_error(None, _("Tråden er låst, og tar ikke imot nye svar."))
        return render(request, "topics/reply.html", {"topic": topic, "form": form}, status=403)
    place = drafts.reply_place(topic)
    if not restored and not form.is_bound:
        _fill_from_draft(form, drafts.draft_for(request.user, place))
    if preview.is_requested(request):
        fresh = ReplyForm(initial=preview.kept_values(form))
        return _preview_page(
            request, "topics/reply.html", form, fresh, topic=topic, draft_place=place
        )
    if request.method == "POST" and "lagre_utkast" in request.POST:
        return _keep_draft(
            request,
            form,
            place=place,
            back=reverse("topics:reply", args=[topic.pk]),
            template="topics/reply.html",
            topic=topic,
        )
    if request.method == "POST" and form.is_valid():
        try:
            post = actions.reply(
                author=request.user,
                topic=topic,
                body=form.cleaned_data["body"],
                client_token=form.cleaned_data["client_token"],
                attachments=form.cleaned_data["attachments"],
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Du kan ikke svare i denne tråden."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Svaret ditt er publisert.")
                if post.is_approved
                else _("Svaret ditt venter på godkjenning fra en moderator før andre ser det."),
            )
            return redirect(post)
    response = render(
        request,
        "topics/reply.html",
        {"topic": topic, "form": form, "draft_place": place},
        status=form_status(form),
    )
    return kept_text.private(response) if restored else response


@kept_text.login_required_keeping_text("body", "title", "version", "topic_version")
@require_http_methods(["GET", "POST"])
def edit_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(
        Post.objects.visible_to(request.user).select_related("topic__category"), pk=pk
    )
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    initial = {
        "body": post.body,
        "title": post.topic.title,
        "version": post.version,
        "topic_version": post.topic.version,
    }
    form = EditPostForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        with_title=post.is_first,
        post=post,
    )
    restored = kept_text.restore(request, form)
    if preview.is_requested(request):
        fresh = EditPostForm(initial=preview.kept_values(form), with_title=post.is_first, post=post)
        return _preview_page(request, "topics/edit_post.html", form, fresh, post=post)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["version"] is None:  # a form from before versions: unknown
                raise actions.EditConflict(post=post)
            actions.edit_post(
                post=post,
                editor=request.user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title"),
                attachments=form.cleaned_data["attachments"],
                remove_attachments=[a.pk for a in form.cleaned_data.get("remove_attachments", [])],
                version=form.cleaned_data["version"],
                topic_version=form.cleaned_data.get("topic_version"),
            )
        except actions.EditConflict:
            return _edit_conflict(request, post.pk, form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Endringen er lagret."))
            return redirect(post)
    response = render(
        request, "topics/edit_post.html", {"post": post, "form": form}, status=form_status(form)
    )
    return kept_text.private(response) if restored else response


def _edit_conflict(request: HttpRequest, pk: int, stale: EditPostForm) -> HttpResponse:
    """409: the newer version above, what the member typed still in the form, which now
    carries the newer version numbers, so saving it again is a deliberate choice."""
    newer = get_object_or_404(
        Post.objects.visible_to(request.user).select_related("topic__category", "edited_by"),
        pk=pk,
    )
    data = stale.data.copy()
    data["version"] = newer.version
    if newer.is_first:
        data["topic_version"] = newer.topic.version
    form = EditPostForm(data, with_title=newer.is_first, post=newer)
    form.is_valid()
    form.add_error(
        None,
        _(
            "Noen har lagret en nyere versjon av innlegget mens du skrev. Den står over "
            "skjemaet. Teksten din er ikke lagret ennå: ta med det du vil beholde, og lagre "
            "på nytt."
        ),
    )
    return render(
        request,
        "topics/edit_post.html",
        {"post": newer, "form": form, "newer": newer},
        status=409,
    )


_TOPIC_MODERATION = {
    "pin": (actions.set_pinned, "pinned", True, gettext_lazy("Tråden er festet.")),
    "unpin": (actions.set_pinned, "pinned", False, gettext_lazy("Tråden er ikke lenger festet.")),
    "lock": (actions.set_locked, "locked", True, gettext_lazy("Tråden er låst.")),
    "unlock": (actions.set_locked, "locked", False, gettext_lazy("Tråden er åpnet igjen.")),
}


@login_required
@require_POST
def moderate_topic(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _visible_topic(request, pk)
    if not permissions.can_moderate_topic(request.user, topic):
        raise PermissionDenied
    try:
        action, argument, value, message = _TOPIC_MODERATION[request.POST.get("action", "")]
    except KeyError:
        raise Http404 from None
    action(topic=topic, by=request.user, **{argument: value})
    messages.success(request, message)
    return redirect(topic)


@moderator_tool
@login_required
@require_POST
def hide_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    if not permissions.can_hide_post(request.user, post):
        raise PermissionDenied
    form = HidePostForm(request.POST)
    if request.POST.get("action") == "unhide":
        actions.unhide_post(post=post, by=request.user)
        messages.success(request, _("Innlegget vises igjen."))
    elif form.is_valid():
        actions.hide_post(post=post, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Innlegget er skjult."))
    else:
        messages.error(request, _("Grunnen kan ha høyst 500 tegn."))
    return redirect(post)


@public_page()
@require_http_methods(["GET", "HEAD"])
def member_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The small card shown beside an author's name (static/js/author-card.js): a fragment,
    not a page. Its counts are of what the viewer may read, so a member's card is theirs
    alone (Cache-Control: private, set for every response but a signed-out visitor's)."""
    member = get_object_or_404(
        User.objects.with_public_page().select_related("organisation").prefetch_related("groups"),
        pk=pk,
    )
    summary = Post.objects.visible_to(request.user).by_member(member).member_summary()
    return render(
        request, "topics/partials/member_card.html", {"member": member, "summary": summary}
    )


MEMBER_PAGE_SIZE = 20
MEMBER_LISTS = {
    "innlegg": gettext_lazy("Innlegg"),
    "svar": gettext_lazy("Aksepterte svar"),
    "trader": gettext_lazy("Tråder startet"),
}


@public_page()
@require_http_methods(["GET", "HEAD"])
def member(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's page: who they are, and what they wrote that the viewer may read."""
    member = get_object_or_404(
        User.objects.with_public_page().select_related("organisation").prefetch_related("groups"),
        pk=pk,
    )
    shown = request.GET.get("vis", "innlegg")
    if shown not in MEMBER_LISTS:
        shown = "innlegg"
    posts = Post.objects.visible_to(request.user).by_member(member)
    started = Topic.objects.visible_to(request.user).filter(author=member)
    summary = posts.member_summary() | {"topics": started.count()}
    side = request.GET.get("side")
    if shown == "trader":
        page = capped_page(
            started.for_listing().order_by("-created_at", "-pk"), MEMBER_PAGE_SIZE, side
        )
    else:
        listed = posts.accepted_answers() if shown == "svar" else posts
        page = capped_page(
            listed.for_member_page().order_by("-created_at", "-pk"), MEMBER_PAGE_SIZE, side
        )
    return render(
        request,
        "topics/member.html",
        {
            "member": member,
            "summary": summary,
            "shown": shown,
            "lists": MEMBER_LISTS,
            "page": page,
            "topics": page.object_list if shown == "trader" else None,
            "query_prefix": f"vis={shown}&",
        },
    )
