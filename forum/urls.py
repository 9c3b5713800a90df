from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from accounts import sso
from forum import views
from topics.sitemaps import SITEMAPS

urlpatterns = [
    # Before allauth's own: the callback that checks the nonce and the claims (accounts/sso.py).
    path(
        "konto/oidc/<str:provider_id>/login/callback/",
        sso.callback,
        name="openid_connect_callback",
    ),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own URLs: its sign-in form is replaced by the forum's.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("ops.urls")),
    path("tilgjengelighet/", views.accessibility_statement, name="accessibility_statement"),
    path("katalog/", include("directory.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("search/", include("search.urls")),
    path("", include("api.urls")),
    path("", include("topics.feed_urls")),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include("topics.moderation.urls")),
    path("", include("followup.urls")),
    path("", include("conversations.urls")),
    path("", include("insight.urls")),
    path("", include("topics.urls")),
]

if settings.FORUM_BENCH_VIEWS:
    # The ceiling of the stack, for bench/throughput_bench.py: never in production URLs.
    urlpatterns.insert(0, path("bench/ceiling/", views.bench_ceiling, name="bench_ceiling"))
handler400 = "ops.views.bad_request"
handler429 = "forum.ratelimit.rate_limited"
handler500 = "ops.views.server_error"
