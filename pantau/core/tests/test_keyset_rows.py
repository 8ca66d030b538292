"""``keyset.following``: one row-value comparison when the ordering has one direction (an index
range on every engine), the expanded form otherwise, and the same rows either way."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from pantau.core.keyset import following
from pantau.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NAMES = ["b", "a", "c", "b", "a", "b", "c", "a", "b"]


@pytest.fixture
def events() -> list[AuditEvent]:
    day = timezone.now().replace(microsecond=0)
    for i, name in enumerate(NAMES):  # repeated instants, as events written in one transaction have
        with time_machine.travel(day - dt.timedelta(minutes=i % 3), tick=False):
            AuditEvent.objects.create(event_type="test.row", actor_name=name)
    return list(AuditEvent.objects.filter(event_type="test.row"))


def _key(event: AuditEvent, ordering: tuple[str, ...]) -> tuple[object, ...]:
    return tuple(getattr(event, name.removeprefix("-")) for name in ordering)


@pytest.mark.parametrize("ordering", [("actor_name", "id"), ("-actor_name", "-id"), ("-at", "-id"), ("at", "id"),
                                      ("actor_name", "-id")])
def test_the_rows_after_each_row_are_the_rows_after_it_in_the_order(events, ordering) -> None:
    qs = AuditEvent.objects.filter(event_type="test.row")
    ordered = list(qs.order_by(*ordering))
    assert len(ordered) == len(NAMES)
    for i, event in enumerate(ordered):
        after = list(qs.filter(following(_key(event, ordering), ordering)).order_by(*ordering))
        assert [e.pk for e in after] == [e.pk for e in ordered[i + 1:]], (ordering, i)


def test_one_direction_is_a_single_row_value_comparison() -> None:
    sql = str(AuditEvent.objects.filter(following(("b", 7), ("actor_name", "id"))).query)
    assert '("core_auditevent"."actor_name", "core_auditevent"."id") > (' in sql
    assert " OR " not in sql
    assert '"core_auditevent"."actor_name" >= ' in sql  # SQLite's planner needs the plain range too
    sql = str(AuditEvent.objects.filter(following((timezone.now(), 7), ("-at", "-id"))).query)
    assert '("core_auditevent"."at", "core_auditevent"."id") < (' in sql


def test_mixed_directions_keep_the_expanded_form() -> None:
    sql = str(AuditEvent.objects.filter(following(("b", 7), ("actor_name", "-id"))).query)
    assert " OR " in sql
