"""The bulk recompute stores exactly the rows of the per-object path (``services_results``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from pantau.assessments import recompute_bulk, services_results
from pantau.assessments.models import Result
from pantau.assessments.tests.cycle_helpers import approved_everywhere
from pantau.assessments.tests.results_helpers import published_now
from pantau.core.models import AuditEvent

pytestmark = pytest.mark.django_db
FIELDS = ("key", "version", "is_current", "is_published", *services_results.COMPARED)


def _stored(period: Any) -> dict[str, tuple[Any, ...]]:
    return {r.key: tuple(getattr(r, f) for f in FIELDS) for r in Result.objects.filter(period=period)}


@pytest.mark.parametrize("methodology_id", ["ombudsman-2016", "ombudsman-2022"])
def test_the_bulk_path_stores_the_same_rows_as_the_per_object_path(cast: Any, time_machine: Any,
                                                                  methodology_id: str) -> None:
    def value(item: Any) -> Decimal | None:  # a mix of shares, so every number has decimals
        if item.points:
            return item.points[len(item.points) // 2 if item.code < "p" else -1]
        return Decimal("66.6667")

    period = approved_everywhere(cast, time_machine, methodology_id, value=value)
    with transaction.atomic():
        services_results.results_store(actor=cast.head_kalsel, period=period)
    expected = _stored(period)
    assert expected
    for batch in (1, 40):  # one institution a batch, and all of them in one
        stored = recompute_bulk.store_all(actor=cast.head_kalsel, period=period, batch=batch)
        assert stored == len(expected)
        assert _stored(period) == expected
    assert AuditEvent.objects.filter(event_type="result.computed").count() == 3
    rankings = recompute_bulk.rank_stored(period)
    assert [r.entry.institution for r in rankings.national["pemkab"].rows] == [cast.tabalong.pk]


def test_published_results_are_never_recomputed_in_bulk(cast: Any) -> None:
    period = published_now(cast)
    before = _stored(period)
    with pytest.raises(ValidationError, match="dipublikasikan"):
        recompute_bulk.store_all(actor=cast.head_kalsel, period=period)
    assert _stored(period) == before
