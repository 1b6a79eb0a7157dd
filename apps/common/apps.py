from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CommonConfig(AppConfig):
    name = "apps.common"
    label = "common"

    def ready(self) -> None:
        # Register every app's Dramatiq actors with the broker in every process (web and worker alike), so that
        # services can enqueue them and the embedded worker can consume them.
        autodiscover_modules("actors")
