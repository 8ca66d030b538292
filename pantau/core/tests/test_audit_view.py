"""The audit view: scoped to the reader, filterable, paginated, flat in queries, calm on bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pantau.accounts import services as account_services
from pantau.core import audit
from pantau.core.audit_views import event_types_of
from pantau.core.models import AuditEvent
from pantau.core.selectors import audit_events_for
from pantau.registry import services
from pantau.registry.models import Province
from tests.cast import client_for

pytestmark = pytest.mark.django_db
URL = "/kelola/audit/"


def institutions_of(events: Any) -> set[int | None]:
    return set(events.values_list("institution_id", flat=True))


def test_the_url_is_under_kelola() -> None:
    assert reverse("core:audit") == URL


def test_a_national_admin_reads_every_event(cast: Any) -> None:
    assert audit_events_for(cast.national_admin).count() == AuditEvent.objects.count() > 0


def test_a_head_of_office_reads_the_events_of_their_provinces_only(cast: Any) -> None:
    seen = institutions_of(audit_events_for(cast.head_kalsel))
    assert seen == {cast.tabalong.pk, cast.banjarmasin.pk}


def test_a_head_of_office_also_reads_institutions_their_office_supervises_elsewhere(cast: Any) -> None:
    kaltim = Province.objects.create(code="64", name="Kalimantan Timur")
    inst = services.institution_save(actor=cast.national_admin, data={
        "name": "BUMD Banua", "kind": "bumd", "province_id": kaltim.pk, "office_id": cast.kalsel.pk})
    assert inst.pk in institutions_of(audit_events_for(cast.head_kalsel))
    assert inst.pk not in institutions_of(audit_events_for(cast.admin_tabalong))


def test_an_institution_admin_reads_their_institution_and_their_own_actions(cast: Any) -> None:
    account_services.api_token_create(actor=cast.admin_tabalong, name="impor")
    account_services.api_token_create(actor=cast.admin_barsel, name="impor")
    events = audit_events_for(cast.admin_tabalong)
    assert institutions_of(events) == {cast.tabalong.pk, None}
    assert set(events.filter(institution_id=None).values_list("actor_name", flat=True)) == {"admin_tabalong"}
    assert institutions_of(audit_events_for(cast.admin_barsel)) == {cast.barsel.pk, None}


@pytest.mark.parametrize("role", ["assessor_kalsel", "operator_dukcapil", "national_assessor", "outsider"])
def test_other_roles_read_nothing(cast: Any, role: str) -> None:
    assert audit_events_for(cast.users[role]).count() == 0


def test_the_page_shows_who_did_what_with_a_readable_diff(cast: Any) -> None:
    services.unit_save(actor=cast.operator_dukcapil, unit=cast.dukcapil, data={"phone": "0526-2021"},
                       reason="nomor baru")
    html = client_for(cast.head_kalsel).get(URL, {"jenis": "unit.updated"}).content.decode()
    assert "operator_dukcapil" in html and "unit.updated" in html and "nomor baru" in html
    assert "Telepon/WA pengaduan" in html  # the label staff know from the form, not the column name
    assert "<del>—</del>" in html and "<ins>0526-2021</ins>" in html
    assert reverse("manage:unit", args=[cast.dukcapil.pk]) in html
    assert "Pemerintah Kabupaten Tabalong" in html
    assert "Barito" not in html


def test_the_navigation_offers_the_trail_to_its_readers_only(cast: Any) -> None:
    assert f'href="{URL}"' in client_for(cast.admin_tabalong).get(reverse("manage:dashboard")).content.decode()
    assert f'href="{URL}"' not in client_for(cast.assessor_kalsel).get(reverse("manage:dashboard")).content.decode()


def _count(client: Client, **params: Any) -> int:
    html = client.get(URL, params).content.decode()
    return sum(html.count(f"<code>{t}</code>") for t in {e.event_type for e in AuditEvent.objects.all()})


def test_each_filter_narrows_the_list(cast: Any) -> None:
    services.unit_save(actor=cast.operator_dukcapil, unit=cast.dukcapil, data={"phone": "0526-2021"})
    update = AuditEvent.objects.latest("pk")
    client = client_for(cast.national_admin)
    total = AuditEvent.objects.count()
    assert _count(client) == total
    assert _count(client, jenis="unit") == AuditEvent.objects.filter(event_type__startswith="unit.").count() == 4
    assert _count(client, jenis="unit.updated") == 1
    assert _count(client, pelaku="OPERATOR_dukcapil") == 1
    assert _count(client, objek="registry.serviceunit") == 4
    assert _count(client, objek="registry.serviceunit", id_objek=cast.dukcapil.pk) == 2
    assert _count(client, instansi=cast.barsel.pk) == AuditEvent.objects.filter(institution_id=cast.barsel.pk).count()
    response = client_for(cast.operator_dukcapil).post(reverse("manage:unit", args=[cast.dukcapil.pk]), {
        "name": cast.dukcapil.name, "kind": "dinas", "phone": "0526-9999"})
    assert _count(client, permintaan=response["X-Request-ID"]) == 1
    today = timezone.localdate()
    assert _count(client, dari=today.isoformat(), sampai=today.isoformat()) == AuditEvent.objects.count()
    assert _count(client, sampai=(today - dt.timedelta(days=1)).isoformat()) == 0
    assert _count(client, dari=(today + dt.timedelta(days=1)).isoformat()) == 0
    assert _count(client, objek="registry.serviceunit", id_objek=update.object_id) == 3


def test_a_date_filter_follows_the_local_day(cast: Any, time_machine: Any) -> None:
    # 23:30 in Jakarta on 5 Jan is 16:30 UTC: the event belongs to 5 Jan, not to 6 Jan.
    time_machine.move_to(dt.datetime(2026, 1, 5, 16, 30, tzinfo=dt.UTC))
    services.unit_save(actor=cast.operator_dukcapil, unit=cast.dukcapil, data={"phone": "0526-1"})
    time_machine.move_to(dt.datetime(2026, 1, 6, 3, 0, tzinfo=dt.UTC))
    client = client_for(cast.national_admin)
    assert _count(client, jenis="unit.updated", dari="2026-01-05", sampai="2026-01-05") == 1
    assert _count(client, jenis="unit.updated", dari="2026-01-06") == 0


def test_an_institution_outside_the_readers_scope_cannot_be_chosen(cast: Any) -> None:
    response = client_for(cast.admin_tabalong).get(URL, {"instansi": cast.barsel.pk})
    assert response.status_code == 400
    assert "tidak ada dalam wilayah kerja Anda" in response.content.decode()
    assert "Barito" not in response.content.decode()


@pytest.mark.parametrize(("params", "message"), [
    ({"dari": "31-31-2026"}, "Tulis tanggal seperti 2026-01-31"),
    ({"sampai": "kemarin"}, "Tulis tanggal seperti 2026-01-31"),
    ({"dari": "2026-02-01", "sampai": "2026-01-01"}, "tidak boleh sebelum tanggal awal"),
    ({"dari": "0001-01-01"}, "antara tahun 2000 dan 2100"),
    ({"sampai": "9999-12-31"}, "antara tahun 2000 dan 2100"),
    ({"id_objek": "abc"}, "ID objek harus berupa angka"),
    ({"id_objek": "-3"}, "ID objek"),
    ({"id_objek": "1e5"}, "ID objek harus berupa angka"),
    ({"instansi": "abc"}, "Instansi"),
    ({"instansi": "99999999999999999999999"}, "Instansi"),
    ({"objek": "auth.permission"}, "Jenis objek"),
    ({"permintaan": "x' OR 1=1 --"}, "hanya berisi huruf, angka"),
    ({"jenis": "x" * 65}, "Jenis kejadian"),
])
def test_bad_filters_get_an_inline_message_not_an_error(cast: Any, params: dict[str, str], message: str) -> None:
    client = client_for(cast.national_admin)
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html and "<form" in html
    partial = client.get(URL, params, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200  # htmx swaps only 2xx answers
    assert message in partial.content.decode() and "<form" not in partial.content.decode()
    assert client.get(reverse("core:audit_export"), params).status_code == 400


def test_odd_page_cursors_are_ignored(cast: Any) -> None:
    client = client_for(cast.national_admin)
    for params in ({"sebelum": "abc"}, {"sesudah": "-1"}, {"sebelum": "99999999999999999999"}, {"sesudah": "0"}):
        assert client.get(URL, params).status_code == 200


def test_htmx_gets_only_the_rows(cast: Any) -> None:
    response = client_for(cast.national_admin).get(URL, {"jenis": "unit"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<table>" in html and "<html" not in html and "<form" not in html


def _make_events(cast: Any, n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            audit.record(actor=cast.admin_tabalong, event_type="test.bulk", obj=cast.dukcapil,
                         before={"phone": str(i)}, after={"phone": str(i + 1)}, institution_id=cast.tabalong.pk,
                         province_id=cast.kalsel_province.pk)


def test_pages_go_back_and_forth_without_gaps_or_repeats(cast: Any) -> None:
    _make_events(cast, 120)
    client = client_for(cast.admin_tabalong)
    seen: list[str] = []
    params: dict[str, Any] = {"jenis": "test.bulk"}
    pages = []
    while True:
        response = client.get(URL, params)
        page = response.context["events"]
        pages.append([e.pk for e in page])
        seen.extend(e.pk for e in page)
        if response.context["older"] is None:
            break
        params = {"jenis": "test.bulk", "sebelum": response.context["older"]}
    assert [len(p) for p in pages] == [50, 50, 20]
    assert len(seen) == len(set(seen)) == 120
    assert seen == sorted(seen, reverse=True)
    back = client.get(URL, {"jenis": "test.bulk", "sesudah": pages[2][0]})
    assert [e.pk for e in back.context["events"]] == pages[1]
    assert "Lebih baru" in back.content.decode() and "Lebih lama" in back.content.decode()


def test_a_long_trail_is_counted_up_to_a_cap(cast: Any, settings: Any, monkeypatch: Any) -> None:
    from pantau.core import audit_views

    monkeypatch.setattr(audit_views, "COUNT_CAP", 20)
    _make_events(cast, 30)
    html = client_for(cast.admin_tabalong).get(URL, {"jenis": "test.bulk"}).content.decode()
    assert "Lebih dari 20 kejadian" in html


def _queries(client: Client, **params: Any) -> int:
    with CaptureQueriesContext(transaction.get_connection()) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["national_admin", "head_kalsel", "admin_tabalong"])
def test_the_query_count_does_not_grow_with_the_trail(cast: Any, role: str,
                                                      django_assert_max_num_queries: Any) -> None:
    client = client_for(cast.users[role])
    for round_, params in enumerate(({}, {"jenis": "unit", "instansi": cast.tabalong.pk})):
        small = _queries(client, **params)
        for i in range(30):
            inst = services.institution_save(actor=cast.national_admin, data={
                "name": f"Instansi {round_}-{i}", "kind": "lembaga",
                "province_id": cast.kalsel_province.pk, "office_id": cast.kalsel.pk})
            services.unit_save(actor=cast.national_admin, institution=inst, data={"name": "Unit"})
            services.unit_save(actor=cast.national_admin, unit=cast.dukcapil, data={"phone": str(i)})
        assert _queries(client, **params) == small
        # A prefix of event types reads one index range per registered type it stands for.
        per_type = len(event_types_of("unit")) if params else 0
        with django_assert_max_num_queries(12 + per_type):
            client.get(URL, params)


def test_the_csv_export_holds_the_filtered_scoped_events(cast: Any) -> None:
    services.unit_save(actor=cast.operator_dukcapil, unit=cast.dukcapil, data={"phone": "=HYPERLINK(1)"},
                       reason="+ganti")
    response = client_for(cast.admin_tabalong).get(reverse("core:audit_export"), {"jenis": "unit"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["event_type"] for r in rows} == {"unit.created", "unit.updated"}
    assert {r["institution_id"] for r in rows} == {str(cast.tabalong.pk)}
    updated = next(r for r in rows if r["event_type"] == "unit.updated")
    assert updated["reason"] == "'+ganti"  # a spreadsheet must not run it as a formula
    assert '"phone": "=HYPERLINK(1)"' in updated["after"] and updated["actor"] == "operator_dukcapil"


def test_a_heads_other_roles_do_not_open_another_offices_trail(cast: Any) -> None:
    from pantau.accounts.models import Membership, Role

    Membership.objects.create(user=cast.head_kalsel, role=Role.ASSESSOR, office=cast.kalteng)
    assert institutions_of(audit_events_for(cast.head_kalsel)) == {cast.tabalong.pk, cast.banjarmasin.pk}


def test_the_head_of_the_national_office_reads_every_event(cast: Any) -> None:
    from pantau.accounts.models import Role
    from pantau.registry.models import Office
    from tests.cast import make_user

    head = make_user("kepala_pusat", Role.HEAD_OF_OFFICE, office=Office.objects.get(is_national=True))
    assert audit_events_for(head).count() == AuditEvent.objects.count()
