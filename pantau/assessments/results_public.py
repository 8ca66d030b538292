"""Public reads of published results (issue 8, "Results"): the published official periods, a
period's institutions ranked (``ranking.py``) with their zones, one institution's result with its
units, dimensions, corrections and trend (``trend.py``). Everything here reads only
``selectors_cycle.public_results`` — current, published results of published official periods —
plus the registry's plain rows; nothing a draft holds is ever shown.

Pages are cached by a stamp that changes only when results are published or corrected
(``index_stamp``): the newest ``changed_at`` of the published periods (publication and each
correction save the period) and their number. It never counts result rows: a cache hit costs
one query over the few published periods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pantau.assessments import ranking, results_stamp, scoring, services, trend
from pantau.assessments.methodology import Methodology
from pantau.assessments.models import MethodologyVersion, Period, Result
from pantau.assessments.selectors_cycle import public_results
from pantau.registry import selectors as registry

KINDS = {
    "kementerian": _("Kementerian"), "lembaga": _("Lembaga"), "pemprov": _("Pemerintah provinsi"),
    "pemkab": _("Pemerintah kabupaten"), "pemkot": _("Pemerintah kota"), "bumn": _("BUMN"), "bumd": _("BUMD"),
}
KIND_ORDER = {k: i for i, k in enumerate(KINDS)}
ZONE_NAMES = {"green": _("Hijau"), "yellow": _("Kuning"), "red": _("Merah")}
MOVES = {ranking.UP: "▲", ranking.DOWN: "▼", ranking.SAME: "=", ranking.NEW: _("baru"),
         ranking.NOT_COMPARABLE: _("tidak sebanding")}


def published_periods() -> QuerySet[Period]:
    """Newest first, with the methodology's row but not its document (``document()`` keeps the
    parsed document per process: a cached page must not decode it on every request)."""
    return (Period.objects.filter(kind=Period.Kind.OFFICIAL, status=Period.Status.PUBLISHED)
            .select_related("methodology_version__methodology").defer("methodology_version__document")
            .order_by("-year", "-pk"))


def period_of_year(year: int) -> Period | None:
    """The published official period of a year (the newest if a year had two)."""
    return published_periods().filter(year=year).first()


def index_stamp() -> tuple[Any, ...]:
    """Changes when a period is published or one of its results corrected (``results_stamp``)."""
    return results_stamp.stamp()


@lru_cache(maxsize=32)
def _document(pk: int, content_hash: str) -> Methodology:
    return services.document_of(MethodologyVersion.objects.select_related("methodology").get(pk=pk))


def document(version: MethodologyVersion) -> Methodology:
    """The period's methodology (frozen, so cached by its content hash)."""
    return _document(version.pk, version.content_hash)


def era_of(period: Period) -> str:
    return period.methodology_version.methodology.era


@dataclass(frozen=True)
class Row:
    """One institution of a period as the results table shows it."""

    entry: ranking.Entry
    province_name: str
    corrected: bool
    reason: str
    national: ranking.Ranked | None = None
    provincial: ranking.Ranked | None = None
    previous_score: Decimal | None = None  # the version before a correction
    regency: str = ""  # the regency's or city's code of a regional government, for the regency map
    regency_name: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.entry.kind, self.entry.kind))


def entries(period: Period) -> tuple[list[ranking.Entry], dict[int, dict[str, Any]]]:
    """The period's published institution results as ranking entries, and id → extra fields."""
    rows = list(public_results(period).filter(level=Result.Level.INSTITUTION)
                .values_list("institution_id", "score", "category", "zone", "version", "reason"))
    institutions = registry.institution_rows([r[0] for r in rows])
    provinces = registry.province_rows()
    regencies = registry.regency_rows({i["regency_id"] for i in institutions.values() if i.get("regency_id")})
    era = era_of(period)
    out, extra = [], {}
    for pk, score, category, zone, version, reason in rows:
        inst = institutions.get(pk, {})
        province = provinces.get(inst.get("province_id") or 0, {})
        out.append(ranking.Entry(pk, inst.get("name", str(pk)), inst.get("kind", ""), province.get("code", ""),
                                 score, category, zone, era))
        regency = regencies.get(inst.get("regency_id") or 0, {})
        extra[pk] = {"province_name": province.get("name", ""), "corrected": version > 1, "reason": reason,
                     "regency": regency.get("code", ""), "regency_name": regency.get("name", "")}
    return out, extra


def previous_period(period: Period) -> Period | None:
    return published_periods().filter(year__lt=period.year).first()


