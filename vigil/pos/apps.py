from django.apps import AppConfig


class PosConfig(AppConfig):
    name = "vigil.pos"
    label = "pos"
    verbose_name = "POS exceptions"
