from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from pantau.assessments import methodology, services


class Command(BaseCommand):
    help = (
        "Store methodology files (.toml or .json) in the database as methodology versions; without "
        "FILES, the shipped ones (ombudsman-2016, ombudsman-2022, self-assessment). Idempotent: a file "
        "whose content is already stored under its id and version changes nothing. All or nothing: every "
        "file is checked first and all are stored in one transaction; a bad file (file: path: reason) or "
        "another content under a stored version stops the command with exit status 2 and nothing written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE", help="methodology files (default: the shipped ones)")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(f) for f in options["files"]] or list(methodology.shipped().values())
        documents, problems = [], []
        for path in paths:
            try:
                documents.append(methodology.load(path))
            except methodology.MethodologyError as exc:
                problems.append(str(exc))
        if problems:
            raise CommandError("nothing was stored; fix these files:\n" + "\n".join(problems), returncode=2)
        lines = []
        try:
            with transaction.atomic():
                for document in documents:
                    version, created = services.load_version(services.SYSTEM_ACTOR, document,
                                                             source_file=Path(document.origin).name)
                    state = "stored" if created else "already stored, unchanged"
                    lines.append(f"{document.id}@{document.version}: {state} ({version.content_hash[:12]})")
        except services.VersionConflict as exc:
            name = Path(document.origin).name
            raise CommandError(f"nothing was stored; {name}: {exc}", returncode=2) from exc
        self.stdout.write("\n".join(lines))
