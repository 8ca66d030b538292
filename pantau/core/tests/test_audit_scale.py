"""The audit trail at scale (ADR 0015): each filter reads one index range, pages by key on
(at, id), and the institution and actor filters are typed (suggested in the reader's scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pantau.core import audit
from pantau.core.audit_views import NEWEST_FIRST, AuditFilterForm, filter_events
from pantau.core.models import AuditEvent
from pantau.registry import services
from tests.cast import client_for

pytestmark = pytest.mark.django_db
URL = "/kelola/audit/"

# filter → the index a page of it must read by range (SQLite's EXPLAIN QUERY PLAN "SEARCH … USING INDEX")
FILTERS: list[tuple[dict[str, Any], tuple[str, ...]]] = [
    ({"instansi": "INST"}, ("audit_institution_at",)),
    ({"pelaku": "operator_dukcapil"}, ("audit_actor_at",)),
    ({"jenis": "unit.updated"}, ("audit_event_type_at",)),
    ({"jenis": "unit"}, ("audit_event_type_at",)),
    ({"objek": "registry.serviceunit"}, ("audit_object_type_at",)),
    ({"objek": "registry.serviceunit", "id_objek": "UNIT"}, ("audit_object_at", "audit_object_type_at")),
    ({"id_objek": "UNIT"}, ("audit_object_at",)),
    ({"permintaan": "abc-123"}, ("request_id",)),
    ({"dari": "2026-01-01", "sampai": "2026-01-31"}, ("audit_at", "core_auditevent_at")),
    ({"dari": "2026-01-01", "instansi": "INST"}, ("audit_institution_at",)),
]


def _form_data(cast: Any, params: dict[str, Any]) -> dict[str, Any]:
    values = {k: str(cast.tabalong.pk) if v == "INST" else str(cast.dukcapil.pk) if v == "UNIT" else v
              for k, v in params.items()}
    form = AuditFilterForm(values, user=cast.national_admin)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_each_filter_has_its_index_ending_in_the_list_order() -> None:
    indexes = {index.name: index.fields for index in AuditEvent._meta.indexes}
    for name, column in (("audit_institution_at", "institution_id"), ("audit_actor_at", "actor_name"),
                         ("audit_event_type_at", "event_type"), ("audit_object_type_at", "object_type"),
                         ("audit_province_at", "province_id"), ("audit_prior_province_at", "prior_province_id")):
        assert indexes[name] == [column, "-at", "-id"]
    assert indexes["audit_at"] == ["-at", "-id"]
    assert indexes["audit_object_at"] == ["object_id", "object_type", "-at", "-id"]
    with connection.cursor() as cursor:
        existing = connection.introspection.get_constraints(cursor, AuditEvent._meta.db_table)
    assert set(indexes) <= set(existing)


@pytest.mark.parametrize(("params", "expected"), FILTERS, ids=[",".join(p) for p, _ in FILTERS])
def test_the_first_page_of_each_filter_reads_an_index_range(cast: Any, params: dict[str, Any],
                                                            expected: tuple[str, ...]) -> None:
    qs = filter_events(AuditEvent.objects.all(), _form_data(cast, params)).order_by(*NEWEST_FIRST)[:51]
    if connection.vendor == "sqlite":
        plan = qs.explain()
        assert "SEARCH core_auditevent USING" in plan, plan
        assert any(name in plan for name in expected), plan
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
        assert "Seq Scan" not in plan and "Index" in plan, plan


def test_pages_by_key_neither_skip_nor_repeat_events_written_in_the_same_instant(cast: Any,
                                                                                  time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC), tick=False)
    with transaction.atomic():
        for i in range(120):
            audit.record(actor=cast.national_admin, event_type="test.same", reason=str(i))
    client = client_for(cast.national_admin)
    seen: list[str] = []
    response = client.get(URL, {"jenis": "test.same"})
    while True:
        seen += [e.reason for e in response.context["events"]]
        if not response.context["older"]:
            break
        response = client.get(URL, {"jenis": "test.same", "sebelum": response.context["older"]})
    assert seen == [str(i) for i in reversed(range(120))]
    back = client.get(URL, {"jenis": "test.same", "sesudah": response.context["events"][0].pk})
    assert [e.reason for e in back.context["events"]] == [str(i) for i in reversed(range(20, 70))]


def test_the_page_offers_no_list_of_every_institution(cast: Any) -> None:
    form = client_for(cast.national_admin).get(URL).content.decode().split('<div id="rows">')[0]
    assert 'list="audit-institutions"' in form and 'name="instansi"' in form
    assert "Pemerintah Kabupaten Barito Selatan" not in form and "Pemerintah Kabupaten Tabalong" not in form


def test_suggestions_come_from_the_readers_scope_only(cast: Any) -> None:
    head = client_for(cast.head_kalsel)
    html = head.get("/kelola/audit/saran/instansi/", {"instansi": "pemerintah"}).content.decode()
    assert "Pemerintah Kabupaten Tabalong" in html and "Pemerintah Kota Banjarmasin" in html
    assert "Barito" not in html
    html = client_for(cast.admin_tabalong).get("/kelola/audit/saran/instansi/", {"instansi": "Pemerintah"}).content
    assert b"Tabalong" in html and b"Banjarmasin" not in html and b"Barito" not in html
    assert b"Tabalong" in client_for(cast.admin_tabalong).get("/kelola/audit/saran/instansi/",
                                                               {"instansi": "tabal"}).content  # contains
    people = client_for(cast.admin_tabalong).get("/kelola/audit/saran/pelaku/", {"pelaku": "admin"}).content
    assert b"admin_tabalong" in people and b"admin_barsel" not in people and b"national_admin" not in people
    everyone = client_for(cast.national_admin).get("/kelola/audit/saran/pelaku/", {"pelaku": "admin"}).content
    assert b"admin_barsel" in everyone and b"admin_tabalong" in everyone
    assert client_for(cast.outsider).get("/kelola/audit/saran/pelaku/", {"pelaku": "admin"}).status_code in (403, 404)


def test_a_typed_name_filters_and_several_matches_leave_a_chooser(cast: Any) -> None:
    services.unit_save(actor=cast.operator_dukcapil, unit=cast.dukcapil, data={"phone": "0526-2021"})
    head = client_for(cast.head_kalsel)
    one = head.get(URL, {"instansi": "pemerintah kabupaten  TABALONG"})
    assert one.status_code == 200
    assert {e.institution_id for e in one.context["events"]} == {cast.tabalong.pk}
    assert 'value="Pemerintah Kabupaten Tabalong"' in one.content.decode()
    several = head.get(URL, {"instansi": "Pemerintah"})
    assert several.status_code == 400
    links = [link["query"] for c in several.context["choosers"] for link in c["links"]]
    assert sorted(links) == sorted([f"instansi={cast.tabalong.pk}", f"instansi={cast.banjarmasin.pk}"])
    chosen = head.get(URL + "?" + links[0])
    assert chosen.status_code == 200 and 'value="Pemerintah' in chosen.content.decode()
    assert head.get(URL, {"instansi": "Barito"}).status_code == 400  # outside the scope: like unknown
    actor = head.get(URL, {"pelaku": "Operator_Dukcapil"})
    assert [e.actor_name for e in actor.context["events"]] == ["operator_dukcapil"]
    partial = client_for(cast.national_admin).get(URL, {"pelaku": "admin"})
    assert partial.status_code == 200 and partial.context["events"] == []
    assert any("admin_barsel" in link["label"] for c in partial.context["choosers"] for link in c["links"])


def test_a_filtered_page_never_counts_more_than_the_cap(cast: Any) -> None:
    client = client_for(cast.national_admin)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL, {"instansi": cast.tabalong.pk})
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "auditevent" in q["sql"]]
    assert counts and all("LIMIT 1001" in sql for sql in counts)


def test_a_prefix_of_event_types_pages_through_every_type_in_order(cast: Any) -> None:
    with transaction.atomic():
        for i in range(130):
            audit.record(actor=cast.national_admin, event_type=("unit.created", "unit.updated", "unit.merge")[i % 3],
                         reason=str(i))
    expected = list(AuditEvent.objects.filter(event_type__startswith="unit.").order_by("-at", "-id")
                    .values_list("pk", flat=True))
    client = client_for(cast.national_admin)
    seen: list[int] = []
    response = client.get(URL, {"jenis": "unit"})
    while True:
        seen += [e.pk for e in response.context["events"]]
        if not response.context["older"]:
            break
        response = client.get(URL, {"jenis": "unit", "sebelum": response.context["older"]})
    assert seen == expected and len(seen) > 130


@pytest.mark.django_db
def test_the_trail_has_one_index_per_filter_and_no_single_column_copies() -> None:
    """Migration 0008: ``at``, ``institution_id``, ``province_id`` and ``prior_province_id`` each
    begin a filter index; an index of their own would only slow every insert."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "core_auditevent")
    indexed = [tuple(c["columns"]) for c in constraints.values() if c["index"] and not c["primary_key"]]
    for column in ("at", "institution_id", "province_id", "prior_province_id"):
        assert (column,) not in indexed, column
        assert any(cols[0] == column and len(cols) > 1 for cols in indexed), column
