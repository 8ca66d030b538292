"""The export of the complaint queue (issue 10): the cases of the user's current queue filter
(``views_manage.filtered_cases``, the same scope and filters as the list), one row per case, as CSV or XLSX.

**Never identity, chronology or notes**, for every role: the columns are :data:`COLUMNS` and nothing else
(no title either: the reporter types it). Provider staff do not see the classification nor the examiner on
the case page, so in rows of cases they see only as a provider those cells stay empty. Text is made
formula-safe by the shared writers (``reports.cells``: XLSX string cells with the quote prefix, CSV ``'``).

**Bulk work.** Rows are read by key in batches of :data:`BATCH` (memory stays flat). The XLSX is written by
a background job with a progress page (``pantau.core.jobs``, kind :data:`EXPORT`); the CSV is streamed in
the request up to :data:`CSV_DIRECT_LIMIT` cases, and written by the same job beyond that.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.complaints import clock, selectors
from pantau.complaints.due import Thresholds, thresholds
from pantau.complaints.forms_manage import QueueFilterForm
from pantau.complaints.models import Case, Channel
from pantau.complaints.views_manage import filtered_cases, works_on_complaints
from pantau.complaints.vocab import (
    CLOSURE_REASONS,
    MALADMINISTRATION_LABELS,
    Complexity,
    Maladministration,
    RecordKind,
    State,
    state_label,
)
from pantau.core import hooks, jobs
from pantau.core.jobs import JobFailed, Work
from pantau.core.models import Job
from pantau.reports import xlsx
from pantau.reports.cells import csv_cell

EXPORT = "complaints.export"
FORMATS = ("xlsx", "csv")
FILTER_KEYS = ("tab", "tahap", "jenis", "tenggat", "q", "urut", "status", "umur", "kantor", "pemeriksa", "diterima",
               "ditutup")
BATCH = 2000
CSV_DIRECT_LIMIT = 5000
DUE_LABELS = {"on_time": "Tepat waktu", "due_soon": "Hampir jatuh tempo", "overdue": "Terlambat",
              "very_overdue": "Sangat terlambat"}
COLUMNS = (
    xlsx.Column("Nomor", "number", width=24),
    xlsx.Column("Jenis", "kind", width=26),
    xlsx.Column("Tahap", "stage", width=28),
    xlsx.Column("Saluran", "channel", width=16),
    xlsx.Column("Tanggal diterima", "received_on", xlsx.DATE, width=14),
    xlsx.Column("Instansi terlapor", "institution", width=32),
    xlsx.Column("Unit layanan", "unit", width=32),
    xlsx.Column("Substansi", "substance", width=24),
    xlsx.Column("Dugaan maladministrasi", "alleged", width=32),
    xlsx.Column("Klasifikasi", "complexity", width=12),
    xlsx.Column("Asisten pemeriksa", "examiner", width=22),
    xlsx.Column("Tenggat berikutnya", "next_due_on", xlsx.DATE, width=14),
    xlsx.Column("Status tenggat", "due_status", width=18),
    xlsx.Column("Alasan penutupan", "closure", width=32),
)
HEADER = [c.header for c in COLUMNS]
_FIELDS = ("pk", "number", "kind", "state", "channel", "received_on", "office_id", "institution__name",
           "unit__name", "reported_other", "substance", "alleged", "complexity", "examiner__full_name",
           "examiner__username", "next_due_on", "closure_reason")


def filter_params(data: Any) -> dict[str, str]:
    """The queue filter of a request's query (``QueueFilterForm``), cleaned: unknown or refused values
    dropped, as the list does."""
    form = QueueFilterForm({k: str(data.get(k) or "")[:1000] for k in FILTER_KEYS})  # too long: refused
    form.is_valid()
    return {k: v for k in FILTER_KEYS if (v := form.value(k))}


def queryset(user: Any, params: dict[str, str]) -> tuple[QuerySet[Case], tuple[str, ...], Thresholds]:
    limits = thresholds(clock.today(), clock.calendar())
    qs, ordering = filtered_cases(user, QueueFilterForm(params), limits)
    return qs, ordering, limits


def more_than(qs: QuerySet[Case], limit: int) -> bool:
    """Whether ``qs`` holds more than ``limit`` cases (reads at most ``limit + 1`` keys)."""
    return qs.order_by().values("pk")[limit:limit + 1].exists()


def _after(ordering: tuple[str, ...], row: tuple[Any, ...]) -> Q:
    """The keyset condition for the rows after ``row`` in ``ordering`` (``-pk`` or ``next_due_on, pk``)."""
    if ordering == ("next_due_on", "pk"):
        due, pk = row[_FIELDS.index("next_due_on")], row[0]
        return Q(next_due_on__gt=due) | Q(next_due_on=due, pk__gt=pk)
    return Q(pk__lt=row[0])


class _Seen:
    """Whether the user sees a row's classification and examiner: Ombudsman staff of its office and national
    oversight do; provider staff (the Terlapor) do not (as on the case page)."""

    def __init__(self, user: Any) -> None:
        self.national = selectors.cases_q(user) is None
        self.offices = selectors.ombudsman_offices(user)

    def full(self, office_id: int | None) -> bool:
        return self.national or (office_id is not None and office_id in self.offices)


def _label(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def _row(values: tuple[Any, ...], limits: Thresholds, seen: _Seen) -> list[Any]:
    v = dict(zip(_FIELDS, values, strict=True))
    kind = RecordKind(v["kind"])
    full = seen.full(v["office_id"])
    alleged = [MALADMINISTRATION_LABELS[Maladministration(c)] for c in (v["alleged"] or [])
               if c in set(Maladministration)]
    reason = CLOSURE_REASONS.get(v["closure_reason"])
    return [
        v["number"], kind.label, state_label(State(v["state"]), kind), _label(Channel, v["channel"]),
        v["received_on"], v["institution__name"] or v["reported_other"] or "", v["unit__name"] or "",
        v["substance"] if full else "", "; ".join(alleged) if full else "",
        _label(Complexity, v["complexity"]) if full and v["complexity"] else "",
        (v["examiner__full_name"] or v["examiner__username"] or "") if full else "",
        v["next_due_on"], DUE_LABELS.get(limits.status(v["next_due_on"]), ""),
        reason.label if reason else v["closure_reason"] or "",
    ]


def rows(user: Any, params: dict[str, str], progress: Work | None = None) -> Iterator[list[Any]]:
    """The cases of ``user``'s filter ``params`` as lists of :data:`COLUMNS` values, in the queue's order,
    read by key in batches."""
    qs, ordering, limits = queryset(user, params)
    seen = _Seen(user)
    base = qs.order_by(*ordering).values_list(*_FIELDS)
    batch = list(base[:BATCH])
    done = 0
    while batch:
        for values in batch:
            yield _row(values, limits, seen)
        done += len(batch)
        if progress is not None:
            progress.progress(checked=done, written=done)
        if len(batch) < BATCH:
            return
        batch = list(base.filter(_after(ordering, batch[-1]))[:BATCH])


def csv_chunks(user: Any, params: dict[str, str], progress: Work | None = None) -> Iterator[bytes]:
    """The CSV file in chunks of about 64 KB: a UTF-8 mark (spreadsheets read it), the header, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADER)
    for row in rows(user, params, progress):
        writer.writerow([value.isoformat() if isinstance(value, dt.date) else csv_cell(value) for value in row])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def write_csv(user: Any, params: dict[str, str], out: IO[bytes], progress: Work | None = None) -> None:
    for chunk in csv_chunks(user, params, progress):
        out.write(chunk)


