from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "apps.collaboration"
    label = "collaboration"
