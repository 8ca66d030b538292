from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.core.backup import BackupError, create_backup


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{value:.1f} {unit}"


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database and the uploaded files (MEDIA_ROOT) to one archive, "
        "pantau-backup-<UTC time>.tar.gz. Safe while Pantau runs: SQLite is copied with its online "
        "backup API, PostgreSQL with pg_dump (which must be on PATH)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None,
            help="Directory for the archive (default: backups/ in PANTAU_VAR_DIR, i.e. var/backups).",
        )
        parser.add_argument(
            "--keep", type=int, default=None, metavar="N",
            help="After a successful backup, delete older pantau-backup-*.tar.gz in that directory "
                 "so that only the newest N remain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.VAR_DIR) / "backups"
        try:
            result = create_backup(output, keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backup written: {result.path} ({_size(result.size)}; {result.engine} database, "
            f"{result.media_files} uploaded file(s))"
        )
        for path in result.pruned:
            self.stdout.write(f"Old backup removed: {path}")
