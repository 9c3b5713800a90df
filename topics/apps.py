from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "topics"
    verbose_name = _("Tråder")

    def ready(self) -> None:
        from topics import privacy

        privacy.register()
