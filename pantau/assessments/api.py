"""Assessments API (mounted at /api/assessments/): the stored methodology versions, public.

Only what the public pages show: never who loaded a version. Numbers of a methodology (weights,
points, bands) are strings with their exact decimals (``"21.85"``), so no JSON reader turns them
into binary floats.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.params.functions import Path

from pantau.assessments import selectors, services
from pantau.assessments.methodology import Item, Methodology
from pantau.assessments.models import SLUG_CHARS, VERSION_CHARS, MethodologyVersion
from pantau.core.apitools import PUBLIC_READ, READ_ERRORS, Pagination

router = Router()
TAGS = ["assessments: public"]

SLUG: Any = Path(..., max_length=SLUG_CHARS, pattern=r"^[a-z0-9][a-z0-9-]*$",
                 description="Methodology id, e.g. ombudsman-2022")
VERSION: Any = Path(..., max_length=VERSION_CHARS, description="Version, e.g. 1.0")


def _number(value: Decimal) -> str:
    return str(value)


class _VersionFields(Schema):
    id: str = Field(description="Methodology id, e.g. ombudsman-2022")
    version: str
    title: str
    era: str
    official: bool = Field(description="An Ombudsman methodology (false: a copy or a self-assessment file)")
    is_custom: bool = Field(description="An editable copy made in Pantau (for self-assessment)")
    copied_from: str | None = Field(description="id@version of the version it was copied from")
    content_hash: str = Field(description="sha-256 of the document's canonical JSON")
    loaded_at: dt.datetime
    frozen_at: dt.datetime | None = Field(description="Since when its document can never change (null: not yet)")
    url: str = Field(description="The public page of this version")


class MethodologyVersionSummaryOut(_VersionFields):
    @staticmethod
    def resolve_id(obj: MethodologyVersion) -> str:
        return obj.methodology.slug

    @staticmethod
    def resolve_era(obj: MethodologyVersion) -> str:
        return obj.methodology.era

    @staticmethod
    def resolve_copied_from(obj: MethodologyVersion) -> str | None:
        source = obj.copied_from
        return None if source is None else f"{source.methodology.slug}@{source.version}"

    @staticmethod
    def resolve_url(obj: MethodologyVersion, context: Any) -> str:
        path = reverse("assessments:methodology_version", args=[obj.methodology.slug, obj.version])
        request = (context or {}).get("request")
        return request.build_absolute_uri(path) if request is not None else path


class MethodologyItemOut(Schema):
    code: str
    text: str
    answer: str = Field(description="yes-no, partial, ordinal or numeric")
    level: str = Field(description="Where it is answered: unit or product")
    points: list[str] = Field(description="The allowed values (empty for numeric)")
    labels: list[str]
    minimum: str
    maximum: str
    weight: str
    methods: list[str] = Field(description="Who answers it: observation, document, interview")
    respondent: str
    evidence: list[str] = Field(description="What must be attached: photo, document, url, note")
    na_allowed: bool = Field(description="May be answered N/A (with a reason)")
    derived: bool = Field(description="Not listed by the published sources; derived from the law it names")
    derived_from: list[str]
    source: str


class MethodologyVariableOut(Schema):
    code: str
    title: str
    items: list[MethodologyItemOut]


class MethodologyDimensionOut(Schema):
    code: str
    title: str
    weight: str = Field(description="As written in the file")
    points: str = Field(description="The weight on the 0–100 scale")
    variables: list[MethodologyVariableOut]


class MethodologyCategoryOut(Schema):
    code: str
    label: str
    minimum: str
    maximum: str
    zone: str = Field(description="green, yellow or red")
    zone_label: str


class MethodologyAggregationOut(Schema):
    scored_level: str
    institution_from: str
    rounding: str
    decimals: int
    round_at: list[str]


class MethodologyScaleOut(Schema):
    name: str
    points: list[str]
    labels: list[str]


class MethodologyVersionOut(_VersionFields):
    description: str
    based_on: str
    sources: list[str]
    levels: list[str]
    weights: str = Field(description="points (dimension weights sum to 100) or fraction (they sum to 1)")
    aggregation: MethodologyAggregationOut
    scales: list[MethodologyScaleOut]
    categories: list[MethodologyCategoryOut]
    dimensions: list[MethodologyDimensionOut]


def _item(i: Item) -> dict[str, Any]:
    return {"code": i.code, "text": i.text, "answer": i.answer, "level": i.level,
            "points": [_number(p) for p in i.points], "labels": list(i.labels), "minimum": _number(i.minimum),
            "maximum": _number(i.maximum), "weight": _number(i.weight), "methods": list(i.methods),
            "respondent": i.respondent, "evidence": list(i.evidence), "na_allowed": i.na_allowed,
            "derived": i.derived, "derived_from": list(i.derived_from), "source": i.source}


def document_answer(document: Methodology) -> dict[str, Any]:
    """The document's part of ``MethodologyVersionOut``."""
    agg = document.aggregation
    return {
        "description": document.description, "based_on": document.based_on, "sources": list(document.sources),
        "levels": list(document.levels), "weights": document.weights,
        "aggregation": {"scored_level": agg.scored_level, "institution_from": agg.institution_from,
                        "rounding": agg.rounding, "decimals": agg.decimals, "round_at": list(agg.round_at)},
        "scales": [{"name": s.name, "points": [_number(p) for p in s.points], "labels": list(s.labels)}
                   for s in document.scales],
        "categories": [{"code": b.code, "label": b.label, "minimum": f"{b.minimum:.{agg.decimals}f}",
                        "maximum": f"{b.maximum:.{agg.decimals}f}", "zone": b.zone.code, "zone_label": b.zone.label}
                       for b in document.categories],
        "dimensions": [{"code": d.code, "title": d.title, "weight": _number(d.weight), "points": _number(d.points),
                        "variables": [{"code": v.code, "title": v.title, "items": [_item(i) for i in v.items]}
                                      for v in d.variables]}
                       for d in document.dimensions],
    }


@router.get("/methodologies", response={200: list[MethodologyVersionSummaryOut], **READ_ERRORS}, tags=TAGS,
            auth=PUBLIC_READ)
@paginate(Pagination)
def methodologies(request: HttpRequest) -> Any:
    """The stored methodology versions (Ombudsman methodologies of each era and copies for
    self-assessment), by id and then in the order they were stored."""
    return selectors.public_versions()


@router.get("/methodologies/{slug}/{version}", response={200: MethodologyVersionOut, **READ_ERRORS}, tags=TAGS,
            auth=PUBLIC_READ)
def methodology_version(request: HttpRequest, slug: str = SLUG, version: str = VERSION) -> Any:
    """One version in full: dimensions with weights, variables, items (answer type, scale, who
    answers, evidence, derived or sourced), aggregation and rounding, categories and zones."""
    stored = selectors.public_version(slug, version)
    if stored is None:
        raise Http404
    s = MethodologyVersionSummaryOut
    summary = {"id": s.resolve_id(stored), "version": stored.version, "title": stored.title,
               "era": s.resolve_era(stored), "official": stored.official, "is_custom": stored.is_custom,
               "copied_from": s.resolve_copied_from(stored), "content_hash": stored.content_hash,
               "loaded_at": stored.loaded_at, "frozen_at": stored.frozen_at,
               "url": s.resolve_url(stored, {"request": request})}
    return {**summary, **document_answer(services.document_of(stored))}


# Published results (periods, results, rankings): their own module, the same tag prefix.
from pantau.assessments.api_results import router as results_router  # noqa: E402

router.add_router("", results_router)
