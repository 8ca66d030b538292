"""Published assessment results in the API (mounted under /api/assessments/; issue 8, "Results").

Public reads, no token: the published official periods, their institution results (a cursor
list), one institution's result with its units, products, breakdown and earlier versions, and the
rankings of one kind nationally or within a province. Only what the public pages show: current,
published results of published official periods (``selectors_cycle.public_results``). Scores are
strings with their exact decimals (``"95.45"``); a breakdown is the scoring ``Step`` tree, every
number a string.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.params.functions import Path, Query

from pantau.assessments import ranking
from pantau.assessments import results_public as rp
from pantau.assessments.models import Period, Result
from pantau.assessments.selectors_cycle import public_results
from pantau.core.apitools import PUBLIC_READ, READ_ERRORS, Pagination
from pantau.registry import selectors as registry

router = Router()
TAGS = ["assessments: results"]

YEAR: Any = Path(..., ge=2000, le=2100, description="The period's year, e.g. 2022")
INSTITUTION: Any = Path(..., ge=1, le=2**63 - 1, description="Institution id")
KIND: Any = Path(..., pattern=r"^[a-z]{2,12}$", description="Institution kind: " + ", ".join(rp.KINDS))
PROVINCE: Any = Query(None, pattern=r"^\d{2}$", description="Province code (e.g. 63): the ranking within it")


def _absolute(context: Any, path: str) -> str:
    """``path`` as an absolute address (the request comes directly, or in a schema's context)."""
    request = context.get("request") if isinstance(context, dict) else context
    return request.build_absolute_uri(path) if request is not None else path


class AssessmentPeriodOut(Schema):
    id: int
    year: int
    title: str
    methodology: str = Field(description="id@version of the frozen methodology version it used")
    era: str = Field(description="The methodology's era; scores of different eras are never compared")
    publication_date: dt.date
    url: str = Field(description="The public results page")
    results_url: str = Field(description="The institution results of this period (this API)")

    @staticmethod
    def resolve_methodology(obj: Period) -> str:
        return f"{obj.methodology_version.methodology.slug}@{obj.methodology_version.version}"

    @staticmethod
    def resolve_era(obj: Period) -> str:
        return obj.methodology_version.methodology.era

    @staticmethod
    def resolve_url(obj: Period, context: Any) -> str:
        return _absolute(context, reverse("results:period", args=[obj.year]))

    @staticmethod
    def resolve_results_url(obj: Period, context: Any) -> str:
        return _absolute(context, f"/api/assessments/periods/{obj.year}/results")


class PublishedResultOut(Schema):
    institution_id: int
    institution: str
    kind: str
    province: str = Field(description="Province code; empty for a ministry or an agency")
    score: str = Field(description="As published (2 decimals)")
    category: str
    category_label: str
    zone: str = Field(description="green, yellow or red")
    version: int = Field(description="1, or the number of the correction")
    corrected: bool
    reason: str = Field(description="Why it was corrected (empty for version 1)")
    published_at: dt.datetime | None

    # The list pages rows read with ``values()``; the detail gives these fields already made.
    @staticmethod
    def resolve_institution(obj: Any) -> str:
        return str(obj["institution"] if "institution" in obj else obj["institution__name"])

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj["kind"] if "kind" in obj else obj["institution__kind"])

    @staticmethod
    def resolve_province(obj: Any) -> str:
        return str(obj["province"] if "province" in obj else obj["institution__province__code"] or "")

    @staticmethod
    def resolve_score(obj: Any) -> str:
        return str(obj["score"])

    @staticmethod
    def resolve_corrected(obj: Any) -> bool:
        return bool(obj["version"] > 1)


def _result_out(row: Any) -> dict[str, Any]:
    return {"institution_id": row["institution_id"], "institution": row["institution__name"],
            "kind": row["institution__kind"], "province": row["institution__province__code"] or "",
            "score": str(row["score"]), "category": row["category"], "category_label": row["category_label"],
            "zone": row["zone"], "version": row["version"], "corrected": row["version"] > 1,
            "reason": row["reason"], "published_at": row["published_at"]}


class ResultVersionOut(Schema):
    version: int
    score: str
    category: str
    zone: str
    current: bool
    reason: str
    published_at: dt.datetime | None


class PublishedProductResultOut(Schema):
    product_id: int | None
    score: str
    exact: str = Field(description="The exact Decimal scoring made (recomputes bit for bit)")
    category: str
    zone: str
    breakdown: dict[str, Any]


class PublishedUnitResultOut(Schema):
    unit_id: int | None
    name: str
    score: str
    exact: str
    category: str
    zone: str
    breakdown: dict[str, Any] = Field(description="How the score was made: {name, value, formula, parts}")
    products: list[PublishedProductResultOut]


class PublishedResultDetailOut(PublishedResultOut):
    exact: str
    methodology: str
    breakdown: dict[str, Any] = Field(description="How the score was made: {name, value, formula, parts}")
    units: list[PublishedUnitResultOut]
    versions: list[ResultVersionOut] = Field(description="Every published version, oldest first")
    rapor_url: str


class ZoneShareOut(Schema):
    zone: str
    count: int
    percent: str


class RankedInstitutionOut(Schema):
    rank: int
    tied: bool
    institution_id: int
    institution: str
    province: str
    score: str
    category: str
    zone: str
    movement: str | None = Field(description="up, down, same, new or not-comparable (null: no previous period)")
    places: int | None = Field(description="Places moved up (negative: down); null unless comparable")
    previous_rank: int | None