def notes(params: dict[str, str]) -> list[str]:
    shown = ", ".join(f"{k}={v}" for k, v in params.items()) or _("tanpa saringan")
    return [
        _("Diekspor dari Pantau pada %(when)s.") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        _("Saringan antrean: %(filter)s.") % {"filter": shown},
        _("Identitas pelapor, kronologi, pokok laporan dan catatan tidak pernah diekspor."),
        _("Substansi, dugaan maladministrasi, klasifikasi dan asisten pemeriksa kosong pada laporan yang Anda "
          "lihat sebagai pihak terlapor."),
    ]


def write_xlsx(user: Any, params: dict[str, str], out: IO[bytes], progress: Work | None = None) -> None:
    book = xlsx.new_workbook()
    xlsx.add_sheet(book, xlsx.Sheet("laporan", COLUMNS), rows(user, params, progress))
    xlsx.add_notes_sheet(book, "Catatan", notes(params))
    xlsx.save(book, out)


# --- the background job ----------------------------------------------------------------------------------------


def run_export(work: Work) -> None:
    owner = work.owner
    fmt = str(work.params.get("format") or "")
    if fmt not in FORMATS or not works_on_complaints(owner):
        raise JobFailed(_("Ekspor ini tidak dapat dibuat: akun Anda tidak lagi menangani laporan masyarakat."))
    raw = work.params.get("filter")
    params = filter_params(raw if isinstance(raw, dict) else {})
    qs, _ordering, _limits = queryset(owner, params)
    work.progress(total=qs.count(), save=True)
    stamp = timezone.localdate().isoformat()
    with work.result(f"laporan-masyarakat-{stamp}.{fmt}") as out:
        (write_xlsx if fmt == "xlsx" else write_csv)(owner, params, out, work)
    work.progress(message=_("Ekspor selesai. Unduh berkasnya di bawah ini."))


def register() -> None:
    hooks.job_kind(hooks.JobKind(
        EXPORT, gettext_lazy("Ekspor laporan masyarakat"), run_export,
        interrupted_message=gettext_lazy("Ekspor terhenti sebelum selesai. Mulai ekspor sekali lagi dari daftar "
                                         "laporan.")))


def start_export(actor: Any, params: dict[str, str], fmt: str) -> Job:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return jobs.start(EXPORT, actor, params={"format": fmt, "filter": dict(params)})
