"""Mapping profiles: a CSV export plus a YAML/TOML profile in, contract data set out."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.shared_data import shared_data
from vigil.engines.pos import cli
from vigil.engines.pos.converters import convert, mapping
from vigil.engines.pos.errors import ContractError

UCI_SAMPLE = "online-retail/online_retail_II_sample.csv"


def rows(out_dir: Path, table: str) -> list[dict[str, str]]:
    with (out_dir / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


UCI_HEADER = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n"


def uci_csv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(UCI_HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def run_uci(source: Path, out_dir: Path) -> Path:
    convert(source, out_dir, source_format="online-retail-ii")
    return out_dir


# --- the shipped UCI Online Retail II profile ------------------------------------------------


@pytest.fixture(scope="module")
def uci_source() -> list[dict[str, str]]:
    with shared_data(UCI_SAMPLE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def uci_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_uci(shared_data(UCI_SAMPLE), tmp_path_factory.mktemp("uci") / "out")


def test_uci_sample_has_one_transaction_per_invoice(
    uci_source: list[dict[str, str]], uci_out: Path
) -> None:
    invoices = {row["Invoice"] for row in uci_source}
    transactions = rows(uci_out, "transactions")
    assert len(transactions) == len(invoices)
    assert {row["transaction_id"] for row in transactions} == invoices


def test_uci_invoices_starting_with_c_are_the_returns(
    uci_source: list[dict[str, str]], uci_out: Path
) -> None:
    credit_notes = {row["Invoice"] for row in uci_source if row["Invoice"].startswith("C")}
    returns = {
        row["transaction_id"] for row in rows(uci_out, "transactions") if row["kind"] == "return"
    }
    assert returns == credit_notes


def test_uci_sample_has_one_line_per_row(uci_source: list[dict[str, str]], uci_out: Path) -> None:
    assert len(rows(uci_out, "line_items")) == len(uci_source)


def test_uci_returns_have_negative_quantities_and_totals(uci_out: Path) -> None:
    returns = [row for row in rows(uci_out, "transactions") if row["kind"] == "return"]
    assert returns and all(row["total"].startswith("-") for row in returns)
    returned_lines = [row for row in rows(uci_out, "line_items") if row["transaction_id"][0] == "C"]
    assert all(row["quantity"].startswith("-") for row in returned_lines)


def test_uci_each_invoice_is_paid_by_one_other_tender_for_its_total(uci_out: Path) -> None:
    totals = {row["transaction_id"]: row["total"] for row in rows(uci_out, "transactions")}
    tenders = rows(uci_out, "tenders")
    assert {row["transaction_id"]: row["amount"] for row in tenders} == totals
    assert {row["tender_type"] for row in tenders} == {"other"}


def test_uci_web_shop_is_one_store_one_register_and_no_operator(uci_out: Path) -> None:
    transactions = rows(uci_out, "transactions")
    assert {(row["store_id"], row["register_id"], row["employee_id"]) for row in transactions} == {
        ("UK-ONLINE", "WEB", "ONLINE")
    }
    assert [row["store_id"] for row in rows(uci_out, "stores")] == ["UK-ONLINE"]
    assert [(row["employee_id"], row["role"]) for row in rows(uci_out, "employees")] == [
        ("ONLINE", "other")
    ]


def test_uci_invoice_lines_split_across_the_file_stay_one_transaction(tmp_path: Path) -> None:
    source = uci_csv(
        tmp_path,
        "1001,A,Mug,2,2009-12-01 07:45:00,1.50,13085.0,United Kingdom",
        "1002,B,Bag,1,2009-12-01 07:50:00,4.00,,France",
        "1001,C,Cup,1,2009-12-01 07:45:00,0.99,13085.0,United Kingdom",
    )
    out = run_uci(source, tmp_path / "out")
    lines = [(row["transaction_id"], row["line_no"]) for row in rows(out, "line_items")]
    assert lines == [("1001", "1"), ("1002", "1"), ("1001", "2")]
    assert rows(out, "transactions")[0]["subtotal"] == "3.99"


def test_uci_invoice_date_is_read_in_uk_time_with_an_offset(tmp_path: Path) -> None:
    source = uci_csv(tmp_path, "1001,A,Mug,1,2010-06-01 09:00:00,1.50,,United Kingdom")
    (transaction,) = rows(run_uci(source, tmp_path / "out"), "transactions")
    assert transaction["started_at"] == "2010-06-01T09:00:00+01:00"  # British Summer Time
    assert transaction["business_date"] == "2010-06-01"


def test_uci_customer_id_loses_its_float_suffix(tmp_path: Path) -> None:
    source = uci_csv(tmp_path, "1001,A,Mug,1,2009-12-01 07:45:00,1.50,13085.0,United Kingdom")
    (transaction,) = rows(run_uci(source, tmp_path / "out"), "transactions")
    assert transaction["customer_id"] == "13085"


def test_a_bad_decimal_names_the_file_row_and_column(tmp_path: Path) -> None:
    source = uci_csv(
        tmp_path,
        "1001,A,Mug,1,2009-12-01 07:45:00,1.50,,United Kingdom",
        "1001,B,Bag,1,2009-12-01 07:45:00,4.OO,,United Kingdom",
    )
    with pytest.raises(ContractError) as error:
        run_uci(source, tmp_path / "out")
    assert (error.value.file, error.value.row, error.value.column) == (str(source), 3, "Price")
    assert "'4.OO'" in error.value.problem


def test_a_bad_decimal_exits_2_and_leaves_no_out_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = uci_csv(tmp_path, "1001,A,Mug,one,2009-12-01 07:45:00,1.50,,United Kingdom")
    out = tmp_path / "data" / "uci"
    argv = ["convert", "--from", "online-retail-ii", str(source), str(out)]
    assert cli.main(argv) == 2
    assert "row 2, column 'Quantity'" in capsys.readouterr().err
    assert not out.exists()
    assert list(out.parent.iterdir()) == []


def test_a_missing_source_column_is_named_with_the_header_row(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text(
        UCI_HEADER.replace("Price", "UnitPrice") + "1,A,M,1,2009-12-01 07:45:00,1,,UK\n"
    )
    with pytest.raises(ContractError) as error:
        run_uci(source, tmp_path / "out")
    assert (error.value.row, error.value.column) == (1, "Price")


def test_a_truncated_row_is_refused(tmp_path: Path) -> None:
    source = uci_csv(tmp_path, "1001,A,Mug,1,2009-12-01 07:45:00,1.50,,United Kingdom", "1002,B")
    with pytest.raises(ContractError) as error:
        run_uci(source, tmp_path / "out")
    assert error.value.row == 3


def test_a_shipped_profile_is_found_by_either_spelling() -> None:
    assert mapping.shipped_profile("online-retail-ii") == mapping.shipped_profile(
        "online_retail_ii"
    )
    assert mapping.shipped_profile("online_retail_ii") is not None
    assert mapping.shipped_profile("../online_retail_ii") is None


def test_the_profile_option_is_the_same_as_from_profile(tmp_path: Path) -> None:
    source = uci_csv(tmp_path, "1001,A,Mug,1,2009-12-01 07:45:00,1.50,,United Kingdom")
    report = convert(source, tmp_path / "out", source_format=None, profile="online_retail_ii")
    assert report.transactions == 1


def test_an_unknown_format_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match="poslog, profile:PATH, online_retail_ii"):
        convert(tmp_path, tmp_path / "out", source_format="excel")


# --- writing your own profile ----------------------------------------------------------------

TILL_EXPORT = (
    "Bon;Filiale;Kasse;Kassierer;Zeit;Art;Artikel;Menge;Preis;Zahlart\n"
    "B1;0042;K1;777;14.03.2026 10:00;VK;4711;2;1.234,50;BAR\n"
    "B2;0042;K1;777;14.03.2026 10:05;RT;4711;1;1.234,50;EC\n"
)
TILL_PROFILE_TOML = """\
name = "till_export"

