from django.urls import path

from topics import views

app_name = "topics"
urlpatterns = [
    path("", views.index, name="index"),
    path("k/<slug:slug>/", views.category, name="category"),
    path("sektor/<slug:slug>/", views.sector, name="sector"),
    path("ny/", views.new_topic, name="new"),
    path("t/<int:pk>/", views.topic_detail, name="topic_short"),
    path("t/<int:pk>/svar/", views.reply, name="reply"),
    path("t/<int:pk>/moderer/", views.moderate_topic, name="moderate"),
    path("t/<int:pk>/<slug:slug>/", views.topic_detail, name="topic"),
    path("medlem/<int:pk>/", views.member, name="member"),
    path("innlegg/<int:pk>/", views.post_redirect, name="post"),
    path("innlegg/<int:pk>/rediger/", views.edit_post, name="edit_post"),
    path("innlegg/<int:pk>/skjul/", views.hide_post, name="hide_post"),
]
