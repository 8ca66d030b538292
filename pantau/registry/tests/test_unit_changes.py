"""Unit merges, splits and dissolutions take effect on their date; products follow; old links keep working."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.test import Client
from django.urls import reverse

from pantau.core.models import AuditEvent
from pantau.registry import services, unit_changes
from pantau.registry.models import ProductMove, ServiceProduct, ServiceUnit, UnitEvent
from tests.cast import publish

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
NEXT_MONTH = dt.date(2026, 4, 1)


def _public(pk: int) -> int:
    return Client().get(reverse("public:product", args=[pk])).status_code


def _merge(cast: Any, date: dt.date, **kwargs: Any) -> UnitEvent:
    return unit_changes.unit_event_record(
        actor=cast.admin_tabalong, kind="merge", date=date, institution=cast.tabalong,
        from_units=[cast.dukcapil, cast.dpmptsp], **{"new_names": ["Mal Pelayanan Publik Tabalong"], **kwargs})


def _fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def test_a_merge_dated_next_month_leaves_units_and_products_public_until_that_date(
    cast: Any, time_machine: Any
) -> None:
    time_machine.move_to(TODAY)
    event = _merge(cast, NEXT_MONTH)
    assert event.state == "pending"
    assert _fresh(cast.dukcapil).is_active and _fresh(cast.dpmptsp).is_active
    new_unit = ServiceUnit.objects.get(name="Mal Pelayanan Publik Tabalong")
    assert not new_unit.is_active and new_unit.active_from == NEXT_MONTH
    assert _public(cast.ktp.pk) == 200 and _public(cast.pbg.pk) == 200
    assert Client().get(reverse("public:board", args=[cast.ktp.pk])).status_code == 200

    time_machine.move_to(dt.datetime(2026, 4, 1, 1, tzinfo=dt.UTC))
    call_command("refresh_standards", stdout=io.StringIO())
    assert _fresh(event).state == "applied"
    assert not _fresh(cast.dukcapil).is_active and _fresh(cast.dukcapil).active_until == NEXT_MONTH
    assert _fresh(new_unit).is_active
    assert _fresh(cast.ktp).unit == new_unit and _fresh(cast.pbg).unit == new_unit
    qr = Client().get(reverse("public:product_short", args=[cast.ktp.pk]), follow=True)
    assert qr.status_code == 200 and "Mal Pelayanan Publik Tabalong" in qr.content.decode()


def test_the_daily_command_applies_a_due_change_once(cast: Any, time_machine: Any) -> None:
    time_machine.move_to(TODAY)
    _merge(cast, NEXT_MONTH)
    time_machine.move_to(dt.datetime(2026, 4, 2, 1, tzinfo=dt.UTC))
    assert len(unit_changes.unit_events_apply_due()) == 1
    assert unit_changes.unit_events_apply_due() == ()
    assert AuditEvent.objects.filter(event_type="unit.applied").count() == 1


def test_an_old_qr_code_scanned_on_the_day_applies_the_change_before_the_nightly_run(
    cast: Any, time_machine: Any
) -> None:
    time_machine.move_to(TODAY)
    _merge(cast, NEXT_MONTH)
    time_machine.move_to(dt.datetime(2026, 4, 1, 1, tzinfo=dt.UTC))
    response = Client().get(reverse("public:product_short", args=[cast.pbg.pk]), follow=True)
    assert response.status_code == 200
    assert _fresh(cast.pbg).unit.name == "Mal Pelayanan Publik Tabalong"


def test_a_product_merged_into_a_unit_with_the_same_service_leads_there(cast: Any) -> None:
    mpp = services.unit_save(actor=cast.admin_tabalong, institution=cast.tabalong, data={"name": "MPP Tabalong"})
    twin = services.product_save(actor=cast.admin_tabalong, unit=mpp, data={"name": "penerbitan  KTP-EL"})
    publish(cast.admin_tabalong, twin)
    _merge(cast, dt.date(2025, 6, 1), into=mpp, new_names=[])
    ktp = _fresh(cast.ktp)
    assert not ktp.is_active and ktp.unit == cast.dukcapil
    page = Client().get(reverse("public:product_short", args=[ktp.pk]), follow=True)
    assert page.redirect_chain[-1][0] == reverse("public:product", args=[twin.pk])
    board = Client().get(reverse("public:board", args=[ktp.pk]))
    assert board.status_code == 302 and board["Location"] == reverse("public:board", args=[twin.pk])


def test_a_dissolution_discontinues_its_products_and_the_old_link_says_since_when(cast: Any) -> None:
    unit_changes.unit_event_record(actor=cast.admin_tabalong, kind="dissolve", date=dt.date(2025, 6, 1),
                                   institution=cast.tabalong, from_units=[cast.dpmptsp], legal_basis="Perbup 7/2025")
    response = Client().get(reverse("public:product", args=[cast.pbg.pk]))
    html = response.content.decode()
    assert response.status_code == 410
    assert "tidak lagi diberikan oleh DPMPTSP sejak 1 Juni 2025" in html and "Perbup 7/2025" in html
    assert Client().get(reverse("public:board", args=[cast.pbg.pk])).status_code == 410


def test_a_dissolution_can_hand_a_product_to_another_unit_of_the_institution(cast: Any) -> None:
    unit_changes.unit_event_record(actor=cast.admin_tabalong, kind="dissolve", date=dt.date(2025, 6, 1),
                                   institution=cast.tabalong, from_units=[cast.dpmptsp],
                                   destinations={cast.pbg.pk: f"unit:{cast.dukcapil.pk}"})
    assert _fresh(cast.pbg).unit == cast.dukcapil
    assert _public(cast.pbg.pk) == 200


def test_a_split_moves_each_product_to_the_unit_chosen_for_it(cast: Any) -> None:
    izin = services.product_save(actor=cast.admin_tabalong, unit=cast.dpmptsp, data={"name": "Izin Reklame"})
    unit_changes.unit_event_record(
        actor=cast.admin_tabalong, kind="split", date=dt.date(2025, 6, 1), institution=cast.tabalong,
        from_units=[cast.dpmptsp], new_names=["Dinas Penanaman Modal", "Dinas Perizinan"],
        destinations={cast.pbg.pk: "new:1", izin.pk: "new:0"})
    assert _fresh(cast.pbg).unit.name == "Dinas Perizinan"
    assert _fresh(izin).unit.name == "Dinas Penanaman Modal"
    assert _public(cast.pbg.pk) == 200


def test_a_product_cannot_be_moved_to_a_unit_outside_the_institution_and_nothing_is_written(cast: Any) -> None:
    units, events = ServiceUnit.objects.count(), UnitEvent.objects.count()
    with pytest.raises(ValidationError):
        unit_changes.unit_event_record(actor=cast.admin_tabalong, kind="dissolve", date=dt.date(2025, 6, 1),
                                       institution=cast.tabalong, from_units=[cast.dpmptsp],
                                       destinations={cast.pbg.pk: f"unit:{cast.barsel_dukcapil.pk}"})
    with pytest.raises(Http404):
        _merge(cast, dt.date(2025, 6, 1), into=cast.barsel_dukcapil, new_names=[])
    assert (ServiceUnit.objects.count(), UnitEvent.objects.count()) == (units, events)
    assert _fresh(cast.dpmptsp).is_active and _fresh(cast.pbg).unit == cast.dpmptsp


def test_a_merge_naming_both_an_existing_unit_and_a_new_name_is_refused_not_half_read(cast: Any) -> None:
    mpp = services.unit_save(actor=cast.admin_tabalong, institution=cast.tabalong, data={"name": "MPP Tabalong"})
    with pytest.raises(ValidationError, match="jangan keduanya"):
        _merge(cast, dt.date(2025, 6, 1), into=mpp)
    assert UnitEvent.objects.count() == 0 and _fresh(cast.dukcapil).is_active


def test_undoing_a_pending_change_cancels_it_and_frees_the_new_name(cast: Any, time_machine: Any) -> None:
    time_machine.move_to(TODAY)
    event = _merge(cast, NEXT_MONTH)
    with pytest.raises(ValidationError) as info:
        unit_changes.unit_event_undo(actor=cast.admin_tabalong, event=event, reason="  ")
    assert "alasan" in str(info.value)
    unit_changes.unit_event_undo(actor=cast.admin_tabalong, event=event, reason="Perbup dicabut")
    assert _fresh(event).state == "undone" and _fresh(event).undo_reason == "Perbup dicabut"
    assert not ServiceUnit.objects.filter(name="Mal Pelayanan Publik Tabalong").exists()
    time_machine.move_to(dt.datetime(2026, 4, 2, 1, tzinfo=dt.UTC))
    assert unit_changes.unit_events_apply_due() == ()
    assert _fresh(cast.dukcapil).is_active and _public(cast.ktp.pk) == 200
    _merge(cast, dt.date(2026, 5, 1))  # the name is free again


def test_undoing_an_applied_merge_restores_the_units_and_their_products(cast: Any) -> None:
    event = _merge(cast, dt.date(2025, 6, 1))
    merged = ServiceUnit.objects.get(name="Mal Pelayanan Publik Tabalong")
    assert _fresh(cast.ktp).unit == merged
    unit_changes.unit_event_undo(actor=cast.admin_tabalong, event=event, reason="salah unit")
    assert _fresh(cast.ktp).unit == cast.dukcapil and _fresh(cast.pbg).unit == cast.dpmptsp
    assert _fresh(cast.dukcapil).is_active and _fresh(cast.dukcapil).active_until is None
    assert not _fresh(merged).is_active
    assert _public(cast.ktp.pk) == 200
    assert AuditEvent.objects.filter(event_type="unit.undone", reason="salah unit").exists()


def test_a_change_with_a_later_change_on_the_same_units_cannot_be_undone_first(cast: Any) -> None:
    event = _merge(cast, dt.date(2025, 6, 1))
    merged = ServiceUnit.objects.get(name="Mal Pelayanan Publik Tabalong")
    unit_changes.unit_event_record(actor=cast.admin_tabalong, kind="rename", date=dt.date(2025, 7, 1),
                                   institution=cast.tabalong, from_units=[merged], new_names=["MPP"])
    with pytest.raises(ValidationError, match="lebih baru"):
        unit_changes.unit_event_undo(actor=cast.admin_tabalong, event=event, reason="salah")


def test_correcting_a_pending_date_to_today_applies_the_change(cast: Any, time_machine: Any) -> None:
    time_machine.move_to(TODAY)
    event = _merge(cast, NEXT_MONTH)
    unit_changes.unit_event_correct(actor=cast.admin_tabalong, event=event, data={"date": dt.date(2026, 3, 10),
                                    "legal_basis": "Perbup 3/2026"}, reason="tanggal salah ketik")
    assert _fresh(event).state == "applied" and _fresh(event).legal_basis == "Perbup 3/2026"
    assert not _fresh(cast.dukcapil).is_active


def test_an_applied_change_cannot_be_moved_into_the_future(cast: Any) -> None:
    event = _merge(cast, dt.date(2025, 6, 1))
    with pytest.raises(ValidationError) as info:
        unit_changes.unit_event_correct(actor=cast.admin_tabalong, event=event, data={"date": dt.date(2099, 1, 1)})
    assert "batalkan dulu" in info.value.message_dict["date"][0]
    unit_changes.unit_event_correct(actor=cast.admin_tabalong, event=event, data={"date": dt.date(2025, 5, 2)})
    assert _fresh(cast.dukcapil).active_until == dt.date(2025, 5, 2)


def test_another_institutions_admin_cannot_correct_or_undo_a_change(cast: Any) -> None:
    event = _merge(cast, dt.date(2025, 6, 1))
    with pytest.raises(Http404):
        unit_changes.unit_event_undo(actor=cast.admin_barsel, event=event, reason="x")
    with pytest.raises(Http404):
        unit_changes.unit_event_correct(actor=cast.admin_barsel, event=event, data={"note": "x"})
    assert _fresh(event).state == "applied"


def test_products_added_to_a_unit_before_its_change_takes_effect_go_with_it(cast: Any, time_machine: Any) -> None:
    time_machine.move_to(TODAY)
    _merge(cast, NEXT_MONTH)
    late = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": "Akta Kelahiran"})
    time_machine.move_to(dt.datetime(2026, 4, 2, 1, tzinfo=dt.UTC))
    unit_changes.unit_events_apply_due()
    assert ServiceProduct.objects.get(pk=late.pk).unit.name == "Mal Pelayanan Publik Tabalong"


def test_a_product_left_in_a_unit_retired_before_products_moved_says_which_units_took_over(cast: Any) -> None:
    event = _merge(cast, dt.date(2021, 1, 4))
    ProductMove.objects.filter(event=event).delete()  # as recorded before issue 6: products stayed behind
    ServiceProduct.objects.filter(pk=cast.ktp.pk).update(unit=cast.dukcapil)
    response = Client().get(reverse("public:product", args=[cast.ktp.pk]))
    html = response.content.decode()
    assert response.status_code == 410
    assert "sejak 4 Januari 2021" in html and "Mal Pelayanan Publik Tabalong" in html


@pytest.mark.parametrize("pk", [0, 2**63, 10**20])
def test_a_qr_link_with_an_impossible_id_answers_a_plain_redirect_not_a_500(cast: Any, pk: int) -> None:
    response = Client().get(f"/l/{pk}")
    assert response.status_code in (302, 404)


def test_a_destination_for_a_product_of_another_unit_is_refused_not_ignored(cast: Any) -> None:
    with pytest.raises(ValidationError, match="bukan milik unit yang berubah"):
        unit_changes.unit_event_record(actor=cast.admin_tabalong, kind="dissolve", date=dt.date(2025, 6, 1),
                                       institution=cast.tabalong, from_units=[cast.dpmptsp],
                                       destinations={cast.barsel_ktp.pk: ""})
    assert UnitEvent.objects.count() == 0 and _fresh(cast.dpmptsp).is_active


def test_an_overlong_legal_basis_is_refused_with_a_message_not_a_database_error(cast: Any) -> None:
    with pytest.raises(ValidationError) as info:
        unit_changes.unit_event_record(actor=cast.admin_tabalong, kind="dissolve", date=dt.date(2025, 6, 1),
                                       institution=cast.tabalong, from_units=[cast.dpmptsp], legal_basis="x" * 300)
    assert "legal_basis" in info.value.message_dict
    assert UnitEvent.objects.count() == 0 and _fresh(cast.dpmptsp).is_active
