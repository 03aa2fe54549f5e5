"""The case templates Vigil ships: what each type of case must record before it closes.

They are loaded by a data migration and can be edited afterwards; this module is the
starting point, kept as data so a reader sees every required field in one place.

``due_in_days`` is how long a case of the type should take from opening to closing, the
targets LP teams commonly work to: a shoplifting case within two weeks (the video and the stop
are fresh, the police report due), fraud cases within three to four weeks (the bank or the
issuer waits on them), ORC over a quarter (a crew is built up store by store).
"""

from __future__ import annotations

from typing import Any

_POLICE = {
    "key": "police_decision",
    "label": "Police referral decision",
    "help": "Referred (with report number) or why not",
}
_LOSS = {
    "key": "loss_confirmed",
    "label": "Loss confirmed by count or POS",
    "help": "How the loss figure was established",
}
_VIDEO = {
    "key": "video_reviewed",
    "label": "Video reviewed",
    "help": "Cameras and times reviewed, or why none",
}

DEFAULT_TEMPLATES: dict[str, dict[str, Any]] = {
    "shoplifting": {
        "name": "Shoplifting",
        "due_in_days": 14,
        "fields": [_VIDEO, _LOSS, _POLICE],
        "tasks": [
            {"title": "Export and preserve video of the incident", "due_in_days": 2},
            {"title": "Complete the stop record and statements", "due_in_days": 2},
        ],
    },
    "orc": {
        "name": "Organised retail crime",
        "due_in_days": 90,
        "fields": [
            _VIDEO,
            _LOSS,
            {
                "key": "linked_stores",
                "label": "Other stores checked",
                "help": "Stores searched for the same subjects or pattern",
            },
            {
                "key": "agency_contact",
                "label": "Law-enforcement contact",
                "help": "Agency and investigator, or task force",
            },
            _POLICE,
        ],
        "tasks": [
            {"title": "Search other stores for the same subjects and vehicles", "due_in_days": 5},
            {"title": "Preserve video from every store involved", "due_in_days": 3},
        ],
    },
    "internal_theft": {
        "name": "Internal theft",
        "due_in_days": 30,
        "fields": [
            _VIDEO,
            {
                "key": "pos_review",
                "label": "POS transactions reviewed",
                "help": "Exceptions and journals examined",
            },
            {
                "key": "interview",
                "label": "Employee interview",
                "help": "Date, who was present, outcome",
            },
            {"key": "hr_outcome", "label": "HR outcome", "help": "Decision and date"},
            _LOSS,
        ],
        "tasks": [
            {"title": "Pull POS journals and exception reports for the employee", "due_in_days": 3},
            {"title": "Plan the interview with HR", "due_in_days": 7},
        ],
    },
    "refund_fraud": {
        "name": "Refund fraud",
        "due_in_days": 30,
        "fields": [
            {
                "key": "transactions",
                "label": "Refund transactions listed",
                "help": "Store, register, date and number of each",
            },
            _VIDEO,
            _LOSS,
        ],
        "tasks": [
            {"title": "List every refund in the pattern with its receipt status", "due_in_days": 5}
        ],
    },
    "gift_card_fraud": {
        "name": "Gift-card fraud",
        "due_in_days": 21,
        "fields": [
            {
                "key": "cards",
                "label": "Gift cards involved",
                "help": "Card numbers (last 4) and loads",
            },
            _LOSS,
            _POLICE,
        ],
        "tasks": [{"title": "Freeze the gift cards involved", "due_in_days": 1}],
    },
    "credit_fraud": {
        "name": "Credit fraud",
        "due_in_days": 21,
        "fields": [
            {
                "key": "issuer_notified",
                "label": "Card issuer notified",
                "help": "Issuer and reference",
            },
            _VIDEO,
            _POLICE,
        ],
        "tasks": [{"title": "Notify the card issuer", "due_in_days": 1}],
    },
    "burglary": {
        "name": "Burglary",
        "due_in_days": 30,
        "fields": [
            _VIDEO,
            _LOSS,
            _POLICE,
            {
                "key": "entry_point",
                "label": "Point of entry secured",
                "help": "What was repaired and when",
            },
        ],
        "tasks": [{"title": "Secure the point of entry", "due_in_days": 1}],
    },
    "robbery": {
        "name": "Robbery",
        "due_in_days": 30,
        "fields": [
            _VIDEO,
            _LOSS,
            _POLICE,
            {
                "key": "staff_support",
                "label": "Staff support offered",
                "help": "Employee assistance, time off",
            },
        ],
        "tasks": [{"title": "Offer support to the staff involved", "due_in_days": 1}],
    },
}
