"""The case page of the staff and provider screens and its forms (issue 10, task B)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pantau.complaints import services
from pantau.complaints.models import Attachment, Case, Demand, Event
from pantau.complaints.tests.helpers import REPORTER, add_staff, file_report, to_examination, to_lahp
from pantau.core.models import AuditEvent
from tests.cast import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]



@pytest.fixture
def c(cast: Any, settings: Any, tmp_path: Any) -> Any:
    settings.STORAGES = {**settings.STORAGES, "complaints": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return add_staff(cast)


def page(case: Case) -> str:
    return f"/kelola/laporan/{case.pk}/"


def act(case: Case, action: str) -> str:
    return f"/kelola/laporan/{case.pk}/aksi/{action}/"


def png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile("bukti.png", buffer.getvalue(), content_type="image/png")


# --- who sees the page ----------------------------------------------------------------------------------------


def test_the_page_answers_404_outside_the_users_scope(c: Any) -> None:
    case = file_report(c).case
    assert client_for(c.intake_kalsel).get(page(case)).status_code == 200
    for user in (c.intake_kalteng, c.admin_tabalong, c.outsider, c.assessor_kalsel):
        assert client_for(user).get(page(case)).status_code == 404, user
    assert client_for(c.intake_kalsel).get("/kelola/laporan/99999999999/").status_code == 404


def test_identity_is_hidden_until_asked_and_each_showing_is_audited(c: Any) -> None:
    case = file_report(c).case
    client = client_for(c.intake_kalsel)
    body = client.get(page(case)).content.decode()
    assert "Tampilkan identitas pelapor" in body and REPORTER["full_name"] not in body
    assert REPORTER["phone"] in body  # the intake officer reads the chronology as given
    shown = client.post(f"/kelola/laporan/{case.pk}/identitas/", {"purpose": "telepon balik"})
    assert shown.status_code == 200 and REPORTER["full_name"] in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert AuditEvent.objects.filter(event_type="case.identity_viewed", reason="telepon balik").count() == 1
    client.post(f"/kelola/laporan/{case.pk}/identitas/")
    assert AuditEvent.objects.filter(event_type="case.identity_viewed").count() == 2
    assert client.get(f"/kelola/laporan/{case.pk}/identitas/").status_code == 405


def test_a_head_of_office_does_not_see_a_confidential_identity(c: Any) -> None:
    case = file_report(c).case
    client = client_for(c.head_kalsel)
    body = client.get(page(case)).content.decode()
    assert "Identitas dirahasiakan." in body and "Tampilkan identitas pelapor" not in body
    for secret in (REPORTER["full_name"], REPORTER["phone"], REPORTER["email"], REPORTER["nik"]):
        assert secret not in body
    assert client.post(f"/kelola/laporan/{case.pk}/identitas/").status_code == 404
    assert not AuditEvent.objects.filter(event_type="case.identity_viewed").exists()


def test_a_provider_sees_no_identity_and_no_staff_only_history(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    services.case_transition(actor=c.examiner_kalsel, case=case, action="request_written_clarification",
                             note="Catatan internal: hubungi kepala dinas.")
    services.reporter_message(case=case, note="Nomor saya yang baru 081298765432, terima kasih.")
    body = client_for(c.admin_tabalong).get(page(case)).content.decode()
    assert "Identitas dirahasiakan." in body and "Tampilkan identitas pelapor" not in body
    for secret in (REPORTER["full_name"], REPORTER["phone"], REPORTER["email"], REPORTER["nik"], "081298765432"):
        assert secret not in body
    assert "Catatan internal" not in body and "Asisten pemeriksa ditetapkan" not in body
    assert "Putusan pleno" in body  # addressed to the reporter: the provider may read it
    assert "Hasil verifikasi" not in body and "Perlu perhatian petugas" not in body
    staff = client_for(c.examiner_kalsel).get(page(case)).content.decode()
    assert "Catatan internal" in staff


def test_the_case_page_reads_a_flat_number_of_queries(c: Any, django_assert_max_num_queries: Any) -> None:
    case = to_lahp(c, to_examination(c, file_report(c).case))
    client = client_for(c.head_kalsel)
    client.get(page(case))
    with django_assert_max_num_queries(20) as few:
        client.get(page(case))
    for n in range(40):
        Event.objects.create(case=case, actor=c.examiner_kalsel, actor_label="examiner", action="note",
                             note=f"catatan {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page(case))
    assert "catatan 39" in response.content.decode()


# --- actions --------------------------------------------------------------------------------------------------


def test_intake_takes_an_action_and_the_case_moves(c: Any) -> None:
    case = file_report(c).case
    response = client_for(c.intake_kalsel).post(act(case, "start_formal_verification"), {"note": "Mulai."})
    assert response.status_code == 302 and response["Location"] == page(case)
    case.refresh_from_db()
    assert case.state == "formal_verification"
    assert Event.objects.filter(case=case, action="start_formal_verification", note="Mulai.").exists()


def test_a_forged_action_answers_404(c: Any) -> None:
    case = file_report(c).case
    client = client_for(c.intake_kalsel)
    for action in ("issue_lahp", "nonsense", "expire_completeness"):
        assert client.post(act(case, action)).status_code == 404
    assert client_for(c.intake_kalteng).post(act(case, "start_formal_verification")).status_code == 404
    assert client.get(act(case, "start_formal_verification")).status_code == 405
    case.refresh_from_db()
    assert case.state == "received"


def test_a_failing_guard_shows_disabled_and_a_forced_post_answers_422(c: Any) -> None:
    case = file_report(c, chronology="Pendek.").case
    client = client_for(c.intake_kalsel)
    client.post(act(case, "start_formal_verification"))
    body = client.get(page(case)).content.decode()
    assert "disabled>Syarat formil lengkap</button>" in body
    response = client.post(act(case, "pass_formal_verification"), {"note": "catatan saya"})
    assert response.status_code == 422
    assert "Syarat formil laporan belum lengkap" in response.content.decode()
    assert "catatan saya" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "formal_verification"


def test_closing_needs_a_reason_from_the_list(c: Any) -> None:
    case = file_report(c).case
    client = client_for(c.intake_kalsel)
    assert client.post(act(case, "close"), {"note": "x"}).status_code == 422
    assert client.post(act(case, "close"), {"reason": "REKOMENDASI_DILAKSANAKAN"}).status_code == 422
    assert client.post(act(case, "close"), {"reason": "DICABUT_PELAPOR"}).status_code == 302
    case.refresh_from_db()
    assert (case.state, case.closure_reason) == ("closed", "DICABUT_PELAPOR")


def test_the_plenary_decision_assigns_an_examiner_of_the_office(c: Any) -> None:
    case = file_report(c).case
    for step in ("start_formal_verification", "pass_formal_verification"):
        case = services.case_transition(actor=c.intake_kalsel, case=case, action=step)
    services.case_update_checks(actor=c.intake_kalsel, case=case, substantive_ok=True)
    case = services.case_transition(actor=c.intake_kalsel, case=case, action="submit_to_plenary")
    services.case_classify(actor=c.head_kalsel, case=case, complexity="light")
    client = client_for(c.head_kalsel)
    bad = client.post(act(case, "decide_examination"), {"examiner": c.examiner_kalteng.pk})
    assert bad.status_code == 422
    missing = client.post(act(case, "decide_examination"), {})
    assert missing.status_code == 422 and "Pilih asisten pemeriksa" in missing.content.decode()
    ok = client.post(act(case, "decide_examination"), {"examiner": c.examiner2_kalsel.pk})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.examiner) == ("examination", c.examiner2_kalsel)


def test_an_examiner_not_assigned_cannot_act(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    other = client_for(c.examiner2_kalsel)
    assert "request_written_clarification" not in other.get(page(case)).content.decode()
    assert other.post(act(case, "request_written_clarification")).status_code == 404
    assert other.post(f"/kelola/laporan/{case.pk}/kesimpulan/", {"conclusion": "not_found"}).status_code == 404
    assert client_for(c.examiner_kalsel).post(act(case, "request_written_clarification")).status_code == 302


# --- the forms ------------------------------------------------------------------------------------------------


def test_verification_checks_are_saved_and_refused_to_an_examiner(c: Any) -> None:
    case = file_report(c).case
    url = f"/kelola/laporan/{case.pk}/verifikasi/"
    response = client_for(c.intake_kalsel).post(url, {"formal_complete": "on", "in_court": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.formal_complete and case.in_court and not case.substantive_ok
    assert client_for(c.examiner_kalsel).post(url, {"substantive_ok": "on"}).status_code == 404


def test_the_conclusion_needs_the_forms_found(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    url = f"/kelola/laporan/{case.pk}/kesimpulan/"
    client = client_for(c.examiner_kalsel)
    bad = client.post(url, {"conclusion": "found"})
    assert bad.status_code == 422 and "Pilih sedikitnya satu bentuk" in bad.content.decode()
    assert client.post(url, {"conclusion": "found", "found": ["PENUNDAAN_BERLARUT"]}).status_code == 302
    case.refresh_from_db()
    assert (case.conclusion, case.found) == ("found", ["PENUNDAAN_BERLARUT"])


def test_classification_is_saved_and_an_unknown_substance_refused(c: Any) -> None:
    case = file_report(c).case
    url = f"/kelola/laporan/{case.pk}/klasifikasi/"
    client = client_for(c.intake_kalsel)
    bad = client.post(url, {"substance": "Bukan substansi", "alleged": ["DISKRIMINASI"]})
    assert bad.status_code == 422
    assert client.post(url, {"substance": "Kesehatan", "agency_group": "Pemerintah Daerah", "complexity": "medium",
                             "alleged": ["DISKRIMINASI", "BERPIHAK"], "reporter_type": "individual"}).status_code == 302
    case.refresh_from_db()
    assert (case.substance, case.complexity, case.alleged) == ("Kesehatan", "medium", ["BERPIHAK", "DISKRIMINASI"])


def test_the_head_assigns_an_examiner_of_the_office_only(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    url = f"/kelola/laporan/{case.pk}/penugasan/"
    client = client_for(c.head_kalsel)
    assert client.post(url, {"examiner": c.examiner_kalteng.pk}).status_code == 422
    assert client.post(url, {"examiner": c.examiner2_kalsel.pk}).status_code == 302
    case.refresh_from_db()
    assert case.examiner == c.examiner2_kalsel
    assert client_for(c.intake_kalsel).post(url, {"examiner": c.examiner_kalsel.pk}).status_code == 404


def test_a_hand_over_needs_a_reason_and_moves_the_case(c: Any) -> None:
    case = file_report(c).case
    url = f"/kelola/laporan/{case.pk}/pelimpahan/"
    client = client_for(c.intake_kalsel)
    assert client.post(url, {"office": c.kalteng.pk, "note": ""}).status_code == 422
    response = client.post(url, {"office": c.kalteng.pk, "note": "Terlapor di Kalimantan Tengah."})
    assert response.status_code == 302 and response["Location"] == "/kelola/laporan/"
    case.refresh_from_db()
    assert case.office == c.kalteng
    assert client.get(page(case)).status_code == 404
    assert client_for(c.intake_kalteng).get(page(case)).status_code == 200


def test_confidentiality_is_loosened_only_with_consent(c: Any) -> None:
    case = file_report(c).case
    url = f"/kelola/laporan/{case.pk}/kerahasiaan/"
    client = client_for(c.intake_kalsel)
    refused = client.post(url, {"visibility": "public"})
    assert refused.status_code == 422 and "persetujuan pelapor" in refused.content.decode()
    assert client.post(url, {"visibility": "bogus"}).status_code == 422
    assert client.post(url, {"visibility": "public", "consent": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.visibility == "public"


# --- demands --------------------------------------------------------------------------------------------------


def corrective(c: Any) -> Case:
    case = to_lahp(c, to_examination(c, file_report(c).case))
    response = client_for(c.examiner_kalsel).post(act(case, "open_corrective_actions"), {
        "demands": "Terbitkan KTP-el pelapor\n\n  Tegur petugas loket  \n"})
    assert response.status_code == 302
    return Case.objects.get(pk=case.pk)


def test_corrective_actions_need_at_least_one_line(c: Any) -> None:
    case = to_lahp(c, to_examination(c, file_report(c).case))
    response = client_for(c.examiner_kalsel).post(act(case, "open_corrective_actions"), {"demands": " \n "})
    assert response.status_code == 422 and not Demand.objects.exists()
    case.refresh_from_db()
    assert case.state == "lahp_issued"


def test_a_provider_answers_with_evidence_and_the_ombudsman_assesses(c: Any) -> None:
    case = corrective(c)
    assert [d.text for d in Demand.objects.order_by("pk")] == ["Terbitkan KTP-el pelapor", "Tegur petugas loket"]
    demand = Demand.objects.order_by("pk").first()
    assert demand is not None
    provider = client_for(c.admin_tabalong)
    assert "Terbitkan KTP-el pelapor" in provider.get(page(case)).content.decode()
    url = f"/kelola/laporan/{case.pk}/tuntutan/{demand.pk}/jawab/"
    response = provider.post(url, {"answer": "KTP-el sudah diterbitkan.", "evidence": [png()]})
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.answer == "KTP-el sudah diterbitkan." and demand.answered_by == c.admin_tabalong
    assert Attachment.objects.filter(case=case, source="provider").count() == 1
    assert "bukti.png" in provider.get(page(case)).content.decode()
    assess = f"/kelola/laporan/{case.pk}/tuntutan/{demand.pk}/nilai/"
    assert provider.post(assess, {"outcome": "implemented"}).status_code == 404
    assert client_for(c.examiner_kalsel).post(assess, {"outcome": "pending"}).status_code == 422
    assert client_for(c.examiner_kalsel).post(assess, {"outcome": "implemented"}).status_code == 302
    demand.refresh_from_db()
    assert demand.outcome == "implemented"


def test_a_bad_answer_keeps_nothing_and_shows_the_text_again(c: Any) -> None:
    case = corrective(c)
    demand = Demand.objects.order_by("pk").first()
    assert demand is not None
    url = f"/kelola/laporan/{case.pk}/tuntutan/{demand.pk}/jawab/"
    provider = client_for(c.admin_tabalong)
    assert provider.post(url, {"answer": "   "}).status_code == 422
    fake = SimpleUploadedFile("bukti.png", b"#!/bin/sh\necho bukan gambar\n", content_type="image/png")
    response = provider.post(url, {"answer": "Sudah kami kerjakan.", "evidence": [fake]})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Sudah kami kerjakan." in body and "perlu dipilih lagi" in body
    demand.refresh_from_db()
    assert demand.answer == "" and not Attachment.objects.filter(case=case).exists()
    other = Demand.objects.exclude(pk=demand.pk).get()
    assert client_for(c.admin_barsel).post(url, {"answer": "x"}).status_code == 404
    wrong_case = file_report(c).case
    assert provider.post(f"/kelola/laporan/{wrong_case.pk}/tuntutan/{other.pk}/jawab/",
                         {"answer": "x"}).status_code == 404
