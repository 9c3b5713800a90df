"""Views for answers, "Nyttig", edit history, read tracking, quotes and similar topics.

Thin like topics/views.py: parse, check access through the visibility querysets and
permissions, call an action, render or redirect.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from forum.page_cache import public_page
from forum.pagination import capped_page
from topics import answers, permissions, reading, usefulness
from topics.diff import word_diff
from topics.models import Post, Topic, TopicReadState, UsefulMark
from topics.similar import similar_topics

SORT_USEFUL = "nyttig"
LIST_FILTERS = {"lost": "solved", "ubesvart": "unanswered"}


def _visible_post(request: HttpRequest, pk: int) -> Post:
    return get_object_or_404(Post.objects.visible_to(request.user).select_related("topic"), pk=pk)


def _post_url(post: Post, topic: Topic) -> str:
    return topic.position_url(post.position)


# ---- Topic page ---------------------------------------------------------------------


def topic_context(
    request: HttpRequest,
    topic: Topic,
    *,
    posts: list[Post],
    page_number: int,
    answer: Post | None = None,
) -> dict[str, object]:
    """Extra context for the topic page, in a fixed number of queries whatever its length.

    `answer` is the accepted answer when the caller fetched it with the page's posts, and
    `topic` may carry `solved_by` and `last_read_position` (Topic.with_read_state): then
    neither costs a query here.
    """
    user = request.user
    per_page = settings.POSTS_PER_PAGE
    context: dict[str, object] = {"sort_useful": False, "query_prefix": ""}
    if topic.is_question and request.GET.get("sorter") == SORT_USEFUL:
        start = (page_number - 1) * per_page
        posts = list(
            Post.objects.visible_in(topic, user)
            .for_display()
            .with_bookmarks(user)
            .order_by(
                Case(
                    When(position=1, then=Value(0)), default=Value(1), output_field=IntegerField()
                ),
                "-useful_count",
                "position",
            )[start : start + per_page]
        )
        context.update(posts=posts, sort_useful=True, query_prefix=f"sorter={SORT_USEFUL}&")
    if topic.solved_post_id and page_number == 1:
        if answer is None:
            answer = (
                Post.objects.filter(pk=topic.solved_post_id)
                .for_display()
                .with_bookmarks(user)
                .first()
            )
        context["answer"] = answer
        if "solved_by" in topic._state.fields_cache:
            context["answer_marked_by"] = topic.solved_by
        else:
            context["answer_marked_by"] = (
                User.objects.filter(pk=topic.solved_by_id).only("display_name").first()
            )
    else:
        answer = None
    if user.is_authenticated and posts:
        shown = [*posts, answer] if answer else posts
        marked = set(
            UsefulMark.objects.filter(user=user, post__in=[p.pk for p in shown]).values_list(
                "post_id", flat=True
            )
        )
        for post in shown:
            post.marked_useful = post.pk in marked
        if not context["sort_useful"]:
            if hasattr(topic, "last_read_position"):
                previous = topic.last_read_position
            else:
                previous = (
                    TopicReadState.objects.filter(user=user, topic=topic)
                    .values_list("position", flat=True)
                    .first()
                )
            last_shown = posts[-1].position
            if previous is not None and previous < last_shown:
                context["first_unread_position"] = previous + 1
            # Posted back by the page (static/js/forum.js) or its button: a GET never
            # writes, not even the member's own read mark. Needed when the page shows posts
            # past the mark, or (the template asks) while the member has unread
            # notifications, which reading the topic may clear.
            context["read_mark_position"] = last_shown
            context["read_mark_moves"] = previous is None or previous < last_shown
    context["can_mark_answer"] = permissions.can_mark_answer(user, topic)
    return context


# ---- Lists ---------------------------------------------------------------------------


def filter_topics(request: HttpRequest, topics):
    """Narrow a topic list by ?vis=lost|ubesvart (questions solved or still open)."""
    method = LIST_FILTERS.get(request.GET.get("vis", ""))
    return getattr(topics, method)() if method else topics


def list_context(request: HttpRequest) -> dict[str, object]:
    current = request.GET.get("vis", "")
    current = current if current in LIST_FILTERS else ""
    return {
        "list_filter": current,
        "query_prefix": f"{urlencode({'vis': current})}&" if current else "",
    }


@public_page()
@require_http_methods(["GET", "HEAD"])
def unanswered(request: HttpRequest) -> HttpResponse:
    topics = (
        Topic.objects.visible_to(request.user)
        .not_muted_by(request.user)
        .unanswered()
        .for_listing()
        .with_read_state(request.user)
        .order_by("created_at", "pk")
    )
    page = capped_page(topics, settings.TOPICS_PER_PAGE, request.GET.get("side"))
    return render(request, "topics/unanswered.html", {"page": page, "topics": page.object_list})


@login_required
@require_http_methods(["GET", "HEAD"])
def first_unread(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.visible_to(request.user), pk=pk)
    read = (
        TopicReadState.objects.filter(user=request.user, topic=topic)
        .values_list("position", flat=True)
        .first()
    )
    return redirect(topic.position_url(min((read or 0) + 1, topic.reply_count + 1)))


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """The member has seen the topic up to `position`: posted by the topic page's script once
    the page is shown (answered 204), or by its «Merk som lest» button without script."""
    topic = get_object_or_404(Topic.objects.visible_to(request.user), pk=pk)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        position = 0
    if not 1 <= position <= topic.reply_count + 1:
        return HttpResponse(_("Ugyldig posisjon i tråden."), status=400, content_type="text/plain")
    reading.mark_read(user=request.user, topic=topic, position=position)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(topic.position_url(position))


# ---- Answers, "Nyttig", verdict --------------------------------------------------------


@login_required
@require_POST
def accept_answer(request: HttpRequest, pk: int) -> HttpResponse:
    post = _visible_post(request, pk)
    topic = post.topic
    if not permissions.can_mark_answer(request.user, topic):
        raise PermissionDenied
    if request.POST.get("action") == "fjern":
        answers.unaccept_answer(topic=topic, by=request.user)
        messages.success(request, _("Svaret er ikke lenger markert som løsningen."))
        return redirect(topic)
    try:
        answers.accept_answer(post=post, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_post_url(post, topic))
    messages.success(request, _("Svaret er markert som løsningen."))
    return redirect(topic)


@login_required
@require_POST
def mark_useful(request: HttpRequest, pk: int) -> HttpResponse:
    post = _visible_post(request, pk)
    if not permissions.can_mark_useful(request.user, post):
        raise PermissionDenied
    useful = request.POST.get("action") != "angre"
    usefulness.set_useful(post=post, user=request.user, useful=useful)
    return redirect(_post_url(post, post.topic))


@login_required
@require_POST
def set_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.visible_to(request.user), pk=pk)
    try:
        answers.set_verdict(topic=topic, by=request.user, verdict=request.POST.get("verdict", ""))
    except ValidationError:
        messages.error(request, _("Velg positiv, negativ eller blandet."))
    else:
        messages.success(request, _("Vurderingen er lagret."))
    return redirect(topic)


# ---- Edit history -------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(
        Post.objects.visible_to(request.user).select_related("topic", "author", "edited_by"),
        pk=pk,
    )
    if not permissions.can_see_post_history(request.user, post):
        raise Http404
    revisions = list(post.revisions.select_related("editor").order_by("created_at", "pk"))
    # Revision n holds the text that edit n replaced; the post holds the current text.
    bodies = [r.body for r in revisions] + [post.body]
    versions = []
    for index, revision in enumerate(revisions):
        versions.append(
            {
                "number": index + 2,
                "editor": revision.editor,
                "at": revision.created_at,
                "changes": word_diff(bodies[index], bodies[index + 1]),
            }
        )
    versions.reverse()
    return render(
        request,
        "topics/post_history.html",
        {"post": post, "topic": post.topic, "versions": versions, "original": bodies[0]},
    )


# ---- Writing: quotes and similar topics ---------------------------------------------


def quote_initial(request: HttpRequest, topic: Topic) -> dict[str, str]:
    """Initial reply text quoting ?sitat=<post id>, if the member may read that post."""
    try:
        pk = int(request.GET.get("sitat", ""))
    except ValueError:
        return {}
    post = (
        Post.objects.visible_to(request.user)
        .select_related("author")
        .filter(topic=topic, pk=pk)
        .first()
    )
    if post is None or not permissions.can_see_post_history(request.user, post):
        return {}
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.strip().splitlines())
    heading = _("%(name)s skrev") % {"name": post.author.display_name}
    return {"body": f"> **[{heading}]({post.get_absolute_url()}):**\n>\n{quoted}\n\n"}


def similar_context(request: HttpRequest, title: str) -> dict[str, object]:
    return {"similar": similar_topics(request.user, title), "similar_title": title}


@require_http_methods(["GET", "HEAD"])
def similar(request: HttpRequest) -> HttpResponse:
    """The matches for a title being typed (fetched by static/js/similar-topics.js)."""
    title = request.GET.get("tittel", "")[: settings.TITLE_MAX_LENGTH]
    return render(request, "topics/partials/similar_topics.html", similar_context(request, title))


def new_topic_check(request: HttpRequest, form, **context: object) -> HttpResponse:
    """The no-JavaScript step: show similar topics, keep everything the member wrote."""
    data = request.POST
    initial = {
        name: data.get(name, "") for name in ("title", "category", "kind", "verdict", "body")
    }
    initial["sectors"] = data.getlist("sectors")
    unbound = type(form)(categories=form.fields["category"].queryset, initial=initial)
    context |= {"form": unbound, "checked": True, **similar_context(request, data.get("title", ""))}
    return render(request, "topics/new_topic.html", context)
