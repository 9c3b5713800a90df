"""The sitemap lists only what a signed-out visitor may read: the same visibility decision."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from topics.models import Category, Topic


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.visible_to(AnonymousUser())


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Topic.objects.visible_to(AnonymousUser())
            .only("pk", "slug", "last_activity_at")
            .order_by("-pk")
        )

    def lastmod(self, topic: Topic) -> datetime:
        return topic.last_activity_at


SITEMAPS = {"kategorier": CategorySitemap, "traader": TopicSitemap}
