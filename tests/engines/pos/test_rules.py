"""The rule library: headers, parameters, user rules, and rules that may only read."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.engines.pos.datasets import tx, write
from vigil.engines.pos.errors import ContractError
from vigil.engines.pos.rules import builtin_rules, load_rules, parse
from vigil.engines.pos.scanning import ScanOptions, scan

RULE = """-- id: big_cash_sales
-- title: Big cash sales
-- why: Large cash sales are worth a second look.
-- severity: 0.2
-- param: over = 100 | amount above which a cash sale counts
SELECT transaction_id, employee_id, store_id, register_id, business_date,
       ended_at_text AS at, total AS amount, {{severity}} AS severity, 'big cash sale' AS detail
FROM tx WHERE has_cash = 1 AND total > {{over}}
"""


def test_the_library_has_every_rule_the_issue_lists() -> None:
    ids = {rule.id for rule in builtin_rules()}
    assert len(ids) == 20
    assert {"post_void_own_cash", "sweethearting", "craved_no_receipt"} <= ids


def test_every_builtin_rule_says_why_it_matters() -> None:
    for rule in builtin_rules():
        assert rule.title and len(rule.why) > 40 and 0 < rule.severity <= 1, rule.id


def test_a_user_rule_dropped_in_a_folder_runs(tmp_path: Path) -> None:
    folder = write(tmp_path / "data", tx("T1", total="150.00"))
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "big_cash_sales.sql").write_text(RULE)
    result = scan(folder, ScanOptions(rules=(rules,)))
    found = [e for e in result["exceptions"] if e["rule"] == "big_cash_sales"]
    assert [(e["transaction_id"], e["amount"]) for e in found] == [("T1", "150.00")]


def test_a_parameter_must_be_a_number_or_a_quoted_string() -> None:
    with pytest.raises(ContractError, match="not a number or a 'quoted string'"):
        parse("x.sql", RULE.replace("over = 100", "over = 1); DROP TABLE tx; --"))


@pytest.mark.parametrize(
    "body",
    [
        "DELETE FROM transactions",
        "CREATE TABLE x AS SELECT 1",
        "SELECT 1; SELECT 2",
        "COPY transactions TO '/tmp/out.csv'",
    ],
)
def test_a_rule_that_is_not_one_select_is_refused(body: str) -> None:
    header = RULE.split("SELECT", 1)[0]
    with pytest.raises(ContractError):
        parse("evil.sql", header + body)


def test_a_rule_cannot_read_files(tmp_path: Path) -> None:
    folder = write(tmp_path / "data", tx("T1"))
    secret = tmp_path / "secret.csv"
    secret.write_text("a\nsecret\n")
    rule = tmp_path / "peek.sql"
    rule.write_text(
        RULE.replace("big_cash_sales", "peek").split("SELECT", 1)[0]
        + f"SELECT a AS transaction_id, a AS employee_id, a AS store_id, a AS register_id, "
        f"a AS business_date, a AS at, 0 AS amount, 0.1 AS severity, a AS detail "
        f"FROM read_csv('{secret}')"
    )
    with pytest.raises(duckdb.Error, match=r"(?i)external access|disabled|permission"):
        scan(folder, ScanOptions(rules=(rule,)))


def test_a_user_rule_with_a_builtin_id_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "no_sale_drawer.sql"
    path.write_text(RULE.replace("big_cash_sales", "no_sale_drawer"))
    chosen = {rule.id: rule for rule in load_rules([path])}
    assert chosen["no_sale_drawer"].title == "Big cash sales"
