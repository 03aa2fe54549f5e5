"""Reading a data set: the first cell that breaks the contract is named, and nothing loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engines.pos.datasets import TX_HEADER, tx, write
from vigil.engines.pos import loading
from vigil.engines.pos.cli import main
from vigil.engines.pos.errors import ContractError


def test_a_good_data_set_loads_with_decimal_amounts(tmp_path: Path) -> None:
    data = loading.load(write(tmp_path, tx("T1", total="52.79")))
    total = data.connection.execute("SELECT total FROM transactions").fetchone()
    assert str(total[0]) == "52.79"
    kept = data.connection.execute("SELECT started_at_text FROM transactions").fetchone()
    assert kept == ("2026-03-05T10:31:00-06:00",)


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    folder = write(tmp_path, tx("T1"))
    text = (folder / "line_items.csv").read_text().replace("sku,", "product,")
    (folder / "line_items.csv").write_text(text)
    with pytest.raises(ContractError) as error:
        loading.load(folder)
    assert error.value.file == "line_items.csv" and error.value.column == "sku"


def test_a_bad_decimal_names_file_row_and_column(tmp_path: Path) -> None:
    folder = write(tmp_path, tx("T1") + tx("T2", total='"12,50"'))
    with pytest.raises(ContractError) as error:
        loading.load(folder)
    assert (error.value.file, error.value.row) == ("transactions.csv", 2)
    assert error.value.column in {"subtotal", "total"}
    assert "'12,50' is not a decimal amount" in str(error.value)


def test_an_amount_with_three_decimals_is_refused_not_rounded(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match="at most 2 places"):
        loading.load(write(tmp_path, tx("T1", total="10.005")))


def test_a_timestamp_without_an_offset_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContractError) as error:
        loading.load(write(tmp_path, tx("T1", at="2026-03-05T10:31:00")))
    assert error.value.column == "started_at"
    assert "UTC offset" in error.value.problem


def test_a_duplicate_transaction_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContractError) as error:
        loading.load(write(tmp_path, tx("T1") + tx("T1")))
    assert error.value.row == 2 and "duplicate" in error.value.problem


def test_an_unknown_kind_is_refused_with_the_allowed_values(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match="is not one of exchange, no_sale"):
        loading.load(write(tmp_path, tx("T1", kind="layaway")))


def test_a_line_for_an_unknown_transaction_is_refused(tmp_path: Path) -> None:
    lines = "transaction_id,line_no,sku,quantity,unit_price,extended_amount\nT9,1,A,1,1.00,1.00\n"
    with pytest.raises(ContractError) as error:
        loading.load(write(tmp_path, tx("T1"), line_items=lines))
    assert error.value.file == "line_items.csv" and error.value.column == "transaction_id"


def test_a_missing_table_is_named(tmp_path: Path) -> None:
    folder = write(tmp_path, tx("T1"))
    (folder / "tenders.csv").unlink()
    with pytest.raises(ContractError, match="table tenders is missing"):
        loading.load(folder)


def test_parquet_tables_and_folders_of_parts_load(tmp_path: Path) -> None:
    import duckdb

    csv = write(tmp_path / "csv", tx("T1") + tx("T2"))
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    for name in ("stores", "employees", "line_items", "tenders"):
        duckdb.execute(f"COPY (SELECT * FROM read_csv('{csv / name}.csv', all_varchar=true)) "
                       f"TO '{parquet / name}.parquet' (FORMAT parquet)")  # fmt: skip
    (parquet / "transactions").mkdir()
    for part, tid in enumerate(("T1", "T2")):
        duckdb.execute(
            f"COPY (SELECT * FROM read_csv('{csv}/transactions.csv', all_varchar=true) "
            f"WHERE transaction_id = '{tid}') TO '{parquet}/transactions/part-{part}.parquet' "
            "(FORMAT parquet)"
        )
    assert loading.load(parquet).rows["transactions"] == 2


def test_the_scan_command_exits_2_naming_the_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write(tmp_path, TX_HEADER.replace(",kind", ",kinds") and tx("T1", total="abc"))
    assert main(["scan", str(folder)]) == 2
    error = capsys.readouterr().err
    assert "transactions.csv, row 1, column" in error and "'abc'" in error


def test_an_unquoted_comma_is_named_by_row(tmp_path: Path) -> None:
    with pytest.raises(ContractError) as error:
        loading.load(write(tmp_path, tx("T1") + tx("T2", total="12,50")))
    assert (error.value.file, error.value.row) == ("transactions.csv", 2)
    assert "a comma inside a value must be quoted" in error.value.problem


def test_a_short_row_is_named_by_row(tmp_path: Path) -> None:
    short = tx("T2").rsplit(",", 3)[0] + "\n"
    with pytest.raises(ContractError) as error:
        loading.load(write(tmp_path, tx("T1") + short))
    assert error.value.row == 2 and "fewer fields" in error.value.problem


# --- cells and bytes no reader should trip on (found by tests/engines/pos/test_fuzz.py) -----

LINES = "transaction_id,line_no,sku,quantity,unit_price,extended_amount\n"


def with_line(tmp_path: Path, line: str) -> Path:
    """A data set of T1 and T2 whose T2 has the one line item given."""
    lines = LINES + "T1,1,SKU1,1,10.00,10.00\n" + line
    return write(tmp_path, tx("T1") + tx("T2"), line_items=lines)


def refusal(folder: Path) -> ContractError:
    with pytest.raises(ContractError) as error:
        loading.load(folder)
    return error.value


def test_quantity_1e400_names_file_row_and_column(tmp_path: Path) -> None:
    error = refusal(with_line(tmp_path, "T2,1,SKU1,1e400,10.00,10.00\n"))
    assert (error.file, error.row, error.column) == ("line_items.csv", 2, "quantity")
    assert "'1e400' is not a decimal amount" in error.problem


def test_a_nul_byte_in_a_text_cell_names_file_row_and_column(tmp_path: Path) -> None:
    error = refusal(with_line(tmp_path, "T2,1,SK\x00U1,1,10.00,10.00\n"))
    assert (error.file, error.row, error.column) == ("line_items.csv", 2, "sku")
    assert "NUL" in error.problem


def test_a_10_mb_cell_names_file_row_and_column(tmp_path: Path) -> None:
    error = refusal(with_line(tmp_path, f"T2,1,{'x' * 10_000_000},1,10.00,10.00\n"))
    assert (error.file, error.row, error.column) == ("line_items.csv", 2, "sku")
    assert "2,000,000 bytes" in error.problem and len(str(error)) < 300


def test_a_cell_of_a_megabyte_is_kept_whole(tmp_path: Path) -> None:
    data = loading.load(with_line(tmp_path, f"T2,1,{'x' * 1_000_000},1,10.00,10.00\n"))
    kept = data.connection.execute("SELECT max(length(sku)) FROM line_items").fetchone()
    assert kept == (1_000_000,)


def test_a_byte_that_is_not_utf8_names_file_row_and_column(tmp_path: Path) -> None:
    folder = with_line(tmp_path, "T2,1,SK?U1,1,10.00,10.00\n")
    path = folder / "line_items.csv"
    path.write_bytes(path.read_bytes().replace(b"SK?U1", b"SK\xffU1"))
    error = refusal(folder)
    assert (error.file, error.row, error.column) == ("line_items.csv", 2, "sku")
    assert "not UTF-8" in error.problem


def test_a_header_that_is_not_utf8_is_named_as_the_header(tmp_path: Path) -> None:
    folder = write(tmp_path, tx("T1"))
    path = folder / "tenders.csv"
    path.write_bytes(path.read_bytes().replace(b"amount", b"am\xffount"))
    error = refusal(folder)
    assert (error.file, error.row) == ("tenders.csv", None)
    assert "header row is not UTF-8" in error.problem


def test_a_quoted_line_break_in_a_cell_loads(tmp_path: Path) -> None:
    lines = LINES + 'T1,1,"two\nlines",1,10.00,10.00\nT2,1,SKU1,1,10.00,10.00\n'
    data = loading.load(write(tmp_path, tx("T1") + tx("T2"), line_items=lines))
    assert data.rows["line_items"] == 2


def test_a_carriage_return_in_an_unquoted_cell_names_row_and_column(tmp_path: Path) -> None:
    error = refusal(with_line(tmp_path, "T2,1,SK\rU1,1,10.00,10.00\n"))
    assert (error.file, error.row, error.column) == ("line_items.csv", 2, "sku")
    assert "carriage return" in error.problem


def test_an_unclosed_quote_names_row_and_column(tmp_path: Path) -> None:
    error = refusal(with_line(tmp_path, 'T2,1,"SKU1,1,10.00,10.00\n'))
    assert (error.row, error.column) == (2, "sku")
    assert "never closed" in error.problem


def test_rows_ending_two_ways_name_the_first_that_differs(tmp_path: Path) -> None:
    error = refusal(with_line(tmp_path, "T2,1,SKU1,1,10.00,10.00\r\n"))
    assert (error.file, error.row) == ("line_items.csv", 2)
    assert "one kind of line ending" in error.problem


def test_a_header_only_table_loads_empty(tmp_path: Path) -> None:
    data = loading.load(write(tmp_path, tx("T1"), tenders="transaction_id,tender_type,amount\n"))
    assert data.rows["tenders"] == 0


def test_a_column_named_twice_in_the_header_is_named(tmp_path: Path) -> None:
    lines = LINES.replace("line_no", "sku") + "T1,1,SKU1,1,10.00,10.00\n"
    error = refusal(write(tmp_path, tx("T1"), line_items=lines))
    assert (error.file, error.column) == ("line_items.csv", "sku")
    assert "twice" in error.problem


def test_a_header_name_over_the_csv_limit_is_refused_in_words(tmp_path: Path) -> None:
    lines = LINES.replace("sku", "x" * 200_000) + "T1,1,SKU1,1,10.00,10.00\n"
    error = refusal(write(tmp_path, tx("T1"), line_items=lines))
    assert error.file == "line_items.csv" and "longer than 131,072 characters" in error.problem


def test_a_header_name_the_loader_keeps_for_itself_is_refused(tmp_path: Path) -> None:
    lines = LINES.replace("\n", ",__vigil_extra_field\n") + "T1,1,SKU1,1,10.00,10.00,\n"
    error = refusal(write(tmp_path, tx("T1"), line_items=lines))
    assert error.column == "__vigil_extra_field" and "keeps for itself" in error.problem


def test_an_extra_column_with_a_quote_in_its_name_is_kept(tmp_path: Path) -> None:
    lines = LINES.replace("\n", ',"say ""hi"""\n') + "T1,1,SKU1,1,10.00,10.00,hello\n"
    data = loading.load(write(tmp_path, tx("T1"), line_items=lines))
    assert data.connection.execute('SELECT "say ""hi""" FROM line_items').fetchone() == ("hello",)
