"""Background jobs: long work (an import, an export) a user starts and follows on a job page.

A module registers a *kind* of job (``hooks.job_kind(JobKind(...))``) with the function that
does the work. ``start`` stores the job's row (``core.Job``) and its uploaded file (in the
private ``jobs`` storage), and enqueues ``run_job`` on the tasks backend (``pantau db_worker``
runs it; the test suite runs it at once). The user goes straight to the job page
(``/kelola/tugas/<id>/``), which reloads itself while the job runs and shows its progress, its
problems, and a download link when it made a file.

While a job runs, a thread of the worker writes its heartbeat and counters every
``JOB_HEARTBEAT_SECONDS`` (on its own database connection, so also while the job's write
transaction is open; SQLite lets it through only between transactions). A running job whose
heartbeat is older than ``JOB_STALE_SECONDS`` is taken as dead — its worker was killed — and is
marked *interrupted* the next time anybody looks at it (``refresh``). A job's own write is one
transaction, so a dead job has written nothing. The input file is deleted when the job ends;
result files are deleted after ``JOB_KEEP_DAYS`` (``prune``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import tempfile
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from pantau.core import hooks
from pantau.core.models import Job

log = logging.getLogger("pantau.jobs")

# The job row keeps this many problems (the page shows them); ``error_count`` counts them all.
KEPT_PROBLEMS = 200
MESSAGE_LENGTH = 500
# Counters are written to the job row at most this often by the job itself (outside a transaction).
SAVE_EVERY_SECONDS = 1.0
PROGRESS_FIELDS = ("rows_total", "rows_checked", "rows_written", "error_count", "message")


class JobFailed(Exception):
    """Ends a job as failed, with a message for its owner (and the problems already recorded)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def storage() -> Storage:
    return storages["jobs"]


def start(kind: str, owner: Any, *, params: Mapping[str, Any] | None = None, upload: IO[bytes] | None = None,
          filename: str = "") -> Job:
    """Create a job of a registered kind for ``owner``, store its input file, and enqueue it."""
    if hooks.job_kind_named(kind) is None:
        raise ValueError(f"unknown job kind {kind!r}")
    prune()
    job = Job(kind=kind, owner=owner, params=dict(params or {}), input_filename=filename[:255])
    if upload is not None:
        name = f"input/{uuid.uuid4().hex}.bin"
        if hasattr(upload, "seek"):
            upload.seek(0)
        job.input_name = storage().save(name, File(upload, name=name))
    job.save()
    run_job.enqueue(job.pk)
    job.refresh_from_db()  # the test suite's backend has run it already
    return job


def prune() -> None:
    """Delete the files and rows of jobs finished more than ``JOB_KEEP_DAYS`` ago."""
    cutoff = timezone.now() - dt.timedelta(days=settings.JOB_KEEP_DAYS)
    old = Job.objects.filter(finished_at__lt=cutoff)
    for input_name, result_name in old.values_list("input_name", "result_name")[:500]:
        for name in (input_name, result_name):
            _delete(name)
    old.delete()


def _delete(name: str) -> None:
    if name:
        try:
            storage().delete(name)
        except OSError:  # already gone: nothing to free
            log.warning("job file %s could not be deleted", name)


def stale(job: Job, now: dt.datetime | None = None) -> bool:
    """Whether a running job's worker has stopped beating (it was killed or died)."""
    if job.state != Job.State.RUNNING:
        return False
    beat = job.heartbeat or job.started_at or job.created_at
    return beat < (now or timezone.now()) - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)


def refresh(job: Job) -> Job:
    """Mark the job interrupted when its heartbeat is stale, and say so only once that is saved.

    A database too busy to save it means a writer holds it: on SQLite that is usually this very
    job, whose transaction keeps its heartbeat from being saved, so it is still shown as running
    (the next look tries again). A job that ended meanwhile is shown as it ended."""
    if not stale(job):
        return job
    message = stopped_message(job)[:MESSAGE_LENGTH]
    finished = timezone.now()
    try:
        changed = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.INTERRUPTED, message=message, finished_at=finished)
    except DatabaseError:  # SQLite busy with a writer (perhaps the job itself): look again later
        log.warning("job %s: could not mark it interrupted yet", job.pk)
        return job
    if not changed:  # it ended (or was marked) meanwhile
        job.refresh_from_db()
        return job
    job.state, job.message, job.finished_at = Job.State.INTERRUPTED, message, finished
    _delete(job.input_name)
    return job


def stopped_message(job: Job) -> str:
    """What the page says of a job that stopped halfway (the kind's sentence, or a generic one)."""
    kind = hooks.job_kind_named(job.kind)
    if kind is not None and kind.interrupted_message:
        return str(kind.interrupted_message)
    return _("Tugas terhenti sebelum selesai.")


