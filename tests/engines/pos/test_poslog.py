"""ARTS POSLog in, contract data set out: the real sample files, the POS events loss prevention
cares about, and XML that is hostile or broken."""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.shared_data import shared_data
from vigil.engines.pos import cli
from vigil.engines.pos.converters import convert
from vigil.engines.pos.converters.poslog import safe_card_token
from vigil.engines.pos.errors import ContractError


def rows(out_dir: Path, table: str) -> list[dict[str, str]]:
    with (out_dir / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def poslog(tmp_path: Path, body: str, name: str = "log.xml") -> Path:
    """A POSLog file in the ARTS namespace around ``body`` (one or more <Transaction>)."""
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/"'
        ' xmlns:acs="http://www.ncr.com/rsd/acs/tlog/markup/poslog/2.1">\n'
        f"{body}\n</POSLog>\n",
        encoding="utf-8",
    )
    return path


def run_poslog(source: Path, out_dir: Path, timezone: str | None = None) -> Path:
    convert(source, out_dir, source_format="poslog", timezone=timezone)
    return out_dir


# --- the real sample files -------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    transactions: int
    no_sales: int
    lines: int
    voided_lines: int
    tenders: int


# Counted by reading each file by hand:
# - arts-v6/receipt1-3.xml (Visma POS): one <Transaction> each, holding one RetailTransaction
#   (TransactionStatus="Finished") with one LineItem/Sale (CancelFlag="false"), one
#   LineItem/Tender TenderType="Cash", and one LineItem/Tender that carries only <Rounding>
#   (cash rounding, not a tender). The ControlTransaction/ApplicationEvent CashDrawerOpen
#   inside the same <Transaction> is the drawer opening for that sale, not a no-sale.
# - arts-v6/receipt4.xml: one RetailTransaction TransactionStatus="Canceled" with one
#   LineItem/Sale (CancelFlag="false") and no tender at all: a cancelled sale, 0 tenders.
# - ncr-acs/small.xml (NCR ACS): two <Transaction>s. The first is a ControlTransaction
#   OperatorSignOn (not a transaction). The second is a RetailTransaction with 23 LineItems:
#   1 Sale (not voided), 1 Tender TenderType="CreditDebit" CardType="Debit", 1 acs:
#   LoyaltyMembership, 6 LoyaltyReward and 14 acs:CRMCustomVariable (none are items/tenders).
SAMPLES = {
    "poslog/arts-v6/receipt1.xml": Expected(1, 0, 1, 0, 1),
    "poslog/arts-v6/receipt2.xml": Expected(1, 0, 1, 0, 1),
    "poslog/arts-v6/receipt3.xml": Expected(1, 0, 1, 0, 1),
    "poslog/arts-v6/receipt4.xml": Expected(1, 0, 1, 0, 0),
    "poslog/ncr-acs/small.xml": Expected(1, 0, 1, 0, 1),
    # The whole folder: the four receipts above together.
    "poslog/arts-v6": Expected(4, 0, 4, 0, 3),
}


@pytest.mark.parametrize("relative", SAMPLES)
def test_sample_converts_to_the_counts_read_by_hand(relative: str, tmp_path: Path) -> None:
    out = run_poslog(shared_data(relative), tmp_path / "out")
    transactions = rows(out, "transactions")
    lines = rows(out, "line_items")
    found = Expected(
        transactions=len(transactions),
        no_sales=sum(row["kind"] == "no_sale" for row in transactions),
        lines=len(lines),
        voided_lines=sum(row["line_voided"] == "true" for row in lines),
        tenders=len(rows(out, "tenders")),
    )
    assert found == SAMPLES[relative]


