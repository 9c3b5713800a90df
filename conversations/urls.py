from django.urls import path

from conversations import views

app_name = "conversations"
urlpatterns = [
    path("samtaler/", views.conversation_list, name="list"),
    path("samtaler/ny/", views.new_conversation, name="new"),
    path("samtaler/<int:pk>/", views.conversation, name="conversation"),
    path("samtaler/<int:pk>/svar/", views.reply, name="reply"),
    path("samtaler/<int:pk>/lest/", views.mark_read, name="mark_read"),
    path("samtaler/<int:pk>/forlat/", views.leave, name="leave"),
    path("samtaler/melding/<int:pk>/rapporter/", views.report, name="report"),
    path("samtaler/vedlegg/<int:pk>/", views.attachment, name="attachment"),
    path("samtaler/blokker/<int:pk>/", views.block, name="block"),
    path("samtaler/rapporter/", views.reports, name="reports"),
    path("samtaler/rapporter/<int:pk>/behandlet/", views.resolve_report, name="resolve_report"),
]
