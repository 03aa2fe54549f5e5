"""Rows for the contract tables, streamed to CSV through :class:`TableWriter`.

Stores carry two extension columns, ``opens`` and ``closes`` (local ``HH:MM``), so that a
scanner can tell a sale rung with the doors shut; employees carry ``customer_id``, their own
loyalty id, so that a refund or staff discount to oneself can be recognised. Both are columns
the contract allows ("kept if present and ignored by the rules" that do not use them).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from vigil.engines.pos.contract import (
    EAS_ALARMS,
    EMPLOYEES,
    LINE_ITEMS,
    STORES,
    TENDERS,
    TRANSACTIONS,
    Table,
)
from vigil.engines.pos.dataset import TableWriter
from vigil.engines.pos.generation.model import Txn, money
from vigil.engines.pos.generation.people import Employee, Store

STORE_EXTRAS = ("opens", "closes")
EMPLOYEE_EXTRAS = ("customer_id",)


def write_stores(out_dir: Path, stores: list[Store]) -> int:
    with TableWriter(out_dir, STORES, extra=STORE_EXTRAS) as writer:
        for store in stores:
            writer.write(
                {
                    "store_id": store.store_id,
                    "name": store.name,
                    "region": store.region,
                    "timezone": store.timezone,
                    "opens": store.opens_text,
                    "closes": store.closes_text,
                }
            )
        return writer.rows


def write_employees(out_dir: Path, employees: list[Employee]) -> int:
    with TableWriter(out_dir, EMPLOYEES, extra=EMPLOYEE_EXTRAS) as writer:
        for employee in employees:
            writer.write(
                {
                    "employee_id": employee.employee_id,
                    "store_id": employee.store_id,
                    "name": employee.name,
                    "role": employee.role,
                    "hired_on": employee.hired_on,
                    "customer_id": employee.customer_id,
                }
            )
        return writer.rows


def write_rows(out_dir: Path, table: str, rows: Iterable[dict[str, Any]]) -> int:
    with TableWriter(out_dir, table) as writer:
        for row in rows:
            writer.write(row)
        return writer.rows


TRANSACTION_COLUMNS = (
    "transaction_id", "store_id", "register_id", "employee_id", "business_date", "started_at",
    "ended_at", "kind", "status", "post_void_employee_id", "post_voided_at", "subtotal",
    "discount_total", "tax", "total", "customer_id", "original_transaction_id",
    "receipt_present", "override_employee_id",
)  # fmt: skip
LINE_COLUMNS = (
    "transaction_id", "line_no", "sku", "department", "description", "quantity", "unit_price",
    "regular_price", "extended_amount", "discount_amount", "discount_reason", "entry_method",
    "price_override", "line_voided",
)  # fmt: skip
TENDER_COLUMNS = ("transaction_id", "tender_type", "amount", "card_token", "change_due")
BOOL_TEXT = {True: "true", False: "false", None: ""}


class TextTableWriter(TableWriter):
    """A :class:`TableWriter` that also takes rows already in contract text, in column order.

    Formatting every cell through ``format_value`` (a Decimal per amount) is two thirds of the
    run time of a benchmark-sized data set; the generator already holds cents and aware
    datetimes, so it writes the text itself. The columns are checked against the contract
    when the file is opened, so a contract change fails loudly instead of shifting cells.
    """

    def __init__(self, out_dir: Path, table: Table, columns: tuple[str, ...]) -> None:
        super().__init__(out_dir, table)
        if tuple(self.columns) != columns:
            self.close()
            raise RuntimeError(
                f"the contract's {table.name} columns changed: the generator writes {columns}"
            )


class TransactionWriter:
    """The three transaction tables and the alarms, open for the whole run."""

    def __init__(self, out_dir: Path) -> None:
        self.transactions = TextTableWriter(out_dir, TRANSACTIONS, TRANSACTION_COLUMNS)
        self.line_items = TextTableWriter(out_dir, LINE_ITEMS, LINE_COLUMNS)
        self.tenders = TextTableWriter(out_dir, TENDERS, TENDER_COLUMNS)
        self.eas_alarms = TableWriter(out_dir, EAS_ALARMS)

    def write(self, txns: Iterable[Txn]) -> None:
        for txn in txns:
            self.transactions.write_text(_transaction_cells(txn))
            transaction_id = txn.transaction_id
            for number, line in enumerate(txn.lines, start=1):
                product = line.product
                self.line_items.write_text(
                    [
                        transaction_id,
                        str(number),
                        product.sku,
                        product.department,
                        product.description,
                        f"{line.quantity}.00",
                        money(line.unit_price),
                        money(product.price),
                        money(line.quantity * line.unit_price),
                        money(line.discount),
                        line.discount_reason,
                        line.entry_method,
                        BOOL_TEXT[line.price_override],
                        BOOL_TEXT[line.voided],
                    ]
                )
            for tender in txn.tenders:
                cash = tender.tender_type == "cash"
                self.tenders.write_text(
                    [
                        transaction_id,
                        tender.tender_type,
                        money(tender.amount),
                        tender.card_token,
                        money(tender.change_due) if cash else "",
                    ]
                )

    def write_alarms(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.eas_alarms.write(row)

    def counts(self) -> dict[str, int]:
        return {
            "transactions": self.transactions.rows,
            "line_items": self.line_items.rows,
            "tenders": self.tenders.rows,
            "eas_alarms": self.eas_alarms.rows,
        }

    def close(self) -> None:
        for writer in (self.transactions, self.line_items, self.tenders, self.eas_alarms):
            writer.close()


def _transaction_cells(txn: Txn) -> list[str]:
    voided_at = txn.post_voided_at
    return [
        txn.transaction_id,
        txn.store_id,
        txn.register_id,
        txn.employee_id,
        txn.business_date.isoformat(),
        txn.started_at.isoformat(),
        txn.ended_at.isoformat(),
        txn.kind,
        txn.status,
        txn.post_void_employee_id,
        voided_at.isoformat() if voided_at is not None else "",
        money(txn.subtotal),
        money(txn.discount_total),
        money(txn.tax),
        money(txn.total),
        txn.customer_id,
        txn.original_transaction_id,
        BOOL_TEXT[txn.receipt_present],
        txn.override_employee_id,
    ]
