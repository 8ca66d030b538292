"""A campaign's results from its tallies (never from its responses): the index with its interval,
the elements, every breakdown, progress toward the minimum sample per service, the post-stratified
estimate, and the JSON a published campaign keeps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from pantau.registry.selectors import product_rows
from pantau.surveys import indices, tallies
from pantau.surveys.models import MAX_ELEMENTS, Campaign, CampaignService, Channel, Kind

BREAKDOWNS = ("service", "sex", "age", "education", "occupation", "channel")
BREAKDOWN_LABELS = {"service": gettext_lazy("Layanan"), "sex": gettext_lazy("Jenis kelamin"),
                    "age": gettext_lazy("Kelompok usia"), "education": gettext_lazy("Pendidikan"),
                    "occupation": gettext_lazy("Pekerjaan"), "channel": gettext_lazy("Saluran pengisian")}


@dataclass
class _Frame:
    """What every cell of one questionnaire version's campaigns needs, worked out once."""

    parsed: Any
    kind: str
    elements: tuple[indices.Element, ...]
    profile: indices.Profile | None
    weight: dict[str, Decimal]
    texts: dict[str, str]
    codes: list[str]

    @classmethod
    def of(cls, version: Any) -> _Frame:
        parsed = version.parsed
        profile = indices.PROFILES[parsed.profile] if parsed.kind == Kind.IKM else None
        elements = parsed.index_elements()
        return cls(parsed, parsed.kind, elements, profile, indices.weights(elements, profile) if profile else {},
                   {q.code: str(q.text) for q in parsed.elements}, [q.code for q in parsed.elements])


def _cell(frame: _Frame, tally: tallies.Kept, population: int | None) -> dict[str, Any]:
    """The index of one tally cell, or its counts only when some element has no answer in it."""
    n = len(frame.codes)
    points, counted = tally.points[:n], tally.counted[:n]
    out: dict[str, Any] = {"complete": tally.complete, "partial": tally.partial, "index": None}
    if not tally.complete or 0 in counted:
        return out
    moments = indices.Moments(tally.complete, tally.r_sum, tally.r_squares)
    parsed = frame.parsed
    if frame.profile is not None:
        value = indices.ikm_from_totals(dict(zip(frame.codes, points, strict=True)),
                                        dict(zip(frame.codes, counted, strict=True)), tally.complete,
                                        frame.elements, frame.profile, moments, population, weight=frame.weight)
        out["index"] = {"value": value.ikm, "exact": value.ikm_exact, "mutu": value.mutu, "label": value.label,
                        "ci": value.ci, "weakest": [frame.texts[c] for c in value.weakest], "elements": [
                            {"code": e.code, "text": q.text, "n": e.answered, "nrr": e.nrr, "converted": e.ikm,
                             "mutu": e.mutu} for e, q in zip(value.elements, parsed.elements, strict=True)]}
    else:
        clean, answered = sum(points), sum(counted)
        score = indices.perception_from_totals(clean, answered)
        elements = [{"code": q.code, "text": q.text, "n": c, "score": indices.perception_from_totals(p, c)}
                    for q, p, c in zip(parsed.elements, points, counted, strict=True)]
        out["index"] = {"value": score, "exact": score, "mutu": "", "label": "",
                        "ci": indices.interval(moments, score, population, Decimal(0), Decimal(100), scale=100),
                        "weakest": [e["text"] for e in sorted(elements, key=lambda e: (e["score"], e["code"]))[:3]],
                        "elements": elements}
    return out


NO_TALLY = tallies.Kept(0, 0, 0.0, 0.0, (0,) * MAX_ELEMENTS, (0,) * MAX_ELEMENTS)


