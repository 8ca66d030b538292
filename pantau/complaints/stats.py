"""Oversight of complaint handling (issue 11): the SLA dashboard and the statistics per period and office.
Every number is counted in the database (``GROUP BY`` over the cases of one scope), never case by case in
Python; the same functions feed the pages, the XLSX/CSV export and the API.

**Scope** (:func:`where_for`). Ombudsman staff count the cases their office holds; national staff (the
national admin, complaint staff of the national office) count every office, or one office they pick.
An examiner who holds no other complaint role counts only the cases assigned to them. Provider staff
see none of this.

**SLA dashboard** (:func:`sla`): open cases by stage and by examiner, with the overdue and very overdue
among them (the queue's thresholds, ``due.thresholds``: the same dates split the same cases), the age of
the open cases since they were received (:data:`AGE_BUCKETS`) and the cases received and closed in each of
the last :data:`MONTHS` months. Every number has the queue filter that lists its cases (:func:`queue_query`).

**Statistics** (:func:`statistics`), for a calendar year:

- counts by record kind, substance, reported-agency group and form of maladministration (alleged and
  found) over the cases *received* in the year;
- closures by stage and by reason over the cases *closed* in the year; the stage is the state the case
  was closed from, grouped as :data:`CLOSURE_STAGES` (PVL, examination, resolution and monitoring);
- time in each stage, over the cases received in the year: a stay in a stage starts with the event that
  moved the case into it and ends with the next event that moved it elsewhere (``Event.source_state`` /
  ``target_state``; a step that keeps the stage is not a move). Stays still running are not counted. The
  durations are whole days of 24 hours; the median and the 90th percentile are *nearest-rank* percentiles
  (the smallest duration that at least half, resp. nine tenths, of the stays do not exceed), computed from
  a per-day histogram counted by one grouped query with a window function (SQLite and PostgreSQL);
- the provider responsiveness ranking: per reported institution, the corrective actions and
  Recommendations (``Demand``) issued in the year on cases of the scope: the share answered by their due
  date among those that are due (answered, or unanswered past the due date) and the median answer time in
  days (issue date to answer date). Only institutions with at least :func:`ranking_minimum` reports received
  in the year are ranked (setting ``COMPLAINT_RANKING_MIN_REPORTS``, default :data:`RANKING_MIN_REPORTS`):
  a handful of reports says little about a provider.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.accounts.models import Role
from pantau.accounts.scope import scope_of
from pantau.complaints import freshness, selectors
from pantau.complaints.due import Thresholds
from pantau.complaints.models import Case, Demand, Event
from pantau.complaints.vocab import (
    CLOSURE_REASONS,
    MALADMINISTRATION_LABELS,
    RecordKind,
    State,
)
from pantau.registry.models import Office

RANKING_MIN_REPORTS = 5
MONTHS = 12
FIRST_YEAR, LAST_YEAR = 2000, 2100
# (code, label, youngest age in days, oldest age in days or None): the age of an open case since received_on.
Label = str | Promise
AGE_BUCKETS: tuple[tuple[str, Label, int, int | None], ...] = (
    ("0-30", gettext_lazy("0–30 hari"), 0, 30),
    ("31-90", gettext_lazy("31–90 hari"), 31, 90),
    ("91-180", gettext_lazy("91–180 hari"), 91, 180),
    ("181-365", gettext_lazy("181–365 hari"), 181, 365),
    ("365+", gettext_lazy("Lebih dari 365 hari"), 366, None),
)
PVL = frozenset({State.RECEIVED, State.FORMAL_VERIFICATION, State.AWAITING_COMPLETENESS,
                 State.SUBSTANTIVE_VERIFICATION, State.AWAITING_PLENARY})
EXAMINATION = frozenset({State.RAPID_RESPONSE, State.EXAMINATION, State.DRAFT_LAHP,
                         State.AWAITING_REPORTER_RESPONSE, State.LAHP_ISSUED})
CLOSURE_STAGES: tuple[tuple[str, Label, frozenset[State]], ...] = (
    ("pvl", gettext_lazy("Penerimaan dan verifikasi (PVL)"), PVL),
    ("examination", gettext_lazy("Pemeriksaan"), EXAMINATION),
    ("resolution", gettext_lazy("Resolusi dan monitoring"), frozenset(State) - PVL - EXAMINATION - {State.CLOSED}),
)
UNCLASSIFIED = gettext_lazy("Belum diklasifikasi")
STATS_ROLES = frozenset({Role.INTAKE_OFFICER, Role.EXAMINER, Role.HEAD_OF_OFFICE})


class ScopeError(ValueError):
    """A filter the user may not use (an unknown or foreign office, a bad year); the message says so."""


def ranking_minimum() -> int:
    return int(getattr(settings, "COMPLAINT_RANKING_MIN_REPORTS", RANKING_MIN_REPORTS))


# --- who counts what ------------------------------------------------------------------------------------------


def is_national(user: Any) -> bool:
    return selectors.cases_q(user) is None and bool(scope_of(user).roles)


def stats_offices(user: Any) -> list[int]:
    """The offices whose cases ``user`` counts as Ombudsman complaint staff (empty for national staff)."""
    return sorted({s.office_id for s in selectors.seats_of(user) if s.role in STATS_ROLES and s.office_id})


def may_see_stats(user: Any) -> bool:
    return is_national(user) or bool(stats_offices(user))


def examiner_only(user: Any) -> bool:
    """An examiner with no other complaint role: the dashboard is of their own cases."""
    if is_national(user):
        return False
    roles = {s.role for s in selectors.seats_of(user) if s.role in STATS_ROLES}
    return roles == {Role.EXAMINER}


def office_choices(user: Any) -> list[tuple[int, str]]:
    """The offices ``user`` may pick (all of them for national staff)."""
    qs = Office.objects.order_by("name")
    if not is_national(user):
        qs = qs.filter(pk__in=stats_offices(user))
    return list(qs.values_list("pk", "name"))


@dataclass(frozen=True)
class Where:
    """The cases one page counts: ``q`` over ``Case``, and the filters it came from (for the queue links)."""

    q: Q
    office_id: int | None = None
    office_name: str = ""
    examiner_id: int | None = None

    def cases(self) -> QuerySet[Case]:
        return Case.objects.filter(self.q)

    def link_params(self) -> dict[str, str]:
        params = {}
        if self.office_id is not None:
            params["kantor"] = str(self.office_id)
        if self.examiner_id is not None:
            params["pemeriksa"] = str(self.examiner_id)
        return params


def parse_int(raw: Any, what: str) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 18:
        raise ScopeError(_("%(what)s tidak dikenal: tulis angkanya saja.") % {"what": what})
    return int(text)


def where_for(user: Any, office: Any = None, examiner: Any = None, *, own: bool = True) -> Where:
    """The cases ``user`` counts with the filters ``office`` and ``examiner`` (raw query values, checked):
    an office outside the user's reach is refused like one that does not exist. With ``own`` an examiner
    with no other complaint role counts only their own cases (the SLA dashboard; statistics are the
    office's)."""
    office_id = parse_int(office, _("Kantor"))
    examiner_id = parse_int(examiner, _("Asisten pemeriksa"))
    choices = dict(office_choices(user))
    if office_id is not None and office_id not in choices:
        raise ScopeError(_("Kantor tidak dikenal atau di luar wewenang Anda."))
    if office_id is None and not is_national(user):
        mine = stats_offices(user)
        if len(mine) == 1:
            office_id = mine[0]
    q = Q(office_id=office_id) if office_id is not None else (
        Q() if is_national(user) else Q(office_id__in=stats_offices(user)))
    if own and examiner_only(user):
        examiner_id = user.pk
    if examiner_id is not None:
        q &= Q(examiner_id=examiner_id)
    return Where(q, office_id, choices.get(office_id, "") if office_id else "", examiner_id)


def parse_year(raw: Any, today: dt.date) -> int:
    text = str(raw or "").strip()
    if not text:
        return today.year
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise ScopeError(_("Tahun tidak dikenal: tulis empat angka antara %(first)d dan %(last)d.")
                         % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return int(text)


# --- helpers --------------------------------------------------------------------------------------------------


def nearest_rank(histogram: Mapping[int, int], share: float) -> int | None:
    """The nearest-rank percentile of the values counted in ``histogram`` (value → how many): the smallest
    value that at least ``share`` of all values do not exceed; None when nothing was counted."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(share * total - 1e-9))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # unreachable: seen reaches total


def age_q(code: str, today: dt.date) -> Q:
    """The open cases whose age since ``received_on`` falls in the bucket ``code`` of :data:`AGE_BUCKETS`."""
    for bucket, _label, young, old in AGE_BUCKETS:
        if bucket == code:
            q = ~Q(state=State.CLOSED) & Q(received_on__lte=today - dt.timedelta(days=young))
            return q & Q(received_on__gte=today - dt.timedelta(days=old)) if old is not None else q
    return Q(pk__in=[])


def month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _as_month(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date().replace(day=1)
    return dt.date(value.year, value.month, 1)


@dataclass(frozen=True)
class Tally:
    code: str
    label: Label
    count: int
    query: dict[str, str] = field(default_factory=dict)  # the queue filter that lists these cases

    @property
    def url(self) -> str:
        return queue_url(self.query) if self.query else ""


# --- the SLA dashboard ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlaRow:
    key: str
    label: Label
    total: int
    overdue: int
    very_overdue: int
    query: dict[str, str]

    @property
    def url(self) -> str:
        return queue_url(self.query)

    @property
    def overdue_url(self) -> str:
        return queue_url(self.query, tenggat="overdue")

    @property
    def very_overdue_url(self) -> str:
        return queue_url(self.query, tenggat="very_overdue")


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    received: int
    closed: int
    query: dict[str, str]

    @property
    def received_url(self) -> str:
        return queue_url(self.query, diterima=self.month.strftime("%Y-%m"))

    @property
    def closed_url(self) -> str:
        return queue_url(self.query, ditutup=self.month.strftime("%Y-%m"))


@dataclass
class Sla:
    today: dt.date
    where: Where
    stages: list[SlaRow]
    examiners: list[SlaRow]
    ageing: list[Tally]
    months: list[MonthRow]
    total: SlaRow


def _due_counts(limits: Thresholds) -> dict[str, Count]:
    return {"total": Count("id"), "overdue": Count("id", filter=limits.q("overdue")),
            "very_overdue": Count("id", filter=limits.q("very_overdue"))}


def sla(where: Where, limits: Thresholds) -> Sla:
    """The SLA dashboard of the cases of ``where`` on ``limits.today`` (five grouped queries)."""
    today, base = limits.today, where.link_params()
    open_cases = where.cases().exclude(state=State.CLOSED)
    counts = _due_counts(limits)
    by_state: dict[str, dict[str, Any]] = {
        r["state"]: dict(r) for r in open_cases.order_by().values("state").annotate(**counts)}
    stages = [SlaRow(s.value, s.label, r["total"], r["overdue"], r["very_overdue"], {**base, "tahap": s.value})
              for s in State if (r := by_state.get(s.value))]
    examiners = []
    people: Iterable[Any] = (
        open_cases.order_by().values("examiner_id", "examiner__full_name", "examiner__username")
        .annotate(**counts).order_by("examiner__full_name", "examiner__username", "examiner_id"))
    for e in people:
        if e["examiner_id"] is None:
            continue  # not yet assigned: counted in the stages
        name = e["examiner__full_name"] or e["examiner__username"]
        examiners.append(SlaRow(str(e["examiner_id"]), name, e["total"], e["overdue"], e["very_overdue"],
                                {**base, "status": "terbuka", "pemeriksa": str(e["examiner_id"])}))
    ages = open_cases.aggregate(**{code: Count("id", filter=age_q(code, today)) for code, *_r in AGE_BUCKETS})
    ageing = [Tally(code, label, ages[code], {**base, "umur": code}) for code, label, *_r in AGE_BUCKETS]
    first = month_start(today, MONTHS - 1)
    closed = {_as_month(r["month"]): r["n"] for r in where.cases().filter(closed_at__gte=local_midnight(first))
              .annotate(month=TruncMonth("closed_at")).order_by().values("month").annotate(n=Count("id"))}
    received = {_as_month(r["month"]): r["n"] for r in where.cases().filter(received_on__gte=first)
                .annotate(month=TruncMonth("received_on")).order_by().values("month").annotate(n=Count("id"))}
    months = [MonthRow(m, received.get(m, 0), closed.get(m, 0), base)
              for m in (month_start(today, back) for back in range(MONTHS - 1, -1, -1))]
    total = SlaRow("all", gettext_lazy("Semua tahap"), sum(r.total for r in stages), sum(r.overdue for r in stages),
                   sum(r.very_overdue for r in stages), {**base, "status": "terbuka"})
    return Sla(today, where, stages, examiners, ageing, months, total)


# --- the statistics -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MaladminRow:
    code: str
    label: str
    alleged: int
    found: int


@dataclass(frozen=True)
class StageTime:
    state: str
    label: str
    stays: int
    median: int | None
    p90: int | None


@dataclass(frozen=True)
class Responsiveness:
    institution_id: int
    name: str
    reports: int
    demands: int
    due: int
    on_time: int
    median_days: int | None

    @property
    def share(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None


@dataclass
class Statistics:
    year: int
    where: Where
    received: int
    closed: int
    by_kind: list[Tally]
    by_substance: list[Tally]
    by_group: list[Tally]
    maladministration: list[MaladminRow]
    closure_stages: list[Tally]
    closure_reasons: list[Tally]
    stage_times: list[StageTime]
    ranking: list[Responsiveness]
    ranking_minimum: int


def _grouped(qs: QuerySet[Case], column: str) -> list[tuple[str, int]]:
    rows = qs.order_by().values(column).annotate(n=Count("id")).order_by("-n", column)
    return [(r[column] or "", r["n"]) for r in rows]


def _kind_label(code: str) -> str:
    try:
        return RecordKind(code).label
    except ValueError:
        return code


def _state_label(code: str) -> str:
    try:
        return State(code).label
    except ValueError:
        return code


def _days_sql() -> str:
    if connection.vendor == "sqlite":
        return "CAST(julianday(end_at) - julianday(start_at) AS INTEGER)"
    return "CAST(FLOOR(EXTRACT(EPOCH FROM (end_at - start_at)) / 86400) AS INTEGER)"


def stage_histograms(cases: QuerySet[Case]) -> dict[str, dict[int, int]]:
    """Per state, how many finished stays lasted each whole number of days (one grouped query)."""
    inner, params = cases.order_by().values("id").query.sql_with_params()
    event = Event._meta.db_table
    # Fixed text, the table's name and the ORM's own SQL for the cases; every value is a parameter.
    sql = (
        "SELECT state, days, COUNT(*) FROM ("  # noqa: S608
        f" SELECT state, {_days_sql()} AS days FROM ("
        "  SELECT target_state AS state, at AS start_at,"
        "   LEAD(at) OVER (PARTITION BY case_id ORDER BY at, id) AS end_at"
        f"  FROM {event} WHERE target_state <> '' AND source_state <> target_state"
        f"  AND case_id IN ({inner})"
        " ) moves WHERE end_at IS NOT NULL"
        ") stays GROUP BY state, days")
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for state, days, n in cursor.fetchall():
            histograms[state][int(days)] = int(n)
    return histograms


def stage_times(cases: QuerySet[Case]) -> list[StageTime]:
    histograms = stage_histograms(cases)
    return [StageTime(s.value, s.label, sum(h.values()), nearest_rank(h, 0.5), nearest_rank(h, 0.9))
            for s in State if (h := histograms.get(s.value))]


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def ranking(where: Where, year: int, today: dt.date, minimum: int) -> list[Responsiveness]:
    """The provider responsiveness ranking (see the module's docstring); best first."""
    start, end = _year_range(year)
    received = where.cases().filter(received_on__gte=start, received_on__lt=end, institution__isnull=False)
    reports = {r["institution_id"]: (r["institution__name"], r["n"]) for r in received.order_by()
               .values("institution_id", "institution__name").annotate(n=Count("id")).filter(n__gte=minimum)}
    if not reports:
        return []
    demands = (Demand.objects.filter(case__in=where.cases().values("id"), institution_id__in=list(reports),
                                     issued_on__gte=start, issued_on__lt=end)
               .annotate(answered_on=TruncDate("answered_at")).order_by()
               .values("institution_id", "issued_on", "due_on", "answered_on").annotate(n=Count("id")))
    tally: dict[int, dict[str, Any]] = {pk: {"demands": 0, "due": 0, "on_time": 0, "days": defaultdict(int)}
                                        for pk in reports}
    for r in demands:
        t, n = tally[r["institution_id"]], r["n"]
        t["demands"] += n
        answered: dt.date | None = r["answered_on"]
        if answered is not None:
            t["due"] += n
            t["on_time"] += n if answered <= r["due_on"] else 0
            t["days"][(answered - r["issued_on"]).days] += n
        elif r["due_on"] < today:
            t["due"] += n
    rows = [Responsiveness(pk, name, n, tally[pk]["demands"], tally[pk]["due"], tally[pk]["on_time"],
                           nearest_rank(tally[pk]["days"], 0.5)) for pk, (name, n) in reports.items()]
    return sorted(rows, key=lambda r: (-(r.share if r.share is not None else -1),
                                       r.median_days if r.median_days is not None else 10**9, r.name))


def statistics(where: Where, year: int, today: dt.date) -> Statistics:
    """The statistics of the cases of ``where`` for ``year`` (see the module's docstring)."""
    start, end = _year_range(year)
    received = where.cases().filter(received_on__gte=start, received_on__lt=end)
    closed = where.cases().filter(closed_at__gte=local_midnight(start), closed_at__lt=local_midnight(end))
    by_kind = [Tally(code, _kind_label(code), n) for code, n in _grouped(received, "kind")]
    by_substance = [Tally(code, code or UNCLASSIFIED, n) for code, n in _grouped(received, "substance")]
    by_group = [Tally(code, code or UNCLASSIFIED, n) for code, n in _grouped(received, "agency_group")]
    forms = received.aggregate(**{f"{side}_{m.name}": Count("id", filter=Q(**{f"{side}__icontains": f'"{m.value}"'}))
                                  for m in MALADMINISTRATION_LABELS for side in ("alleged", "found")})
    maladministration = [MaladminRow(m.value, label, forms[f"alleged_{m.name}"], forms[f"found_{m.name}"])
                         for m, label in MALADMINISTRATION_LABELS.items()]
    reasons = _grouped(closed, "closure_reason")
    closure_reasons = [Tally(code, CLOSURE_REASONS[code].label if code in CLOSURE_REASONS else code or "—", n)
                       for code, n in reasons]
    from_states = dict(
        Event.objects.filter(target_state=State.CLOSED, case__in=closed.values("id")).exclude(source_state="")
        .order_by().values("source_state").annotate(n=Count("case_id", distinct=True))
        .values_list("source_state", "n"))
    closure_stages = [Tally(code, label, sum(n for s, n in from_states.items() if s in states))
                      for code, label, states in CLOSURE_STAGES]
    return Statistics(
        year=year, where=where, received=sum(c.count for c in by_kind), closed=sum(n for _c, n in reasons),
        by_kind=by_kind, by_substance=by_substance, by_group=by_group, maladministration=maladministration,
        closure_stages=closure_stages, closure_reasons=closure_reasons, stage_times=stage_times(received),
        ranking=ranking(where, year, today, ranking_minimum()), ranking_minimum=ranking_minimum())


def table_rows(stats: Statistics) -> Iterable[tuple[str, str, str, Any]]:
    """Every number of ``stats`` as (table, row, measure, value): what the export writes (its tests compare
    it with the page)."""
    for table, label, measure, value in _table_rows(stats):
        yield table, str(label), measure, value


def _table_rows(stats: Statistics) -> Iterable[tuple[str, Label, str, Any]]:
    for c in stats.by_kind:
        yield "Jenis catatan", c.label, "Jumlah", c.count
    for c in stats.by_substance:
        yield "Substansi", c.label, "Jumlah", c.count
    for c in stats.by_group:
        yield "Kelompok instansi terlapor", c.label, "Jumlah", c.count
    for m in stats.maladministration:
        yield "Maladministrasi", m.label, "Dugaan", m.alleged
        yield "Maladministrasi", m.label, "Ditemukan", m.found
    for c in stats.closure_stages:
        yield "Tahap penutupan", c.label, "Jumlah", c.count
    for c in stats.closure_reasons:
        yield "Alasan penutupan", c.label, "Jumlah", c.count
    for t in stats.stage_times:
        yield "Lama di tiap tahap (hari)", t.label, "Jumlah tahapan selesai", t.stays
        yield "Lama di tiap tahap (hari)", t.label, "Median", t.median
        yield "Lama di tiap tahap (hari)", t.label, "Persentil ke-90", t.p90
    for r in stats.ranking:
        yield "Responsivitas terlapor", r.name, "Laporan", r.reports
        yield "Responsivitas terlapor", r.name, "Tindakan diminta", r.demands
        yield "Responsivitas terlapor", r.name, "Jatuh tempo", r.due
        yield "Responsivitas terlapor", r.name, "Dijawab tepat waktu", r.on_time
        yield "Responsivitas terlapor", r.name, "Persen tepat waktu", r.share
        yield "Responsivitas terlapor", r.name, "Median lama menjawab (hari)", r.median_days


# --- the queue filters behind the dashboard's numbers -----------------------------------------------------------


def queue_q(value: Callable[[str], str], today: dt.date) -> Q:
    """The queue's (``views_manage.filtered_cases``) filters that list a number of the SLA dashboard:
    ``status`` (terbuka / ditutup), ``umur`` (:data:`AGE_BUCKETS`), ``kantor`` (office id), ``pemeriksa``
    (examiner id), ``diterima`` and ``ditutup`` (YYYY-MM: received or closed that month). ``value(name)``
    is the cleaned value, empty when missing or refused."""
    q = Q()
    if status := value("status"):
        q &= Q(state=State.CLOSED) if status == "ditutup" else ~Q(state=State.CLOSED)
    if bucket := value("umur"):
        q &= age_q(bucket, today)
    if office := value("kantor"):
        q &= Q(office_id=int(office))
    if examiner := value("pemeriksa"):
        q &= Q(examiner_id=int(examiner))
    if received := value("diterima"):
        first = dt.date(int(received[:4]), int(received[5:7]), 1)
        q &= Q(received_on__gte=first, received_on__lt=month_start(first, -1))
    if closed := value("ditutup"):
        first = dt.date(int(closed[:4]), int(closed[5:7]), 1)
        q &= Q(closed_at__gte=local_midnight(first), closed_at__lt=local_midnight(month_start(first, -1)))
    return q


def queue_url(query: Mapping[str, str], **more: str) -> str:
    """The queue (``/kelola/laporan/``) with the filters ``query`` (and ``more``): the cases behind a number."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{reverse('complaint_manage:list')}?{urlencode({**query, **more})}"


def stamp(where: Where, today: dt.date) -> tuple[Any, ...]:
    """The key of what the numbers of ``where`` show (for the page and file caches): the generation of
    the cases and demands (``freshness``: any change to one forgets it), whose cases (the scope), ``today``
    (deadlines and ages move with the date) and the ranking's minimum. One cache read, no query."""
    return (freshness.token(), where.office_id, where.examiner_id, str(where.q), today.isoformat(),
            ranking_minimum())
