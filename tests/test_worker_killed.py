"""An import job killed halfway leaves nothing written and says so on its job page: a real
``db_worker`` process gets SIGKILL while it writes an import, on a file SQLite database as
``make demo`` runs it (WAL mode; the import is one transaction).

``tests/workerjob.py`` migrates the database, builds the cast and starts an import of ``ROWS`` new
products through the upload's service, with an export queued behind it. A worker takes the import.
While its transaction is open SQLite lets no other write through, so the job's row does not show
the rows written (its heartbeat waits too); what shows the writing is the write-ahead log, where
SQLite spills the transaction's pages before its commit. Once that holds ``WRITTEN_BYTES``, the
worker is stopped (SIGSTOP), and killed (SIGKILL) if it holds the write lock (it is writing).

Then the registry's tables, the search documents and the audit trail are as before; a second
worker runs the export queued behind the import, but neither runs the dead import again nor
applies any of it; and once the dead job's heartbeat is older than ``JOB_STALE_SECONDS`` its page
(served by gunicorn) says that the import stopped and saved nothing, and the job is marked
interrupted, its input file deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from pantau.core.models import AuditEvent, Job
from pantau.core.search.models import SearchDocument
from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit
from tests.processes import ROOT, Server, process_env

ROWS = 10_000  # new products: the worker needs a few seconds to write them
WRITTEN_BYTES = 1_000_000  # of the import in the write-ahead log (uncommitted) when it is killed
STALE_SECONDS = 2
COUNTED = (Institution, ServiceUnit, ServiceProduct, ServiceStandard, AuditEvent, SearchDocument)


class Database:
    """The test's own connection to the file database (read-only apart from the lock probe)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(path, timeout=0, isolation_level=None)

    def counts(self) -> dict[str, int]:
        return {m.__name__: self.conn.execute(f"SELECT count(*) FROM {m._meta.db_table}").fetchone()[0]  # noqa: S608
                for m in COUNTED}

    def job(self, pk: int) -> dict[str, Any]:
        fields = ("state", "rows_written", "finished_at")
        row = self.conn.execute(f"SELECT {', '.join(fields)} FROM {Job._meta.db_table} WHERE id = ?",  # noqa: S608
                                [pk]).fetchone()
        return dict(zip(fields, row, strict=True))

    def task_runs(self, job: int) -> list[tuple[str, list[str]]]:
        """The status and the workers that took it of each task run of ``job``."""
        rows = self.conn.execute(f"SELECT status, worker_ids, args_kwargs FROM {DBTaskResult._meta.db_table}")  # noqa: S608
        return [(status, json.loads(workers)) for status, workers, args in rows
                if json.loads(args)["args"] == [job]]

    def write_locked(self) -> bool:
        """Whether another connection holds the write lock (has a write transaction open)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc), exc
            return True
        self.conn.execute("ROLLBACK")
        return False

    def close(self) -> None:
        self.conn.close()

    def wal_bytes(self) -> int:
        try:
            return os.path.getsize(f"{self.path}-wal")
        except OSError:
            return 0


@contextlib.contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A ``db_worker`` process as ``make demo`` starts it (without the reloader of DEBUG)."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay",
             "--interval", "0.2"], cwd=ROOT, env=env, stdout=out, stderr=out)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)  # (when a failed check left it stopped)
                process.terminate()
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)


def kill_while_writing(process: subprocess.Popen[bytes], db: Database, job: int, log: Path) -> None:
    """SIGKILL the worker halfway through writing the import: once the write-ahead log holds
    ``WRITTEN_BYTES`` of it, stopped (SIGSTOP) with the database locked for writing (the worker's
    write is not over, the import's transaction not committed)."""
    deadline = time.monotonic() + 90
    while True:
        state = db.job(job)["state"]
        assert process.poll() is None, f"the worker stopped by itself; see {log}"
        assert state in (Job.State.QUEUED, Job.State.RUNNING), (
            f"the import ended ({state}) before it could be killed halfway: raise ROWS")
        assert time.monotonic() < deadline, "the import never got to writing"
        if state == Job.State.RUNNING and db.wal_bytes() > WRITTEN_BYTES:
            process.send_signal(signal.SIGSTOP)
            if db.write_locked():
                process.kill()
                process.wait(30)
                return
            process.send_signal(signal.SIGCONT)  # between two writes: a little later
        time.sleep(0.02)


def test_an_import_job_killed_halfway_writes_nothing_and_says_so_on_its_page(tmp_path: Path) -> None:
    env = process_env(tmp_path, JOB_HEARTBEAT_SECONDS="1", JOB_STALE_SECONDS=str(STALE_SECONDS))
    done = subprocess.run([sys.executable, "-m", "tests.workerjob", str(ROWS)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    ids = json.loads(done.stdout.strip().splitlines()[-1])
    job, export = ids["import"], ids["export"]
    input_file = tmp_path / "jobs" / ids["input"]
    assert input_file.is_file()
    with contextlib.closing(Database(tmp_path / "pantau.sqlite3")) as db, contextlib.ExitStack() as stack:
        server = Server(env, tmp_path / "gunicorn.log", wait=False)  # starts while the first worker works
        stack.callback(server.close)
        before = db.counts()
        with worker(env, tmp_path / "worker-1.log") as first:
            kill_while_writing(first, db, job, tmp_path / "worker-1.log")
        killed_at = time.monotonic()
        assert first.returncode == -signal.SIGKILL
        assert db.counts() == before
        assert db.job(job)["rows_written"] == 0

        stack.enter_context(worker(env, tmp_path / "worker-2.log"))
        deadline = time.monotonic() + 60
        while db.job(export)["state"] in (Job.State.QUEUED, Job.State.RUNNING):  # the second worker takes the queue
            assert time.monotonic() < deadline, f"the export never ran; see {tmp_path / 'worker-2.log'}"
            time.sleep(0.1)
        assert db.job(export)["state"] == Job.State.DONE
        assert db.counts() == before
        [(status, workers)] = db.task_runs(job)
        assert status == "RUNNING" and len(workers) == 1  # taken once, by the dead worker
        assert db.job(job)["state"] == Job.State.RUNNING  # (until somebody looks at it)

        server.wait()
        time.sleep(max(0.0, STALE_SECONDS + 0.5 - (time.monotonic() - killed_at)))
        html = server.get(reverse("jobs:detail", args=[job]), ids["session"])
        assert "<strong>Terhenti</strong> — Impor terhenti; tidak ada data yang disimpan." in html
        assert "http-equiv" not in html  # the page no longer reloads itself
        after = db.job(job)
        assert after["state"] == Job.State.INTERRUPTED and after["finished_at"] is not None
        assert not input_file.exists()
        assert db.counts() == before
        assert db.task_runs(job) == [(status, workers)]
