"""Starting a self-assessment (penilaian mandiri, issue 8; ADR 0019): an institution admin runs an
unofficial methodology (the shipped ``self-assessment`` or an adapted copy) over all the active
units of the institution, or the ones chosen, at any time.

One transaction over the period services (each checks the actor and writes its audit event):
``period_create`` (kind self, owned by the institution), the sample (``sample_choose`` rule
``all``, or ``sample_add`` per chosen unit with all its active products), and the step to data
collection, so the admin can answer at once. The collection starts today and ends on the date
given; the later dates of the calendar (review, response, publication) are that same day, since a
self-assessment has no provider response and is never published as an official result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.assessments import services, services_period
from pantau.assessments.models import MethodologyVersion, Period, SampleRule
from pantau.registry import selectors as registry


@dataclass
class Started:
    period: Period
    without_products: list[int] = field(default_factory=list)  # chosen units left out (no active product)


def methodologies_for_self() -> QuerySet[MethodologyVersion]:
    """The versions a self-assessment may use: every unofficial one (the shipped
    ``self-assessment`` and the custom copies made from it), by methodology id."""
    return MethodologyVersion.objects.filter(official=False).select_related("methodology").order_by(
        "methodology__slug", "pk")


@transaction.atomic
def self_assessment_start(*, actor: Any, institution_id: int, methodology_version: MethodologyVersion, title: str,
                          year: int, collection_end: dt.date, unit_ids: Iterable[int] | None = None) -> Started:
    """A self-assessment of the institution, collecting answers from today (see the module
    docstring). ``unit_ids`` None: every active unit (those without an active product are left out
    when the methodology answers items per product, and reported)."""
    today = timezone.localdate()
    version = MethodologyVersion.objects.get(pk=methodology_version.pk)
    if version.official:
        raise ValidationError({"methodology_version": _(
            "Penilaian mandiri memakai metodologi penilaian mandiri atau salinannya, bukan metodologi resmi.")})
    if not isinstance(collection_end, dt.date) or collection_end < today:
        raise ValidationError({"collection_end": _("Tanggal selesai pengisian tidak boleh sebelum hari ini.")})
    dates = {"collection_start": today, **{f: collection_end for f in services_period.DATE_FIELDS[1:]}}
    period = services_period.period_create(
        actor=actor, year=year, title=title, methodology_version=version, dates=dates,
        institution_ids=[institution_id], kind=Period.Kind.SELF, owner_id=institution_id)
    left_out: list[int] = []
    if unit_ids is None:
        choice = services_period.sample_choose(actor=actor, period=period, institution_id=institution_id,
                                               rule=SampleRule.ALL)
        left_out = list(choice.without_products)
    else:
        wanted = sorted(set(unit_ids))
        units = {u["id"]: u for u in registry.active_units_of([institution_id])}
        if not wanted or any(u not in units for u in wanted):
            raise ValidationError({"units": _("Pilih unit layanan aktif instansi ini.")})
        products: dict[int, list[int]] = {u: [] for u in wanted}
        for p in registry.active_products_of(wanted):
            products[p["unit_id"]].append(p["id"])
        per_product = services_period.needs_products(services.document_of(version))
        for unit_id in wanted:
            if per_product and not products[unit_id]:
                left_out.append(unit_id)
                continue
            services_period.sample_add(actor=actor, period=period, unit_id=unit_id, product_ids=products[unit_id])
    if not period.sampled_units.exists():
        raise ValidationError({"units": _("Tidak ada unit yang dapat dinilai: setiap unit yang dipilih belum punya "
                                          "produk layanan aktif.")})
    period = services_period.period_advance(actor=actor, period=period, target=Period.Status.COLLECTION)
    return Started(period, left_out)
