"""Saved queue filters: named by a staff member, kept for them or shared with their office, opened through
the queue's own scope; bad names and foreign filters refused with a message, nothing half-saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pantau.complaints import saved_queues
from pantau.complaints.models import SavedQueue
from pantau.complaints.tests.helpers import file_report
from tests.cast import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]
LIST = "/kelola/laporan/"
SAVE = "/kelola/laporan/saringan/"


def test_a_filter_is_saved_cleaned_and_listed_above_the_queue(c: Any) -> None:
    client = client_for(c.intake_kalsel)
    answer = client.post(SAVE, {"name": "  Verifikasi   formil ", "query": "tahap=formal_verification&evil=1&urut=x"})
    saved = SavedQueue.objects.get(owner=c.intake_kalsel)
    assert (saved.name, saved.query, saved.office_id) == ("Verifikasi formil", "tahap=formal_verification", None)
    assert answer.status_code == 302 and answer["Location"] == f"{LIST}?tahap=formal_verification"
    page = client.get(LIST)
    assert "Verifikasi formil" in page.content.decode() and [s.pk for s in page.context["saved"]] == [saved.pk]
    client.post(SAVE, {"name": "Verifikasi formil", "query": "tenggat=overdue"})  # the same name: replaced
    assert list(SavedQueue.objects.values_list("name", "query")) == [("Verifikasi formil", "tenggat=overdue")]


def test_a_shared_filter_is_seen_by_the_office_only_and_deleted_by_its_owner_only(c: Any) -> None:
    client_for(c.intake_kalsel).post(SAVE, {"name": "Sangat terlambat", "query": "tenggat=very_overdue",
                                            "shared": "1"})
    saved = SavedQueue.objects.get()
    assert saved.office_id == c.kalsel.pk
    assert [s.pk for s in saved_queues.visible(c.head_kalsel)] == [saved.pk]
    assert saved_queues.visible(c.intake_kalteng) == []
    assert client_for(c.head_kalsel).post(reverse("complaint_manage:saved_queue_delete", args=[saved.pk])
                                          ).status_code == 404
    assert SavedQueue.objects.filter(pk=saved.pk).exists()
    assert client_for(c.intake_kalsel).post(reverse("complaint_manage:saved_queue_delete", args=[saved.pk])
                                            ).status_code == 302
    assert not SavedQueue.objects.exists()


def test_a_saved_filter_shows_no_more_than_the_users_scope(c: Any) -> None:
    ours = file_report(c).case
    theirs = file_report(c, institution=c.barsel, unit=c.barsel_dukcapil, product=c.barsel_ktp).case
    client_for(c.intake_kalsel).post(SAVE, {"name": "Semua diterima", "query": "tahap=received", "shared": "1"})
    query = SavedQueue.objects.get().query
    listed = client_for(c.head_kalsel).get(f"{LIST}?{query}")
    numbers = [row["case"].number for row in listed.context["rows"]]
    assert ours.number in numbers and theirs.number not in numbers


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "query": "tahap=received"}, "Beri nama saringan ini."),
    ({"name": "x" * 81, "query": "tahap=received"}, "paling banyak 80 karakter"),
    ({"name": "Kosong", "query": "evil=1&tahap=not-a-state"}, "Pilih dulu saringan"),
    ({"name": "Nasional", "query": "tahap=received", "shared": "1"}, "hanya dapat dibagikan"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(c: Any, data: dict[str, str],
                                                                   message: str) -> None:
    user = c.national_admin if data.get("shared") else c.intake_kalsel
    client = client_for(user)
    answer = client.post(SAVE, data, follow=True)
    assert answer.status_code == 200 and message in answer.content.decode()
    assert not SavedQueue.objects.exists()


def test_one_person_keeps_at_most_the_limit(c: Any) -> None:
    for n in range(saved_queues.LIMIT):
        saved_queues.save(actor=c.intake_kalsel, name=f"S{n}", query="tahap=received")
    answer = client_for(c.intake_kalsel).post(SAVE, {"name": "Satu lagi", "query": "tahap=received"}, follow=True)
    assert "hapus satu dulu" in answer.content.decode()
    assert SavedQueue.objects.count() == saved_queues.LIMIT


def test_anonymous_visitors_are_sent_to_sign_in_and_providers_keep_theirs_to_themselves(c: Any) -> None:
    from django.test import Client

    answer = Client().post(SAVE, {"name": "x", "query": "tahap=received"})
    assert answer.status_code == 302 and "/akun/" in answer["Location"]
    assert not SavedQueue.objects.exists()
    provider = client_for(c.admin_tabalong)
    shared = provider.post(SAVE, {"name": "Dibagi", "query": "tahap=received", "shared": "1"}, follow=True)
    assert "hanya dapat dibagikan" in shared.content.decode() and not SavedQueue.objects.exists()
    provider.post(SAVE, {"name": "Milik saya", "query": "tahap=received"})
    assert list(SavedQueue.objects.values_list("owner", "office")) == [(c.admin_tabalong.pk, None)]
