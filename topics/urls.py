from django.urls import path

from topics import views, views_attachments, views_editor, views_qa

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
    path("medlem/<int:pk>/kort/", views.member_card, name="member_card"),
    path("innlegg/<int:pk>/", views.post_redirect, name="post"),
    path("innlegg/<int:pk>/rediger/", views.edit_post, name="edit_post"),
    path("innlegg/<int:pk>/skjul/", views.hide_post, name="hide_post"),
]

# Questions and answers, "Nyttig", edit history, read tracking, similar topics (views_qa).
# First, so "t/<pk>/ulest/" is not taken for a topic slug.
urlpatterns[:0] = [
    path("ubesvarte/", views_qa.unanswered, name="unanswered"),
    path("ny/lignende/", views_qa.similar, name="similar"),
    path("t/<int:pk>/ulest/", views_qa.first_unread, name="first_unread"),
    path("t/<int:pk>/lest/", views_qa.mark_read, name="mark_read"),
    path("t/<int:pk>/vurdering/", views_qa.set_verdict, name="set_verdict"),
    path("innlegg/<int:pk>/losning/", views_qa.accept_answer, name="accept_answer"),
    path("innlegg/<int:pk>/nyttig/", views_qa.mark_useful, name="mark_useful"),
    path("innlegg/<int:pk>/historikk/", views_qa.post_history, name="post_history"),
]

# Attached files, served only to those who may see the post.
urlpatterns += [
    path("vedlegg/<int:pk>/", views_attachments.attachment, name="attachment"),
    path("vedlegg/utkast/", views_attachments.upload_draft, name="draft_upload"),
]

# The editor's preview while a member writes (static/js/editor.js).
urlpatterns += [path("innlegg/forhandsvis/", views_editor.preview, name="preview")]
