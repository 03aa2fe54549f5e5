"""The rule library: one SQL file per rule, with a header that says what it is and why.

A rule file starts with comment lines::

    -- id: post_void_own_cash
    -- title: Post-void of one's own sale
    -- why: A cashier who reverses their own completed sale … can keep the money.
    -- severity: 0.6
    -- param: cash_weight = 1.5 | how much more a cash sale weighs

and then one SELECT over the tables of the data contract plus the helper view ``tx``
(transactions with tender totals and store hours). It returns one row per exception with
the columns in :data:`OUTPUT_COLUMNS`. ``{{name}}`` in the SQL is replaced by the parameter's
value (``{{severity}}`` by the header's severity). Users add rules by dropping a ``.sql``
file into a rules folder (``--rules``). A rule is checked to be a single SELECT before it
runs, and runs on a connection that can no longer read or write any file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import sqlglot
from sqlglot import exp

from vigil.engines.pos.errors import ContractError

OUTPUT_COLUMNS = (
    "transaction_id",
    "employee_id",
    "store_id",
    "register_id",
    "business_date",
    "at",
    "amount",
    "severity",
    "detail",
)
_HEADER = re.compile(r"^--\s*(id|title|why|severity|param)\s*:\s*(.*)$")
_PARAM = re.compile(r"^([a-z_][a-z0-9_]*)\s*=\s*(.+?)\s*(?:\|\s*(.*))?$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_STRING = re.compile(r"^'[^'\\]*'$")
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")

# Helper views every rule may use; plain SQL that DuckDB and Spark both run.
BASE_VIEWS = (
    """
    CREATE OR REPLACE TEMPORARY VIEW tender_totals AS
    SELECT transaction_id,
           SUM(CASE WHEN tender_type = 'cash' THEN amount ELSE 0 END) AS cash_amount,
           SUM(CASE WHEN tender_type IN ('credit', 'debit', 'mobile') THEN amount ELSE 0 END)
               AS card_amount,
           SUM(CASE WHEN tender_type = 'gift_card' THEN amount ELSE 0 END) AS gift_amount,
           MAX(CASE WHEN tender_type = 'cash' THEN 1 ELSE 0 END) AS has_cash,
           MAX(CASE WHEN tender_type IN ('credit', 'debit', 'mobile') THEN 1 ELSE 0 END)
               AS has_card
    FROM tenders GROUP BY transaction_id
    """,
    """
    CREATE OR REPLACE TEMPORARY VIEW tx AS
    SELECT t.*,
           COALESCE(g.cash_amount, 0) AS cash_amount, COALESCE(g.card_amount, 0) AS card_amount,
           COALESCE(g.gift_amount, 0) AS gift_amount, COALESCE(g.has_cash, 0) AS has_cash,
           COALESCE(g.has_card, 0) AS has_card, s.region, s.opens, s.closes
    FROM transactions t
    LEFT JOIN tender_totals g ON g.transaction_id = t.transaction_id
    LEFT JOIN stores s ON s.store_id = t.store_id
    """,
)


@dataclass(frozen=True)
class Param:
    name: str
    value: str
    description: str = ""


@dataclass(frozen=True)
class Rule:
    """One exception rule, read from its SQL file."""

    id: str
    title: str
    why: str
    severity: float
    sql: str
    source: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def rendered(self, overrides: dict[str, str] | None = None) -> str:
        """The SQL with its parameters filled in (overrides checked like header values)."""
        values = {param.name: param.value for param in self.params}
        values["severity"] = repr(self.severity)
        for name, value in (overrides or {}).items():
            if name not in values:
                raise ContractError(self.source, f"rule {self.id} has no parameter {name!r}")
            values[name] = _literal(self.source, name, value)

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                raise ContractError(self.source, f"{{{{{name}}}}} is not a parameter of {self.id}")
            return values[name]

        return _PLACEHOLDER.sub(fill, self.sql)

    def wrapped(self, overrides: dict[str, str] | None = None) -> str:
        """The rule as a query with exactly the output columns, typed the same everywhere."""
        return (
            f"SELECT '{self.id}' AS rule, CAST(transaction_id AS VARCHAR) AS transaction_id, "
            "CAST(employee_id AS VARCHAR) AS employee_id, CAST(store_id AS VARCHAR) AS store_id, "
            "CAST(register_id AS VARCHAR) AS register_id, "
            'CAST(business_date AS VARCHAR) AS business_date, CAST("at" AS VARCHAR) AS "at", '
            "CAST(amount AS DECIMAL(18,2)) AS amount, "
            "CAST(ROUND(severity, 3) AS DOUBLE) AS severity, CAST(detail AS VARCHAR) AS detail "
            f"FROM ({self.rendered(overrides)}) AS {self.id}_rows"
        )


def builtin_rules() -> list[Rule]:
    folder = resources.files("vigil.engines.pos") / "rules"
    return sorted(
        (parse(Path(str(entry)).name, entry.read_text(encoding="utf-8"))
         for entry in folder.iterdir() if entry.name.endswith(".sql")),
        key=lambda rule: rule.id,
    )  # fmt: skip


def load_rules(extra: Iterable[Path] = ()) -> list[Rule]:
    """The built-in rules plus any from ``extra`` files or folders (same id: the user's wins)."""
    rules = {rule.id: rule for rule in builtin_rules()}
    for location in extra:
        files = sorted(location.glob("*.sql")) if location.is_dir() else [location]
        if location.is_dir() and not files:
            raise ContractError(str(location), "holds no .sql rule files")
        for path in files:
            if not path.is_file():
                raise ContractError(str(path), "is not a rule file")
            rule = parse(str(path), path.read_text(encoding="utf-8"))
            rules[rule.id] = rule
    return sorted(rules.values(), key=lambda rule: rule.id)


def parse(source: str, text: str) -> Rule:
    """A rule from its file's text; the header is checked and the SQL must be one SELECT."""
    header: dict[str, str] = {}
    params: list[Param] = []
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line.strip())
        if match and not body:
            key, value = match.group(1), match.group(2).strip()
            if key == "param":
                params.append(_param(source, number, value))
            else:
                header[key] = value
        elif line.strip() or body:
            body.append(line)
    for key in ("id", "title", "why", "severity"):
        if key not in header:
            raise ContractError(source, f"the rule header has no '-- {key}:' line")
    if not _ID.match(header["id"]):
        raise ContractError(source, f"rule id {header['id']!r} must be lower_case_with_underscores")
    try:
        severity = float(header["severity"])
    except ValueError:
        raise ContractError(source, f"severity {header['severity']!r} is not a number") from None
    if not 0 < severity <= 1:
        raise ContractError(source, "severity must be between 0 and 1")
    rule = Rule(
        id=header["id"],
        title=header["title"],
        why=header["why"],
        severity=severity,
        sql="\n".join(body).strip().rstrip(";"),
        source=source,
        params=tuple(params),
    )
    check_select(rule)
    return rule


