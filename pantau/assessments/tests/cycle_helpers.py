"""Building blocks for the cycle tests: a period of the Kalsel office over Pemkab Tabalong (the
cast of ``tests/cast.py``), its sample, assessors, full sets of answers, and the calendar."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pantau.assessments import methodology, services, services_answers, services_period
from pantau.assessments.models import Answer, MethodologyVersion, Period, SampledUnit

DATES = {
    "collection_start": dt.date(2026, 6, 1), "collection_end": dt.date(2026, 8, 31),
    "review_end": dt.date(2026, 9, 30), "response_start": dt.date(2026, 10, 1),
    "response_end": dt.date(2026, 10, 15), "publication_date": dt.date(2026, 11, 2),
}
# A day inside each step of the calendar.
IN_COLLECTION = dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC)
IN_REVIEW = dt.datetime(2026, 9, 10, 9, tzinfo=dt.UTC)
IN_RESPONSE = dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC)
AFTER_RESPONSE = dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC)
AT_PUBLICATION = dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)


def stored_version(methodology_id: str = "ombudsman-2016") -> MethodologyVersion:
    version, _ = services.load_version(services.SYSTEM_ACTOR, methodology.load_shipped(methodology_id))
    return version


def make_period(cast: Any, methodology_id: str = "ombudsman-2016", *, actor: Any = None,
                institutions: list[int] | None = None, **kw: Any) -> Period:
    return services_period.period_create(
        actor=actor or cast.head_kalsel, year=2026, title="Penilaian Kepatuhan 2026",
        methodology_version=stored_version(methodology_id), dates=kw.pop("dates", DATES),
        institution_ids=institutions or [cast.tabalong.pk], office_id=kw.pop("office_id", cast.kalsel.pk), **kw)


def sampled(period: Period, unit: Any) -> SampledUnit:
    return SampledUnit.objects.get(period=period, unit=unit)


def fill(actor: Any, unit: SampledUnit, value: Callable[[Any], Decimal | None] | None = None) -> list[Answer]:
    """Answer every item of the unit (and each sampled product): ``value(item)`` or the highest point."""
    document = services.document_of(unit.period.methodology_version)
    saved = []
    for item in document.items.values():
        products = list(unit.products.all()) if item.level == "product" else [None]
        for product in products:
            v = item.maximum if value is None else value(item)
            saved.append(services_answers.answer_save(
                actor=actor, sampled_unit=unit, item=item.code, value=v, sampled_product=product,
                reason="tidak ada layanan ini" if v is None else ""))
    supply_evidence(actor, unit)
    return saved


def supply_evidence(actor: Any, unit: SampledUnit) -> None:
    """Rows for every kind of evidence the methodology requires of the unit's items (no files: the
    submission only counts them; ``services_evidence`` has its own tests)."""
    from pantau.assessments.models import Evidence

    document = services.document_of(unit.period.methodology_version)
    rows = []
    for item in document.items.values():
        for product in (list(unit.products.all()) if item.level == "product" else [None]):
            rows += [Evidence(sampled_unit=unit, sampled_product=product, item=item.code, kind=kind,
                              note="uji" if kind == "note" else "",
                              url="https://contoh.go.id/" if kind == "url" else "",
                              uploaded_by=actor, client_token=uuid.uuid4().hex) for kind in item.evidence]
    Evidence.objects.bulk_create(rows)


def ready_for_collection(cast: Any, time_machine: Any, methodology_id: str = "ombudsman-2016") -> Period:
    """A period with all of Tabalong's units sampled, the Kalsel assessor on each, collecting data."""
    time_machine.move_to(dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC))
    period = make_period(cast, methodology_id)
    services_period.sample_choose(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk, rule="all")
    for unit in period.sampled_units.all():
        services_period.assignment_create(actor=cast.head_kalsel, sampled_unit=unit, assessor=cast.assessor_kalsel)
    time_machine.move_to(IN_COLLECTION)
    return services_period.period_advance(actor=cast.head_kalsel, period=period, target="collection")


def approved_everywhere(cast: Any, time_machine: Any, methodology_id: str = "ombudsman-2016",
                        value: Callable[[Any], Decimal | None] | None = None) -> Period:
    """``ready_for_collection``, every unit answered, submitted and approved, the period in review."""
    return answer_and_approve(cast, ready_for_collection(cast, time_machine, methodology_id), value)


def answer_and_approve(cast: Any, period: Period, value: Callable[[Any], Decimal | None] | None = None) -> Period:
    """Every sampled unit of a collecting period answered, submitted and approved; the period in review."""
    for unit in period.sampled_units.all():
        fill(cast.assessor_kalsel, unit, value)
        services_answers.unit_submit(actor=cast.assessor_kalsel, sampled_unit=unit)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="review")
    for unit in period.sampled_units.all():
        services_answers.unit_approve(actor=cast.head_kalsel, sampled_unit=unit)
    return period
