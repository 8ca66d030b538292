import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.accounts.services import national_admin_create

PASSWORD_ENV = "PANTAU_ADMIN_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Create a national admin (e.g. the first one after installing). The password is asked twice, "
        f"or read from the {PASSWORD_ENV} environment variable for scripted installs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--full-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get(PASSWORD_ENV, "")
        if not password:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The two passwords do not match; nothing was created.")
        try:
            user = national_admin_create(username=options["username"], email=options["email"],
                                         password=password, full_name=options["full_name"])
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            raise CommandError(f"Nothing was created. {problems}") from exc
        self.stdout.write(f"National admin {user.username} created (id {user.pk}).")
