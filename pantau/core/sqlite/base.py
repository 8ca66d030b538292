"""Django's SQLite backend with a queue for writers.

SQLite lets one writer at a time hold its lock (``BEGIN IMMEDIATE``); a second one that finds it
taken sleeps in SQLite's busy handler, whose naps grow 1, 2, 5, 10 … ms: on a busy site two
workers writing small transactions (survey submissions, say) spend more time asleep than
writing. Here a writer first takes an advisory lock on a file beside the database
(``<database>-writelock``) and holds it until its transaction ends: the next writer is woken by
the kernel the moment it is released, then finds SQLite's lock free. Waiting on the file lock is
bounded by the connection's ``timeout`` (then SQLite's own busy handling takes over, as before).
In-memory databases (the tests') have one connection per process and no file: no lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db.backends.sqlite3 import base

# The longest single nap while another process holds the file lock (short: the lock is held for
# the length of one transaction, usually under a millisecond).
MAX_NAP = 0.002


def _mode_of(database: str) -> int:
    try:
        return os.stat(database).st_mode & 0o666
    except OSError:
        return 0o600


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock: int | None = None

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict.get("NAME") or "")
        if not name or name == ":memory:" or "mode=memory" in name or name.startswith("file:"):
            return None
        return f"{name}-writelock"

    def _take_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._write_lock is not None:
            return
        try:  # as readable and writable as the database itself (another user's command may run it)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, _mode_of(str(self.settings_dict.get("NAME"))))
        except OSError:  # a lock file this process may not open: SQLite's own busy handling, as before
            return
        deadline = time.monotonic() + float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        nap = 0.0001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:  # let SQLite's busy handling decide
                    os.close(fd)
                    return
                time.sleep(nap)
                nap = min(nap * 2, MAX_NAP)
        self._write_lock = fd

    def _release_write_lock(self) -> None:
        fd, self._write_lock = self._write_lock, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def _start_transaction_under_autocommit(self) -> None:
        self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in django-stubs
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_write_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_write_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_write_lock()
