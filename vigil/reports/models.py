"""What the reports app keeps: which monthly summaries were sent to whom (so a daily job
sends each month's summary once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SummaryMailing(models.Model):
    """The executive summary of one month, sent to one user."""

    month = models.DateField(help_text="The month's first day")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "user"], name="one_summary_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} to {self.user_id}"
