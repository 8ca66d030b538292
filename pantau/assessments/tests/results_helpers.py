"""A published period for the results tests: Tabalong's units answered (the fee item missed on
every product), approved, published by the Kalsel office (``cycle_helpers``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pantau.assessments import services_period
from pantau.assessments.models import Period
from pantau.assessments.tests.cycle_helpers import (
    AT_PUBLICATION,
    IN_RESPONSE,
    answer_and_approve,
    approved_everywhere,
    make_period,
)

MISSED = "sp_biaya"


def missing_fee(item: Any) -> Decimal:
    return Decimal(0) if item.code == MISSED else item.maximum


def published(cast: Any, time_machine: Any, methodology_id: str = "ombudsman-2016") -> Period:
    def value(item: Any) -> Decimal:
        if methodology_id == "ombudsman-2016":
            return missing_fee(item)
        return item.minimum if item.code == "p_biaya" else item.maximum

    period = approved_everywhere(cast, time_machine, methodology_id, value=value)
    time_machine.move_to(IN_RESPONSE)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")
    time_machine.move_to(AT_PUBLICATION)
    return services_period.period_advance(actor=cast.head_kalsel, period=period, target="published")


PAST = {"collection_start": dt.date(2025, 6, 1), "collection_end": dt.date(2025, 8, 31),
        "review_end": dt.date(2025, 9, 30), "response_start": dt.date(2025, 10, 1),
        "response_end": dt.date(2025, 10, 15), "publication_date": dt.date(2025, 11, 2)}


def published_now(cast: Any) -> Period:
    """A 2025 period of Tabalong published today without moving the clock (every date is past);
    made once per cast (the access walks ask for it for every URL and role)."""
    done = cast.__dict__.get("_published_2025")
    if done is not None:
        return done
    period = published_in(cast, 2025)
    cast.__dict__["_published_2025"] = period
    return period


def published_in(cast: Any, year: int, methodology_id: str = "ombudsman-2016",
                 value: Any = missing_fee) -> Period:
    """A period of Tabalong for ``year`` with ``methodology_id``, published today (every date is past)."""
    period = make_period(cast, methodology_id, dates=PAST)
    period.year = year
    Period.objects.filter(pk=period.pk).update(year=year)
    services_period.sample_choose(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk, rule="all")
    for unit in period.sampled_units.all():
        services_period.assignment_create(actor=cast.head_kalsel, sampled_unit=unit, assessor=cast.assessor_kalsel)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="collection")
    period = answer_and_approve(cast, period, value)
    for target in ("response", "published"):
        period = services_period.period_advance(actor=cast.head_kalsel, period=period, target=target)
    return period
