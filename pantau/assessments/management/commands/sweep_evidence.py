import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pantau.assessments.services_evidence import sweep_orphans


class Command(BaseCommand):
    help = (
        "Delete evidence files that no evidence row names (left by a transaction that rolled back after "
        "the file was written). Only files older than --hours (default 24) are touched, so an upload in "
        "flight is safe. --dry-run lists them without deleting. Run it daily (cron or a scheduled task)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24, help="minimum age of a file to delete (hours)")
        parser.add_argument("--dry-run", action="store_true", help="list, do not delete")

    def handle(self, *args: Any, **options: Any) -> None:
        found = sweep_orphans(dt.timedelta(hours=max(0, options["hours"])), dry_run=options["dry_run"])
        for name in found:
            self.stdout.write(name)
        verb = "would delete" if options["dry_run"] else "deleted"
        self.stdout.write(f"{len(found)} orphan evidence file(s) {verb}.")
