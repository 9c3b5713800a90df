from django.urls import path

from forum.page_cache import category_tag, public_page, sector_tag, system_tag, topic_tag
from topics import feeds

urlpatterns = [
    path("feed/", public_page()(feeds.LatestTopicsFeed()), name="feed_latest"),
    path(
        "k/<slug:slug>/feed/",
        public_page(lambda slug: [category_tag(slug)])(feeds.CategoryFeed()),
        name="feed_category",
    ),
    path(
        "sektor/<slug:slug>/feed/",
        public_page(lambda slug: [sector_tag(slug)])(feeds.SectorFeed()),
        name="feed_sector",
    ),
    path(
        "katalog/system/<slug:slug>/feed/",
        public_page(lambda slug: [system_tag(slug)])(feeds.SystemFeed()),
        name="feed_system",
    ),
    path(
        "t/<int:pk>/feed/",
        public_page(lambda pk: [topic_tag(pk)])(feeds.TopicRepliesFeed()),
        name="feed_topic",
    ),
]
