from django.urls import path

from topics import feeds

urlpatterns = [
    path("feed/", feeds.LatestTopicsFeed(), name="feed_latest"),
    path("k/<slug:slug>/feed/", feeds.CategoryFeed(), name="feed_category"),
    path("sektor/<slug:slug>/feed/", feeds.SectorFeed(), name="feed_sector"),
    path("katalog/system/<slug:slug>/feed/", feeds.SystemFeed(), name="feed_system"),
    path("t/<int:pk>/feed/", feeds.TopicRepliesFeed(), name="feed_topic"),
]
