"""The sample, assignment and review screens (``views_periods_work``): happy paths through the
services, refusals as messages, 404 outside scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from pantau.assessments import services_period
from pantau.assessments.models import Assignment, ReturnedItem, SampledProduct, SampledUnit
from pantau.assessments.tests.cycle_helpers import fill, make_period, ready_for_collection, sampled
from pantau.core.models import AuditEvent
from tests.cast import client_for

pytestmark = pytest.mark.django_db


def test_a_head_chooses_a_sample_by_rule_and_sees_who_chose_it(cast: Any) -> None:
    period = make_period(cast)
    client = client_for(cast.head_kalsel)
    url = reverse("assessment_periods:sample", args=[period.pk, cast.tabalong.pk])
    response = client.post(url, {"action": "rule", "rule": "loci-2022"}, follow=True)
    body = response.content.decode()
    # Tabalong has Disdukcapil and DPMPTSP: the other loci are reported missing, on the message and the page
    assert set(SampledUnit.objects.filter(period=period).values_list("unit", flat=True)) == {
        cast.dukcapil.pk, cast.dpmptsp.pk}
    assert "Lokus tidak ditemukan di registri (tidak diganti): Dinas Kesehatan, Puskesmas" in body
    assert "Lokus §2.6 yang tidak ada di registri" in body
    assert "head_kalsel" in body and "Lokus Pemda 2022–2023" in body
    first_n = client.post(url, {"action": "rule", "rule": "first-n", "per_kind": "0"})
    assert first_n.status_code == 422 and "N paling sedikit 1." in first_n.content.decode()


def test_a_unit_is_added_by_hand_with_its_products(cast: Any) -> None:
    period = make_period(cast)
    client = client_for(cast.head_kalsel)
    url = reverse("assessment_periods:sample", args=[period.pk, cast.tabalong.pk])
    page = client.get(url, {"unit": cast.dukcapil.pk})
    assert "Penerbitan KTP-el" in page.content.decode()
    none_chosen = client.post(url, {"action": "add", "unit": cast.dukcapil.pk})
    assert none_chosen.status_code == 422  # ombudsman-2016 scores products: one at least
    assert "pilih paling sedikit satu produk" in none_chosen.content.decode()
    assert not SampledUnit.objects.filter(period=period).exists()
    assert client.post(url, {"action": "add", "unit": cast.dukcapil.pk, "products": [cast.ktp.pk]}).status_code == 302
    added = SampledProduct.objects.get(sampled_unit__period=period)
    assert added.product_id == cast.ktp.pk and added.rule == "hand" and added.chosen_by_name == "head_kalsel"


def test_the_sample_page_is_404_out_of_scope_and_read_only_for_assessors(cast: Any) -> None:
    period = make_period(cast)
    url = reverse("assessment_periods:sample", args=[period.pk, cast.tabalong.pk])
    for user in (cast.assessor_kalteng, cast.admin_tabalong, cast.outsider):
        assert client_for(user).get(url).status_code == 404
    assessor = client_for(cast.assessor_kalsel)
    assert "Pilih sampel menurut aturan" not in assessor.get(url).content.decode()
    assert assessor.post(url, {"action": "rule", "rule": "all"}).status_code == 404
    assert not SampledUnit.objects.exists()
    # an institution outside the period
    assert client_for(cast.head_kalsel).get(reverse("assessment_periods:sample", args=[
        period.pk, cast.banjarmasin.pk])).status_code == 404


def test_only_eligible_assessors_are_offered_and_assigned(cast: Any) -> None:
    period = make_period(cast)
    services_period.sample_choose(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk, rule="all")
    unit = sampled(period, cast.dukcapil)
    client = client_for(cast.head_kalsel)
    page = client.get(reverse("assessment_periods:unit", args=[unit.pk])).content.decode()
    assert "assessor_kalsel" in page and "national_assessor" in page
    assert "assessor_kalteng" not in page and "examiner_kalsel" not in page
    assign = reverse("assessment_periods:unit_assign", args=[unit.pk])
    refused = client.post(assign, {"assessor": cast.assessor_kalteng.pk})
    assert refused.status_code == 422 and not Assignment.objects.exists()
    assert client.post(assign, {"assessor": cast.assessor_kalsel.pk}).status_code == 302
    assert list(Assignment.objects.values_list("assessor", flat=True)) == [cast.assessor_kalsel.pk]
    assert client_for(cast.assessor_kalsel).post(assign, {"assessor": cast.national_assessor.pk}).status_code == 404


def test_submit_return_and_approve_a_unit(cast: Any, time_machine: Any) -> None:
    period = ready_for_collection(cast, time_machine)
    unit = sampled(period, cast.dukcapil)
    assessor, head = client_for(cast.assessor_kalsel), client_for(cast.head_kalsel)
    page = reverse("assessment_periods:unit", args=[unit.pk])
    early = assessor.post(reverse("assessment_periods:unit_submit", args=[unit.pk]))
    assert early.status_code == 422 and "Belum dijawab:" in early.content.decode()
    not_submitted = head.post(reverse("assessment_periods:unit_approve", args=[unit.pk]))
    assert not_submitted.status_code == 422
    assert "tidak dapat disetujui" in not_submitted.content.decode()
    answers = fill(cast.assessor_kalsel, unit)
    assert assessor.post(reverse("assessment_periods:unit_submit", args=[unit.pk])).status_code == 302
    assert "Setujui unit" in head.get(page).content.decode()
    assert assessor.post(reverse("assessment_periods:unit_approve", args=[unit.pk])).status_code == 404
    back = reverse("assessment_periods:unit_return", args=[unit.pk])
    key = answers[0].pk
    no_comment = head.post(back, {f"r_{key}": "on"})
    assert no_comment.status_code == 422
    assert f"Tulis catatan untuk item {answers[0].item}" in no_comment.content.decode()
    assert head.post(back, {f"r_{key}": "on", f"c_{key}": "Foto papan tidak terbaca."}).status_code == 302
    unit.refresh_from_db()
    assert unit.status == SampledUnit.Status.RETURNED
    assert ReturnedItem.objects.get().comment == "Foto papan tidak terbaca."
    assert "Foto papan tidak terbaca." in assessor.get(page).content.decode()


def test_an_approved_unit_cannot_be_approved_again(cast: Any, time_machine: Any) -> None:
    period = ready_for_collection(cast, time_machine)
    unit = sampled(period, cast.dukcapil)
    fill(cast.assessor_kalsel, unit)
    head = client_for(cast.head_kalsel)
    client_for(cast.assessor_kalsel).post(reverse("assessment_periods:unit_submit", args=[unit.pk]))
    approve = reverse("assessment_periods:unit_approve", args=[unit.pk])
    assert head.post(approve).status_code == 302
    again = head.post(approve)
    assert again.status_code == 422 and "tidak dapat disetujui" in again.content.decode()
    assert AuditEvent.objects.filter(event_type="unit_review.approved").count() == 1
    time_machine.move_to(dt.datetime(2026, 6, 16, 9, tzinfo=dt.UTC))
    assert client_for(cast.assessor_kalteng).get(
        reverse("assessment_periods:unit", args=[unit.pk])).status_code == 404