def test_visma_receipts_name_two_stores_and_three_operators(tmp_path: Path) -> None:
    # receipt1+2: UnitID 3004, OperatorID 1234; receipt3: 3000/cashierid; receipt4: 3000/xstse04
    out = run_poslog(shared_data("poslog/arts-v6"), tmp_path / "out")
    assert {row["store_id"] for row in rows(out, "stores")} == {"3000", "3004"}
    employees = {row["employee_id"]: row for row in rows(out, "employees")}
    assert set(employees) == {"1234", "cashierid", "xstse04"}
    assert {row["role"] for row in employees.values()} == {"cashier"}
    assert employees["1234"]["store_id"] == "3004"


def test_cash_rounding_makes_the_total_what_was_tendered(tmp_path: Path) -> None:
    out = run_poslog(shared_data("poslog/arts-v6/receipt1.xml"), tmp_path / "out")
    (transaction,) = rows(out, "transactions")
    (tender,) = rows(out, "tenders")
    assert (transaction["subtotal"], transaction["total"]) == ("22041.88", "22042.00")
    assert (tender["tender_type"], tender["amount"]) == ("cash", "22042.00")


def test_a_canceled_visma_receipt_is_a_cancelled_sale_with_nothing_taken(tmp_path: Path) -> None:
    out = run_poslog(shared_data("poslog/arts-v6/receipt4.xml"), tmp_path / "out")
    (transaction,) = rows(out, "transactions")
    assert (transaction["kind"], transaction["status"]) == ("sale", "cancelled")
    assert (transaction["subtotal"], transaction["total"]) == ("33.48", "0.00")


def test_visma_line_uses_the_retailers_article_number_as_sku(tmp_path: Path) -> None:
    # receipt4 has POSIdentity GTIN 7046265478027 and RSID 12302; the receipt prints 12302.
    out = run_poslog(shared_data("poslog/arts-v6/receipt4.xml"), tmp_path / "out")
    (line,) = rows(out, "line_items")
    assert (line["sku"], line["department"], line["entry_method"]) == ("12302", "271", "keyed")


def test_visma_times_without_offset_are_read_in_the_given_timezone(tmp_path: Path) -> None:
    source = shared_data("poslog/arts-v6/receipt1.xml")
    out = run_poslog(source, tmp_path / "out", timezone="Europe/Stockholm")
    (transaction,) = rows(out, "transactions")
    assert transaction["started_at"] == "2019-07-22T15:53:11+02:00"
    assert transaction["ended_at"] == "2019-07-22T15:53:21+02:00"
    assert transaction["business_date"] == "2019-07-22"
    assert rows(out, "stores")[0]["timezone"] == "Europe/Stockholm"


def test_ncr_transaction_without_id_is_named_from_store_lane_day_and_sequence(
    tmp_path: Path,
) -> None:
    out = run_poslog(shared_data("poslog/ncr-acs/small.xml"), tmp_path / "out")
    (transaction,) = rows(out, "transactions")
    assert transaction["transaction_id"] == "9-34-2017-09-30-161"
    assert (transaction["store_id"], transaction["register_id"]) == ("9", "34")
    assert transaction["employee_id"] == "94"
    # BusinessDayDate wins over the calendar date of the 02:02 timestamp.
    assert transaction["business_date"] == "2017-09-30"
    assert transaction["started_at"] == transaction["ended_at"] == "2017-10-01T02:02:54+00:00"


def test_ncr_amounts_loyalty_and_debit_tender(tmp_path: Path) -> None:
    out = run_poslog(shared_data("poslog/ncr-acs/small.xml"), tmp_path / "out")
    (transaction,) = rows(out, "transactions")
    amounts = [transaction[name] for name in ("subtotal", "discount_total", "tax", "total")]
    assert amounts == ["1.26", "0.19", "0.00", "1.07"]
    assert transaction["customer_id"] == "0000000000000040000066677"
    (tender,) = rows(out, "tenders")
    assert (tender["tender_type"], tender["amount"]) == ("debit", "1.07")


