from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "vigil.intel"
    label = "intel"
    verbose_name = "ORC intelligence"

    def ready(self) -> None:
        from vigil.intel import signals

        # A new incident, or a subject named on one, links the store's region again.
        signals.connect()
