"""An organisation's own words for the objective-language check (see ``cases.narrative``)."""

from __future__ import annotations

from django.db import models

from vigil.core.changelog import AuditedModel


class NarrativeTerm(AuditedModel):
    """A phrase to flag (with its suggestion), or, when switched off, a default not to flag."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="narrative_terms"
    )
    phrase = models.CharField(max_length=80)
    suggestion = models.CharField(max_length=300, blank=True)
    flag = models.BooleanField(default=True, help_text="Off: never flag this phrase")

    class Meta:
        ordering = ["phrase"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "phrase"], name="one_term_per_phrase")
        ]

    def __str__(self) -> str:
        return self.phrase
