from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404

from pantau.core.models import AuditEvent
from pantau.registry import services, unit_changes
from pantau.registry.models import ServiceProduct, ServiceStandard, ServiceUnit, UnitEvent
from pantau.registry.selectors import current_standard, institutions_for, products_for, unit_lineage, units_for
from tests.cast import FULL_STANDARD, publish

pytestmark = pytest.mark.django_db


def test_it_scopes_institutions_by_the_provinces_of_the_office(cast: Any) -> None:
    assert set(institutions_for(cast.assessor_kalsel)) == {cast.tabalong, cast.banjarmasin}
    assert set(institutions_for(cast.assessor_kalteng)) == {cast.barsel}
    assert institutions_for(cast.national_assessor).count() == 3
    assert institutions_for(cast.outsider).count() == 0


def test_it_scopes_provider_staff_to_their_institution_or_unit(cast: Any) -> None:
    assert set(units_for(cast.admin_tabalong)) == {cast.dukcapil, cast.dpmptsp}
    assert set(units_for(cast.operator_dukcapil)) == {cast.dukcapil}
    assert set(products_for(cast.operator_dukcapil)) == {cast.ktp}
    assert set(institutions_for(cast.operator_dukcapil)) == {cast.tabalong}


def test_a_published_standard_never_changes_and_an_edit_starts_a_new_version(cast: Any) -> None:
    first = current_standard(cast.ktp)
    assert first is not None and first.status == ServiceStandard.Status.PUBLISHED
    with pytest.raises(ValidationError):
        services.standard_publish(actor=cast.admin_tabalong, standard=first)
    draft = services.standard_save_draft(actor=cast.admin_tabalong, product=cast.ktp,
                                         data={"completion_time": "2 hari kerja"})
    assert draft.version == first.version + 1
    assert draft.requirements == first.requirements  # the draft starts from the latest version
    first.refresh_from_db()
    assert first.completion_time == "1 hari kerja"
    services.standard_publish(actor=cast.admin_tabalong, standard=draft, effective_date=dt.date(2026, 1, 5))
    cast.ktp.refresh_from_db()
    assert cast.ktp.current_standard_id == draft.pk


def test_it_refuses_to_publish_without_the_components_users_must_see(cast: Any) -> None:
    product = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": "Akta Kematian"})
    draft = services.standard_save_draft(actor=cast.admin_tabalong, product=product,
                                         data={"requirements": "KTP-el", "procedure": "Daftar"})
    with pytest.raises(ValidationError) as info:
        services.standard_publish(actor=cast.admin_tabalong, standard=draft)
    assert "Jangka waktu penyelesaian" in str(info.value)
    draft.refresh_from_db()
    assert draft.status == ServiceStandard.Status.DRAFT
    assert not AuditEvent.objects.filter(event_type="standard.published", object_id=str(draft.pk)).exists()


def test_free_counts_as_a_stated_cost(cast: Any) -> None:
    product = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": "KIA"})
    standard = publish(cast.admin_tabalong, product, is_free=True, cost="")
    assert standard.present_count == 14
    other = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": "SKTM"})
    draft = services.standard_save_draft(actor=cast.admin_tabalong, product=other,
                                         data={**FULL_STANDARD, "is_free": False, "cost": ""})
    assert draft.present_count == 13
    with pytest.raises(ValidationError):
        services.standard_publish(actor=cast.admin_tabalong, standard=draft)


def test_a_version_effective_in_the_future_takes_over_on_that_day(cast: Any, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    cast.ktp.refresh_from_db()
    old = cast.ktp.current_standard
    assert old is not None
    draft = services.standard_save_draft(actor=cast.admin_tabalong, product=cast.ktp, data={"output": "KTP-el baru"})
    services.standard_publish(actor=cast.admin_tabalong, standard=draft, effective_date=dt.date(2026, 4, 1))
    cast.ktp.refresh_from_db()
    assert cast.ktp.current_standard == old
    time_machine.move_to(dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC))
    call_command("refresh_standards", verbosity=0)
    cast.ktp.refresh_from_db()
    assert cast.ktp.current_standard_id == draft.pk


def test_writes_outside_scope_answer_not_found(cast: Any) -> None:
    with pytest.raises(Http404):
        services.unit_save(actor=cast.admin_barsel, unit=cast.dukcapil, data={"name": "X"})
    with pytest.raises(Http404):
        services.product_save(actor=cast.operator_dukcapil, unit=cast.dpmptsp, data={"name": "X"})
    with pytest.raises(Http404):
        services.institution_save(actor=cast.assessor_kalsel, institution=cast.tabalong, data={"name": "X"})
    with pytest.raises(Http404):
        services.institution_save(actor=cast.admin_tabalong, data={"name": "Baru", "kind": "pemkab"})
    cast.dukcapil.refresh_from_db()
    assert cast.dukcapil.name == "Dinas Kependudukan dan Pencatatan Sipil"


