"""The complaint oversight numbers in the API (mounted under /api/complaints/stats/; issue 11), for an
office's own reporting: the same functions as the SLA dashboard and the statistics page (``stats``), so the
numbers are the page's.

- ``GET sla?office=&examiner=``: open cases by stage and examiner with the overdue and very overdue among
  them, the age of the open cases, received and closed per month.
- ``GET year?year=&office=``: the statistics of a calendar year.

Token (Ombudsman complaint staff of an office: their office; national staff: every office, or one).
Anyone else gets 404, as for an object outside their scope; a bad year or an office outside the user's
reach answers 422 with the message. No case, reporter or examiner's personal data is answered besides the
examiners' names on the SLA numbers (staff of the same office).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.params.functions import Query

from pantau.complaints import clock, stats
from pantau.complaints.due import thresholds
from pantau.complaints.messages import translate as tr
from pantau.core.apitools import TOKEN_READ_ERRORS
from pantau.core.apitools import token_user as _user

router = Router()
TAGS = ["complaints: oversight (token)"]
OFFICE: Any = Query(None, description="Only this office (national staff; office staff may name their own)")
EXAMINER: Any = Query(None, description="Only the cases of this examiner (user id)")
YEAR: Any = Query(None, description="Calendar year (default: this year)")


class CountOut(Schema):
    code: str
    label: str
    count: int


class SlaRowOut(Schema):
    key: str
    label: str
    open: int
    overdue: int
    very_overdue: int


class MonthOut(Schema):
    month: str
    received: int
    closed: int


class SlaOut(Schema):
    today: dt.date
    office_id: int | None
    examiner_id: int | None
    total: SlaRowOut
    stages: list[SlaRowOut]
    examiners: list[SlaRowOut]
    ageing: list[CountOut]
    months: list[MonthOut]


class MaladminOut(Schema):
    code: str
    label: str
    alleged: int
    found: int


class StageTimeOut(Schema):
    state: str
    label: str
    stays: int
    median_days: int | None
    p90_days: int | None


class ResponsivenessOut(Schema):
    institution_id: int
    name: str
    reports: int
    demands: int
    due: int
    on_time: int
    on_time_percent: float | None
    median_answer_days: int | None


class YearOut(Schema):
    year: int
    office_id: int | None
    received: int
    closed: int
    by_kind: list[CountOut]
    by_substance: list[CountOut]
    by_agency_group: list[CountOut]
    maladministration: list[MaladminOut]
    closure_stages: list[CountOut]
    closure_reasons: list[CountOut]
    time_in_stage: list[StageTimeOut]
    ranking_minimum_reports: int
    ranking: list[ResponsivenessOut]


def _where(request: HttpRequest, office: Any, examiner: Any = None, *, own: bool = True) -> stats.Where:
    user = _user(request)
    if not stats.may_see_stats(user):
        raise HttpError(404, "Not found")
    try:
        return stats.where_for(user, office, examiner, own=own)
    except stats.ScopeError as error:
        raise HttpError(422, str(error)) from error


def _row(row: stats.SlaRow) -> dict[str, Any]:
    return {"key": row.key, "label": tr(str(row.label)), "open": row.total, "overdue": row.overdue,
            "very_overdue": row.very_overdue}


def _counts(rows: list[stats.Tally]) -> list[dict[str, Any]]:
    return [{"code": r.code, "label": tr(str(r.label)), "count": r.count} for r in rows]


@router.get("/sla", response={200: SlaOut, **TOKEN_READ_ERRORS}, tags=TAGS)
def my_stats_sla(request: HttpRequest, office: str | None = OFFICE, examiner: str | None = EXAMINER) -> Any:
    """The SLA numbers of the token user's scope (an examiner with no other complaint role: their own)."""
    where = _where(request, office, examiner)
    data = stats.sla(where, thresholds(clock.today(), clock.calendar()))
    return {"today": data.today, "office_id": where.office_id, "examiner_id": where.examiner_id,
            "total": _row(data.total), "stages": [_row(r) for r in data.stages],
            "examiners": [_row(r) for r in data.examiners], "ageing": _counts(data.ageing),
            "months": [{"month": m.month.strftime("%Y-%m"), "received": m.received, "closed": m.closed}
                       for m in data.months]}


@router.get("/year", response={200: YearOut, **TOKEN_READ_ERRORS}, tags=TAGS)
def my_stats_year(request: HttpRequest, year: str | None = YEAR, office: str | None = OFFICE) -> Any:
    """The statistics of a calendar year of the token user's offices (the statistics page's numbers)."""
    where = _where(request, office, own=False)
    today = clock.today()
    try:
        chosen = stats.parse_year(year, today)
    except stats.ScopeError as error:
        raise HttpError(422, str(error)) from error
    data = stats.statistics(where, chosen, today)
    return {
        "year": data.year, "office_id": where.office_id, "received": data.received, "closed": data.closed,
        "by_kind": _counts(data.by_kind), "by_substance": _counts(data.by_substance),
        "by_agency_group": _counts(data.by_group),
        "maladministration": [{"code": m.code, "label": tr(m.label), "alleged": m.alleged, "found": m.found}
                              for m in data.maladministration],
        "closure_stages": _counts(data.closure_stages), "closure_reasons": _counts(data.closure_reasons),
        "time_in_stage": [{"state": t.state, "label": tr(t.label), "stays": t.stays, "median_days": t.median,
                           "p90_days": t.p90} for t in data.stage_times],
        "ranking_minimum_reports": data.ranking_minimum,
        "ranking": [{"institution_id": r.institution_id, "name": r.name, "reports": r.reports,
                     "demands": r.demands, "due": r.due, "on_time": r.on_time, "on_time_percent": r.share,
                     "median_answer_days": r.median_days} for r in data.ranking],
    }
