"""What a lead's amount is, in words, rule by rule.

Each rule reports the amount that matters to it, and it is not always the transaction's
total: a line-void lead's amount is the value of the voided lines (which the customer paid
for and took, before tax), so it can be larger than the total that was paid. A reviewer who
sees 34.54 beside a receipt of 32.55 must be told which is which, so every amount is shown
with what it is: a short label in the lead report, a sentence on the lead's page.

The built-in rules are listed here by id; an operator's own rule (``VIGIL_POS_RULES``) is
described as the amount its rule reports, with the rule's own description to say more.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AmountMeaning:
    """The label under the amount in a list, and the sentence that explains it."""

    label: str
    explained: str


_TOTAL = "the transaction's total as tendered, tax included"
_REFUND = "the refund's total as tendered, tax included (negative: money paid back out)"

MEANINGS: dict[str, AmountMeaning] = {
    "cancelled_after_items": AmountMeaning(
        "rung, then cancelled",
        "The value of the items rung before the transaction was cancelled (quantity x price, "
        "before discounts and tax): what left the store unpaid if the customer took them.",
    ),
    "cash_refund_after_card_sale": AmountMeaning("refund", f"The refund: {_REFUND}."),
    "craved_no_receipt": AmountMeaning(
        "return total",
        f"The return without receipt: {_REFUND}; the detail names the high-theft lines' own value.",
    ),
    "employee_discount_non_employee": AmountMeaning(
        "discount given",
        "The employee discount given on the transaction's lines (before tax), not the total.",
    ),
    "gift_card_load_spend_elsewhere": AmountMeaning(
        "load transaction", f"The transaction that loaded the gift card: {_TOTAL}."
    ),
    "keyed_not_scanned": AmountMeaning(
        "keyed lines",
        "The value of the usually-scanned items that were keyed in instead (quantity x price, "
        "before discounts and tax), not the transaction's total.",
    ),
    "line_void_cash": AmountMeaning(
        "voided lines",
        "The value of the lines voided before tender (quantity x price, before discounts and "
        "tax). It is not what was paid: it can be more than the transaction's total.",
    ),
    "multi_store_returns": AmountMeaning("return total", f"This return: {_REFUND}."),
    "no_sale_drawer": AmountMeaning(
        "no-sale total", f"The no-sale transaction: {_TOTAL} (usually 0, nothing was sold)."
    ),
    "override_self_approved": AmountMeaning(
        "transaction total", f"The transaction with the self-approved override: {_TOTAL}."
    ),
    "post_void_after_tender": AmountMeaning(
        "voided sale", f"The sale that was post-voided: {_TOTAL}, taken back out of the takings."
    ),
    "post_void_own_cash": AmountMeaning(
        "voided sale", f"The sale that was post-voided: {_TOTAL}, taken back out of the takings."
    ),
    "price_override_deep": AmountMeaning(
        "given away",
        "What the price overrides gave away: the regular price less the price charged, over "
        "the overridden lines (before tax).",
    ),
    "refund_same_card_repeat": AmountMeaning("refund", f"This refund: {_REFUND}."),
    "refund_to_gift_card": AmountMeaning("refund", f"The refund onto the gift card: {_REFUND}."),
    "refund_to_own_loyalty": AmountMeaning("refund", f"The refund: {_REFUND}."),
    "return_no_original": AmountMeaning("refund", f"The return: {_REFUND}."),
    "return_no_receipt_cash": AmountMeaning("refund", f"The cash refund: {_REFUND}."),
    "sweethearting": AmountMeaning(
        "under regular price",
        "How far this visit was charged below regular prices: the regular price of its lines "
        "less what was charged (after line discounts, before tax).",
    ),
    "training_or_after_hours": AmountMeaning(
        "transaction total", f"The transaction in training mode or after hours: {_TOTAL}."
    ),
}

OWN_RULE = AmountMeaning(
    "as the rule reports",
    "The amount this rule reports (an operator's own rule): see the rule's description for "
    "what it measures.",
)
# The lead report's column, for its header's title.
COLUMN_NOTE = (
    "What each rule measures, not always the transaction's total: the voided lines, the "
    "refund, the discount given, the value given away. The label under each amount says which."
)


def meaning_of(rule: str) -> AmountMeaning:
    """What the amount of a lead raised by ``rule`` is."""
    return MEANINGS.get(rule, OWN_RULE)
