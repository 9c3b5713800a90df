"""Atom feeds: the latest topics, a category, a sector, a system, and a topic's replies.

Feeds are read by programs that never sign in, so they carry only public content: every
queryset starts from `visible_to(AnonymousUser())`, and a closed category, topic or an
unapproved system answers 404 like a missing one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from directory.models import Sector, System
from topics.models import Category, Post, Topic, TopicQuerySet

FEED_LENGTH = 30


def _public_topics() -> TopicQuerySet:
    return Topic.objects.visible_to(AnonymousUser())


class TopicFeed(Feed):
    feed_type = Atom1Feed

    def topics(self, obj: object) -> TopicQuerySet:
        return _public_topics()

    def items(self, obj: object) -> list[Topic]:
        topics = list(
            self.topics(obj)
            .select_related("author", "category")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )
        first_posts = dict(
            Post.objects.filter(topic__in=topics, position=1).values_list("topic_id", "body_html")
        )
        for topic in topics:
            topic.feed_html = first_posts.get(topic.pk, "")
        return topics

    def title(self, obj: object) -> str:
        return _("%(site)s: nye tråder") % {"site": settings.SITE_NAME}

    def link(self, obj: object) -> str:
        return reverse("topics:index")

    def subtitle(self, obj: object) -> str:
        return _("Nye offentlige tråder i %(site)s.") % {"site": settings.SITE_NAME}

    def item_title(self, item: Topic) -> str:
        return item.title

    def item_description(self, item: Topic) -> str:
        return item.feed_html

    def item_author_name(self, item: Topic) -> str:
        return item.author.display_name

    def item_pubdate(self, item: Topic):
        return item.created_at

    def item_updateddate(self, item: Topic):
        return item.last_activity_at

    def item_categories(self, item: Topic) -> list[str]:
        return [item.category.name]


class LatestTopicsFeed(TopicFeed):
    pass


class CategoryFeed(TopicFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Category:
        return get_object_or_404(Category.objects.visible_to(AnonymousUser()), slug=slug)

    def topics(self, obj: Category) -> TopicQuerySet:
        return _public_topics().filter(category=obj)

    def title(self, obj: Category) -> str:
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj: Category) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Category) -> str:
        return obj.description or _("Nye tråder i %(name)s.") % {"name": obj.name}


class SectorFeed(TopicFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Sector:
        return get_object_or_404(Sector, slug=slug)

    def topics(self, obj: Sector) -> TopicQuerySet:
        return _public_topics().filter(tags=obj)

    def title(self, obj: Sector) -> str:
        return _("%(site)s: sektor %(name)s") % {"site": settings.SITE_NAME, "name": obj.name}

    def link(self, obj: Sector) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Sector) -> str:
        return _("Nye offentlige tråder i sektoren %(name)s.") % {"name": obj.name}


class SystemFeed(TopicFeed):
    def get_object(self, request: HttpRequest, slug: str) -> System:
        return get_object_or_404(System.objects.visible_to(AnonymousUser()), slug=slug)

    def topics(self, obj: System) -> TopicQuerySet:
        return _public_topics().filter(systems=obj)

    def title(self, obj: System) -> str:
        return _("%(site)s: tråder om %(name)s") % {"site": settings.SITE_NAME, "name": obj.name}

    def link(self, obj: System) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: System) -> str:
        return _("Nye offentlige tråder om systemet %(name)s.") % {"name": obj.name}


class TopicRepliesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, pk: int) -> Topic:
        return get_object_or_404(_public_topics(), pk=pk)

    def items(self, obj: Topic) -> list[Post]:
        return list(
            Post.objects.visible_to(AnonymousUser())
            .filter(topic=obj, is_hidden=False, position__gt=1)
            .select_related("author")
            .order_by("-position")[:FEED_LENGTH]
        )

    def title(self, obj: Topic) -> str:
        return _("Svar i «%(title)s»") % {"title": obj.title}

    def link(self, obj: Topic) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Topic) -> str:
        return _("Nye svar i tråden «%(title)s» i %(site)s.") % {
            "title": obj.title,
            "site": settings.SITE_NAME,
        }

    def item_title(self, item: Post) -> str:
        return _("Svar %(number)d fra %(name)s") % {
            "number": item.position - 1,
            "name": item.author.display_name,
        }

    def item_description(self, item: Post) -> str:
        return item.body_html

    def item_author_name(self, item: Post) -> str:
        return item.author.display_name

    def item_pubdate(self, item: Post):
        return item.created_at

    def item_updateddate(self, item: Post):
        return item.edited_at or item.created_at
