"""The SQLite backend's queue for writers: a second writer waits on the file lock while the first
holds its transaction, then writes; commit, rollback and close each release the lock."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from pantau.core.sqlite.base import DatabaseWrapper


def _wrapper(path: Path, alias: str) -> DatabaseWrapper:
    settings = {**connection.settings_dict, "NAME": str(path), "OPTIONS": {"transaction_mode": "IMMEDIATE",
                                                                           "timeout": 5}}
    return DatabaseWrapper(settings, alias=alias)


def _free(lock: Path) -> bool:
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend's own lock")
def test_a_second_writer_waits_for_the_first_and_both_write(tmp_path: Path, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        _queue(tmp_path / "w.sqlite3")


def _queue(db: Path) -> None:
    first = _wrapper(db, "w1")
    first.ensure_connection()
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (v INTEGER)")
    first._start_transaction_under_autocommit()
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    waited: dict[str, Any] = {}

    def write() -> None:
        second = _wrapper(db, "w2")  # its own thread: a connection of its own, as another worker
        second.ensure_connection()
        t = time.monotonic()
        second._start_transaction_under_autocommit()
        waited["seconds"] = time.monotonic() - t
        with second.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (2)")
        second._commit()
        second.close()

    other = threading.Thread(target=write)
    other.start()
    time.sleep(0.3)
    lock = Path(f"{db}-writelock")
    assert not _free(lock) and "seconds" not in waited  # still queued behind the first
    first._commit()
    other.join(5)
    assert waited["seconds"] >= 0.25
    assert _free(lock)  # the second released it at its commit
    with first.cursor() as cursor:
        cursor.execute("SELECT v FROM t ORDER BY v")
        assert [r[0] for r in cursor.fetchall()] == [1, 2]
    first._start_transaction_under_autocommit()
    assert not _free(lock)
    first._rollback()
    assert _free(lock)
    first._start_transaction_under_autocommit()
    first.close()  # a connection closed inside a transaction lets the others go
    assert _free(lock)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend's own lock")
def test_a_lock_file_this_process_may_not_open_leaves_sqlite_to_queue_the_writers(tmp_path: Path,
                                                                                  django_db_blocker: Any) -> None:
    db = tmp_path / "w.sqlite3"
    with django_db_blocker.unblock():
        first = _wrapper(db, "w1")
        first.ensure_connection()
        Path(f"{db}-writelock").mkdir()  # cannot be opened for writing, not even by root
        first._start_transaction_under_autocommit()
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE t (v INTEGER)")
        first._commit()
        first.close()


def test_the_lock_file_takes_the_databases_permissions(tmp_path: Path, django_db_blocker: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    db = tmp_path / "w.sqlite3"
    db.touch(mode=0o660)
    db.chmod(0o660)
    with django_db_blocker.unblock():
        first = _wrapper(db, "w1")
        first.ensure_connection()
        first._start_transaction_under_autocommit()
        first._commit()
        first.close()
    assert Path(f"{db}-writelock").stat().st_mode & 0o777 == 0o660 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
