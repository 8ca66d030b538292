"""A Pantau process that keeps its database connection open, idle, like a gunicorn worker between
requests (``CONN_MAX_AGE``), for ``test_backup``.

Run as ``python -m pantau.core.tests.db_holder GO_FILE`` with the environment of the site under
test. It reads once, prints ``ready`` and waits, connection open, until GO_FILE appears; then it
writes one audit event and prints ``wrote <id>`` (or ``failed <error>``) and exits.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main() -> None:
    import django

    go = Path(sys.argv[1])
    django.setup()
    from django.db import DatabaseError, transaction

    from pantau.core import audit
    from pantau.core.models import AuditEvent

    AuditEvent.objects.count()  # opens the connection, which then stays open and idle
    print("ready", flush=True)
    deadline = time.monotonic() + 120
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        with transaction.atomic():
            event = audit.record(actor="system:backup-test", event_type="backup.after-restore", reason="late write")
    except DatabaseError as exc:
        print(f"failed {exc}", flush=True)
        return
    print(f"wrote {event.pk}", flush=True)


if __name__ == "__main__":
    main()