def test_ncr_weighed_item_keeps_its_shelf_price(tmp_path: Path) -> None:
    out = run_poslog(shared_data("poslog/ncr-acs/small.xml"), tmp_path / "out")
    (line,) = rows(out, "line_items")
    assert (line["quantity"], line["unit_price"], line["extended_amount"]) == (
        "0.42",
        "2.99",
        "1.26",
    )


def test_ncr_sign_on_is_left_out_and_counted(tmp_path: Path) -> None:
    report = convert(
        shared_data("poslog/ncr-acs/small.xml"), tmp_path / "out", source_format="poslog"
    )
    assert report.notes == {"operator sign-on/sign-off records (not transactions)": 1}
    assert not report.skipped


# --- what loss prevention looks for ----------------------------------------------------------


def header(transaction_id: str, *, operator: str = "E1", end: str = "10:05:00") -> str:
    return (
        f"<RetailStoreID>S1</RetailStoreID><WorkstationID>R01</WorkstationID>"
        f"<SequenceNumber>{transaction_id[-1]}</SequenceNumber>"
        f"<TransactionID>{transaction_id}</TransactionID>"
        f"<OperatorID>{operator}</OperatorID>"
        f"<BeginDateTime>2026-03-14T10:00:00-05:00</BeginDateTime>"
        f"<EndDateTime>2026-03-14T{end}-05:00</EndDateTime>"
    )


def sale_line(sku: str, amount: str, *, attributes: str = "", item: str = "Sale") -> str:
    return (
        f"<LineItem {attributes}><{item}><ItemID>{sku}</ItemID><Quantity>1</Quantity>"
        f"<ExtendedAmount>{amount}</ExtendedAmount></{item}></LineItem>"
    )


def tender_line(kind: str, amount: str, extra: str = "", type_code: str = "Sale") -> str:
    return (
        f'<LineItem><Tender TenderType="{kind}" TypeCode="{type_code}">'
        f"<Amount>{amount}</Amount>{extra}</Tender></LineItem>"
    )


SALE_WITH_VOID = (
    f"<Transaction>{header('T1')}<RetailTransaction>"
    + sale_line("A", "5.00", attributes='EntryMethod="Scanned"')
    + sale_line("B", "7.00", attributes='EntryMethod="Keyed" VoidFlag="true"')
    + tender_line("Cash", "10.00", "<TenderChange><Amount>5.00</Amount></TenderChange>")
    + '<Total TotalType="TransactionGrandAmount">5.00</Total>'
    "</RetailTransaction></Transaction>"
)
POST_VOID_OF_T1 = (
    f"<Transaction>{header('T9', operator='S7', end='10:20:00')}<RetailTransaction>"
    '<TransactionLink ReasonCode="PostVoid"><TransactionID>T1</TransactionID></TransactionLink>'
    "</RetailTransaction></Transaction>"
)
RETURN_OF_T1 = (
    f"<Transaction>{header('T2')}<RetailTransaction>"
    + sale_line("A", "5.00", item="Return")
    + tender_line("Cash", "5.00", type_code="Refund")
    + '<TransactionLink ReasonCode="Return"><TransactionID>T1</TransactionID></TransactionLink>'
    "</RetailTransaction></Transaction>"
)
NO_SALE = (
    f"<Transaction>{header('T3')}<ControlTransaction><NoSale/></ControlTransaction></Transaction>"
)
SIGN_OFF = (
    f"<Transaction>{header('T4')}<ControlTransaction><OperatorSignOff/></ControlTransaction>"
    "</Transaction>"
)
TILL_SETTLE = (
    f"<Transaction>{header('T5')}<ControlTransaction><TillSettle/></ControlTransaction>"
    "</Transaction>"
)
OVERRIDE = (
    f"<Transaction>{header('T6')}<RetailTransaction>"
    + sale_line("A", "3.00", attributes='EntryMethod="Keyed" acs:keyedPrice="true"')
    + "<LineItem><OperatorBypassApproval><ApproverID>SUP1</ApproverID></OperatorBypassApproval>"
    "</LineItem>"
    + tender_line(
        "CreditDebit",
        "3.00",
        '<CreditDebit CardType="Credit"><PrimaryAccountNumber>4111 1111 1111 1111'
        "</PrimaryAccountNumber></CreditDebit>",
    )
    + "</RetailTransaction></Transaction>"
)


