"""``pantau open311_key issue NAME [--limit N]`` / ``revoke PREFIX`` / ``list``: the Open311 API keys.

The key is printed once, when it is issued; only its hash is stored. Each issue and revocation is an audit
event (actor ``system:open311``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pantau.open311 import keys
from pantau.open311.models import ApiClient


class Command(BaseCommand):
    help = "Issue, revoke or list the API keys of Open311 clients (POST /open311/v2/requests)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue a key for an application (printed once)")
        issue.add_argument("name", help="the application's name")
        issue.add_argument("--limit", type=int, default=60, help="reports per hour (default 60)")
        revoke = sub.add_parser("revoke", help="revoke the key that starts with PREFIX")
        revoke.add_argument("prefix", help="the first 12 characters of the key, as `list` shows them")
        sub.add_parser("list", help="list the clients (never the keys)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "issue":
                client, raw = keys.client_issue(actor=keys.SYSTEM, name=options["name"],
                                                hourly_limit=options["limit"])
                self.stdout.write(_("Kunci untuk %(name)s (disimpan hanya hash-nya; salin sekarang):") % {
                    "name": client.name})
                self.stdout.write(raw)
            elif options["action"] == "revoke":
                matches = list(ApiClient.objects.filter(key_prefix=options["prefix"].strip()))
                if len(matches) != 1:
                    raise CommandError(_("Tidak ada satu kunci pun yang diawali '%(prefix)s'.") % {
                        "prefix": options["prefix"][:20]})
                keys.client_revoke(actor=keys.SYSTEM, client=matches[0])
                self.stdout.write(_("Kunci %(prefix)s… dicabut.") % {"prefix": matches[0].key_prefix})
            else:
                for client in ApiClient.objects.order_by("pk"):
                    state = _("aktif") if client.is_active else _("dicabut")
                    self.stdout.write(f"{client.key_prefix}…\t{state}\t{client.hourly_limit}/h\t{client.name}")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
