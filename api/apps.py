from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Åpent API")

    def ready(self) -> None:
        from api import receivers  # noqa: F401  (connects to topics.signals)
