"""Where assignment and due-task notices go: e-mail, or an HMAC-signed webhook."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from vigil.core.changelog import AuditedModel


class ChannelKind(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"


class NotificationChannel(AuditedModel):
    """One destination: a user's own (e-mail, a personal webhook) or the organisation's.

    An organisation channel receives every notice; a user channel only that user's. A user
    with an e-mail address and no channel of their own gets e-mail.
    """

    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_channels",
    )
    kind = models.CharField(max_length=8, choices=ChannelKind.choices)
    url = models.URLField(blank=True, help_text="Webhook address (https in production)")
    secret = models.CharField(max_length=128, blank=True, help_text="HMAC-SHA256 signing key")
    is_active = models.BooleanField(default=True)

    audit_masked: ClassVar[frozenset[str]] = frozenset({"secret"})

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        owner = self.user or self.organisation
        return f"{self.get_kind_display()} for {owner}"

    def clean(self) -> None:
        if (self.user_id is None) == (self.organisation_id is None):
            raise ValidationError("A channel belongs to a user or to the organisation.")
        if self.kind == ChannelKind.WEBHOOK and not (self.url and self.secret):
            raise ValidationError("A webhook needs an address and a signing secret.")


class Delivery(models.Model):
    """One notice sent (or not) to one channel; kept so failures can be seen and retried."""

    channel = models.ForeignKey(
        NotificationChannel, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    recipient = models.CharField(max_length=254)
    event = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.recipient}"
