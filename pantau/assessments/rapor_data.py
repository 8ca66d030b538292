"""The rapor of a published result, from what is stored (``rapor.RaporData`` → PDF).

- score, category, zone: the institution's current published result;
- dimensions: the mean of the units' dimension contributions in their breakdowns (what the
  institution score averages), out of each dimension's points;
- unmet items: the stored answers whose share is below 1 (N/A items are not unmet), grouped by
  unit, each with the points it cost the unit (from the unit's breakdown), what to fix — the
  item's text and the evidence the methodology asks for — and the public standard page of the
  product where it is fixed (``/layanan/<pk>/``; an item answered per unit links the
  institution's page);
- last period: the institution's published result in the previous published period, beside.

Reads are a fixed number of queries whatever the size; ``rapor.fit`` bounds what is laid out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.assessments import breakdown, rapor
from pantau.assessments import results_public as rp
from pantau.assessments.methodology import Item
from pantau.assessments.models import Answer, Period, Result
from pantau.registry import selectors as registry

EVIDENCE = {"photo": gettext_lazy("foto"), "document": gettext_lazy("dokumen"), "url": gettext_lazy("tautan"),
            "note": gettext_lazy("catatan")}


def fix_text(item: Item) -> str:
    """What to fix: the item as the methodology words it, and the evidence it asks for."""
    text = _("Penuhi: %(text)s") % {"text": item.text}
    if item.evidence:
        text += " " + _("Bukti yang diminta: %(evidence)s.") % {
            "evidence": ", ".join(str(EVIDENCE.get(e, e)) for e in item.evidence)}
    return text


def _period_result(period: Period, result: Result) -> rapor.PeriodResult:
    return rapor.PeriodResult(period.year, result.score, result.category, result.zone, rp.era_of(period))


def build(period: Period, institution_id: int) -> rapor.RaporData | None:
    """The rapor's data of a published institution result; None when there is none."""
    result = rp.institution_result(period, institution_id)
    if result is None:
        return None
    doc = rp.document(period.methodology_version)
    institution = registry.institution_rows([institution_id]).get(institution_id, {"name": str(institution_id)})
    units = rp.unit_results(period, institution_id)
    by_unit = {u.sampled_unit_id: u for u in units}
    unit_names = {u["id"]: u["name"] for u in registry.unit_rows(
        {u.sampled_unit.unit_id for u in units if u.sampled_unit}).values()}
    answers = list(Answer.objects.filter(sampled_unit__period=period, sampled_unit__institution_id=institution_id,
                                         value__isnull=False)
                   .values_list("sampled_unit_id", "sampled_unit__unit_id", "sampled_product__product_id", "item",
                                "value").order_by("sampled_unit_id", "sampled_product_id", "item"))
    product_names = {p["id"]: p["name"] for p in registry.product_rows(
        {a[2] for a in answers if a[2] is not None}).values()}
    losses = {pk: breakdown.points_lost(doc, u.breakdown) for pk, u in by_unit.items()}
    institution_url = reverse("public:institution", args=[institution_id])
    grouped: dict[int, list[rapor.UnmetItem]] = defaultdict(list)
    for sampled, _unit_id, product_id, code, value in answers:
        item = doc.items.get(code)
        if item is None or value is None or item.normalise(value) >= 1:
            continue
        lost = losses.get(sampled, {}).get(code)
        url = reverse("public:product", args=[product_id]) if product_id is not None else institution_url
        grouped[sampled].append(rapor.UnmetItem(code, item.text, fix_text(item), url,
                                                product_names.get(product_id, "") if product_id else "", lost))
    gaps = []
    for u in units:
        name = unit_names.get(u.sampled_unit.unit_id, "") if u.sampled_unit else ""
        gaps.append(rapor.UnitGaps(name, grouped.get(u.sampled_unit_id or 0, []), u.score, u.zone))
    dims = breakdown.dimension_points([u.breakdown for u in units] or [result.breakdown])
    before = rp.previous_period(period)
    previous = rp.institution_result(before, institution_id) if before is not None else None
    version = period.methodology_version
    note = ""
    if result.version > 1:
        note = _("Hasil ini dikoreksi (versi %(version)d): %(reason)s") % {"version": result.version,
                                                                           "reason": result.reason}
    return rapor.RaporData(
        institution=institution["name"], methodology_title=doc.title,
        methodology_version=f"{version.methodology.slug}@{version.version}",
        current=_period_result(period, result), category_label=result.category_label,
        dimensions=[rapor.DimensionPoints(d.code, d.title, dims.get(d.code), d.points) for d in doc.dimensions],
        units=gaps, previous=_period_result(before, previous) if before is not None and previous else None,
        corrected=result.version > 1, correction_note=note)


def render(data: rapor.RaporData, language: Any = None) -> bytes:
    return rapor.render(data, rapor.language_of(language if isinstance(language, str) else None))
