"""`vigil pos generate`: a contract data set with planted schemes, and its answer key beside it.

The data sets are the default chain and period (4 stores x 28 days) at a quarter of the default
volume, made once per module; each planted scheme is shown by the SQL footprint a scanner rule
would look for, comparing the planted employee with the peers of their role.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from vigil.engines.pos import cli
from vigil.engines.pos.contract import BY_NAME, TABLES
from vigil.engines.pos.generation.plan import EMPLOYEE_SCHEMES, Scheme
from vigil.engines.pos.generation.truth import GroundTruth
from vigil.engines.pos.generator import default_truth_path, generate

STORES, DAYS, VOLUME = 4, 28, 15
START = date(2026, 3, 2)
DataSet = tuple[Path, GroundTruth]
MakeDataSet = Callable[[int], DataSet]

DECIMAL = re.compile(r"-?\d+\.\d{2}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
CRAVED = (
    "('razors', 'fragrance', 'cosmetics', 'electronics', 'baby_formula', 'alcohol', "
    "'tobacco', 'otc_medicine')"
)

# Each scheme's footprint: per employee, how many times the pattern shows.
FOOTPRINTS: dict[str, str] = {
    Scheme.POST_VOID_OWN_CASH: """
        select t.employee_id, count(*) from transactions t join tenders d using (transaction_id)
        where t.status = 'post_voided' and t.post_void_employee_id = t.employee_id
          and d.tender_type = 'cash' group by 1""",
    Scheme.POST_VOID_AFTER_TENDER: """
        select employee_id, count(*) from transactions
        where status = 'post_voided' and post_voided_at - ended_at > interval 10 minute
        group by 1""",
    Scheme.RETURN_NO_RECEIPT_CASH: """
        select t.employee_id, count(*) from transactions t join tenders d using (transaction_id)
        where t.kind = 'return' and not t.receipt_present
          and t.original_transaction_id is null and d.tender_type = 'cash' group by 1""",
    Scheme.REFUND_SAME_CARD_REPEAT: """
        select employee_id, max(refunds) from (
          select t.employee_id, d.card_token, count(*) refunds
          from transactions t join tenders d using (transaction_id)
          where d.amount < 0 and d.tender_type in ('credit', 'debit') group by 1, 2)
        group by 1""",
    Scheme.REFUND_TO_OWN_LOYALTY: """
        select t.employee_id, count(*) from transactions t join employees e using (employee_id)
        where t.kind = 'return' and t.customer_id = e.customer_id group by 1""",
    Scheme.REFUND_TO_GIFT_CARD: """
        select t.employee_id, count(*) from transactions t join tenders d using (transaction_id)
        where d.tender_type = 'gift_card' and d.amount < 0 group by 1""",
    Scheme.GIFT_CARD_LOAD_SPEND_ELSEWHERE: """
        with cards as (
          select t.transaction_id, t.employee_id, t.store_id, t.started_at, t.ended_at,
                 d.card_token, d.amount
          from transactions t join tenders d using (transaction_id)
          where d.tender_type = 'gift_card')
        select load.employee_id, count(distinct load.transaction_id)
        from cards load join cards spend
          on spend.card_token = load.card_token and spend.store_id <> load.store_id
         and spend.amount > 0 and load.amount < 0
         and spend.started_at between load.ended_at and load.ended_at + interval 48 hour
        group by 1""",
    Scheme.NO_SALE_DRAWER: """
        select employee_id, count(*) from transactions where kind = 'no_sale' group by 1""",
    Scheme.LINE_VOID_CASH: """
        select t.employee_id, count(*) from transactions t join line_items i using (transaction_id)
        where i.line_voided and t.transaction_id in (
          select transaction_id from tenders where tender_type = 'cash') group by 1""",
    Scheme.CANCELLED_AFTER_ITEMS: """
        select employee_id, count(*) from (
          select t.transaction_id, t.employee_id
          from transactions t join line_items i using (transaction_id)
          where t.status = 'cancelled' group by 1, 2 having count(*) >= 3)
        group by 1""",
    Scheme.PRICE_OVERRIDE_DEEP: """
        select t.employee_id, count(*) from transactions t join line_items i using (transaction_id)
        where i.price_override and i.unit_price < 0.5 * i.regular_price group by 1""",
    Scheme.EMPLOYEE_DISCOUNT_NON_EMPLOYEE: """
        select t.employee_id, count(distinct t.transaction_id)
        from transactions t join line_items i using (transaction_id)
        where i.discount_reason = 'employee' and (t.customer_id is null or t.customer_id not in (
          select customer_id from employees where customer_id is not null))
        group by 1""",
    Scheme.KEYED_NOT_SCANNED: """
        select t.employee_id, count(*) from transactions t join line_items i using (transaction_id)
        where i.entry_method = 'keyed' group by 1""",
    Scheme.SWEETHEARTING: """
        select employee_id, max(visits) from (
          select employee_id, customer_id, count(*) visits from (
            select t.transaction_id, t.employee_id, t.customer_id,
                   sum(i.extended_amount - i.discount_amount) paid,
                   sum(i.regular_price * i.quantity) shelf
            from transactions t join line_items i using (transaction_id)
            where t.kind = 'sale' and t.customer_id is not null and not i.line_voided
            group by 1, 2, 3)
          where paid < 0.6 * shelf group by 1, 2)
        group by 1""",
    Scheme.OVERRIDE_SELF_APPROVED: """
        select employee_id, count(*) from transactions
        where override_employee_id = employee_id group by 1""",
    Scheme.TRAINING_OR_AFTER_HOURS: """
        select t.employee_id, count(*) from raw_transactions t join stores s using (store_id)
        where t.kind = 'training' or substr(t.started_at, 12, 5) < s.opens
           or substr(t.started_at, 12, 5) >= s.closes
        group by 1""",
    Scheme.RETURN_NO_ORIGINAL: """
        select employee_id, count(*) from transactions
        where kind = 'return' and receipt_present and original_transaction_id not in (
          select transaction_id from transactions)
        group by 1""",
    Scheme.CASH_REFUND_AFTER_CARD_SALE: """
        select r.employee_id, count(*) from transactions r
        join tenders refund on refund.transaction_id = r.transaction_id
         and refund.tender_type = 'cash' and refund.amount < 0
        join tenders paid on paid.transaction_id = r.original_transaction_id
         and paid.tender_type in ('credit', 'debit')
        where r.kind = 'return' group by 1""",
    Scheme.CRAVED_NO_RECEIPT: f"""
        select t.employee_id, count(distinct t.transaction_id)
        from transactions t join line_items i using (transaction_id)
        where t.kind = 'return' and not t.receipt_present and i.department in {CRAVED}
        group by 1""",
}


@pytest.fixture(scope="module")
def make_data_set(tmp_path_factory: pytest.TempPathFactory) -> MakeDataSet:
    made: dict[int, DataSet] = {}

    def make(seed: int) -> DataSet:
        if seed not in made:
            out = tmp_path_factory.mktemp(f"seed{seed}") / "data"
            truth = generate(
                out, stores=STORES, days=DAYS, seed=seed, transactions_per_register_day=VOLUME
            )
            made[seed] = (out, truth)
        return made[seed]

    return make


@pytest.fixture(scope="module")
def data_set(make_data_set: MakeDataSet) -> DataSet:
    return make_data_set(1)


@pytest.fixture(scope="module")
def sql(data_set: DataSet) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(data_set[0])
    yield connection
    connection.close()


def connect(out: Path) -> duckdb.DuckDBPyConnection:
    """Each table twice, read once into memory: ``raw_<name>`` as text, ``<name>`` typed as
    the contract says (so a value that does not parse as its contract type fails the read)."""
    connection = duckdb.connect()
    for table in TABLES:
        path = out / f"{table.name}.csv"
        header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        types = {
            name: table.column(name).sql_type if name in _names(table.name) else "VARCHAR"
            for name in header
        }
        text = {name: "VARCHAR" for name in header}
        connection.execute(f"create table {table.name} as {_read(path, types)}")
        connection.execute(f"create table raw_{table.name} as {_read(path, text)}")
    return connection


def _names(table: str) -> set[str]:
    return {column.name for column in BY_NAME[table].columns}


def _read(path: Path, types: dict[str, str]) -> str:
    columns = ", ".join(f"'{name}': '{type_}'" for name, type_ in types.items())
    return f"select * from read_csv('{path}', header = true, columns = {{{columns}}})"


def rows(connection: duckdb.DuckDBPyConnection, query: str) -> list[tuple[Any, ...]]:
    return connection.execute(query).fetchall()


def footprint(connection: duckdb.DuckDBPyConnection, scheme: str) -> dict[str, int]:
    return {str(e): int(str(n)) for e, n in rows(connection, FOOTPRINTS[scheme]) if e}


# --- the contract ---------------------------------------------------------------------------


def test_it_writes_every_contract_table_with_every_column(data_set: DataSet) -> None:
    out, _ = data_set
    for table in TABLES:
        header = (out / f"{table.name}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert set(_names(table.name)) <= set(header.split(",")), table.name


def test_required_columns_are_never_empty(sql: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        for name in table.required_columns:
            where = f'"{name}" is null or "{name}" = \'\''
            if (table.name, name) == ("transactions", "employee_id"):
                # Self-checkout lanes name the attendant, or nobody when none is signed on.
                where = f"({where}) and register_id not like 'SCO%'"
            empty = rows(sql, f"select count(*) from raw_{table.name} where {where}")
            assert empty == [(0,)], f"{table.name}.{name}"


def test_amounts_have_two_decimal_places(sql: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        for column in table.columns:
            if column.type != "dec":
                continue
            values = rows(sql, f'select distinct "{column.name}" from raw_{table.name}')
            bad = [v for (v,) in values if v is not None and not DECIMAL.fullmatch(str(v))]
            assert bad == [], f"{table.name}.{column.name}"


def test_timestamps_carry_their_utc_offset(sql: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        for column in table.columns:
            if column.type != "ts":
                continue
            values = rows(sql, f'select "{column.name}" from raw_{table.name}')
            bad = [v for (v,) in values if v is not None and not TIMESTAMP.fullmatch(str(v))]
            assert bad == [], f"{table.name}.{column.name}"


def test_both_time_zones_appear_with_their_own_offsets(sql: duckdb.DuckDBPyConnection) -> None:
    offsets = rows(
        sql,
        """select s.timezone, count(distinct right(t.started_at, 6))
           from raw_transactions t join stores s using (store_id) group by 1 order by 1""",
    )
    # Daylight saving starts on 8 March 2026, inside the period: two offsets per zone.
    assert offsets == [("America/Chicago", 2), ("America/New_York", 2)]
    assert rows(sql, "select count(distinct region) >= 2 from stores") == [(True,)]


def test_keys_are_unique(sql: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        if not table.key:
            continue
        key = ", ".join(f'"{name}"' for name in table.key)
        duplicates = rows(
            sql,
            f"select count(*) from (select {key} from {table.name} "
            "group by all having count(*) > 1)",
        )
        assert duplicates == [(0,)], table.name


def test_every_line_and_tender_belongs_to_a_transaction(sql: duckdb.DuckDBPyConnection) -> None:
    for child in ("line_items", "tenders"):
        orphans = rows(
            sql,
            f"select count(*) from {child} where transaction_id not in "
            "(select transaction_id from transactions)",
        )
        assert orphans == [(0,)], child


def test_tenders_add_up_to_the_total_of_tendered_transactions(
    sql: duckdb.DuckDBPyConnection,
) -> None:
    mismatched = rows(
        sql,
        """select count(*) from transactions t
           left join (select transaction_id, sum(amount) paid from tenders group by 1) d
             using (transaction_id)
           where t.status in ('completed', 'post_voided') and coalesce(d.paid, 0) <> t.total""",
    )
    assert mismatched == [(0,)]


def test_totals_are_subtotal_less_discounts_plus_tax(sql: duckdb.DuckDBPyConnection) -> None:
    wrong = rows(
        sql,
        """select count(*) from transactions t
           left join (select transaction_id, sum(extended_amount) lines,
                             sum(discount_amount) discounts
                      from line_items where not line_voided group by 1) i using (transaction_id)
           where t.total <> t.subtotal - t.discount_total + t.tax
              or (i.lines is not null and (i.lines <> t.subtotal
                                           or i.discounts <> t.discount_total))""",
    )
    assert wrong == [(0,)]


def test_returns_with_a_real_receipt_bring_back_what_was_sold(
    sql: duckdb.DuckDBPyConnection,
) -> None:
    unsold = rows(
        sql,
        """select count(*) from transactions r join line_items i using (transaction_id)
           where r.kind = 'return' and r.original_transaction_id in (
             select transaction_id from transactions)
             and i.sku not in (select sku from line_items o
                               where o.transaction_id = r.original_transaction_id)""",
    )
    assert unsold == [(0,)]


def test_stores_and_employees_carry_hours_and_loyalty_ids(sql: duckdb.DuckDBPyConnection) -> None:
    hours = rows(sql, "select opens, closes from raw_stores")
    assert hours and all(re.fullmatch(r"\d\d:\d\d", t) for row in hours for t in row)
    with_ids = rows(sql, "select count(customer_id), count(*) from employees")
    assert 0 < with_ids[0][0] < with_ids[0][1]


def test_the_catalogue_has_craved_and_ordinary_departments(sql: duckdb.DuckDBPyConnection) -> None:
    departments = {str(d) for (d,) in rows(sql, "select distinct department from line_items")}
    assert departments >= {"razors", "fragrance", "electronics", "grocery", "household"}
    assert rows(sql, "select count(distinct sku) between 250 and 350 from line_items") == [(True,)]


# --- determinism and the answer key --------------------------------------------------------


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        generate(tmp_path / name, stores=3, days=3, seed=seed, transactions_per_register_day=8)
    files = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert len(files) == len(TABLES)
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    truths = [(tmp_path / f"{name}.truth.json").read_text(encoding="utf-8") for name in "ab"]
    assert truths[0] == truths[1]
    other = (tmp_path / "c/transactions.csv").read_bytes()
    assert other != (tmp_path / "a/transactions.csv").read_bytes()


def test_the_truth_file_lies_beside_the_folder_not_inside(data_set: DataSet) -> None:
    out, truth = data_set
    truth_path = default_truth_path(out)
    assert truth_path == out.parent / "data.truth.json"
    assert truth_path.exists()
    assert not any(path.suffix == ".json" for path in out.iterdir())
    assert truth.to_json() == truth_path.read_text(encoding="utf-8")


def test_a_truth_file_inside_the_data_set_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must not be inside"):
        generate(tmp_path / "data", stores=1, days=1, seed=1, truth_path=tmp_path / "data/t.json")


def test_planted_employees_exist_with_their_roles(
    data_set: DataSet, sql: duckdb.DuckDBPyConnection
) -> None:
    _, truth = data_set
    staff = {
        str(e): (str(s), str(r))
        for e, s, r in rows(sql, "select employee_id, store_id, role from employees")
    }
    assert 5 <= len(truth.dishonest) <= 8
    for planted in truth.dishonest:
        assert staff[planted.employee_id] == (planted.store_id, planted.role)
        assert 1 <= len(planted.schemes) <= 2
    roles = sorted(planted.role for planted in truth.dishonest)
    assert roles.count("service_desk") == 1 and roles.count("supervisor") == 1
    supervisor = next(p for p in truth.dishonest if p.role == "supervisor")
    assert Scheme.OVERRIDE_SELF_APPROVED in supervisor.schemes


def test_each_planted_employee_leaves_a_detectable_number_of_events(data_set: DataSet) -> None:
    _, truth = data_set
    for planted in truth.dishonest:
        for scheme, events in planted.events_by_scheme.items():
            assert events >= 15, (planted.employee_id, scheme)


def test_look_alikes_are_the_desk_the_supervisors_a_new_hire_and_an_outlet_store(
    data_set: DataSet, sql: duckdb.DuckDBPyConnection
) -> None:
    _, truth = data_set
    dishonest = set(truth.dishonest_ids)
    kinds = {
        entry.get("employee_id") or entry["store_id"]: entry["kind"] for entry in truth.look_alikes
    }
    for employee_id, role in rows(sql, "select employee_id, role from employees"):
        if role in ("service_desk", "supervisor") and employee_id not in dishonest:
            assert kinds[str(employee_id)] == role
    new_hire = next(k for k, v in kinds.items() if v == "new_hire")
    hired = rows(sql, f"select hired_on, role from employees where employee_id = '{new_hire}'")
    assert hired[0][1] == "cashier" and START <= hired[0][0] <= START + timedelta(days=6)
    assert list(kinds.values()).count("honest_returns_store") == 1
    assert not dishonest & set(kinds)


# --- the planted schemes, each against its peers --------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_planted_scheme_stands_out_from_the_peers_of_its_role(
    make_data_set: MakeDataSet, seed: int
) -> None:
    out, truth = make_data_set(seed)
    connection = connect(out)
    roles = {str(e): str(r) for e, r in rows(connection, "select employee_id, role from employees")}
    for planted in truth.dishonest:
        for scheme in planted.schemes:
            counts = footprint(connection, scheme)
            doers = {p.employee_id for p in truth.dishonest if scheme in p.schemes}
            peers = sorted(
                counts.get(e, 0) for e, r in roles.items() if r == planted.role and e not in doers
            )
            typical = peers[int(len(peers) * 0.9)]
            mine = counts.get(planted.employee_id, 0)
            where = (seed, planted.employee_id, scheme, mine, peers)
            assert mine >= 6 and mine >= 3 * max(typical, 1), where
    connection.close()


def test_seeds_one_to_three_plant_every_scheme(make_data_set: MakeDataSet) -> None:
    planted = {s for seed in (1, 2, 3) for p in make_data_set(seed)[1].dishonest for s in p.schemes}
    assert planted == {str(scheme) for scheme in EMPLOYEE_SCHEMES}


def test_an_organised_returner_returns_at_several_stores(
    data_set: DataSet, sql: duckdb.DuckDBPyConnection
) -> None:
    _, truth = data_set
    (returner,) = truth.customers
    assert returner.scheme == "multi_store_returns"
    visits = rows(
        sql,
        f"""select count(distinct store_id), count(*), count(*) filter (where not receipt_present)
            from transactions where kind = 'return' and customer_id = '{returner.customer_id}'""",
    )
    stores, returns, without_receipt = visits[0]
    assert stores >= 3 and returns >= 10 and without_receipt == returns
    busiest_other = rows(
        sql,
        f"""select max(n) from (select customer_id, count(distinct store_id) n from transactions
            where kind = 'return' and customer_id <> '{returner.customer_id}' group by 1)""",
    )
    assert busiest_other[0][0] < stores


def test_the_new_hire_makes_mistakes_early_then_improves(
    data_set: DataSet, sql: duckdb.DuckDBPyConnection
) -> None:
    _, truth = data_set
    new_hire = next(e["employee_id"] for e in truth.look_alikes if e["kind"] == "new_hire")
    early, late = rows(
        sql,
        f"""select t.business_date < e.hired_on + 14 early,
                   count(*) filter (where i.line_voided) / count(distinct t.transaction_id)
            from transactions t join employees e using (employee_id)
            join line_items i using (transaction_id)
            where t.employee_id = '{new_hire}' group by 1 order by 1 desc""",
    )
    peers = rows(
        sql,
        """select count(*) filter (where i.line_voided) / count(distinct t.transaction_id)
           from transactions t join employees e using (employee_id)
           join line_items i using (transaction_id) where e.role = 'cashier'""",
    )
    assert early[1] > 2 * peers[0][0] and late[1] < early[1]


def test_supervisors_post_void_and_approve_other_peoples_sales(
    data_set: DataSet, sql: duckdb.DuckDBPyConnection
) -> None:
    _, truth = data_set
    approvals = rows(
        sql,
        """select e.role, count(*) from transactions t
           join employees e on e.employee_id = coalesce(t.post_void_employee_id,
                                                         t.override_employee_id)
           where e.employee_id <> t.employee_id group by 1""",
    )
    assert dict(approvals).get("supervisor", 0) >= 50
    self_approvers = {
        str(e)
        for (e,) in rows(
            sql,
            "select distinct employee_id from transactions "
            "where override_employee_id = employee_id",
        )
    }
    planted = {p.employee_id for p in truth.dishonest if Scheme.OVERRIDE_SELF_APPROVED in p.schemes}
    assert self_approvers == planted


def test_the_outlet_store_takes_many_receipted_returns(
    data_set: DataSet, sql: duckdb.DuckDBPyConnection
) -> None:
    _, truth = data_set
    outlet = next(e["store_id"] for e in truth.look_alikes if e["kind"] == "honest_returns_store")
    receipted = dict(
        rows(
            sql,
            """select store_id, count(*) from transactions
               where kind = 'return' and receipt_present group by 1""",
        )
    )
    assert max(receipted, key=receipted.__getitem__) == outlet


def test_honest_sales_happen_in_opening_hours(
    data_set: DataSet, sql: duckdb.DuckDBPyConnection
) -> None:
    _, truth = data_set
    planted = ", ".join(f"'{e}'" for e in truth.dishonest_ids)
    outside = rows(
        sql,
        f"""select count(*) from raw_transactions t join stores s using (store_id)
            where (substr(t.started_at, 12, 5) < s.opens or substr(t.started_at, 12, 5) >= s.closes)
              and t.employee_id not in ({planted})""",
    )
    assert outside == [(0,)]


# --- the command line -----------------------------------------------------------------------


def test_cli_generate_writes_the_data_set_and_the_truth(tmp_path: Path) -> None:
    out = tmp_path / "small"
    options = ["--stores", "2", "--days", "2", "--seed", "5", "--transactions-per-day", "10"]
    code = cli.main(["generate", str(out), *options])
    assert code == 0
    assert (out / "transactions.csv").exists() and (tmp_path / "small.truth.json").exists()


def test_cli_refuses_a_truth_file_inside_the_data_set(tmp_path: Path) -> None:
    out = tmp_path / "small"
    code = cli.main(["generate", str(out), "--days", "1", "--truth", str(out / "truth.json")])
    assert code == 2
