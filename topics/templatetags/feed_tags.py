"""Feed links for a page's <head>: only where the feed exists, that is for public content."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from directory.models import System
from topics.models import Category, Topic

register = template.Library()


@register.simple_tag
def category_feed_url(category: Category) -> str:
    public = Category.objects.visible_to(AnonymousUser()).filter(pk=category.pk).exists()
    return reverse("feed_category", kwargs={"slug": category.slug}) if public else ""


@register.simple_tag
def topic_feed_url(topic: Topic) -> str:
    public = getattr(topic, "is_public", None)  # annotated by TopicQuerySet.with_page_flags
    if public is None:
        public = Topic.objects.visible_to(AnonymousUser()).filter(pk=topic.pk).exists()
    return reverse("feed_topic", kwargs={"pk": topic.pk}) if public else ""


@register.simple_tag
def system_feed_url(system: System) -> str:
    public = System.objects.visible_to(AnonymousUser()).filter(pk=system.pk).exists()
    return reverse("feed_system", kwargs={"slug": system.slug}) if public else ""
