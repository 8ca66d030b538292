"""Scoped reads of surveys. Staff see the campaigns of the units their scope covers (the registry's
``units_for``); the public sees open campaigns by their token and published results only. Other
modules read survey figures through ``latest_ikm`` and ``perception_scores``, never the models."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from pantau.core import cachegen
from pantau.registry.selectors import institutions_for, units_for
from pantau.surveys.models import Campaign, FollowUp, Kind


def public_link(campaign: Campaign, source: str = "", product_id: int | None = None) -> str:
    """The campaign's public form address (``src=qr`` marks the channel, ``layanan`` preselects a service)."""
    url = settings.SITE_URL + reverse("surveys:form", args=[campaign.public_token])
    query = [f"src={source}"] if source else []
    if product_id:
        query.append(f"layanan={product_id}")
    return url + ("?" + "&".join(query) if query else "")


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    """The campaigns of the units the user's scope covers, and those of whole institutions it covers."""
    return Campaign.objects.filter(Q(unit__in=units_for(user).values("pk"))
                                   | Q(unit=None, institution__in=institutions_for(user).values("pk")))


# The generation of what the public sees of surveys: every campaign write forgets it
# (``panels.forget_public``).
PUBLIC_GENERATION = "surveys-public"
# How long a process keeps a public campaign it read (the shared cache: until a campaign is
# written; the per-process default: a unit deactivated in another process is seen this late).
PUBLIC_CAMPAIGN_SECONDS = 60


def public_campaign(token: str) -> Campaign | None:
    """An open, closed or published campaign by its public token (drafts are nobody's business),
    with its services' product ids read; kept in the cache until a campaign is written
    (``panels.forget_public``), so a submission reads no campaign row through the ORM. Whether it
    still takes responses is checked again inside the write (``services.response_submit``)."""
    if not token or len(token) > 20 or not token.replace("-", "").replace("_", "").isalnum():
        return None
    def read() -> Campaign | bool:
        found = (Campaign.objects.select_related("version__questionnaire", "unit", "institution")
                 .defer("version__document", "result")
                 .exclude(state=Campaign.State.DRAFT).filter(Q(unit=None) | Q(unit__is_active=True),
                                                             public_token=token).first())
        if found is None:
            return False
        service_ids(found)
        return found

    _generation, kept = cachegen.kept(f"survey:campaign:{token}", PUBLIC_GENERATION,
                                      PUBLIC_CAMPAIGN_SECONDS, read)
    return kept or None


def service_ids(campaign: Campaign) -> frozenset[int]:
    """The campaign's product ids (read once per campaign object: an import checks many rows)."""
    cached: frozenset[int] | None = getattr(campaign, "_service_ids", None)
    if cached is None:
        cached = frozenset(campaign.services.values_list("product_id", flat=True))
        campaign._service_ids = cached  # type: ignore[attr-defined]
    return cached


def _newest(state: str, limit: int, **owner: Any) -> list[Campaign]:
    return list(Campaign.objects.select_related("version__questionnaire").filter(state=state, **owner)
                .order_by("-period_end", "-pk")[:limit])


def published_for_unit(unit_id: int, limit: int = 20) -> list[Campaign]:
    """The unit's published campaigns, newest period first (their results are stored)."""
    return _newest(Campaign.State.PUBLISHED, limit, unit_id=unit_id)


def open_campaigns_for_unit(unit_id: int) -> list[Campaign]:
    return _newest(Campaign.State.OPEN, 5, unit_id=unit_id)


def published_for_institution(institution_id: int, limit: int = 20) -> list[Campaign]:
    """The published campaigns of the institution as a whole (no unit), newest period first."""
    return _newest(Campaign.State.PUBLISHED, limit, unit=None, institution_id=institution_id)


def open_campaigns_for_institution(institution_id: int) -> list[Campaign]:
    return _newest(Campaign.State.OPEN, 5, unit=None, institution_id=institution_id)


def _published_index(unit_ids: Iterable[int], kind: str) -> dict[int, dict[str, Any]]:
    rows = (Campaign.objects.filter(unit_id__in=list(unit_ids), state=Campaign.State.PUBLISHED,
                                    version__questionnaire__kind=kind)
            .order_by("unit_id", "-period_end", "-pk").values("unit_id", "pk", "title", "period_end", "result"))
    out: dict[int, dict[str, Any]] = {}
    for row in rows:
        result: dict[str, Any] = row["result"] or {}
        if row["unit_id"] in out or not result.get("index"):
            continue
        index = result["index"]
        out[row["unit_id"]] = {"campaign_id": row["pk"], "title": row["title"], "period_end": row["period_end"],
                               "value": Decimal(index["value"]), "mutu": index.get("mutu", ""),
                               "label": index.get("label", ""), "n": result.get("complete", 0)}
    return out


def latest_ikm(unit_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """unit id → the latest published IKM (value, mutu, label, n, period_end) of each unit."""
    return _published_index(unit_ids, Kind.IKM)


def perception_scores(unit_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """unit id → the latest published maladministration-perception score (0–100, higher = cleaner):
    what the opinion's output dimension reads."""
    return _published_index(unit_ids, Kind.PERCEPTION)


def follow_ups_of(campaign: Campaign) -> list[FollowUp]:
    """The campaign's follow-up plan, each item with ``element_text`` (the element's question)."""
    texts = {q.code: q.text for q in campaign.version.parsed.elements}
    items = list(campaign.follow_ups.all())
    for item in items:
        item.element_text = texts.get(item.element, item.element)  # type: ignore[attr-defined]
    return items
