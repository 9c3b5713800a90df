from django.contrib import admin
from django.urls import include, path

from forum import views

urlpatterns = [
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("tilgjengelighet/", views.accessibility_statement, name="accessibility_statement"),
    path("katalog/", include("directory.urls")),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include("topics.moderation_urls")),
    path("", include("topics.followup_urls")),
    path("", include("topics.urls")),
]
