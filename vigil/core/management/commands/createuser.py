"""``vigil createuser``: make a login from the command line (e.g. the first administrator)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from vigil.core import accounts
from vigil.core.models import Role, ScopeKind, User


def _codes(raw: str) -> list[str]:
    return [code.strip() for code in raw.split(",") if code.strip()]


class Command(BaseCommand):
    help = "Create a Vigil login with a role and a store scope."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=Role.values, default=Role.ADMIN)
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--everything", action="store_true", help="May see every store")
        scope.add_argument("--stores", default="", help="Store codes, comma-separated")
        scope.add_argument("--regions", default="", help="Region codes, comma-separated")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--employee-id", default=None, help="Link to this employee record")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["everything"]:
            scope_kind = ScopeKind.EVERYTHING
        elif options["regions"]:
            scope_kind = ScopeKind.REGIONS
        else:
            scope_kind = ScopeKind.STORES
        data = {
            "username": options["username"],
            "password": self._password(options["password_stdin"]),
            "role": options["role"],
            "scope_kind": scope_kind,
            "stores": _codes(options["stores"]),
            "regions": _codes(options["regions"]),
            "email": options["email"],
            "first_name": options["first_name"],
            "last_name": options["last_name"],
            "employee_id": options["employee_id"],
        }
        # The command line is trusted like an administrator who sees every store.
        operator = User(role=Role.ADMIN, scope_kind=ScopeKind.EVERYTHING, is_active=True)
        try:
            user = accounts.create_user(operator, data)
        except ValidationError as exc:
            raise CommandError(" ".join(_messages(exc))) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).")

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != first:
            raise CommandError("The passwords differ.")
        return first


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
    return list(exc.messages)
