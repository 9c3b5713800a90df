from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("ops.urls")),
    path("", include("accounts.urls")),
    path("", include("topics.urls")),
]

handler400 = "ops.views.bad_request"
handler429 = "forum.ratelimit.rate_limited"
handler500 = "ops.views.server_error"
