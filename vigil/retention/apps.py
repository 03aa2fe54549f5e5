from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "vigil.retention"
    label = "retention"
    verbose_name = "Retention and legal hold"

    def ready(self) -> None:
        # The model-level guard: evidence under a legal hold cannot be withdrawn or deleted.
        from vigil.retention import signals  # noqa: F401
