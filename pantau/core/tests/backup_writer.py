"""A busy Pantau for ``test_backup``: commits pairs of audit events until a stop file appears.

Run as ``python -m pantau.core.tests.backup_writer STOP_FILE PREFILL`` with the environment of the
site under test. After each commit it prints ``<batch> <id> <id>``, so the test knows exactly
which rows were committed and when.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main() -> None:
    import django

    stop, prefill = Path(sys.argv[1]), int(sys.argv[2])
    django.setup()
    from django.db import connection, transaction

    from pantau.core import audit
    from pantau.core.models import AuditEvent

    if connection.vendor == "sqlite":
        # Keep every commit in the WAL: a backup that copied the database file alone would miss them.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
    AuditEvent.objects.bulk_create(
        [AuditEvent(event_type="backup.prefill", reason="x" * 200) for _ in range(prefill)], batch_size=2000
    )
    print("ready", flush=True)
    deadline = time.monotonic() + 120
    batch = 0
    while not stop.exists() and time.monotonic() < deadline:
        with transaction.atomic():
            first = audit.record(actor="system:backup-test", event_type="backup.test", reason=f"{batch}")
            second = audit.record(actor="system:backup-test", event_type="backup.test", reason=f"{batch}")
        print(f"{batch} {first.pk} {second.pk}", flush=True)
        batch += 1


if __name__ == "__main__":
    main()