POST_VOID_BY_STORE_LANE_DAY_SEQUENCE = (
    f"<Transaction>{header('T8', operator='S7', end='10:30:00')}<ControlTransaction><PostVoid>"
    "<TransactionLink><RetailStoreID>S1</RetailStoreID><WorkstationID>R01</WorkstationID>"
    "<BusinessDayDate>2026-03-14</BusinessDayDate><SequenceNumber>1</SequenceNumber>"
    "</TransactionLink></PostVoid></ControlTransaction></Transaction>"
)
PAID_OUT = (
    f"<Transaction>{header('T7')}<TenderControlTransaction><PaidOut><Amount>20.00</Amount>"
    "</PaidOut></TenderControlTransaction></Transaction>"
)
TRAINING = SALE_WITH_VOID.replace("<Transaction>", '<Transaction TrainingModeFlag="true">')


def test_a_voided_line_is_kept_and_flagged(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, SALE_WITH_VOID), tmp_path / "out")
    voided = [(row["sku"], row["line_voided"]) for row in rows(out, "line_items")]
    assert voided == [("A", "false"), ("B", "true")]


def test_a_voided_line_does_not_count_toward_the_subtotal(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, SALE_WITH_VOID), tmp_path / "out")
    assert rows(out, "transactions")[0]["subtotal"] == "5.00"


def test_entry_methods_use_the_contracts_words(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, SALE_WITH_VOID), tmp_path / "out")
    assert [row["entry_method"] for row in rows(out, "line_items")] == ["scanned", "keyed"]


def test_change_given_back_is_kept_on_the_tender(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, SALE_WITH_VOID), tmp_path / "out")
    (tender,) = rows(out, "tenders")
    assert (tender["amount"], tender["change_due"]) == ("10.00", "5.00")


def test_a_post_void_marks_the_transaction_it_voids(tmp_path: Path) -> None:
    source = poslog(tmp_path, SALE_WITH_VOID + POST_VOID_OF_T1)
    out = run_poslog(source, tmp_path / "out")
    (voided,) = rows(out, "transactions")
    assert voided["transaction_id"] == "T1"
    assert voided["status"] == "post_voided"
    assert voided["post_void_employee_id"] == "S7"
    assert voided["post_voided_at"] == "2026-03-14T10:20:00-05:00"


def test_a_post_void_record_is_not_itself_a_transaction(tmp_path: Path) -> None:
    source = poslog(tmp_path, SALE_WITH_VOID + POST_VOID_OF_T1)
    report = convert(source, tmp_path / "out", source_format="poslog")
    assert report.transactions == 1
    assert report.notes["post-void records (applied to the transaction they void)"] == 1


def test_a_post_void_of_a_transaction_not_in_the_source_is_a_warning(tmp_path: Path) -> None:
    report = convert(poslog(tmp_path, POST_VOID_OF_T1), tmp_path / "out", source_format="poslog")
    assert report.skipped == {"post-voids of transactions not in the source": 1}


def test_a_post_void_can_point_by_store_lane_day_and_sequence(tmp_path: Path) -> None:
    source = poslog(tmp_path, SALE_WITH_VOID + POST_VOID_BY_STORE_LANE_DAY_SEQUENCE)
    out = run_poslog(source, tmp_path / "out")
    (voided,) = rows(out, "transactions")
    assert (voided["status"], voided["post_voided_at"]) == (
        "post_voided",
        "2026-03-14T10:30:00-05:00",
    )