class AssessmentRankingOut(Schema):
    year: int
    kind: str
    province: str = Field(description="Empty: the national ranking")
    previous_year: int | None = Field(description="The period movement is measured against")
    total: int
    zones: list[ZoneShareOut]
    rows: list[RankedInstitutionOut]


def _period(year: int) -> Period:
    period = rp.period_of_year(year)
    if period is None:
        raise Http404
    return period


@router.get("/periods", response={200: list[AssessmentPeriodOut], **READ_ERRORS}, tags=TAGS, auth=PUBLIC_READ)
@paginate(Pagination)
def periods(request: HttpRequest) -> Any:
    """The published official assessment periods, newest first."""
    return rp.published_periods()



@router.get("/periods/{year}/results", response={200: list[PublishedResultOut], **READ_ERRORS}, tags=TAGS,
            auth=PUBLIC_READ)
@paginate(Pagination)
def period_results(request: HttpRequest, year: int = YEAR) -> Any:
    """The period's published institution results, by institution id."""
    return (public_results(_period(year)).filter(level=Result.Level.INSTITUTION).order_by("institution_id", "pk")
            .values("pk", "institution_id", "institution__name", "institution__kind", "institution__province__code",
                    "score", "category", "category_label", "zone", "version", "reason", "published_at"))


@router.get("/periods/{year}/results/{institution_id}", response={200: PublishedResultDetailOut, **READ_ERRORS},
            tags=TAGS, auth=PUBLIC_READ)
def institution_result(request: HttpRequest, year: int = YEAR, institution_id: int = INSTITUTION) -> Any:
    """One institution's published result: the breakdown of every number, its units (and, in the
    2016–2021 era, products) with theirs, and every published version (corrections)."""
    period = _period(year)
    row = (public_results(period).filter(level=Result.Level.INSTITUTION, institution_id=institution_id)
           .values("pk", "institution_id", "institution__name", "institution__kind", "institution__province__code",
                   "score", "category", "category_label", "zone", "version", "reason", "published_at", "exact",
                   "breakdown", "key").first())
    if row is None:
        raise Http404
    units = rp.unit_results(period, institution_id)
    products = rp.product_results(period, institution_id)
    names = {u["id"]: u["name"] for u in registry.unit_rows(
        {u.sampled_unit.unit_id for u in units if u.sampled_unit}).values()}
    versions = (Result.objects.filter(period=period, key=row["key"], is_published=True).order_by("version")
                .values_list("version", "score", "category", "zone", "is_current", "reason", "published_at"))
    version = period.methodology_version
    return {
        **_result_out(row), "exact": row["exact"], "breakdown": row["breakdown"],
        "methodology": f"{version.methodology.slug}@{version.version}",
        "units": [{"unit_id": u.sampled_unit.unit_id if u.sampled_unit else None,
                   "name": names.get(u.sampled_unit.unit_id, "") if u.sampled_unit else "",
                   "score": str(u.score), "exact": u.exact, "category": u.category, "zone": u.zone,
                   "breakdown": u.breakdown,
                   "products": [{"product_id": p.sampled_product.product_id if p.sampled_product else None,
                                 "score": str(p.score), "exact": p.exact, "category": p.category, "zone": p.zone,
                                 "breakdown": p.breakdown} for p in products.get(u.sampled_unit_id or 0, [])]}
                  for u in units],
        "versions": [{"version": v, "score": str(s), "category": c, "zone": z, "current": cur, "reason": r,
                      "published_at": at} for v, s, c, z, cur, r, at in versions],
        "rapor_url": _absolute(request, reverse("results:rapor", args=[year, institution_id])),
    }


@router.get("/periods/{year}/rankings/{kind}", response={200: AssessmentRankingOut, **READ_ERRORS}, tags=TAGS,
            auth=PUBLIC_READ)
def rankings(request: HttpRequest, year: int = YEAR, kind: str = KIND, province: str | None = PROVINCE) -> Any:
    """The ranking of one kind of institution, nationally or within a province: standard
    competition ranks on the published score (ties share a rank), the movement since the previous
    published period ("not-comparable" across methodology eras), and the zone distribution."""
    if kind not in rp.KINDS:
        raise HttpError(422, _("kind: jenis instansi tidak dikenal; pakai salah satu dari %(kinds)s.")
                        % {"kinds": ", ".join(rp.KINDS)})
    period = _period(year)
    _rows, ranks = rp.ranked_rows(period)
    scope = ranks.national.get(kind) if not province else ranks.provincial.get((province, kind))
    before = rp.previous_period(period)
    ranked = scope.rows if scope is not None else ()
    zones = scope.zones if scope is not None else ranking.zone_shares(())
    return {
        "year": period.year, "kind": kind, "province": province or "",
        "previous_year": before.year if before else None, "total": len(ranked),
        "zones": [{"zone": s.code, "count": s.count, "percent": str(s.percent)} for s in zones],
        "rows": [{"rank": r.rank, "tied": r.tied, "institution_id": int(r.entry.institution),
                  "institution": r.entry.name, "province": r.entry.province, "score": str(r.score),
                  "category": r.entry.category, "zone": r.entry.zone,
                  "movement": r.movement.kind if r.movement else None,
                  "places": r.movement.places if r.movement else None,
                  "previous_rank": r.movement.previous_rank if r.movement else None} for r in ranked],
    }
