from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "vigil.sharing"
    label = "sharing"
    verbose_name = "Sharing with police, legal and insurers"