def previous_versions(period: Period, institution_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """Institution → its score before the latest correction (only corrected institutions)."""
    qs = Result.objects.filter(period=period, level=Result.Level.INSTITUTION, is_published=True, is_current=False)
    if institution_ids is not None:
        qs = qs.filter(institution_id__in=list(institution_ids))
    out: dict[int, tuple[int, Decimal]] = {}
    for pk, version, score in qs.values_list("institution_id", "version", "score"):
        if pk not in out or version > out[pk][0]:
            out[pk] = (version, score)
    return {pk: score for pk, (_v, score) in out.items()}


def ranked_rows(period: Period) -> tuple[list[Row], ranking.Rankings]:
    """Every institution of the period with its national and provincial rank and movement."""
    current, extra = entries(period)
    before = previous_period(period)
    previous = entries(before)[0] if before is not None else None
    rankings = ranking.rank(current, previous)
    national = {r.entry.institution: r for rk in rankings.national.values() for r in rk.rows}
    provincial = {r.entry.institution: r for rk in rankings.provincial.values() for r in rk.rows}
    old = previous_versions(period)
    rows = []
    for e in current:
        more = extra[int(e.institution)]
        rows.append(Row(e, more["province_name"], more["corrected"], more["reason"], national.get(e.institution),
                        provincial.get(e.institution), old.get(int(e.institution)), more["regency"],
                        more["regency_name"]))
    rows.sort(key=lambda r: (KIND_ORDER.get(r.entry.kind, 99), r.entry.kind, r.national.rank if r.national else 0,
                             r.entry.name.casefold(), str(r.entry.institution)))
    return rows, rankings


def province_zones(doc: Methodology, rows: Iterable[Row]) -> list[dict[str, Any]]:
    """Per province (of the rows shown): the number of institutions, their mean score and the zone
    of that mean (the methodology's bands), and the count per zone."""
    return _zones(doc, ((r.entry.province, r.province_name, r) for r in rows if r.entry.province))


def regency_zones(doc: Methodology, rows: Iterable[Row]) -> list[dict[str, Any]]:
    """The same per regency or city, for the institutions tied to one (its government, its OPD)."""
    return _zones(doc, ((r.regency, r.regency_name, r) for r in rows if r.regency))


def _zones(doc: Methodology, keyed: Iterable[tuple[str, str, Row]]) -> list[dict[str, Any]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    names: dict[str, str] = {}
    for code, name, row in keyed:
        grouped[code].append(row)
        names[code] = name
    out = []
    for code in sorted(grouped):
        members = grouped[code]
        mean = scoring.CONTEXT.divide(sum((r.entry.score for r in members), Decimal(0)), Decimal(len(members)))
        band = scoring.classify(doc, mean)
        counts = {z: sum(1 for r in members if r.entry.zone == z) for z in ranking.ZONES}
        out.append({"code": code, "name": names[code], "count": len(members),
                    "mean": scoring.publish(doc, "institution", mean).quantize(Decimal("0.01")),
                    "zone": band.zone.code, "zone_label": ZONE_NAMES.get(band.zone.code, band.zone.label),
                    "counts": counts})
    return out


def institution_result(period: Period, institution_id: int) -> Result | None:
    return (public_results(period).filter(level=Result.Level.INSTITUTION, institution_id=institution_id)
            .select_related("methodology_version__methodology").first())


def unit_results(period: Period, institution_id: int, sampled_unit: int | None = None) -> list[Result]:
    """The institution's unit results (or the one of ``sampled_unit``)."""
    qs = public_results(period).filter(level=Result.Level.UNIT, institution_id=institution_id)
    if sampled_unit is not None:
        qs = qs.filter(sampled_unit_id=sampled_unit)
    return list(qs.select_related("sampled_unit").order_by("key"))


def product_results(period: Period, institution_id: int, sampled_unit: int | None = None) -> dict[int, list[Result]]:
    """Sampled unit id → its products' results (era 1 scores products); only ``sampled_unit``'s when given."""
    out: dict[int, list[Result]] = defaultdict(list)
    qs = public_results(period).filter(level=Result.Level.PRODUCT, institution_id=institution_id)
    if sampled_unit is not None:
        qs = qs.filter(sampled_unit_id=sampled_unit)
    for r in qs.select_related("sampled_product").order_by("key"):
        out[r.sampled_unit_id or 0].append(r)
    return out


def institution_trend(institution_id: int) -> trend.Trend:
    """The institution's published scores over every published official period, in era segments."""
    rows = (public_results().filter(level=Result.Level.INSTITUTION, institution_id=institution_id)
            .values_list("period__year", "period_id", "score", "category", "zone",
                         "period__methodology_version__methodology__era",
                         "period__methodology_version__methodology__slug").order_by("period__year", "-period_id"))
    points: dict[int, trend.Point] = {}
    for year, _pk, score, category, zone, era, slug in rows:
        points.setdefault(year, trend.Point(year, score, category, zone, era, slug))
    return trend.trend(points.values())
