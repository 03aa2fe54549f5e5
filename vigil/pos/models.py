"""POS data sets in Vigil, the scans run on them, and the leads they raise.

A ``DataSet`` is a checked copy of a retailer's POS data (contract tables, kept as Parquet
under the data directory), identified by a digest of its contents so the same export never
comes in twice. A ``Scan`` is one run of the engine over it. What a rule flags is a durable
lead (``PosException``), identified by (rule, store, transaction): scanning again updates the
lead in place and keeps its review, and a lead the rules no longer raise is marked so, never
deleted. The employee and store rankings are a scan's snapshot. Everything is stored under
its store, so store scope applies to it as to everything else.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from vigil.core.changelog import AuditedModel
from vigil.core.models import EmployeeRole
from vigil.core.roles import Capability, default_roles_with
from vigil.core.scoping import Scoped, ScopedQuerySet
from vigil.pos.amounts import AmountMeaning, meaning_of


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
    # Null, not "", for data sets imported before digests: unique must allow many of them.
    digest = models.CharField(  # noqa: DJ001
        max_length=64,
        unique=True,
        null=True,
        editable=False,
        help_text="SHA-256 of the tables' contents in the contract's order: the same export, "
        "whatever it is called or however it arrives, has the same digest",
    )
    source_signature = models.CharField(
        max_length=64, blank=True, editable=False,
        help_text="Names, sizes and dates of the files it came from, hashed (see digests.py)",
    )  # fmt: skip
    rows = models.JSONField(default=dict, editable=False, help_text="Rows per table")
    known_transactions = models.PositiveIntegerField(
        default=0, editable=False, help_text="Transactions an earlier data set had already brought"
    )
    regions = models.JSONField(
        default=dict, editable=False,
        help_text="The data's region codes and the organisation's regions their stores are "
        "in: {code: [region name, ...]}; an empty list is a code none of whose stores is "
        "in a Vigil region",
    )  # fmt: skip
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

    @property
    def new_transactions(self) -> int:
        """Transactions no earlier data set had brought: the ones its scans raise leads on."""
        return int(self.rows.get("transactions", 0)) - self.known_transactions

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
    leads = models.JSONField(
        default=dict, editable=False,
        help_text="What the scan did to its data set's leads: new, updated, kept, retired",
    )  # fmt: skip
    task_run = models.ForeignKey(
        "core.TaskRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The background job that ran it, if any (a lost job fails its scan)",
    )  # fmt: skip
    process = models.CharField(
        max_length=300, blank=True, editable=False,
        help_text="host:pid of the process running it, to tell a live scan from a dead one",
    )  # fmt: skip
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Scan"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"rules", "started_at", "leads"})

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Scan of {self.data_set} ({self.get_status_display()})"


class ReviewStatus(models.TextChoices):
    NEW = "new", "New"
    EXPLAINED = "explained", "Explained"
    COACHING = "coaching", "Coaching"
    ESCALATED = "escalated", "Escalated to a case"


class ExplanationReason(models.Model):
    """A reason an LP manager lets reviewers pick when a lead is explained (plus free text)."""

    label = models.CharField(max_length=120, unique=True)
    active = models.BooleanField(default=True, help_text="Offered to reviewers")
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class PosExceptionQuerySet(ScopedQuerySet["PosException"]):
    def raised(self) -> PosExceptionQuerySet:
        """Leads the newest scan of their data set still raises."""
        return self.filter(no_longer_raised_at__isnull=True)

    def to_review(self) -> PosExceptionQuerySet:
        """What an analyst still has to look at: raised and not reviewed."""
        return self.raised().filter(status=ReviewStatus.NEW)


class PosException(Scoped, models.Model):
    """A transaction a rule flagged: a lead for review, not an accusation.

    One lead per (rule, store, transaction), whichever scan or export raised it: a scan of an
    overlapping export or a scan again updates the lead and keeps its review. It belongs to
    the data set that first brought the transaction in (``data_set``), and only that data
    set's scans raise, update or retire it.
    """

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="leads")
    first_scan = models.ForeignKey(
        Scan, null=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The scan that first raised the lead",
    )  # fmt: skip
    last_scan = models.ForeignKey(
        Scan, null=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The newest scan that raised it (or, once retired, that no longer did)",
    )  # fmt: skip
    rule = models.CharField(max_length=64, db_index=True)
    rule_title = models.CharField(max_length=200)
    transaction_id = models.CharField(max_length=100, db_index=True)
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
    first_raised_at = models.DateTimeField(default=timezone.now)
    no_longer_raised_at = models.DateTimeField(
        null=True, blank=True, db_index=True,
        help_text="When a scan of its data set stopped raising it (its rule removed or changed)",
    )  # fmt: skip
    status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.NEW, db_index=True
    )
    reason = models.ForeignKey(
        ExplanationReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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

    objects = PosExceptionQuerySet.as_manager()

    class Meta:
        ordering = ["-severity", "business_date", "pk"]
        verbose_name = "POS exception"
        indexes = [
            models.Index(fields=["data_set", "store", "business_date"]),
            models.Index(fields=["store", "status", "no_longer_raised_at"]),
            # The report's sorts (vigil/pos/tables.py), each ending in the key as the list
            # mechanism's do: a sorted page of a million leads reads an index, not the table.
            # Read backwards, each serves the other direction too.
            models.Index(fields=["-severity", "business_date", "id"], name="pos_lead_by_severity"),
            models.Index(fields=["business_date", "at_text", "id"], name="pos_lead_by_time"),
            models.Index(fields=["amount", "id"], name="pos_lead_by_amount"),
            models.Index(fields=["rule_title", "id"], name="pos_lead_by_rule_title"),
            models.Index(fields=["status", "id"], name="pos_lead_by_status"),
            # The employee filter ignores case (``employee_id__iexact``, UPPER() = UPPER() on
            # PostgreSQL), which the plain index on employee_id cannot answer.
            models.Index(Upper("employee_id"), name="pos_lead_employee_upper"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "store", "transaction_id"], name="one_lead_per_rule_and_transaction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} on {self.transaction_id}"

    @property
    def is_raised(self) -> bool:
        return self.no_longer_raised_at is None

    @property
    def amount_is(self) -> AmountMeaning:
        """What the lead's amount is (the voided lines, the refund, ...): not always the total."""
        return meaning_of(self.rule)


