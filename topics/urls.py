from django.urls import path

from topics.attachments import views as attachment_views
from topics.views import editor, personal, polls, questions
from topics.views import topics as views

app_name = "topics"
# Fixed paths before "t/<pk>/<slug>/", so that "t/<pk>/ulest/" is never taken for a slug.
urlpatterns = [
    path("", views.index, name="index"),
    path("ubesvarte/", questions.unanswered, name="unanswered"),
    path("k/<slug:slug>/", views.category, name="category"),
    path("sektor/<slug:slug>/", views.sector, name="sector"),
    path("ny/", views.new_topic, name="new"),
    path("ny/lignende/", questions.similar, name="similar"),
    path("t/<int:pk>/", views.topic_detail, name="topic_short"),
    path("t/<int:pk>/svar/", views.reply, name="reply"),
    path("t/<int:pk>/moderer/", views.moderate_topic, name="moderate"),
    path("t/<int:pk>/ulest/", questions.first_unread, name="first_unread"),
    path("t/<int:pk>/lest/", questions.mark_read, name="mark_read"),
    path("t/<int:pk>/vurdering/", questions.set_verdict, name="set_verdict"),
    path("t/<int:pk>/avstemning/", polls.vote, name="poll_vote"),
    path("t/<int:pk>/avstemning/avslutt/", polls.close, name="poll_close"),
    path("t/<int:pk>/<slug:slug>/", views.topic_detail, name="topic"),
    path("medlem/<int:pk>/", views.member, name="member"),
    path("medlem/<int:pk>/kort/", views.member_card, name="member_card"),
    path("innlegg/forhandsvis/", editor.preview, name="preview"),
    path("innlegg/<int:pk>/", views.post_redirect, name="post"),
    path("innlegg/<int:pk>/rediger/", views.edit_post, name="edit_post"),
    path("innlegg/<int:pk>/skjul/", views.hide_post, name="hide_post"),
    path("innlegg/<int:pk>/losning/", questions.accept_answer, name="accept_answer"),
    path("innlegg/<int:pk>/nyttig/", questions.mark_useful, name="mark_useful"),
    path("innlegg/<int:pk>/historikk/", questions.post_history, name="post_history"),
    # Attached files, served only to those who may see the post.
    path("vedlegg/<int:pk>/", attachment_views.attachment, name="attachment"),
    path("vedlegg/utkast/", attachment_views.upload_draft, name="draft_upload"),
    # A member's own: drafts, bookmarks, muting.
    path("utkast/", personal.draft_list, name="drafts"),
    path("utkast/lagre/", personal.save_draft, name="save_draft"),
    path("utkast/<int:pk>/slett/", personal.delete_draft, name="delete_draft"),
    path("bokmerker/", personal.bookmark_list, name="bookmarks"),
    path("bokmerker/ny/", personal.add_bookmark, name="add_bookmark"),
    path("bokmerker/<int:pk>/", personal.edit_bookmark, name="bookmark"),
    path("bokmerker/<int:pk>/fjern/", personal.remove_bookmark, name="remove_bookmark"),
    path("demp/", personal.toggle_mute, name="mute"),
]
