"""The instrument page answered in the field: the plain HTML form (no JavaScript), conflicts shown
side by side, the JSON sync endpoint, evidence uploads, the service worker, and who may use them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pantau.assessments import services_answers
from pantau.assessments.models import Answer, Evidence, SampledUnit
from pantau.assessments.tests.cycle_helpers import ready_for_collection, sampled
from pantau.assessments.tests.test_evidence import photo_bytes
from tests.cast import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def unit(cast: Any, time_machine: Any) -> SampledUnit:
    return sampled(ready_for_collection(cast, time_machine), cast.dukcapil)


def key(unit: SampledUnit, item: str = "sp_persyaratan") -> str:
    return f"p{unit.products.get().pk}-{item}"


def url(unit: SampledUnit, name: str = "unit") -> str:
    return reverse(f"assessment_work:{name}", args=[unit.pk])


def test_the_assessor_answers_with_the_plain_form_and_the_page_shows_the_answer(cast: Any, unit: Any) -> None:
    client = client_for(cast.assessor_kalsel)
    page = client.get(url(unit))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="{key(unit)}__rev" value="0"' in html and 'capture="environment"' in html
    k = key(unit)
    response = client.post(url(unit), {f"{k}__value": "1", f"{k}__rev": "0", f"{k}__seen": "",
                                       f"{k}__photo": SimpleUploadedFile("a.jpg", photo_bytes())}, follow=True)
    assert response.status_code == 200
    answer = Answer.objects.get(sampled_unit=unit, item="sp_persyaratan")
    assert answer.value == Decimal(1) and answer.revision == 1
    assert Evidence.objects.get(sampled_unit=unit).kind == "photo"
    assert "1 jawaban tersimpan" in response.content.decode()


def test_an_answer_off_the_scale_is_refused_next_to_its_item_in_indonesian(cast: Any, unit: Any) -> None:
    k = key(unit)
    response = client_for(cast.assessor_kalsel).post(url(unit), {f"{k}__value": "7", f"{k}__rev": "0",
                                                                 f"{k}__seen": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "di luar skala" in html and f'id="{k}__error"' in html
    assert not Answer.objects.exists()


def test_an_unchanged_item_is_not_saved_so_an_old_page_overwrites_nothing(cast: Any, unit: Any) -> None:
    services_answers.answer_save(actor=cast.head_kalsel, sampled_unit=unit, item="sp_persyaratan", value=Decimal(1),
                                 sampled_product=unit.products.get())
    k = key(unit)
    # The page was opened before the head's save: it showed nothing for the item, and the user left it so.
    client_for(cast.assessor_kalsel).post(url(unit), {f"{k}__rev": "0", f"{k}__seen": ""})
    assert Answer.objects.get().value == Decimal(1)


def test_a_stale_revision_shows_both_values_and_the_users_choice_decides(cast: Any, unit: Any) -> None:
    product = unit.products.get()
    services_answers.answer_save(actor=cast.head_kalsel, sampled_unit=unit, item="sp_persyaratan", value=Decimal(1),
                                 sampled_product=product)
    client, k = client_for(cast.assessor_kalsel), key(unit)
    response = client.post(url(unit), {f"{k}__value": "0", f"{k}__rev": "0", f"{k}__seen": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Jawaban Anda" in html and "Tersimpan (revisi 1)" in html and f'name="{k}__resolve"' in html
    assert Answer.objects.get().value == Decimal(1)
    # Sent again without choosing: still nothing overwritten.
    again = client.post(url(unit), {f"{k}__value": "0", f"{k}__rev": "1", f"{k}__seen": "1", f"{k}__conflict": "1"})
    assert again.status_code == 422 and Answer.objects.get().value == Decimal(1)
    # "Pakai yang tersimpan": nothing changes.
    client.post(url(unit), {f"{k}__value": "0", f"{k}__rev": "1", f"{k}__seen": "1", f"{k}__conflict": "1",
                            f"{k}__resolve": "theirs"})
    assert Answer.objects.get().value == Decimal(1)
    # "Pakai jawaban saya": saved over revision 1.
    client.post(url(unit), {f"{k}__value": "0", f"{k}__rev": "1", f"{k}__seen": "1", f"{k}__conflict": "1",
                            f"{k}__resolve": "mine"})
    stored = Answer.objects.get()
    assert (stored.value, stored.revision) == (Decimal(0), 2)


def sync(client: Any, unit: SampledUnit, *answers: dict[str, Any]) -> Any:
    return client.post(url(unit, "sync"), json.dumps({"answers": list(answers)}), content_type="application/json")


def test_sync_saves_reports_conflicts_and_refusals_per_answer_and_a_retry_is_harmless(cast: Any, unit: Any) -> None:
    client = client_for(cast.assessor_kalsel)
    k = key(unit)
    k2 = key(unit, "sp_prosedur")
    response = sync(client, unit, {"key": k, "value": "1", "revision": 0},
                    {"key": k2, "value": "9", "revision": 0}, {"key": "p999-x", "value": "1", "revision": 0})
    assert response.status_code == 200
    results = {r["key"]: r for r in response.json()["answers"]}
    assert results[k]["status"] == "saved" and results[k]["revision"] == 1
    assert results[k2]["status"] == "refused" and "di luar skala" in results[k2]["message"]
    assert results["p999-x"]["status"] == "refused"
    # The phone lost the reply and sends the same answer again: saved, nothing written twice.
    retry = sync(client, unit, {"key": k, "value": "1", "revision": 0}).json()["answers"][0]
    assert retry["status"] == "saved" and Answer.objects.get(item="sp_persyaratan").revision == 1
    # Another value against the old revision: a conflict with the stored value.
    conflict = sync(client, unit, {"key": k, "value": "0", "revision": 0}).json()["answers"][0]
    assert conflict["status"] == "conflict" and conflict["stored"] == {"value": "1", "reason": "", "revision": 1}
    assert Answer.objects.get(item="sp_persyaratan").value == Decimal(1)


def test_sync_refuses_once_the_unit_is_locked(cast: Any, unit: Any) -> None:
    unit.status = SampledUnit.Status.SUBMITTED  # as after unit_submit
    unit.save()
    result = sync(client_for(cast.assessor_kalsel), unit, {"key": key(unit), "value": "2", "revision": 0})
    assert result.json()["answers"][0]["status"] == "refused"
    assert "sedang direviu" in result.json()["answers"][0]["message"]


def test_sync_refuses_a_body_that_is_not_the_expected_json(cast: Any, unit: Any) -> None:
    client = client_for(cast.assessor_kalsel)
    assert client.post(url(unit, "sync"), "nope", content_type="application/json").status_code == 400
    assert client.post(url(unit, "sync"), '{"answers": 3}', content_type="application/json").status_code == 400


def test_an_evidence_upload_is_idempotent_by_its_client_token(cast: Any, unit: Any) -> None:
    client = client_for(cast.assessor_kalsel)

    def send() -> Any:
        return client.post(url(unit, "evidence_upload"), {
            "key": key(unit), "kind": "photo", "client_token": "3b1f-uji",
            "file": SimpleUploadedFile("kamera.jpg", photo_bytes())})

    first, second = send(), send()
    assert first.status_code == second.status_code == 200
    assert first.json()["evidence"]["id"] == second.json()["evidence"]["id"]
    assert Evidence.objects.count() == 1
    href = first.json()["evidence"]["href"]
    photo = client.get(href)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content)[:2] == b"\xff\xd8"
    refused = client.post(url(unit, "evidence_upload"), {
        "key": key(unit), "kind": "photo", "client_token": "lain",
        "file": SimpleUploadedFile("kamera.jpg", b"%PDF-1.4 not a photo")})
    assert refused.status_code == 422 and "bukan foto" in refused.json()["message"]


def test_an_assessor_of_another_unit_gets_404_everywhere(cast: Any, unit: Any) -> None:
    client = client_for(cast.assessor_kalteng)
    k = key(unit)
    assert client.get(url(unit)).status_code == 404
    assert client.post(url(unit), {f"{k}__value": "2"}).status_code == 404
    assert sync(client, unit, {"key": k, "value": "2", "revision": 0}).status_code == 404
    assert client.post(url(unit, "evidence_upload"), {"key": k, "kind": "note", "note": "x",
                                                      "client_token": "t"}).status_code == 404
    assert client.post(url(unit, "submit")).status_code == 404
    ev = Evidence.objects.create(sampled_unit=unit, item="sp_persyaratan", kind="note", note="x", client_token="z")
    assert client.get(reverse("assessment_work:evidence_file", args=[ev.pk])).status_code == 404
    assert not Answer.objects.exists()


def test_an_office_colleague_who_sees_the_unit_but_is_not_assigned_cannot_answer(cast: Any, unit: Any) -> None:
    result = sync(client_for(cast.examiner_kalsel), unit, {"key": key(unit), "value": "2", "revision": 0})
    assert result.status_code == 404
    assert not Answer.objects.exists()


def test_submitting_from_the_page_names_the_missing_evidence(cast: Any, unit: Any) -> None:
    response = client_for(cast.assessor_kalsel).post(url(unit, "submit"), follow=True)
    assert "Belum dijawab" in response.content.decode()


def test_the_service_worker_is_served_with_its_scope_and_no_inline_data(client: Any) -> None:
    response = client.get(reverse("assessment_work:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert "/static/assessments/instrument.js" in body and "respondWith" in body


def test_after_approval_the_reviewer_changes_an_answer_only_with_a_reason_and_it_is_audited(
    cast: Any, unit: Any
) -> None:
    from pantau.core.models import AuditEvent

    k = key(unit)
    services_answers.answer_save(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                 value=Decimal(1), sampled_product=unit.products.get())
    unit.status = SampledUnit.Status.APPROVED  # as after unit_approve
    unit.save()
    # The assessor sees the lock and no way around it; the page does not keep changes offline.
    html = client_for(cast.assessor_kalsel).get(url(unit)).content.decode()
    assert "jawabannya terkunci" in html and 'name="change_reason"' not in html and "data-db=" not in html
    refused = client_for(cast.assessor_kalsel).post(url(unit), {f"{k}__value": "0", f"{k}__rev": "1",
                                                                f"{k}__seen": "1", "change_reason": "salah"})
    assert refused.status_code == 422 and "dikunci" in refused.content.decode()

    head = client_for(cast.head_kalsel)
    assert 'name="change_reason"' in head.get(url(unit)).content.decode()
    change = {f"{k}__value": "0", f"{k}__rev": "1", f"{k}__seen": "1"}
    no_reason = head.post(url(unit), change)
    assert no_reason.status_code == 422 and "tulis alasan perubahan" in no_reason.content.decode()
    assert Answer.objects.get(sampled_unit=unit).value == Decimal(1)  # nothing changed

    done = head.post(url(unit), {**change, "change_reason": "Foto menunjukkan persyaratan tidak dipajang."})
    assert done.status_code == 302
    answer = Answer.objects.get(sampled_unit=unit)
    assert (answer.value, answer.revision) == (Decimal(0), 2)
    event = AuditEvent.objects.filter(event_type="answer.changed_after_approval").get()
    assert event.reason == "Foto menunjukkan persyaratan tidak dipajang." and event.actor_id == cast.head_kalsel.pk


def test_a_returned_item_shows_the_comment_and_saving_the_page_resolves_it_even_unchanged(
    cast: Any, unit: Any
) -> None:
    from pantau.assessments.models import ReturnedItem

    k = key(unit)
    product = unit.products.get()
    services_answers.answer_save(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                 value=Decimal(1), sampled_product=product)
    ReturnedItem.objects.create(sampled_unit=unit, sampled_product=product, item="sp_persyaratan",
                                comment="Foto papan tidak terbaca.", returned_by=cast.head_kalsel)
    client = client_for(cast.assessor_kalsel)
    html = client.get(url(unit)).content.decode()
    assert "Foto papan tidak terbaca." in html and f'name="{k}__seen" value="returned"' in html
    # The assessor looked again and the answer stands: the page is saved as it is.
    assert client.post(url(unit), {f"{k}__value": "1", f"{k}__rev": "1", f"{k}__seen": "returned"}).status_code == 302
    assert Answer.objects.get(sampled_unit=unit).revision == 2
    assert ReturnedItem.objects.get().resolved_at is not None
    assert "Foto papan tidak terbaca." not in client.get(url(unit)).content.decode()


def test_evidence_is_removed_from_the_page_and_out_of_scope_it_is_404(cast: Any, unit: Any) -> None:
    ev = services_evidence_add(cast, unit)
    client = client_for(cast.assessor_kalsel)
    html = client.get(url(unit)).content.decode()
    assert reverse("assessment_work:evidence_remove", args=[ev.pk]) in html and 'id="evidence-remove"' in html
    assert client_for(cast.outsider).post(reverse("assessment_work:evidence_remove", args=[ev.pk])).status_code == 404
    assert client.get(reverse("assessment_work:evidence_remove", args=[ev.pk])).status_code == 405
    response = client.post(reverse("assessment_work:evidence_remove", args=[ev.pk]), follow=True)
    assert "Bukti dihapus." in response.content.decode()
    assert not Evidence.objects.filter(pk=ev.pk).exists()


def services_evidence_add(cast: Any, unit: Any) -> Evidence:
    from pantau.assessments import services_evidence

    return services_evidence.evidence_add(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                          kind="note", sampled_product=unit.products.get(), note="papan ada")
