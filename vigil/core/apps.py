from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vigil.core"
    label = "core"
    verbose_name = "Vigil core"

    def ready(self) -> None:
        # Connects the audit receivers (sign-ins, deletes, scope changes).
        from vigil.core import changelog, signins  # noqa: F401