def test_a_paid_out_takes_cash_out_of_the_drawer(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, PAID_OUT), tmp_path / "out")
    (transaction,) = rows(out, "transactions")
    (tender,) = rows(out, "tenders")
    assert (transaction["kind"], transaction["total"]) == ("paid_out", "-20.00")
    assert (tender["tender_type"], tender["amount"]) == ("cash", "-20.00")


def test_a_training_mode_sale_is_a_training_transaction(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, TRAINING), tmp_path / "out")
    assert rows(out, "transactions")[0]["kind"] == "training"


def test_a_return_has_negative_lines_tenders_and_total(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, RETURN_OF_T1), tmp_path / "out")
    (transaction,) = rows(out, "transactions")
    (line,) = rows(out, "line_items")
    (tender,) = rows(out, "tenders")
    assert (transaction["kind"], transaction["total"]) == ("return", "-5.00")
    assert (line["quantity"], line["extended_amount"]) == ("-1.00", "-5.00")
    assert tender["amount"] == "-5.00"


def test_a_linked_return_names_the_original_sale_and_a_receipt(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, RETURN_OF_T1), tmp_path / "out")
    (transaction,) = rows(out, "transactions")
    assert transaction["original_transaction_id"] == "T1"
    assert transaction["receipt_present"] == "true"


def test_a_no_sale_control_transaction_is_a_no_sale(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, NO_SALE), tmp_path / "out")
    (transaction,) = rows(out, "transactions")
    assert (transaction["kind"], transaction["total"]) == ("no_sale", "0.00")
    assert rows(out, "line_items") == [] and rows(out, "tenders") == []


def test_operator_sign_off_is_not_a_transaction(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, SIGN_OFF), tmp_path / "out")
    assert rows(out, "transactions") == []
    assert [row["employee_id"] for row in rows(out, "employees")] == ["E1"]


def test_an_unsupported_transaction_is_skipped_with_a_counted_warning(tmp_path: Path) -> None:
    source = poslog(tmp_path, TILL_SETTLE + NO_SALE + TILL_SETTLE)
    report = convert(source, tmp_path / "out", source_format="poslog")
    assert report.transactions == 1
    assert report.skipped == {"unsupported ControlTransaction/TillSettle": 2}


def test_the_summary_shows_skipped_transactions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = poslog(tmp_path, TILL_SETTLE + NO_SALE)
    assert cli.main(["convert", "--from", "poslog", str(source), str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "skipped 1 unsupported ControlTransaction/TillSettle" in printed
    assert "transactions" in printed


def test_a_supervisor_override_names_the_approver(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, OVERRIDE), tmp_path / "out")
    assert rows(out, "transactions")[0]["override_employee_id"] == "SUP1"
    roles = {row["employee_id"]: row["role"] for row in rows(out, "employees")}
    assert roles == {"E1": "cashier", "SUP1": "supervisor"}


def test_a_keyed_price_is_a_price_override(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, OVERRIDE), tmp_path / "out")
    assert rows(out, "line_items")[0]["price_override"] == "true"


def test_a_card_number_never_reaches_the_data_set(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, OVERRIDE), tmp_path / "out")
    (tender,) = rows(out, "tenders")
    assert (tender["tender_type"], tender["card_token"]) == ("credit", "************1111")
    for table in out.iterdir():
        assert "4111" * 3 not in table.read_text().replace(" ", "")


def test_a_token_that_is_not_a_card_number_is_kept() -> None:
    assert safe_card_token("tok_9f8e7d") == "tok_9f8e7d"
    assert safe_card_token("5500-0000-0000-0004") == "************0004"


def test_timestamps_with_an_offset_keep_it(tmp_path: Path) -> None:
    out = run_poslog(poslog(tmp_path, NO_SALE), tmp_path / "out", timezone="Asia/Tokyo")
    assert rows(out, "transactions")[0]["started_at"] == "2026-03-14T10:00:00-05:00"


