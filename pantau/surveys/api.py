"""Surveys in the API (mounted under /api/surveys/; issue 9).

- Public read: a unit's published survey results (what its public page shows), newest first.
- Token reads (``my_…``): the campaigns of the units in the token user's scope, each with its live
  result from the tallies.
- Token write: a response keyed in or collected by another tool (channel ``api``), idempotent by
  ``client_token`` like the public form; only for users who may edit the campaign's unit.
Numbers of the index are strings with their exact decimals (``"91.48"``).
"""


import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.params.functions import Path, Query
from ninja.responses import Status

from pantau.core.apitools import MAX_ID, PUBLIC_READ, READ_ERRORS, TOKEN_READ_ERRORS, WRITE_ERRORS, Pagination, StrictIn
from pantau.core.apitools import token_user as _user
from pantau.core.errors import NotInScope
from pantau.registry.models import ServiceUnit
from pantau.surveys import results, selectors, services
from pantau.surveys.models import Channel

router = Router()
TAGS = ["surveys"]
ID: Any = Path(..., ge=1, le=MAX_ID, description="Id")


class CampaignOut(Schema):
    id: int
    title: str
    unit_id: int | None
    institution_id: int
    questionnaire: str = Field(description="Questionnaire id and version, e.g. skm-2017@1")
    kind: str = Field(description="ikm or perception")
    period_start: dt.date
    period_end: dt.date
    state: str = Field(description="draft, open, closed or published")
    population: int | None = Field(description="Service users of the previous period (N)")

    @staticmethod
    def resolve_questionnaire(obj: Any) -> str:
        if isinstance(obj, dict):
            return str(obj["questionnaire"])
        return f"{obj.version.questionnaire.slug}@{obj.version.number}"

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj["kind"] if isinstance(obj, dict) else obj.version.questionnaire.kind)


class CampaignDetailOut(CampaignOut):
    public_url: str = Field(description="The public form (open campaigns)")
    result: dict[str, Any] = Field(description=(
        "The live result from the tallies: complete, partial, response_rate, index {value, mutu, label, ci, "
        "elements}, minimum_sample, services, breakdowns, post_stratified (numbers as strings)"))


class PublishedOut(Schema):
    campaign_id: int
    title: str
    period_start: dt.date
    period_end: dt.date
    published_at: dt.datetime | None
    result: dict[str, Any] = Field(description="As published (numbers as strings with their decimals)")


class ResponseIn(StrictIn):
    client_token: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                              description="Your id of this questionnaire: sending it again stores nothing new")
    answers: dict[str, int | None] = Field(description="Element code → 1–4 (perception: 1 Ya, 2 Tidak, 3 Tidak tahu)")
    profile: dict[str, str | int | list[str] | None] = Field(
        default_factory=dict, description="Respondent fields by code (layanan = product id)")
    suggestion: str = Field("", max_length=1000)
    complete: bool = Field(True, description="False: a partial response (never counted in the index)")


class ResponseOut(Schema):
    id: int
    created: bool = Field(description="False when this client_token was already stored")
    complete: bool


@router.get("/units/{unit_id}/results", response={200: list[PublishedOut], **READ_ERRORS}, tags=TAGS,
            auth=PUBLIC_READ)
def unit_results(request: HttpRequest, unit_id: int = ID) -> Any:
    """A unit's published survey results, newest period first (at most 20)."""
    get_object_or_404(ServiceUnit, pk=unit_id, is_active=True)
    return [{"campaign_id": c.pk, "title": c.title, "period_start": c.period_start, "period_end": c.period_end,
             "published_at": c.published_at, "result": c.result or {}}
            for c in selectors.published_for_unit(unit_id)]


@router.get("/my/campaigns", response={200: list[CampaignOut], **TOKEN_READ_ERRORS}, tags=TAGS)
@paginate(Pagination)
def my_campaigns(request: HttpRequest,
                 unit: int | None = Query(None, ge=1, le=MAX_ID, description="Only this unit's campaigns"),
                 state: Literal["draft", "open", "closed", "published"] | None = Query(
                     None, description="Only campaigns in this state")) -> Any:
    """The campaigns of the units in the token user's scope, newest first."""
    qs = selectors.campaigns_for(_user(request)).select_related("version__questionnaire").order_by("-pk")
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if state is not None:
        qs = qs.filter(state=state)
    return qs


@router.get("/my/campaigns/{pk}", response={200: CampaignDetailOut, **TOKEN_READ_ERRORS}, tags=TAGS)
def my_campaign(request: HttpRequest, pk: int = ID) -> Any:
    """One campaign with its live result (from the tallies; partial responses never counted)."""
    campaign = selectors.campaigns_for(_user(request)).select_related("version__questionnaire").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    data = {name: getattr(campaign, name) for name in ("id", "title", "unit_id", "institution_id", "period_start",
                                                       "period_end", "state", "population")}
    return {**data, "questionnaire": CampaignOut.resolve_questionnaire(campaign),
            "kind": CampaignOut.resolve_kind(campaign), "public_url": selectors.public_link(campaign),
            "result": results.published_result(results.campaign_result(campaign))}


@router.post("/my/campaigns/{pk}/responses", response={200: ResponseOut, 201: ResponseOut, **WRITE_ERRORS},
             tags=TAGS)
@transaction.atomic
def response_submit(request: HttpRequest, payload: ResponseIn, pk: int = ID) -> Any:
    """Store a response collected elsewhere (channel ``api``). 201 when stored, 200 when this
    client_token was already stored (nothing changes), 422 with the reason when refused."""
    user = _user(request)
    campaign = selectors.campaigns_for(user).select_related("unit", "version").filter(pk=pk).first()
    if campaign is None or not services.can_manage(user, campaign):
        raise NotInScope
    try:
        response, created = services.response_submit(
            campaign=campaign, client_token=payload.client_token, answers=payload.answers, profile=payload.profile,
            suggestion=payload.suggestion, complete=payload.complete, channel=Channel.API, actor=user)
    except services.Rejected as exc:
        raise ValidationError(str(exc)) from None
    return Status(201 if created else 200, {"id": response.pk, "created": created, "complete": response.complete})
