"""People: the retailer's employees, as in the POS data contract's ``employees`` table.

A person is not a login. Most cashiers never sign in to Vigil; an LP officer does, and
their ``User`` links to their ``Person``.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models

from vigil.core.changelog import AuditedModel
from vigil.core.models.organisation import Store
from vigil.core.scoping import Scoped, ScopedQuerySet


class EmployeeRole(models.TextChoices):
    """Job roles as the POS data contract spells them."""

    CASHIER = "cashier", "Cashier"
    SERVICE_DESK = "service_desk", "Service desk"
    SUPERVISOR = "supervisor", "Supervisor"
    MANAGER = "manager", "Manager"
    LP = "lp", "Loss prevention"
    OTHER = "other", "Other"


class Person(Scoped, AuditedModel):
    """An employee record; ``employee_id`` is the stable id POS data refers to."""

    scope_path: ClassVar[str] = "home_store"

    employee_id = models.CharField(
        max_length=64,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_.:-]+$", "Letters, digits and . _ : - only.")],
        help_text="Stable id from the HR/POS system, never a person's name",
    )
    home_store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="people")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=EmployeeRole.choices)
    hired_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    objects = ScopedQuerySet["Person"].as_manager()

    class Meta:
        ordering = ["name", "employee_id"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_id})"

    @property
    def is_current(self) -> bool:
        return self.left_on is None
