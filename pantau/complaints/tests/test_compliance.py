"""``compliance.demands_on_time``: the share of corrective actions and Recommendations implemented on time
per institution (the opinion's *Taat*), against numbers worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
import time_machine

from pantau.complaints.compliance import Share, demands_on_time, percent_of
from pantau.complaints.models import Demand, Outcome
from pantau.complaints.tests.helpers import file_report

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2027, 1, 10)
WIB = dt.timezone(dt.timedelta(hours=7))
C, R = Demand.Kind.CORRECTIVE, Demand.Kind.RECOMMENDATION


@pytest.fixture
def demands(cast: Any) -> Any:
    with time_machine.travel("2026-11-02 09:00 +07:00", tick=False):
        case = file_report(cast).case

    def add(institution: Any, kind: str, due: str, outcome: str = Outcome.PENDING,
            answered: str | None = None) -> Demand:
        return Demand.objects.create(
            case=case, kind=kind, institution=institution, text="Terbitkan KTP-el pelapor tanpa biaya.",
            issued_on=dt.date(2025, 1, 2), due_on=dt.date.fromisoformat(due), outcome=outcome,
            answered_at=dt.datetime.fromisoformat(answered).replace(tzinfo=WIB) if answered else None)

    tab, bjm = cast.tabalong, cast.banjarmasin
    I, P, N = Outcome.IMPLEMENTED, Outcome.PARTLY, Outcome.NOT_IMPLEMENTED  # noqa: E741
    add(tab, C, "2026-03-31", I, "2026-03-30 10:00")  # on time
    add(tab, C, "2026-03-31", I, "2026-03-31 23:30")  # on time: the due day, local time
    add(tab, C, "2026-03-31", I, "2026-04-01 00:30")  # late (still 31 March in UTC)
    add(tab, R, "2026-06-30", P, "2026-06-01 10:00")  # partly: not on time
    add(tab, R, "2026-06-30", I)  # assessed implemented but never answered by the provider
    add(tab, C, "2026-08-01")  # never answered
    add(tab, C, "2025-05-01", I, "2025-04-20 10:00")  # 2025, on time
    add(tab, C, "2027-03-01", I, "2026-12-01 10:00")  # not yet due on AS_OF: not counted
    add(bjm, C, "2026-02-10", I, "2026-02-01 10:00")  # on time
    add(bjm, R, "2026-09-10", I, "2026-09-10 08:00")  # on time
    add(bjm, R, "2026-10-10", N, "2026-10-01 08:00")  # not implemented
    return cast


def test_the_shares_of_2026_are_the_hand_computed_ones(demands: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        shares = demands_on_time(year=2026, as_of=AS_OF)
    tab, bjm = demands.tabalong.pk, demands.banjarmasin.pk
    assert shares == {
        tab: Share(tab, demands=6, corrective=4, recommendations=2, on_time=2, percent=D("33.33")),
        bjm: Share(bjm, demands=3, corrective=1, recommendations=2, on_time=2, percent=D("66.67")),
    }


def test_every_year_together_and_an_earlier_year_alone(demands: Any) -> None:
    tab = demands.tabalong.pk
    everything = demands_on_time([tab], as_of=AS_OF)[tab]
    assert (everything.demands, everything.on_time, everything.percent) == (7, 3, D("42.86"))
    only_2025 = demands_on_time([tab], year=2025, as_of=AS_OF)[tab]
    assert (only_2025.demands, only_2025.on_time, only_2025.percent) == (1, 1, D("100.00"))


def test_an_institution_without_demands_has_no_share_not_zero(demands: Any) -> None:
    barsel = demands.barsel.pk
    shares = demands_on_time([barsel, demands.tabalong.pk], year=2026, as_of=AS_OF)
    assert shares[barsel] == Share(barsel, 0, 0, 0, 0, None)
    assert set(shares) == {barsel, demands.tabalong.pk}
    assert demands_on_time([demands.tabalong.pk], year=2024, as_of=AS_OF)[demands.tabalong.pk].percent is None


def test_a_demand_counts_once_its_due_date_has_passed(demands: Any) -> None:
    tab = demands.tabalong.pk
    assert demands_on_time([tab], year=2027, as_of=AS_OF)[tab].demands == 0
    later = demands_on_time([tab], year=2027, as_of=dt.date(2027, 3, 2))[tab]
    assert (later.demands, later.on_time, later.percent) == (1, 1, D("100.00"))
    on_the_day = demands_on_time([tab], year=2027, as_of=dt.date(2027, 3, 1))[tab]
    assert on_the_day.demands == 0  # due today: the provider still has the day


def test_percent_rounds_half_up_to_two_places() -> None:
    assert percent_of(1, 8) == D("12.50") and percent_of(1, 3) == D("33.33") and percent_of(2, 3) == D("66.67")
    assert percent_of(1, 200) == D("0.50") and percent_of(1, 400) == D("0.25") and percent_of(1, 800) == D("0.13")
    assert percent_of(0, 0) is None and percent_of(0, 5) == D("0.00")


def test_a_nonsense_year_is_refused(demands: Any) -> None:
    with pytest.raises(ValueError, match="Tahun 0"):
        demands_on_time(year=0, as_of=AS_OF)
