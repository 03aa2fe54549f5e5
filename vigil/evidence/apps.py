from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "vigil.evidence"
    label = "evidence"
    verbose_name = "Evidence vault"
