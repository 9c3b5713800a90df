from django.urls import path

from topics.moderation import views

app_name = "moderation"
urlpatterns = [
    path("moderering/", views.queue, name="queue"),
    path("moderering/logg/", views.log, name="log"),
    path("moderering/medlemmer/", views.members, name="members"),
    path("moderering/medlemmer/<int:pk>/", views.member, name="member"),
    path("moderering/medlemmer/<int:pk>/<slug:verb>/", views.member_action, name="member_action"),
    path("moderering/innlegg/<int:pk>/rapporter/", views.resolve_reports, name="resolve_reports"),
    path("moderering/innlegg/<int:pk>/godkjenning/", views.approve_post, name="approve_post"),
    path("t/<int:pk>/moderering/", views.topic_tools, name="topic_tools"),
    path("t/<int:pk>/moderering/bryter/", views.topic_switch, name="topic_switch"),
    path("t/<int:pk>/moderering/<slug:tool>/", views.topic_tool, name="topic_tool"),
    path("innlegg/<int:pk>/rapporter/", views.report_post, name="report_post"),
]
