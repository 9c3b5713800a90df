from django.urls import path

from api import views
from api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("profil/api-nokler/", views.tokens, name="api_tokens"),
    path("profil/api-nokler/<int:pk>/trekk-tilbake/", views.revoke, name="api_token_revoke"),
]