def test_the_same_transaction_twice_is_converted_once(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    poslog(folder, NO_SALE, "day1.xml")
    poslog(folder, NO_SALE, "day1-copy.xml")
    report = convert(folder, tmp_path / "out", source_format="poslog")
    assert report.transactions == 1
    assert report.skipped == {"duplicate transactions (a transaction_id seen before)": 1}


def test_a_bad_amount_names_the_file_and_element(tmp_path: Path) -> None:
    source = poslog(tmp_path, SALE_WITH_VOID.replace("<Amount>10.00", "<Amount>10,00"))
    with pytest.raises(ContractError) as error:
        run_poslog(source, tmp_path / "out")
    assert error.value.file == str(source)
    assert error.value.element is not None and "Tender/Amount" in error.value.element


def test_a_file_that_is_not_poslog_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "other.xml"
    source.write_text("<Invoices><Invoice/></Invoices>")
    with pytest.raises(ContractError, match="expected 'POSLog'"):
        run_poslog(source, tmp_path / "out")


# --- hostile and broken XML ------------------------------------------------------------------


def test_xxe_payload_is_refused_without_reading_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a")
    source = tmp_path / "xxe.xml"
    source.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE POSLog [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        "<POSLog><Transaction><RetailStoreID>&xxe;</RetailStoreID></Transaction></POSLog>\n"
    )
    with pytest.raises(ContractError) as error:
        run_poslog(source, tmp_path / "out")
    assert error.value.file == str(source)
    assert "TOP-SECRET" not in str(error.value)
    assert not (tmp_path / "out").exists()


def test_xxe_payload_exits_2_and_leaks_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "xxe.xml"
    source.write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE POSLog [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
        "<POSLog><Transaction><RetailStoreID>&xxe;</RetailStoreID></Transaction></POSLog>\n"
    )
    out = tmp_path / "out"
    assert cli.main(["convert", "--from", "poslog", str(source), str(out)]) == 2
    printed = capsys.readouterr()
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if hostname:
        assert hostname not in printed.out + printed.err
    assert "DOCTYPE" in printed.err
    assert not out.exists()


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    source = tmp_path / "lol.xml"
    source.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE POSLog [{"".join(entities)}]>\n'
        "<POSLog><Transaction><RetailStoreID>&lol9;</RetailStoreID></Transaction></POSLog>\n"
    )
    started = time.monotonic()
    with pytest.raises(ContractError) as error:
        run_poslog(source, tmp_path / "out")
    assert time.monotonic() - started < 2
    assert error.value.file == str(source) and error.value.element == "DOCTYPE"


def test_truncated_xml_names_the_file_and_where_it_broke(tmp_path: Path) -> None:
    whole = poslog(tmp_path, SALE_WITH_VOID).read_text()
    source = tmp_path / "truncated.xml"
    source.write_text(whole[: whole.index("<Tender ")])
    with pytest.raises(ContractError) as error:
        run_poslog(source, tmp_path / "out")
    assert error.value.file == str(source)
    assert error.value.element is not None
    assert error.value.element.startswith("POSLog/Transaction/RetailTransaction")
    assert "line" in error.value.problem


def test_bad_input_exits_2_and_leaves_no_out_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = poslog(tmp_path, SALE_WITH_VOID + NO_SALE).read_text()
    source = tmp_path / "logs" / "broken.xml"
    source.parent.mkdir()
    source.write_text(whole[:-40])
    out = tmp_path / "data" / "pos"
    assert cli.main(["convert", "--from", "poslog", str(source.parent), str(out)]) == 2
    assert "broken.xml" in capsys.readouterr().err
    assert not out.exists()
    assert list(out.parent.iterdir()) == []  # no half-written work folder either


def test_good_input_exits_0_and_writes_every_table(tmp_path: Path) -> None:
    source = poslog(tmp_path, SALE_WITH_VOID + NO_SALE)
    out = tmp_path / "out"
    assert cli.main(["convert", "--from", "poslog", str(source), str(out)]) == 0
    assert sorted(path.name for path in out.iterdir()) == [
        "employees.csv",
        "line_items.csv",
        "stores.csv",
        "tenders.csv",
        "transactions.csv",
    ]


