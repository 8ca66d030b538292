"""The oversight pages of complaints (issue 11): the SLA dashboard and the statistics of a year, with their
XLSX/CSV export. Numbers come from ``stats`` (grouped queries over the user's scope); every number of the
dashboard links to the queue filtered to the cases behind it.

- ``GET /kelola/laporan/sla/?kantor=&pemeriksa=``: open cases by stage and examiner, overdue and very
  overdue, ageing, received and closed per month. An examiner with no other complaint role sees their own.
- ``GET /kelola/laporan/statistik/?tahun=&kantor=``: the statistics (``stats.statistics``).

Both pages are kept by ``render_cached`` under ``stats.stamp``: the generation every change to a case or a
demand forgets (``freshness``), the scope and the date; the dashboard for five minutes at most.
- ``GET /kelola/laporan/statistik.csv`` and ``statistik.xlsx``: the same numbers as a file.

Who: Ombudsman complaint staff of an office (their office) and national staff (every office, or one);
never provider staff. A bad year or an office outside the user's reach answers 400 with a message.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pantau.complaints import clock, freshness, stats, stats_export
from pantau.complaints.due import thresholds
from pantau.complaints.messages import translate as tr
from pantau.core.access import access
from pantau.core.pagecache import Uncached, cached_bytes, render_cached
from pantau.reports.xlsx import XLSX_CONTENT_TYPE

SLA_TEMPLATE = "complaints/stats/sla.html"
STATS_TEMPLATE = "complaints/stats/statistics.html"
ERROR_TEMPLATE = "complaints/stats/error.html"
CHART_TEMPLATES = ("complaints/stats/_chart.html",)


def _refused(request: HttpRequest, error: stats.ScopeError) -> HttpResponse:
    return render(request, ERROR_TEMPLATE, {"error": str(error)}, status=400)


@require_GET
@access(stats.may_see_stats)
def sla_dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    try:
        where = stats.where_for(user, request.GET.get("kantor"), request.GET.get("pemeriksa"))
    except stats.ScopeError as error:
        return _refused(request, error)
    today = clock.today()

    def context() -> dict[str, Any]:
        data = stats.sla(where, thresholds(today, clock.calendar()))
        return {
            "sla": data, "offices": stats.office_choices(user), "own": stats.examiner_only(user),
            "national": stats.is_national(user),
            "stage_chart": {"labels": [tr(str(r.label)) for r in data.stages],
                            "series": [{"name": _("Terbuka"), "values": [r.total for r in data.stages]},
                                       {"name": _("Terlambat"), "values": [r.overdue for r in data.stages]},
                                       {"name": _("Sangat terlambat"),
                                        "values": [r.very_overdue for r in data.stages]}]},
            "month_chart": {"labels": [m.month.strftime("%Y-%m") for m in data.months],
                            "series": [{"name": _("Diterima"), "values": [m.received for m in data.months]},
                                       {"name": _("Ditutup"), "values": [m.closed for m in data.months]}]},
        }

    # Kept per viewer until a case or demand changes (``freshness``), the date moves, or five minutes pass.
    return render_cached(request, SLA_TEMPLATE, context, parts=("complaint-sla", stats.stamp(where, today)),
                         templates=CHART_TEMPLATES, seconds=freshness.SLA_SECONDS)


def _where_and_year(request: HttpRequest) -> tuple[stats.Where, int]:
    where = stats.where_for(request.user, request.GET.get("kantor"), own=False)
    return where, stats.parse_year(request.GET.get("tahun"), clock.today())


def _charts(data: stats.Statistics) -> dict[str, Any]:
    def bars(rows: list[stats.Tally]) -> dict[str, Any]:
        return {"labels": [tr(str(r.label)) for r in rows],
                "series": [{"name": _("Jumlah"), "values": [r.count for r in rows]}]}

    return {
        "kind_chart": bars(data.by_kind), "substance_chart": bars(data.by_substance),
        "group_chart": bars(data.by_group), "stage_chart": bars(data.closure_stages),
        "maladmin_chart": {"labels": [tr(m.label) for m in data.maladministration], "series": [
            {"name": _("Dugaan"), "values": [m.alleged for m in data.maladministration]},
            {"name": _("Ditemukan"), "values": [m.found for m in data.maladministration]}]},
        "time_chart": {"labels": [tr(t.label) for t in data.stage_times], "series": [
            {"name": _("Median"), "values": [t.median for t in data.stage_times]},
            {"name": _("Persentil ke-90"), "values": [t.p90 for t in data.stage_times]}]},
    }


@require_GET
@access(stats.may_see_stats)
def statistics_page(request: HttpRequest) -> HttpResponse:
    try:
        where, year = _where_and_year(request)
    except stats.ScopeError as error:
        return _refused(request, error)
    today = clock.today()

    def context() -> dict[str, Any] | Uncached:
        data = stats.statistics(where, year, today)
        return {"stats": data, "offices": stats.office_choices(request.user),
                "national": stats.is_national(request.user), "years": list(range(today.year, today.year - 6, -1)),
                **_charts(data)}

    return render_cached(request, STATS_TEMPLATE, context, parts=("complaint-stats", stats.stamp(where, today)),
                         templates=CHART_TEMPLATES)


@require_GET
@access(stats.may_see_stats)
def statistics_export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        where, year = _where_and_year(request)
    except stats.ScopeError as error:
        return _refused(request, error)
    today = clock.today()

    def make() -> bytes:
        data = stats.statistics(where, year, today)
        return (stats_export.csv_bytes if fmt == "csv" else stats_export.xlsx_bytes)(data)

    viewer = (stats.is_national(request.user), tuple(stats.stats_offices(request.user)))
    body, _state = cached_bytes(("complaint-stats", fmt, year, where.office_id, viewer, get_language(),
                                 stats.stamp(where, today)), make)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stats_export.filename(year, where, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