[csv]
delimiter = ";"

[defaults]
timezone = "Europe/Berlin"
timestamp_format = "%d.%m.%Y %H:%M"
decimal_separator = ","
thousands_separator = "."

[tables.transactions]
transaction_id = "Bon"
store_id = "Filiale"
register_id = "Kasse"
employee_id = "Kassierer"
started_at = "Zeit"
kind = { value = "sale", when = [{ column = "Art", equals = "RT", value = "return" }] }

[tables.line_items]
sku = "Artikel"
quantity = { column = "Menge", negate_when = { column = "Art", equals = "RT" } }
unit_price = "Preis"

[tables.tenders]
tender_type = { column = "Zahlart", map = { BAR = "cash", EC = "debit" }, default = "other" }
"""


def till_export(tmp_path: Path, profile_text: str = TILL_PROFILE_TOML) -> tuple[Path, Path]:
    source = tmp_path / "bons.csv"
    source.write_text(TILL_EXPORT, encoding="utf-8")
    profile = tmp_path / "till.toml"
    profile.write_text(profile_text, encoding="utf-8")
    return source, profile


def test_a_toml_profile_reads_a_semicolon_export_with_decimal_commas(tmp_path: Path) -> None:
    source, profile = till_export(tmp_path)
    out = tmp_path / "out"
    convert(source, out, source_format=f"profile:{profile}")
    first = rows(out, "line_items")[0]
    assert (first["quantity"], first["unit_price"], first["extended_amount"]) == (
        "2.00",
        "1234.50",
        "2469.00",
    )


def test_a_when_rule_sets_the_kind(tmp_path: Path) -> None:
    source, profile = till_export(tmp_path)
    out = tmp_path / "out"
    convert(source, out, source_format=f"profile:{profile}")
    assert [row["kind"] for row in rows(out, "transactions")] == ["sale", "return"]


def test_negate_when_makes_an_unsigned_return_negative(tmp_path: Path) -> None:
    source, profile = till_export(tmp_path)
    out = tmp_path / "out"
    convert(source, out, source_format=f"profile:{profile}")
    returned = rows(out, "transactions")[1]
    assert (returned["total"], rows(out, "line_items")[1]["quantity"]) == ("-1234.50", "-1.00")


def test_a_map_turns_source_codes_into_contract_tender_types(tmp_path: Path) -> None:
    source, profile = till_export(tmp_path)
    out = tmp_path / "out"
    convert(source, out, source_format=f"profile:{profile}")
    assert [row["tender_type"] for row in rows(out, "tenders")] == ["cash", "debit"]


def test_a_timestamp_format_and_zone_give_an_offset(tmp_path: Path) -> None:
    source, profile = till_export(tmp_path)
    out = tmp_path / "out"
    convert(source, out, source_format=f"profile:{profile}")
    assert rows(out, "transactions")[0]["started_at"] == "2026-03-14T10:00:00+01:00"


def test_the_timezone_option_overrides_the_profiles(tmp_path: Path) -> None:
    source, profile = till_export(tmp_path)
    out = tmp_path / "out"
    convert(source, out, source_format=f"profile:{profile}", timezone="UTC")
    assert rows(out, "transactions")[0]["started_at"] == "2026-03-14T10:00:00+00:00"


def test_an_unknown_profile_key_is_named(tmp_path: Path) -> None:
    source, profile = till_export(
        tmp_path, TILL_PROFILE_TOML.replace('sku = "Artikel"', 'skew = "Artikel"')
    )
    with pytest.raises(ContractError) as error:
        convert(source, tmp_path / "out", source_format=f"profile:{profile}")
    assert (error.value.file, error.value.element) == (str(profile), "tables.line_items")
    assert "'skew'" in error.value.problem


def test_a_constant_outside_the_contracts_list_fails_at_load(tmp_path: Path) -> None:
    text = TILL_PROFILE_TOML.replace('value = "return"', 'value = "refund"')
    _, profile = till_export(tmp_path, text)
    with pytest.raises(ContractError) as error:
        mapping.load_profile(profile)
    assert error.value.element == "tables.transactions.kind"
    assert "'refund'" in error.value.problem


def test_a_required_column_left_unmapped_is_named(tmp_path: Path) -> None:
    _, profile = till_export(tmp_path, TILL_PROFILE_TOML.replace('started_at = "Zeit"\n', ""))
    with pytest.raises(ContractError) as error:
        mapping.load_profile(profile)
    assert error.value.element == "tables.transactions.started_at"


def test_a_yaml_profile_with_a_syntax_error_is_named(tmp_path: Path) -> None:
    profile = tmp_path / "broken.yaml"
    profile.write_text("tables: [unclosed\n")
    with pytest.raises(ContractError, match="not valid YAML"):
        mapping.load_profile(profile)