class LeadReview(Scoped, models.Model):
    """One step in a lead's review history: who set it to what, when, and why. Append-only."""

    scope_path: ClassVar[str] = "lead__store"

    lead = models.ForeignKey(PosException, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=16, choices=ReviewStatus.choices)
    reason = models.ForeignKey(
        ExplanationReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField()
    batch = models.UUIDField(
        null=True, blank=True, help_text="Shared by the leads reviewed together in one bulk review"
    )

    objects = ScopedQuerySet["LeadReview"].as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.lead} {self.status} by {self.reviewed_by} at {self.reviewed_at}"


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

    @property
    def role_label(self) -> str:
        """The job in words (``Service desk``); a role the contract does not name, as written."""
        return str(EmployeeRole(self.role).label) if self.role in EmployeeRole.values else self.role


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


def default_ranking_roles() -> list[str]:
    """The roles that see individual rankings until an administrator says otherwise."""
    return sorted(default_roles_with(Capability.VIEW_EMPLOYEE_RANKINGS))


class RankingAccess(AuditedModel):
    """The one row that says which roles see individual employees' risk rankings.

    A ranking of named cashiers and supervisors is sensitive: by default loss prevention and
    the regional director see it, a store manager does not (they see their store's figures
    and leads). An administrator may give it to more roles or take it away; every change is
    audited.
    """

    SINGLETON_PK: ClassVar[int] = 1
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at"})

    roles = models.JSONField(
        default=default_ranking_roles,
        blank=True,
        help_text="Role values whose users see individual employees' risk rankings",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ranking access"
        verbose_name_plural = "ranking access"

    def __str__(self) -> str:
        return "Who sees individual rankings"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = self.SINGLETON_PK
        self.roles = sorted(set(self.roles))
        super().save(*args, **kwargs)
