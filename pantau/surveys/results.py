"""A campaign's results from its tallies (never from its responses): the index with its interval,
the elements, every breakdown, progress toward the minimum sample per service, the post-stratified
estimate, and the JSON a published campaign keeps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from pantau.registry.selectors import product_rows
from pantau.surveys import indices, tallies
from pantau.surveys.models import Campaign, Channel, Kind, Tally

BREAKDOWNS = ("service", "sex", "age", "education", "occupation", "channel")
BREAKDOWN_LABELS = {"service": gettext_lazy("Layanan"), "sex": gettext_lazy("Jenis kelamin"),
                    "age": gettext_lazy("Kelompok usia"), "education": gettext_lazy("Pendidikan"),
                    "occupation": gettext_lazy("Pekerjaan"), "channel": gettext_lazy("Saluran pengisian")}


def _text(parsed: Any, code: str) -> str:
    return str(next(q.text for q in parsed.elements if q.code == code))


def _cell(kind: str, parsed: Any, tally: Tally, population: int | None) -> dict[str, Any]:
    """The index of one tally cell, or its counts only when some element has no answer in it."""
    sums = tally.sums()[: len(parsed.elements)]
    out: dict[str, Any] = {"complete": tally.complete, "partial": tally.partial, "index": None}
    if not tally.complete or any(counted == 0 for _points, counted in sums):
        return out
    moments = indices.Moments(tally.complete, tally.r_sum, tally.r_squares)
    if kind == Kind.IKM:
        codes = [q.code for q in parsed.elements]
        value = indices.ikm_from_totals({c: s for c, (s, _n) in zip(codes, sums, strict=True)},
                                        {c: n for c, (_s, n) in zip(codes, sums, strict=True)}, tally.complete,
                                        parsed.index_elements(), indices.PROFILES[parsed.profile], moments, population)
        out["index"] = {"value": value.ikm, "exact": value.ikm_exact, "mutu": value.mutu, "label": value.label,
                        "ci": value.ci, "weakest": [_text(parsed, c) for c in value.weakest], "elements": [
                            {"code": e.code, "text": q.text, "n": e.answered, "nrr": e.nrr, "converted": e.ikm,
                             "mutu": e.mutu} for e, q in zip(value.elements, parsed.elements, strict=True)]}
    else:
        clean = sum(s for s, _n in sums)
        answered = sum(n for _s, n in sums)
        score = indices.perception_from_totals(clean, answered)
        elements = [{"code": q.code, "text": q.text, "n": n, "score": indices.perception_from_totals(s, n)}
                    for q, (s, n) in zip(parsed.elements, sums, strict=True)]
        out["index"] = {"value": score, "exact": score, "mutu": "", "label": "",
                        "ci": indices.interval(moments, score, population, Decimal(0), Decimal(100), scale=100),
                        "weakest": [e["text"] for e in sorted(elements, key=lambda e: (e["score"], e["code"]))[:3]],
                        "elements": elements}
    return out


def campaign_result(campaign: Campaign) -> dict[str, Any]:
    parsed = campaign.version.parsed
    kind = parsed.kind
    rows = tallies.current(campaign)
    overall = rows.get(("all", tallies.NONE_KEY)) or Tally(campaign=campaign, dimension="all", key=tallies.NONE_KEY)
    main = _cell(kind, parsed, overall, campaign.population)
    minimum = indices.sample_size(campaign.population).minimum if campaign.population else None
    services = list(campaign.services.select_related("product").order_by("product__name"))
    names = {s.product_id: s.product.name for s in services}
    extra_ids = [int(k) for (d, k) in rows if d == "service" and k != tallies.NONE_KEY and int(k) not in names]
    names |= {pk: r["name"] for pk, r in product_rows(extra_ids).items()}
    channel_names = dict(Channel.choices)
    breakdowns: dict[str, list[dict[str, Any]]] = {}
    for dimension in BREAKDOWNS:
        cells = []
        for (d, key), tally in rows.items():
            if d != dimension:
                continue
            if dimension == "service":
                label = names.get(int(key), key) if key != tallies.NONE_KEY else "(tidak disebut)"
            elif dimension == "channel":
                label = str(channel_names.get(key, key))
            else:
                label = key if key != tallies.NONE_KEY else "(tidak diisi)"
            cells.append({"key": key, "label": label, **_cell(kind, parsed, tally, None)})
        cells.sort(key=lambda c: (c["key"] == tallies.NONE_KEY, str(c["label"])))
        breakdowns[dimension] = cells
    per_service = []
    strata: list[tuple[int, Decimal]] = []
    for s in services:
        found = rows.get(("service", str(s.product_id)))
        cell: dict[str, Any] = (_cell(kind, parsed, found, s.volume) if found
                                else {"complete": 0, "partial": 0, "index": None})
        need = indices.sample_size(s.volume).minimum if s.volume else None
        per_service.append({"product_id": s.product_id, "name": s.product.name, "volume": s.volume,
                            "minimum": need, **cell})
        if s.volume and cell["index"]:
            strata.append((s.volume, cell["index"]["exact"]))
    complete = main["complete"]
    partial = main["partial"]
    return {
        "kind": kind, "profile": parsed.profile, "version": campaign.version.number,
        "questionnaire": parsed.title, "complete": complete, "partial": partial,
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
