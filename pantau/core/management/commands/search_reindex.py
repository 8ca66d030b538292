from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.core import hooks
from pantau.core.search.index import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index (documents and the \"did you mean\" vocabulary) from scratch, in one "
        "transaction, in batches. Run after a restore, a bulk load that bypassed the services, or a change "
        "of the synonym list (pantau/core/search/words_id.toml). Searches keep working meanwhile "
        "(PostgreSQL) or wait for it (SQLite)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", dest="kinds", metavar="KIND",
                            help="Only this kind of document (repeatable), e.g. product; default: every kind.")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = options["kinds"]
        unknown = set(kinds or ()) - set(hooks.search_sources())
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(sorted(unknown))}; known: "
                               f"{', '.join(sorted(hooks.search_sources()))}")
        started = time.monotonic()
        written = rebuild(kinds, progress=lambda kind, n: self.stdout.write(f"  {kind}: {n} …"))
        for kind, n in written.items():
            self.stdout.write(f"{kind}: {n} document(s)")
        self.stdout.write(f"search index rebuilt in {time.monotonic() - started:.1f} s")
