"""The response, publication and correction screens (``views_periods_response``): the provider's
draft results and objections within the window, the office's decisions, publication, and a
correction with its reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from pantau.assessments import services_answers, services_period
from pantau.assessments.models import Answer, Contest, Period, Result
from pantau.assessments.tests.cycle_helpers import AFTER_RESPONSE, AT_PUBLICATION, IN_RESPONSE, approved_everywhere
from tests.cast import client_for

pytestmark = pytest.mark.django_db


def _in_response(cast: Any, time_machine: Any) -> Period:
    period = approved_everywhere(cast, time_machine)
    time_machine.move_to(IN_RESPONSE)
    return services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")


def _answer(period: Period) -> Answer:
    return Answer.objects.filter(sampled_unit__period=period, sampled_product__isnull=False).order_by("pk").first()


def test_a_provider_sees_its_draft_results_and_contests_an_answer(cast: Any, time_machine: Any) -> None:
    period = _in_response(cast, time_machine)
    answer = _answer(period)
    admin = client_for(cast.admin_tabalong)
    results = admin.get(reverse("assessment_periods:results", args=[period.pk])).content.decode()
    assert "Pemerintah Kabupaten Tabalong" in results and "Hasil sementara" in results
    assert admin.get(reverse("assessment_periods:detail", args=[period.pk])).status_code == 302  # to the results
    answers = admin.get(reverse("assessment_periods:unit_answers", args=[answer.sampled_unit_id]))
    assert answers.status_code == 200 and "Ajukan keberatan" in answers.content.decode()
    url = reverse("assessment_periods:contest_new", args=[answer.pk])
    token = admin.get(url).context["form"]["once"].value()
    too_long = admin.post(url, {"text": "x" * 2001, "once": token})
    assert too_long.status_code == 422 and "paling banyak 2000 karakter" in too_long.content.decode()
    assert admin.post(url, {"text": "Papan persyaratan terpasang sejak Mei.", "evidence": "foto-0512.jpg",
                            "once": token}).status_code == 302
    contest = Contest.objects.get()
    assert contest.created_by == cast.admin_tabalong and contest.evidence == "foto-0512.jpg"
    again = admin.post(url, {"text": "Sekali lagi.", "once": admin.get(url).context["form"]["once"].value()})
    assert again.status_code == 422 and "masih menunggu keputusan" in again.content.decode()


def test_nobody_else_contests_and_nothing_is_contested_after_the_window(cast: Any, time_machine: Any) -> None:
    period = _in_response(cast, time_machine)
    answer = _answer(period)
    url = reverse("assessment_periods:contest_new", args=[answer.pk])
    for user in (cast.admin_barsel, cast.operator_dukcapil, cast.assessor_kalsel, cast.outsider):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).get(reverse("assessment_periods:unit_answers",
                                            args=[answer.sampled_unit_id])).status_code == 404
    time_machine.move_to(AFTER_RESPONSE)
    admin = client_for(cast.admin_tabalong)
    late = admin.post(url, {"text": "Terlambat.", "once": admin.get(url).context["form"]["once"].value()})
    assert late.status_code == 422
    assert "keberatan tidak dapat diajukan lagi" in late.content.decode()
    assert not Contest.objects.exists()


def test_the_office_decides_contests_and_publishes(cast: Any, time_machine: Any) -> None:
    period = _in_response(cast, time_machine)
    first, second = Answer.objects.filter(sampled_unit__period=period, sampled_product__isnull=False).order_by("pk")[:2]
    accepted = services_answers.contest_create(actor=cast.admin_tabalong, answer=first, text="Sudah ada.")
    rejected = services_answers.contest_create(actor=cast.admin_tabalong, answer=second, text="Tidak benar.")
    head = client_for(cast.head_kalsel)
    step = reverse("assessment_periods:step", args=[period.pk])
    time_machine.move_to(AT_PUBLICATION)
    head = client_for(cast.head_kalsel)
    refused = head.post(step, {"target": "published"})
    assert refused.status_code == 422
    assert "2 keberatan penyelenggara belum diputuskan." in refused.content.decode()
    time_machine.move_to(IN_RESPONSE + dt.timedelta(days=1))
    head = client_for(cast.head_kalsel)
    assert client_for(cast.admin_tabalong).get(reverse("assessment_periods:contest",
                                                       args=[accepted.pk])).status_code == 404
    decide = reverse("assessment_periods:contest", args=[accepted.pk])
    out_of_scale = head.post(decide, {"accept": "yes", "value": "7", "decision": "Foto terbaru menunjukkan papan."})
    assert out_of_scale.status_code == 422 and "di luar skala" in out_of_scale.content.decode()
    assert head.post(decide, {"accept": "yes", "value": "0", "decision": "Papan tidak ada di foto."}).status_code == 302
    no_grounds = head.post(reverse("assessment_periods:contest", args=[rejected.pk]), {"accept": "no"})
    assert no_grounds.status_code == 422 and "Tulis dasar keputusan." in no_grounds.content.decode()
    assert head.post(reverse("assessment_periods:contest", args=[rejected.pk]),
                     {"accept": "no", "decision": "Jawaban sesuai pengamatan."}).status_code == 302
    first.refresh_from_db()
    assert first.value == Decimal("0")
    assert set(Contest.objects.values_list("status", flat=True)) == {"accepted", "rejected"}
    time_machine.move_to(AT_PUBLICATION)
    head = client_for(cast.head_kalsel)
    assert head.post(step, {"target": "published"}).status_code == 302
    period.refresh_from_db()
    assert period.status == Period.Status.PUBLISHED
    assert Result.objects.filter(period=period, is_published=True).exists()


def test_a_correction_after_publication_needs_a_reason_and_stores_a_new_version(cast: Any,
                                                                                 time_machine: Any) -> None:
    period = _in_response(cast, time_machine)
    time_machine.move_to(AT_PUBLICATION)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="published")
    head = client_for(cast.head_kalsel)
    url = reverse("assessment_periods:correct", args=[period.pk])
    for user in (cast.assessor_kalteng, cast.admin_tabalong, cast.outsider):
        assert client_for(user).get(url).status_code == 404
    no_reason = head.post(url, {"institution": cast.tabalong.pk, "reason": ""})
    assert no_reason.status_code == 422 and "Tulis alasan koreksi." in no_reason.content.decode()
    unchanged = head.post(url, {"institution": cast.tabalong.pk, "reason": "Cek ulang."})
    assert unchanged.status_code == 422 and "tidak ada yang dikoreksi" in unchanged.content.decode()
    answer = _answer(period)
    services_answers.answer_save(actor=cast.head_kalsel, sampled_unit=answer.sampled_unit, item=answer.item,
                                 value=Decimal("0"), sampled_product=answer.sampled_product,
                                 revision=answer.revision, change_reason="Salah ketik pada formulir lapangan.")
    assert head.post(url, {"institution": cast.tabalong.pk, "reason": "Salah ketik."}).status_code == 302
    corrected = Result.objects.filter(period=period, version=2)
    assert corrected.exists() and set(corrected.values_list("reason", flat=True)) == {"Salah ketik."}
    page = head.get(reverse("assessment_periods:results", args=[period.pk])).content.decode()
    assert "dikoreksi" in page
