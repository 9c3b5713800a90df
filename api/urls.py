from django.urls import path

from api import views
from api.api import api
from forum.page_cache import nothing_but_the_site, public_page, topic_tag


def _topic(topic_id: str, **_kwargs: object) -> list[str]:
    return [topic_tag(topic_id)]


# What each public GET of the API shows, for the signed-out page cache (forum/page_cache.py).
# An answer to a request with a token is never stored or served from it: the cache serves
# only requests without credentials.
PUBLIC_GETS = {
    "api-root": nothing_but_the_site,
    "openapi-json": nothing_but_the_site,
    "openapi-view": nothing_but_the_site,
    "list_topics": None,
    "get_topic": _topic,
    "list_topic_posts": _topic,
    "get_topic_poll": _topic,
    "get_post": None,
    "list_categories": nothing_but_the_site,
    "get_category": nothing_but_the_site,
    "list_sectors": nothing_but_the_site,
    "list_organisations": nothing_but_the_site,
    "get_organisation": nothing_but_the_site,
    "list_systems": nothing_but_the_site,
    "get_system": nothing_but_the_site,
    "list_usages": nothing_but_the_site,
}

# (not `app_name`: a module-level name would make this whole module a namespace)
api_urls = api.urls
for pattern in api_urls[0]:
    if pattern.name in PUBLIC_GETS:
        public_page(PUBLIC_GETS[pattern.name])(pattern.callback)

urlpatterns = [
    path("api/", api_urls),
    path("profil/api-nokler/", views.tokens, name="api_tokens"),
    path("profil/api-nokler/<int:pk>/trekk-tilbake/", views.revoke, name="api_token_revoke"),
    path("profil/webhooks/", views.webhook_list, name="api_webhooks"),
    path("profil/webhooks/<int:pk>/av-pa/", views.webhook_toggle, name="api_webhook_toggle"),
    path("profil/webhooks/<int:pk>/slett/", views.webhook_delete, name="api_webhook_delete"),
]
