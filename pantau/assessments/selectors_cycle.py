"""Reads of the cycle, scoped by user (ADR 0019). Whatever a user may not see is absent.

- ``periods_for``: national staff every period; office staff the official periods of their
  offices and those that assess an institution in their provinces; an institution admin its own
  self-assessments and the official periods that assess it once their response window opened;
  everyone the published official periods.
- ``sampled_units_for``: national staff all; office staff (an assessor too) the units assigned to
  them and those of institutions in their provinces or supervised by their office; provider staff
  the units of their own self-assessments.
- ``draft_results_for``: office staff the results in their scope; an institution admin only its
  own institution's, from the day the response window opens (a self-assessment: always).
- ``public_results``: only published, current results of published official periods.
- ``prefill``: for a sampled product, what the provider published in the registry beside each
  item, and the gap between what was published and what the assessor found visible.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from pantau.accounts.models import Role
from pantau.accounts.scope import scope_of
from pantau.assessments import services, workflow
from pantau.assessments.models import Answer, Assignment, Period, Result, SampledProduct, SampledUnit
from pantau.registry import selectors as registry

S = Period.Status


def _office_institutions_q(scope: Any, prefix: str) -> Q:
    q = Q(pk__in=[])
    if scope.province_ids:
        q |= Q(**{f"{prefix}province__in": scope.province_ids})
    if scope.office_ids:
        q |= Q(**{f"{prefix}office__in": scope.office_ids})
    return q


def periods_for(user: Any) -> QuerySet[Period]:
    scope = scope_of(user)
    public = Q(kind=Period.Kind.OFFICIAL, status=S.PUBLISHED)
    if scope.national:
        return Period.objects.all()
    q = public
    if scope.is_office_staff:
        q |= Q(kind=Period.Kind.OFFICIAL) & (Q(office__in=scope.office_ids)
                                             | Q(institutions__in=registry.institutions_for(user).values("pk")))
    if scope.has(Role.INSTITUTION_ADMIN):
        mine = scope.institution_ids
        q |= Q(kind=Period.Kind.SELF, owner__in=mine)
        q |= Q(kind=Period.Kind.OFFICIAL, institutions__in=mine, status=S.RESPONSE,
               response_start__lte=timezone.localdate())
    return Period.objects.filter(pk__in=Period.objects.filter(q).values("pk"))


def sampled_units_for(user: Any) -> QuerySet[SampledUnit]:
    scope = scope_of(user)
    qs = SampledUnit.objects.select_related("period")
    if scope.national:
        return qs
    q = Q(pk__in=[])
    if scope.is_office_staff:
        q |= Q(pk__in=Assignment.objects.filter(assessor=user).values("sampled_unit"))
        q |= Q(period__kind=Period.Kind.OFFICIAL) & _office_institutions_q(scope, "institution__")
    if scope.institution_ids:
        q |= Q(period__kind=Period.Kind.SELF, institution__in=scope.institution_ids)
    if scope.unit_ids:
        q |= Q(period__kind=Period.Kind.SELF, unit__in=scope.unit_ids)
    return qs.filter(q)


def work_list(user: Any) -> QuerySet[SampledUnit]:
    """The units assigned to the user in periods where answers are being collected or reviewed."""
    return (SampledUnit.objects.filter(assignments__assessor=user, period__status__in=workflow.WORKING)
            .select_related("period").order_by("period_id", "institution_id", "unit_id"))


def draft_results_for(user: Any, period: Period) -> QuerySet[Result]:
    scope = scope_of(user)
    qs = Result.objects.filter(period=period, is_current=True)
    if scope.national:
        return qs
    q = Q(pk__in=[])
    if scope.is_office_staff and period.is_official:
        q |= _office_institutions_q(scope, "institution__")
    if scope.has(Role.INSTITUTION_ADMIN):
        opened = period.kind == Period.Kind.SELF or (
            period.status in (S.RESPONSE, S.PUBLISHED) and timezone.localdate() >= period.response_start)
        if opened:
            q |= Q(institution__in=scope.institution_ids)
    return qs.filter(q)


def public_results(period: Period | None = None) -> QuerySet[Result]:
    qs = Result.objects.filter(is_current=True, is_published=True, period__kind=Period.Kind.OFFICIAL,
                               period__status=S.PUBLISHED)
    return qs if period is None else qs.filter(period=period)


def result_history(result: Result) -> QuerySet[Result]:
    """Every version of a result (the public page shows that it was corrected, and why)."""
    return Result.objects.filter(period=result.period_id, key=result.key, is_published=True).order_by("version")


# --- prefill -----------------------------------------------------------------------------------

# Items of the shipped methodologies and the registry component each checks (codes of
# ``registry.components``); other items are matched by the "Pasal 21 huruf …" they derive from.
ITEM_COMPONENTS = {
    "sp_persyaratan": "persyaratan", "sp_prosedur": "prosedur", "sp_waktu": "waktu", "sp_biaya": "biaya",
    "sp_produk": "produk", "sp_pengaduan": "pengaduan", "mk_maklumat": "maklumat",
    "pk_akses_difabel": "kelompok_rentan",
    "p_persyaratan": "persyaratan", "p_prosedur": "prosedur", "p_waktu": "waktu", "p_biaya": "biaya",
    "p_produk": "produk", "p_pengaduan_publikasi": "pengaduan", "p_maklumat_publikasi": "maklumat",
    "p_maklumat_substansi": "maklumat", "p_pelayanan_khusus": "kelompok_rentan", "s_dasar_hukum": "dasar_hukum",
    "s_sarana_fasilitas": "sarana", "s_kompetensi_ditetapkan": "kompetensi", "s_pengawasan_internal": "pengawasan",
    "s_jumlah_pelaksana": "jumlah_pelaksana", "s_jaminan_pelayanan": "jaminan", "s_keamanan": "keamanan",
    "s_evaluasi_kinerja": "evaluasi",
}
PASAL21 = re.compile(r"Pasal 21 huruf ([a-n])\b")


def component_of(item: Any, pasal21: dict[int, str]) -> str | None:
    if item.code in ITEM_COMPONENTS:
        return ITEM_COMPONENTS[item.code]
    for line in (*item.derived_from, item.source):
        found = PASAL21.search(line or "")
        if found:
            return pasal21.get(ord(found.group(1)) - ord("a") + 1)
    return None


def prefill(user: Any, sampled_product: SampledProduct) -> dict[str, Any] | None:
    """Each item beside what the provider published for it (``None`` when the user may not see
    the unit): ``rows`` — item, text, level, component, label, published text ("" when nothing is
    published, ``None`` when the item matches no component), the stored answer; ``gaps`` —
    components published in Pantau but answered as not visible on site (``published_not_visible``),
    and visible on site but not published (``visible_not_published``)."""
    sampled = sampled_units_for(user).filter(pk=sampled_product.sampled_unit_id).first()
    if sampled is None:
        return None
    document = services.document_of(sampled.period.methodology_version)
    view = registry.published_view(sampled_product.product_id)
    published = dict(view["components"] or {})
    published.update(maklumat=view["maklumat"], kelompok_rentan=view["kelompok_rentan"])
    stored = Answer.objects.filter(sampled_unit=sampled).filter(
        Q(sampled_product=sampled_product) | Q(sampled_product__isnull=True)).values_list(
        "sampled_product_id", "item", "value", "reason")
    answers: dict[tuple[int | None, str], tuple[Any, str]] = {(p, i): (v, r) for p, i, v, r in stored}
    rows, not_visible, not_published = [], [], []
    for item in document.items.values():
        code = component_of(item, view["pasal21"])
        key = (sampled_product.pk if item.level == "product" else None, item.code)
        value, _reason = answers.get(key, (None, ""))
        text = None if code is None else published.get(code, "")
        rows.append({"item": item.code, "text": item.text, "level": item.level, "component": code,
                     "label": view["labels"].get(code, "") if code else "", "published": text,
                     "answer": value, "answered": key in answers})
        if code is None or key not in answers or value is None:
            continue
        if text and value <= item.minimum:
            not_visible.append(item.code)
        elif not text and value > item.minimum:
            not_published.append(item.code)
    return {"product": view["product"], "unit": view["unit"], "standard_version": view["standard_version"],
            "rows": rows, "gaps": {"published_not_visible": not_visible, "visible_not_published": not_published}}
