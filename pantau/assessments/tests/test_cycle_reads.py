"""Reads of the cycle, scoped by user; the prefill from the registry and its gap list; the
sampling rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from pantau.assessments import sampling, services_answers, services_period
from pantau.assessments.models import Period
from pantau.assessments.selectors_cycle import (
    draft_results_for,
    periods_for,
    prefill,
    public_results,
    sampled_units_for,
    work_list,
)
from pantau.assessments.tests.cycle_helpers import (
    AT_PUBLICATION,
    IN_RESPONSE,
    approved_everywhere,
    ready_for_collection,
    sampled,
)

D = Decimal


@pytest.mark.django_db
def test_an_assessor_sees_only_assigned_or_in_scope_units(cast: Any, time_machine: Any) -> None:
    period = ready_for_collection(cast, time_machine)
    both = {sampled(period, cast.dukcapil), sampled(period, cast.dpmptsp)}
    assert set(sampled_units_for(cast.assessor_kalsel)) == both
    assert set(work_list(cast.assessor_kalsel)) == both
    assert set(sampled_units_for(cast.national_assessor)) == both
    for nobody in (cast.assessor_kalteng, cast.admin_tabalong, cast.operator_dukcapil, cast.outsider,
                   AnonymousUser()):
        assert not sampled_units_for(nobody).exists()
    assert not work_list(cast.assessor_kalteng).exists()


@pytest.mark.django_db
def test_a_provider_sees_only_its_own_draft_results_once_the_window_opens(cast: Any, time_machine: Any) -> None:
    period = approved_everywhere(cast, time_machine)
    assert not periods_for(cast.admin_tabalong).filter(pk=period.pk).exists()  # in review: not yet
    time_machine.move_to(IN_RESPONSE)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")
    assert draft_results_for(cast.admin_tabalong, period).count() == 5  # 2 products, 2 units, the institution
    assert periods_for(cast.admin_tabalong).filter(pk=period.pk).exists()
    for other in (cast.admin_barsel, cast.assessor_kalteng, cast.operator_dukcapil, cast.outsider):
        assert not draft_results_for(other, period).exists()
        assert not periods_for(other).filter(pk=period.pk).exists()
    assert draft_results_for(cast.head_kalsel, period).count() == 5
    assert not public_results(period).exists()


@pytest.mark.django_db
def test_the_public_sees_only_published_official_results(cast: Any, time_machine: Any) -> None:
    period = approved_everywhere(cast, time_machine)
    time_machine.move_to(IN_RESPONSE)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")
    time_machine.move_to(AT_PUBLICATION)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="published")
    assert public_results(period).count() == 5 and public_results().count() == 5
    assert list(periods_for(AnonymousUser())) == [period]
    assert list(periods_for(cast.outsider)) == [period]


@pytest.mark.django_db
def test_the_instrument_shows_what_was_published_beside_each_item_and_the_gaps(cast: Any, time_machine: Any) -> None:
    period = ready_for_collection(cast, time_machine)
    dukcapil, dpmptsp = sampled(period, cast.dukcapil), sampled(period, cast.dpmptsp)
    ktp, pbg = dukcapil.products.get(), dpmptsp.products.get()
    services_answers.answer_save(actor=cast.assessor_kalsel, sampled_unit=dukcapil, item="sp_persyaratan",
                                 sampled_product=ktp, value=D(0))  # published, but not on the wall
    services_answers.answer_save(actor=cast.assessor_kalsel, sampled_unit=dukcapil, item="sp_waktu",
                                 sampled_product=ktp, value=D(1))
    services_answers.answer_save(actor=cast.assessor_kalsel, sampled_unit=dpmptsp, item="mk_maklumat", value=D(1))
    shown = prefill(cast.assessor_kalsel, ktp)
    assert shown is not None
    rows = {r["item"]: r for r in shown["rows"]}
    assert rows["sp_persyaratan"]["published"] == "Fotokopi Kartu Keluarga\nSurat pengantar RT/RW"
    assert rows["sp_persyaratan"]["label"] == "Persyaratan" and rows["sp_persyaratan"]["answer"] == D(0)
    assert rows["sp_biaya"]["published"] == "Gratis"
    assert rows["mk_maklumat"]["published"] == "Kami sanggup melayani sesuai standar."
    assert rows["vm_dipajang"]["component"] is None and rows["vm_dipajang"]["published"] is None
    assert shown["gaps"] == {"published_not_visible": ["sp_persyaratan"], "visible_not_published": []}
    other = prefill(cast.assessor_kalsel, pbg)
    assert other is not None
    assert {r["item"]: r for r in other["rows"]}["mk_maklumat"]["published"] == ""  # DPMPTSP has no maklumat
    assert other["gaps"]["visible_not_published"] == ["mk_maklumat"]
    assert prefill(cast.assessor_kalteng, ktp) is None
    assert prefill(cast.admin_tabalong, ktp) is None


def rows(*units: tuple[int, str, str]) -> list[dict[str, Any]]:
    return [{"id": i, "name": n, "kind": k} for i, n, k in units]


def test_the_loci_rule_picks_the_seven_units_of_a_regional_government() -> None:
    units = rows((1, "Dinas Kependudukan dan Pencatatan Sipil", "dinas"), (2, "Dinas Kesehatan", "dinas"),
                 (3, "Dinas Pendidikan dan Kebudayaan", "dinas"), (4, "Dinas Pekerjaan Umum", "dinas"),
                 (5, "DPMPTSP", "dinas"), (6, "Puskesmas Tanjung", "puskesmas"), (7, "Puskesmas Murung Pudak",
                                                                                  "puskesmas"),
                 (8, "Puskesmas Kelua", "puskesmas"), (9, "RSUD H. Badaruddin Kesehatan", "rsud"))
    products = [{"id": 100 + u["id"] * 10 + k, "unit_id": u["id"]} for u in units for k in range(7)]
    choice = sampling.choose("loci-2022", institution_kind="pemkab", units=units, products=products)
    assert [u for u, _ in choice.units] == [2, 6, 7, 3, 5, 1]
    assert choice.missing_loci == ["Dinas Sosial"]
    assert all(len(p) == sampling.DEFAULT_PRODUCTS for _, p in choice.units)
    ministry = sampling.choose("loci-2022", institution_kind="kementerian", units=units, products=products)
    assert len(ministry.units) == len(units) and not ministry.missing_loci


def test_the_other_rules_and_units_without_products() -> None:
    units = rows((1, "A", "dinas"), (2, "B", "dinas"), (3, "C", "kecamatan"), (4, "D", "kecamatan"))
    products = [{"id": 11, "unit_id": 1}, {"id": 12, "unit_id": 1}, {"id": 31, "unit_id": 3}]
    first = sampling.choose("first-n", institution_kind="pemkab", units=units, products=products, per_unit=1)
    assert first.units == [(1, [11]), (3, [31])]
    every = sampling.choose("all", institution_kind="pemkab", units=units, products=products)
    assert every.units == [(1, [11, 12]), (3, [31])] and every.without_products == [2, 4]
    unit_level = sampling.choose("all", institution_kind="pemkab", units=units, products=products,
                                 needs_products=False)
    assert [u for u, _ in unit_level.units] == [1, 2, 3, 4]
    with pytest.raises(ValueError, match="unknown sampling rule"):
        sampling.choose("acak", institution_kind="pemkab", units=units, products=products)


@pytest.mark.django_db
def test_a_rule_sample_records_who_chose_it_and_how(cast: Any, time_machine: Any) -> None:
    period = ready_for_collection(cast, time_machine)
    unit = sampled(period, cast.dukcapil)
    assert (unit.rule, unit.chosen_by, unit.chosen_by_name) == ("all", cast.head_kalsel, "head_kalsel")
    product = unit.products.get()
    assert (product.product_id, product.rule, product.chosen_by) == (cast.ktp.pk, "all", cast.head_kalsel)
    assert period.status == Period.Status.COLLECTION


@pytest.mark.django_db
def test_the_work_list_page_shows_an_assessor_their_units_only(cast: Any, time_machine: Any) -> None:
    from django.urls import reverse

    from tests.cast import client_for

    ready_for_collection(cast, time_machine)
    url = reverse("assessment_work:work_list")
    page = client_for(cast.assessor_kalsel).get(url).content.decode()
    assert page.count("Penilaian Kepatuhan 2026 (2026)") == 2
    assert "Dinas Kependudukan dan Pencatatan Sipil" in page and "DPMPTSP" in page
    other = client_for(cast.assessor_kalteng).get(url).content.decode()
    assert "Penilaian Kepatuhan 2026" not in other and "Belum ada unit yang ditugaskan" in other
    assert client_for(cast.admin_tabalong).get(url).status_code == 404


@pytest.mark.django_db
def test_the_unit_page_shows_the_published_standard_beside_each_item_and_the_gap(cast: Any,
                                                                                 time_machine: Any) -> None:
    from django.urls import reverse

    from tests.cast import client_for

    period = ready_for_collection(cast, time_machine)
    unit = sampled(period, cast.dukcapil)
    services_answers.answer_save(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                 sampled_product=unit.products.get(), value=D(0))
    url = reverse("assessment_work:unit", args=[unit.pk])
    page = client_for(cast.assessor_kalsel).get(url).content.decode()
    assert "Penerbitan KTP-el" in page and "Fotokopi Kartu Keluarga" in page
    assert "Diterbitkan di Pantau, tidak tampak di lokasi: sp_persyaratan" in page
    assert client_for(cast.assessor_kalteng).get(url).status_code == 404


@pytest.mark.django_db
def test_the_assessed_institution_does_not_read_the_field_work_in_the_audit_trail(cast: Any,
                                                                                  time_machine: Any) -> None:
    from pantau.assessments.models import Answer
    from pantau.core.selectors import audit_events_for

    period = approved_everywhere(cast, time_machine)
    time_machine.move_to(IN_RESPONSE)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")
    answer = Answer.objects.filter(sampled_unit__period=period, item="mk_maklumat").first()
    assert answer is not None
    services_answers.contest_create(actor=cast.admin_tabalong, answer=answer, text="Maklumat ada.")

    def kinds(user: Any) -> set[str]:
        return set(audit_events_for(user).filter(event_type__regex=r"^(answer|unit_review|sample|assignment|contest)\.")
                   .values_list("event_type", flat=True))

    assert kinds(cast.admin_tabalong) == {"contest.created"}
    assert {"answer.saved", "unit_review.approved", "sample.chosen", "assignment.created",
            "contest.created"} <= kinds(cast.head_kalsel)
    assert kinds(cast.admin_barsel) == set()
