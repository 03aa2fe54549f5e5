"""POS data sets in Vigil, the scans run on them, and what the scans found.

A ``DataSet`` is a checked copy of a retailer's POS data (contract tables, kept as Parquet
under the data directory); a ``Scan`` is one run of the engine over it. The exceptions and
the employee and store rankings of a scan are stored row by row, each under its store, so
store scope applies to them as to everything else: a store manager sees their store's
exceptions and nobody else's.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class DataSetSource(models.TextChoices):
    FOLDER = "folder", "Folder on the server"
    UPLOAD = "upload", "Uploaded"
    GENERATED = "generated", "Generated (demo)"


class DataSet(Scoped, AuditedModel):
    """A checked POS data set: which stores and days it covers, and where its copy is."""

    scope_path: ClassVar[str] = "stores"

    name = models.CharField(max_length=200)
    folder = models.CharField(max_length=100, editable=False, help_text="Under DATA_DIR/pos")
    source = models.CharField(max_length=16, choices=DataSetSource.choices)
    inbox_folder = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="The inbox folder it came from"
    )
    stores = models.ManyToManyField("core.Store", related_name="pos_data_sets")
    rows = models.JSONField(default=dict, editable=False, help_text="Rows per table")
    first_day = models.DateField(null=True)
    last_day = models.DateField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["DataSet"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"created_at", "rows"})

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ScanStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Scan(Scoped, AuditedModel):
    """One run of the exception engine over a data set."""

    scope_path: ClassVar[str] = "data_set__stores"

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="scans")
    engine = models.CharField(max_length=16, default="duckdb")
    status = models.CharField(max_length=16, choices=ScanStatus.choices, default=ScanStatus.RUNNING)
    rules = models.JSONField(default=list, editable=False)
    exception_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Scan"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"rules", "started_at"})

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Scan of {self.data_set} ({self.get_status_display()})"


class ReviewStatus(models.TextChoices):
    NEW = "new", "New"
    EXPLAINED = "explained", "Explained"
    COACHING = "coaching", "Coaching"
    ESCALATED = "escalated", "Escalated to a case"


class PosException(Scoped, models.Model):
    """One transaction a rule flagged: a lead for review, not an accusation."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="exceptions")
    rule = models.CharField(max_length=64, db_index=True)
    rule_title = models.CharField(max_length=200)
    transaction_id = models.CharField(max_length=100)
    employee_id = models.CharField(max_length=64, blank=True, db_index=True)
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    register_id = models.CharField(max_length=64, blank=True)
    business_date = models.DateField(db_index=True)
    at_text = models.CharField("at", max_length=40, help_text="As in the data, with its offset")
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    severity = models.FloatField()
    detail = models.CharField(max_length=500)
    status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.NEW, db_index=True
    )
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet["PosException"].as_manager()

    class Meta:
        ordering = ["-severity", "business_date", "pk"]
        verbose_name = "POS exception"
        indexes = [models.Index(fields=["scan", "store", "business_date"])]

    def __str__(self) -> str:
        return f"{self.rule} on {self.transaction_id}"


class EmployeeRisk(Scoped, models.Model):
    """An employee's place in a scan's ranking, with the reasons in words."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="employee_risks")
    employee_id = models.CharField(max_length=64)
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=32)
    rank = models.PositiveIntegerField()
    risk_score = models.FloatField()
    exception_counts = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    peer_group = models.CharField(max_length=200)
    transactions = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet["EmployeeRisk"].as_manager()

    class Meta:
        ordering = ["scan", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scan", "employee_id"], name="one_risk_per_employee")
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.employee_id} ({self.risk_score:.0f})"


class StoreRisk(Scoped, models.Model):
    """A store's place in a scan's ranking."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="store_risks")
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()
    risk_score = models.FloatField()
    exception_counts = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    peer_group = models.CharField(max_length=200)
    transactions = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet["StoreRisk"].as_manager()

    class Meta:
        ordering = ["scan", "rank"]

    def __str__(self) -> str:
        return f"#{self.rank} {self.store_id} ({self.risk_score:.0f})"