def test_an_existing_data_set_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "transactions.csv").write_text("keep me")
    with pytest.raises(ContractError, match="already exists"):
        run_poslog(poslog(tmp_path, NO_SALE), out)
    assert (out / "transactions.csv").read_text() == "keep me"


# --- values no converter should trip on (found by tests/engines/pos/test_fuzz.py) -----------


def refusal(source: Path, out: Path, timezone: str | None = None) -> ContractError:
    with pytest.raises(ContractError) as error:
        run_poslog(source, out, timezone=timezone)
    return error.value


def test_quantity_1e400_names_file_and_element(tmp_path: Path) -> None:
    source = poslog(tmp_path, SALE_WITH_VOID.replace("<Quantity>1<", "<Quantity>1e400<", 1))
    error = refusal(source, tmp_path / "out")
    assert error.file == str(source)
    assert error.element is not None and error.element.endswith("Sale/Quantity (line 3)")
    assert "at most 16 digits before the decimal point, found '1e400'" in error.problem


def test_a_quantity_too_small_to_divide_by_names_the_item(tmp_path: Path) -> None:
    # No unit price: it is the extended amount / quantity, far more than an amount can hold.
    source = poslog(tmp_path, SALE_WITH_VOID.replace("<Quantity>1<", "<Quantity>1e-30<", 1))
    error = refusal(source, tmp_path / "out")
    assert error.element is not None and "LineItem/Sale (line" in error.element
    assert "ExtendedAmount / Quantity comes to" in error.problem


def test_a_time_before_standard_time_is_refused(tmp_path: Path) -> None:
    # Stockholm kept local mean time (+01:12:12) before 1879: no offset in whole minutes.
    old = SALE_WITH_VOID.replace("2026-03-14T10:00:00-05:00", "1800-03-14T10:00:00", 1)
    error = refusal(poslog(tmp_path, old), tmp_path / "out", timezone="Europe/Stockholm")
    assert error.element is not None and error.element.endswith("BeginDateTime (line 3)")
    assert "whole minutes" in error.problem


def test_a_sale_without_an_operator_off_self_checkout_is_refused(tmp_path: Path) -> None:
    source = poslog(tmp_path, SALE_WITH_VOID.replace("<OperatorID>E1</OperatorID>", ""))
    error = refusal(source, tmp_path / "out")
    assert error.element is not None and error.element.startswith("POSLog/Transaction ")
    assert "no OperatorID" in error.problem


def test_a_nul_byte_names_the_file_in_one_line(tmp_path: Path) -> None:
    source = poslog(tmp_path, SALE_WITH_VOID.replace("<ItemID>A", "<ItemID>A\x00", 1))
    error = refusal(source, tmp_path / "out")
    assert error.file == str(source) and error.element is not None
    assert "\n" not in str(error) and "0x0" in error.problem


def test_a_description_of_200_kb_names_the_transaction_and_column(tmp_path: Path) -> None:
    described = SALE_WITH_VOID.replace(
        "<ItemID>A</ItemID>", f"<ItemID>A</ItemID><Description>{'x' * 200_000}</Description>", 1
    )
    error = refusal(poslog(tmp_path, described), tmp_path / "out")
    assert error.column == "description" and len(str(error)) < 300
    assert error.element is not None and error.element.startswith("POSLog/Transaction ")


def test_a_document_nested_too_deep_is_refused_in_one_short_line(tmp_path: Path) -> None:
    source = tmp_path / "deep.xml"
    source.write_text("<POSLog>" + "<a>" * 300 + "</a>" * 300 + "</POSLog>")
    error = refusal(source, tmp_path / "out")
    assert error.element is not None and "more…" in error.element
    assert "\n" not in str(error) and len(str(error)) < 300