def label(job: Job) -> str:
    kind = hooks.job_kind_named(job.kind)
    return str(kind.label) if kind is not None else job.kind


class Work:
    """What a kind's ``run`` function gets: the job, its input, and ways to report progress."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.lock = threading.Lock()
        self._saved_at = 0.0

    @property
    def owner(self) -> Any:
        return self.job.owner

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.job.params or {})

    @contextmanager
    def input(self) -> Iterator[tuple[IO[bytes], int]]:
        """The uploaded file, open for reading, and its size."""
        if not self.job.input_name:
            raise JobFailed(_("Berkas tugas ini tidak ada lagi. Unggah berkasnya sekali lagi."))
        store = storage()
        size = store.size(self.job.input_name)
        with store.open(self.job.input_name, "rb") as fh:
            yield fh, size

    def progress(self, *, total: int | None = None, checked: int | None = None, written: int | None = None,
                 errors: int | None = None, message: str | None = None, save: bool = False) -> None:
        """Update the counters (saved now and then; always with ``save``, outside a transaction)."""
        job = self.job
        with self.lock:
            if total is not None:
                job.rows_total = total
            if checked is not None:
                job.rows_checked = checked
            if written is not None:
                job.rows_written = written
            if errors is not None:
                job.error_count = errors
            if message is not None:
                job.message = message[:MESSAGE_LENGTH]
        now = timezone.now().timestamp()
        if connection.in_atomic_block or not (save or now - self._saved_at >= SAVE_EVERY_SECONDS):
            return
        self._saved_at = now
        # Best effort: SQLite refuses a write on a connection whose read (an export's streaming
        # query) is older than another writer's commit (the heartbeat); the next report saves it.
        with suppress(DatabaseError):
            self._save(*PROGRESS_FIELDS)

    def problems(self, problems: Sequence[Mapping[str, Any]], count: int | None = None) -> None:
        """Record the problems found (the first ``KEPT_PROBLEMS``; the count of all: ``count`` when
        the caller kept only some of them)."""
        with self.lock:
            self.job.problems = [dict(p) for p in problems[:KEPT_PROBLEMS]]
            self.job.error_count = len(problems) if count is None else max(count, len(problems))

    def summary(self, data: Mapping[str, Any]) -> None:
        self.job.summary = dict(data)

    @contextmanager
    def result(self, filename: str) -> Iterator[IO[bytes]]:
        """A file to write the job's result into; stored (privately) when the block ends well."""
        with tempfile.TemporaryFile() as out:
            yield out
            out.seek(0)
            name = storage().save(f"result/{uuid.uuid4().hex}.bin", File(out))
        self.job.result_name, self.job.result_filename = name, filename[:255]

    def _save(self, *fields: str) -> None:
        with self.lock:
            values = {f: getattr(self.job, f) for f in fields}
        values["heartbeat"] = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(**values)


class _Heartbeat(threading.Thread):
    """Writes a running job's heartbeat and counters every ``JOB_HEARTBEAT_SECONDS``."""

    def __init__(self, work: Work, seconds: float) -> None:
        super().__init__(name=f"job-{work.job.pk}-heartbeat", daemon=True)
        self.work, self.seconds, self.done = work, seconds, threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(self.seconds):
                with suppress(DatabaseError):  # SQLite: the job's own write holds the database; next time
                    self.work._save(*PROGRESS_FIELDS)
        finally:
            connection.close()  # this thread's own connection


@task()
def run_job(job_id: int) -> str:
    """Run one job (the tasks backend calls this). Returns the job's final state."""
    now = timezone.now()
    worker = f"{socket.gethostname()}:{os.getpid()}"[:100]
    if not Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started_at=now, heartbeat=now, worker=worker):
        return "skipped"
    job = Job.objects.select_related("owner").get(pk=job_id)
    work = Work(job)
    beat = _Heartbeat(work, settings.JOB_HEARTBEAT_SECONDS) if settings.JOB_HEARTBEAT_SECONDS else None
    if beat is not None:
        beat.start()
    state = Job.State.FAILED
    try:
        kind = hooks.job_kind_named(job.kind)
        if kind is None:
            raise JobFailed(_("Jenis tugas ini tidak dikenal."))
        kind.run(work)
        state = Job.State.DONE
    except JobFailed as exc:
        job.message = exc.message[:MESSAGE_LENGTH]
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        job.message = " ".join((stopped_message(job), _("Terjadi kesalahan di server. Coba lagi nanti, atau "
                                                          "hubungi admin bila terulang.")))[:MESSAGE_LENGTH]
    finally:
        if beat is not None:
            beat.done.set()
            beat.join()
        _delete(job.input_name)
        job.state, job.finished_at, job.input_name = state, timezone.now(), ""
        work._save(*PROGRESS_FIELDS, "state", "finished_at", "input_name", "problems", "summary",
                   "result_name", "result_filename")
    return str(state)
