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


# --- bad cells, named where they are (found by tests/engines/pos/test_fuzz.py) ---------------

GOOD_ROW = "1001,A,Mug,1,2009-12-01 07:45:00,1.50,13085.0,United Kingdom"


def refusal(source: Path, out: Path) -> ContractError:
    with pytest.raises(ContractError) as error:
        run_uci(source, out)
    return error.value


def test_quantity_1e400_names_file_row_and_column(tmp_path: Path) -> None:
    source = uci_csv(tmp_path, GOOD_ROW, GOOD_ROW.replace(",1,2009", ",1e400,2009"))
    error = refusal(source, tmp_path / "out")
    assert (error.file, error.row, error.column) == (str(source), 3, "Quantity")
    assert "at most 16 digits before the decimal point, found '1e400'" in error.problem


def test_quantity_1e400_exits_2_in_one_line_with_no_python_in_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = uci_csv(tmp_path, GOOD_ROW.replace(",1,2009", ",1e400,2009"))
    argv = ["convert", "--from", "online-retail-ii", str(source), str(tmp_path / "out")]
    assert cli.main(argv) == 2
    printed = capsys.readouterr().err.strip()
    assert "\n" not in printed and "internal error" not in printed
    assert "row 2, column 'Quantity'" in printed


def test_a_bad_date_on_a_later_row_of_an_invoice_names_that_row(tmp_path: Path) -> None:
    later = GOOD_ROW.replace(",A,Mug", ",B,Bag").replace("2009-12-01 07:45", "2009-02-30 07:45")
    source = uci_csv(tmp_path, GOOD_ROW, GOOD_ROW, later)
    error = refusal(source, tmp_path / "out")
    assert (error.file, error.row, error.column) == (str(source), 4, "InvoiceDate")
    assert "'2009-02-30 07:45:00'" in error.problem


def test_an_empty_date_on_a_later_row_of_an_invoice_is_refused(tmp_path: Path) -> None:
    source = uci_csv(tmp_path, GOOD_ROW, GOOD_ROW.replace("2009-12-01 07:45:00", ""))
    error = refusal(source, tmp_path / "out")
    assert (error.row, error.column) == (3, "InvoiceDate")


def test_a_nul_byte_names_file_row_and_column(tmp_path: Path) -> None:
    source = uci_csv(tmp_path, GOOD_ROW, GOOD_ROW.replace("Mug", "M\x00ug"))
    error = refusal(source, tmp_path / "out")
    assert (error.file, error.row, error.column) == (str(source), 3, "Description")
    assert "NUL" in error.problem


def test_a_10_mb_cell_names_file_row_and_column(tmp_path: Path) -> None:
    source = uci_csv(tmp_path, GOOD_ROW, GOOD_ROW.replace("Mug", "x" * 10_000_000))
    error = refusal(source, tmp_path / "out")
    assert (error.file, error.row, error.column) == (str(source), 3, "Description")
    assert len(str(error)) < 300


def test_a_byte_that_is_not_utf8_names_its_row_and_column(tmp_path: Path) -> None:
    # Far from the first 8 KB block a text reader decodes at once, too: on row 4, not row 2.
    source = uci_csv(tmp_path, GOOD_ROW, GOOD_ROW, GOOD_ROW.replace("Mug", "M?g"))
    source.write_bytes(source.read_bytes().replace(b"M?g", b"M\xffg"))
    error = refusal(source, tmp_path / "out")
    assert (error.row, error.column) == (4, "Description")
    assert "0xff" in error.problem


def test_a_time_before_standard_time_is_refused(tmp_path: Path) -> None:
    # London kept local mean time (-00:01:15) before 1847: no offset in whole minutes.
    source = uci_csv(tmp_path, GOOD_ROW.replace("2009-12-01", "1800-12-01"))
    error = refusal(source, tmp_path / "out")
    assert (error.row, error.column) == (2, "InvoiceDate")
    assert "whole minutes" in error.problem


def test_a_negative_zero_quantity_is_written_as_zero(tmp_path: Path) -> None:
    source = uci_csv(tmp_path, GOOD_ROW.replace(",1,2009", ",-0,2009"))
    (line,) = rows(run_uci(source, tmp_path / "out"), "line_items")
    assert line["quantity"] == "0.00"


def test_an_unclosed_quote_names_the_row_it_swallows_from(tmp_path: Path) -> None:
    source = uci_csv(tmp_path, GOOD_ROW, GOOD_ROW.replace("Mug", '"Mug'), GOOD_ROW)
    error = refusal(source, tmp_path / "out")
    assert error.row == 3 and "never closed" in error.problem


def test_a_line_number_given_twice_in_a_transaction_is_refused(tmp_path: Path) -> None:
    numbered = TILL_PROFILE_TOML.replace('sku = "Artikel"', 'sku = "Artikel"\nline_no = "Menge"')
    source, profile = till_export(tmp_path, numbered)
    # B1 has two lines, both numbered 2 (the export's "Menge" column, as this profile maps it)
    source.write_text(TILL_EXPORT + "B1;0042;K1;777;14.03.2026 10:00;VK;4712;2;1,00;BAR\n")
    with pytest.raises(ContractError) as error:
        convert(source, tmp_path / "out", source_format=f"profile:{profile}")
    assert (error.value.row, error.value.column) == (4, "Menge")
    assert "given twice" in error.value.problem


def test_a_transaction_with_no_operator_off_self_checkout_is_refused(tmp_path: Path) -> None:
    source, profile = till_export(tmp_path)
    source.write_text(TILL_EXPORT.replace(";K1;777;", ";K1;;", 1))
    with pytest.raises(ContractError) as error:
        convert(source, tmp_path / "out", source_format=f"profile:{profile}")
    assert (error.value.row, error.value.column) == (2, "Kassierer")
    assert "self-checkout" in error.value.problem


def test_a_self_checkout_transaction_may_have_no_operator(tmp_path: Path) -> None:
    source, profile = till_export(tmp_path)
    source.write_text(TILL_EXPORT.replace(";K1;777;", ";SCO1;;", 1))
    out = tmp_path / "out"
    convert(source, out, source_format=f"profile:{profile}")
    assert rows(out, "transactions")[0]["employee_id"] == ""
