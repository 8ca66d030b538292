from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `pantau backup`: checks its manifest and checksums, then replaces "
        "the configured database and the uploaded files (MEDIA_ROOT) with its contents. STOP PANTAU "
        "FIRST (gunicorn and db_worker): a restore must not run while the app writes. A database that "
        "already has tables, or a MEDIA_ROOT with files, is only overwritten with --force; files "
        "already in MEDIA_ROOT are moved aside, not deleted."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The pantau-backup-*.tar.gz file to restore.")
        parser.add_argument("--force", action="store_true",
                            help="Overwrite a database that has tables and replace the files in MEDIA_ROOT.")
        parser.add_argument("--check", action="store_true",
                            help="Only verify the archive (manifest, checksums, engine); change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(options["archive"], force=options["force"], verify_only=options["check"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.verified_only:
            self.stdout.write(
                f"Archive OK: {result.engine} database and {result.media_files} uploaded file(s), "
                f"made {result.created_at}."
            )
        else:
            self.stdout.write(
                f"Restored the {result.engine} database and {result.media_files} uploaded file(s) "
                f"from the backup made {result.created_at}."
            )
            if result.media_moved_to is not None:
                self.stdout.write(f"The files that were in MEDIA_ROOT were moved to {result.media_moved_to}.")
        if result.unapplied_migrations:
            self.stdout.write(
                f"This Pantau has {len(result.unapplied_migrations)} migration(s) newer than the backup: "
                "run `pantau migrate`" + (" after restoring." if result.verified_only else " now.")
            )
