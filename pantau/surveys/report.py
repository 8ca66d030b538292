"""The SKM report as PDF: the respondent profile, the table of elements (n, NRR, converted value,
grade) with a bar chart, the IKM with its grade, 95 % interval and n against the minimum sample,
the weakest elements and the follow-up plan. Made from the campaign's result (the published one
when published, else the live tallies): a few kilobytes of data however many responses, so it is
rendered in the request and kept in the cache per campaign state."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from pantau.core.pagecache import cached_bytes
from pantau.reports.pdf import render_pdf
from pantau.surveys import results, selectors
from pantau.surveys.models import Campaign

TEMPLATE = "surveys/report.html"
FOLLOW_UPS_SHOWN = 50


def _bar(value: Any, low: Decimal, high: Decimal) -> float:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return 0.0
    return float(max(Decimal(0), min(Decimal(100), (number - low) / (high - low) * 100)))


def context(campaign: Campaign) -> dict[str, Any]:
    result = campaign.result if campaign.state == Campaign.State.PUBLISHED and campaign.result else \
        results.published_result(results.campaign_result(campaign))
    low, high = (Decimal(25), Decimal(100)) if result["kind"] == "ikm" else (Decimal(0), Decimal(100))
    elements = []
    for e in (result.get("index") or {}).get("elements", []):
        value = e.get("converted", e.get("score"))
        elements.append({**e, "value": value, "bar": _bar(value, low, high)})
    profile = []
    for name in ("sex", "age", "education", "occupation", "channel"):
        cells = result["breakdowns"].get(name, [])
        total = sum(c["complete"] for c in cells) or 1
        profile.append({"label": results.BREAKDOWN_LABELS[name], "rows": [
            {"label": c["label"], "n": c["complete"], "share": round(100 * c["complete"] / total, 1)} for c in cells]})
    return {"campaign": campaign, "result": result, "elements": elements, "profile": profile,
            "follow_ups": selectors.follow_ups_of(campaign)[:FOLLOW_UPS_SHOWN]}


def pdf(campaign: Campaign) -> tuple[bytes, str]:
    stamp = (campaign.pk, campaign.state, str(campaign.updated_at), str(campaign.published_at))
    live = () if campaign.state == Campaign.State.PUBLISHED else tuple(
        campaign.tallies.filter(dimension="all").values_list("complete", "partial"))
    follow = tuple(campaign.follow_ups.order_by("-updated_at").values_list("updated_at", flat=True)[:1])
    return cached_bytes(("skm-report", *stamp, live, follow, get_language()),
                        lambda: render_pdf(TEMPLATE, context(campaign)), templates=(TEMPLATE,))