def test_a_head_of_office_cannot_register_an_institution_in_another_province(cast: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.institution_save(actor=cast.head_kalsel, data={
            "name": "Pemerintah Kabupaten Kapuas", "kind": "pemkab", "province_id": cast.kalteng_province.pk,
            "office_id": cast.kalteng.pk})
    assert "wilayah kerja" in str(info.value)
    assert not institutions_for(cast.national_admin).filter(name__contains="Kapuas").exists()


def test_every_write_leaves_an_audit_event_with_before_and_after(cast: Any) -> None:
    services.unit_save(actor=cast.operator_dukcapil, unit=cast.dukcapil, data={"phone": "0526-2021"},
                       reason="nomor baru")
    event = AuditEvent.objects.filter(event_type="unit.updated").latest("id")
    assert event.actor == cast.operator_dukcapil
    assert event.before == {"phone": ""} and event.after == {"phone": "0526-2021"}
    assert event.reason == "nomor baru"
    assert event.institution_id == cast.tabalong.pk and event.province_id == cast.kalsel_province.pk


def test_a_rename_keeps_the_unit_and_its_history(cast: Any) -> None:
    event = unit_changes.unit_event_record(actor=cast.admin_tabalong, kind=UnitEvent.Kind.RENAME,
                                       date=dt.date(2024, 1, 2), institution=cast.tabalong,
                                       from_units=[cast.dpmptsp], new_names=["DPMPTSP Tabalong"])
    cast.dpmptsp.refresh_from_db()
    assert cast.dpmptsp.name == "DPMPTSP Tabalong" and cast.dpmptsp.is_active
    assert event.old_name == "DPMPTSP"
    assert unit_lineage(cast.dpmptsp) == [cast.dpmptsp.pk]


def test_a_merge_retires_the_old_units_and_the_new_one_inherits_their_lineage(cast: Any) -> None:
    unit_changes.unit_event_record(actor=cast.admin_tabalong, kind=UnitEvent.Kind.MERGE, date=dt.date(2024, 1, 2),
                               institution=cast.tabalong, from_units=[cast.dukcapil, cast.dpmptsp],
                               new_names=["Mal Pelayanan Publik Tabalong"])
    merged = ServiceUnit.objects.get(name="Mal Pelayanan Publik Tabalong")
    assert set(unit_lineage(merged)) == {merged.pk, cast.dukcapil.pk, cast.dpmptsp.pk}
    cast.dukcapil.refresh_from_db()
    assert not cast.dukcapil.is_active and cast.dukcapil.active_until == dt.date(2024, 1, 2)


def test_a_split_needs_two_new_names_and_writes_nothing_otherwise(cast: Any) -> None:
    before = ServiceUnit.objects.count()
    with pytest.raises(ValidationError):
        unit_changes.unit_event_record(actor=cast.admin_tabalong, kind=UnitEvent.Kind.SPLIT, date=dt.date(2024, 1, 2),
                                   institution=cast.tabalong, from_units=[cast.dpmptsp], new_names=["Satu"])
    assert ServiceUnit.objects.count() == before
    assert UnitEvent.objects.count() == 0
    unit_changes.unit_event_record(actor=cast.admin_tabalong, kind=UnitEvent.Kind.SPLIT, date=dt.date(2024, 1, 2),
                               institution=cast.tabalong, from_units=[cast.dpmptsp],
                               new_names=["Dinas Penanaman Modal", "Dinas Perizinan"])
    child = ServiceUnit.objects.get(name="Dinas Perizinan")
    assert unit_lineage(child) == sorted([child.pk, cast.dpmptsp.pk])


def test_a_merge_into_a_name_that_exists_fails_whole(cast: Any) -> None:
    with pytest.raises(ValidationError):
        unit_changes.unit_event_record(actor=cast.admin_tabalong, kind=UnitEvent.Kind.MERGE, date=dt.date(2024, 1, 2),
                                   institution=cast.tabalong, from_units=[cast.dukcapil, cast.dpmptsp],
                                   new_names=["DPMPTSP"])
    cast.dukcapil.refresh_from_db()
    assert cast.dukcapil.is_active
    assert UnitEvent.objects.count() == 0


def test_duplicate_product_names_in_a_unit_are_refused(cast: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": "Penerbitan KTP-el"})
    # On the field the user must change, in words that say what is wrong (Django's Indonesian
    # default for a two-field constraint says the opposite: "... ini tidak ada").
    taken = "Unit ini sudah punya produk layanan dengan nama ini; pakai nama lain."
    assert info.value.message_dict == {"name": [taken]}
    assert ServiceProduct.objects.filter(unit=cast.dukcapil).count() == 1


def test_a_heads_other_roles_do_not_let_them_edit_another_province(cast: Any) -> None:
    from pantau.accounts.models import Membership, Role, User

    # The head of Kalsel also works as an assessor for Kalteng: reading Kalteng, yes; editing it, no.
    Membership.objects.create(user=cast.head_kalsel, role=Role.ASSESSOR, office=cast.kalteng)
    head = User.objects.get(pk=cast.head_kalsel.pk)
    assert institutions_for(head).filter(pk=cast.barsel.pk).exists()
    with pytest.raises(Http404):
        services.unit_save(actor=head, unit=cast.barsel_dukcapil, data={"phone": "0525-1"})
    services.unit_save(actor=head, unit=cast.dukcapil, data={"phone": "0526-1"})
    assert ServiceUnit.objects.get(pk=cast.barsel_dukcapil.pk).phone == ""
