"""Small hand-written contract data sets for engine tests: every row is visible in the test."""

from __future__ import annotations

from pathlib import Path

STORES = "store_id,name,region,timezone\nS1,One,R1,America/Chicago\nS2,Two,R1,America/Chicago\n"
EMPLOYEES = (
    "employee_id,store_id,name,role,hired_on,customer_id\n"
    "E1,S1,Ann,cashier,2025-01-01,L-E1\n"
    "E2,S1,Bob,cashier,2025-01-01,\n"
    "E3,S1,Cy,supervisor,2024-01-01,\n"
)
TX_HEADER = (
    "transaction_id,store_id,register_id,employee_id,business_date,started_at,ended_at,kind,"
    "status,post_void_employee_id,post_voided_at,subtotal,discount_total,tax,total,customer_id,"
    "original_transaction_id,receipt_present,override_employee_id\n"
)


def tx(
    tid: str,
    *,
    employee: str = "E1",
    kind: str = "sale",
    status: str = "completed",
    total: str = "10.00",
    at: str = "2026-03-05T10:31:00-06:00",
    extra: str = ",,,,,,",
) -> str:
    """One transactions row; ``extra`` fills post_void… through override_employee_id."""
    ended = at.replace(":31:", ":33:")
    post_void, post_voided_at, customer, original, receipt, override = (
        extra.split(",") + [""] * 6
    )[:6]
    return (
        f"{tid},S1,R01,{employee},{at[:10]},{at},{ended},{kind},{status},{post_void},"
        f"{post_voided_at},{total},0.00,0.00,{total},{customer},{original},{receipt},{override}\n"
    )


def write(
    folder: Path,
    transactions: str,
    line_items: str | None = None,
    tenders: str | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stores.csv").write_text(STORES)
    (folder / "employees.csv").write_text(EMPLOYEES)
    (folder / "transactions.csv").write_text(TX_HEADER + transactions)
    ids = [line.split(",", 1)[0] for line in transactions.strip().splitlines()]
    (folder / "line_items.csv").write_text(
        line_items
        or "transaction_id,line_no,sku,quantity,unit_price,extended_amount\n"
        + "".join(f"{tid},1,SKU1,1,10.00,10.00\n" for tid in ids)
    )
    (folder / "tenders.csv").write_text(
        tenders
        or "transaction_id,tender_type,amount\n" + "".join(f"{tid},cash,10.00\n" for tid in ids)
    )
    return folder
