from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "vigil.twofactor"
    label = "twofactor"
    verbose_name = "Two-factor sign-in and accounts"