def campaign_results(campaigns: Sequence[Campaign]) -> dict[int, dict[str, Any]]:
    """Each campaign's result from its kept tallies: a few queries per ``tallies.SCAN_CHUNK``
    campaigns whatever their number (a national recompute reads thousands at once)."""
    ids = [c.pk for c in campaigns]
    kept = tallies.current_many(ids)
    services: dict[int, list[tuple[int, str, int | None]]] = defaultdict(list)
    for start in range(0, len(ids), tallies.SCAN_CHUNK):
        rows = (CampaignService.objects.filter(campaign_id__in=ids[start:start + tallies.SCAN_CHUNK])
                .order_by("campaign_id", "product__name", "product_id")
                .values_list("campaign_id", "product_id", "product__name", "volume"))
        for campaign_id, product_id, name, volume in rows:
            services[campaign_id].append((product_id, name, volume))
    named = {pk for listed in services.values() for pk, _n, _v in listed}
    extra = {int(k) for rows in kept.values() for (d, k) in rows if d == "service" and k != tallies.NONE_KEY} - named
    extra_names = {pk: r["name"] for pk, r in product_rows(extra).items()}
    frames: dict[int, _Frame] = {}
    out = {}
    for campaign in campaigns:
        frame = frames.get(campaign.version_id)
        if frame is None:
            frame = frames[campaign.version_id] = _Frame.of(campaign.version)
        out[campaign.pk] = _result(campaign, frame, kept[campaign.pk], services[campaign.pk], extra_names)
    return out


def campaign_result(campaign: Campaign) -> dict[str, Any]:
    return campaign_results([campaign])[campaign.pk]


def _result(campaign: Campaign, frame: _Frame, rows: dict[tuple[str, str], tallies.Kept],
            services: list[tuple[int, str, int | None]], extra_names: dict[int, str]) -> dict[str, Any]:
    main = _cell(frame, rows.get(("all", tallies.NONE_KEY), NO_TALLY), campaign.population)
    minimum = indices.sample_size(campaign.population).minimum if campaign.population else None
    names = {pk: name for pk, name, _v in services}
    channel_names = dict(Channel.choices)
    breakdowns: dict[str, list[dict[str, Any]]] = {dimension: [] for dimension in BREAKDOWNS}
    for (dimension, key), tally in rows.items():
        if dimension not in breakdowns:
            continue
        if dimension == "service":
            label = (names.get(int(key)) or extra_names.get(int(key), key)) if key != tallies.NONE_KEY \
                else "(tidak disebut)"
        elif dimension == "channel":
            label = str(channel_names.get(key, key))
        else:
            label = key if key != tallies.NONE_KEY else "(tidak diisi)"
        breakdowns[dimension].append({"key": key, "label": label, **_cell(frame, tally, None)})
    for cells in breakdowns.values():
        cells.sort(key=lambda c: (c["key"] == tallies.NONE_KEY, str(c["label"])))
    per_service = []
    strata: list[tuple[int, Decimal]] = []
    for product_id, name, volume in services:
        found = rows.get(("service", str(product_id)))
        cell: dict[str, Any] = (_cell(frame, found, volume) if found
                                else {"complete": 0, "partial": 0, "index": None})
        need = indices.sample_size(volume).minimum if volume else None
        per_service.append({"product_id": product_id, "name": name, "volume": volume, "minimum": need, **cell})
        if volume and cell["index"]:
            strata.append((volume, cell["index"]["exact"]))
    complete = main["complete"]
    partial = main["partial"]
    return {
        "kind": frame.kind, "profile": frame.parsed.profile, "version": campaign.version.number,
        "questionnaire": frame.parsed.title, "complete": complete, "partial": partial,
        "response_rate": round(100 * complete / (complete + partial), 1) if complete + partial else None,
        "computable": main["index"] is not None, "index": main["index"], "minimum_sample": minimum,
        "population": campaign.population, "services": per_service, "breakdowns": breakdowns,
        "post_stratified": indices.post_stratified(strata) if len(strata) > 1 else None,
    }


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def published_result(result: dict[str, Any]) -> dict[str, Any]:
    """What a published campaign keeps (Decimals as strings, so the JSON is exact)."""
    return dict(_json(result))
