"""A published period for the results tests: Tabalong's units answered (the fee item missed on
every product), approved, published by the Kalsel office (``cycle_helpers``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pantau.assessments import services_period
from pantau.assessments.models import Period
from pantau.assessments.tests.cycle_helpers import AT_PUBLICATION, IN_RESPONSE, approved_everywhere

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
