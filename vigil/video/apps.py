from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "vigil.video"
    label = "video"
    verbose_name = "Cameras and alerts"
