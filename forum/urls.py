from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from topics.sitemaps import SITEMAPS

urlpatterns = [
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("search/", include("search.urls")),
    path("", include("accounts.urls")),
    path("", include("topics.urls")),
]
