from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("varsler/", views.notification_list, name="list"),
    path("varsler/<int:pk>/", views.open_notification, name="open"),
    path("varsler/les-alle/", views.mark_all_read, name="mark_all_read"),
    path("varsler/innstillinger/", views.preferences, name="preferences"),
    path("varsler/folg/", views.toggle_watch, name="watch"),
    path("varsler/avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