def _param(source: str, line: int, text: str) -> Param:
    match = _PARAM.match(text)
    if not match:
        raise ContractError(source, f"line {line}: expected '-- param: name = value | meaning'")
    name, value, description = match.group(1), match.group(2), match.group(3) or ""
    return Param(name, _literal(source, name, value), description.strip())


def _literal(source: str, name: str, value: str) -> str:
    value = value.strip()
    if _NUMBER.match(value) or _STRING.match(value):
        return value
    raise ContractError(
        source,
        f"parameter {name}: {value!r} is not a number or a 'quoted string' (no quotes inside)",
    )


def check_select(rule: Rule) -> None:
    """Refuse anything but one read-only SELECT (no DDL, no DML, no PRAGMA, no COPY)."""
    try:
        statements = sqlglot.parse(rule.rendered(), read="duckdb")
    except sqlglot.errors.ParseError as error:
        raise ContractError(
            rule.source, f"the SQL does not parse: {str(error).splitlines()[0]}"
        ) from None
    if len(statements) != 1 or statements[0] is None:
        raise ContractError(rule.source, "a rule is exactly one SELECT statement")
    statement = statements[0]
    if not isinstance(statement, exp.Query):
        raise ContractError(rule.source, f"a rule must be a SELECT, not {statement.key.upper()}")
    forbidden = (exp.Create, exp.Insert, exp.Update, exp.Delete, exp.Drop, exp.Command, exp.Copy)
    for node in statement.walk():
        if isinstance(node, forbidden):
            raise ContractError(rule.source, f"a rule may only read ({node.key.upper()} found)")
