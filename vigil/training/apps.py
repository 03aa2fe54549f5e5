from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrainingConfig(AppConfig):
    name = "vigil.training"
    label = "training"
    verbose_name = "Associate training"

    def ready(self) -> None:
        post_migrate.connect(_install_modules, sender=self)


def _install_modules(sender: Any, **kwargs: Any) -> None:
    """After every migrate: add the shipped modules' versions not yet in the database."""
    from vigil.training.courses import install_modules

    install_modules(using=kwargs.get("using", "default"))
