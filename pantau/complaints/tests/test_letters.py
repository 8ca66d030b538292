"""The generated documents of a case: the LAHP and the clarification request as real PDFs read back with
pypdf; the reporter's identity only in a public report's LAHP, contact data never; who may download; bounded."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from pantau.complaints import letters, services
from pantau.complaints.models import TEXT_LIMIT, Case
from pantau.complaints.tests.helpers import REPORTER, file_report, to_examination, to_lahp
from pantau.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]
SECRETS = (REPORTER["full_name"], REPORTER["nik"], REPORTER["email"], REPORTER["phone"], "Jl. Tanjung")




def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def get(c: Any, role: str, name: str, case: Case) -> Any:
    client = Client()
    client.force_login(c.users[role] if role in c.users else getattr(c, role))
    return client.get(reverse(f"complaint_docs:{name}", args=[case.pk]))


def issued(c: Any, **overrides: Any) -> Case:
    return to_lahp(c, to_examination(c, file_report(c, **overrides).case))


def drafted(c: Any, **overrides: Any) -> Case:
    case = to_examination(c, file_report(c, **overrides).case)
    case = services.case_transition(actor=c.examiner_kalsel, case=case, action="request_written_clarification",
                                    note="Surat klarifikasi kepada Kepala Dinas.")
    case = services.case_update_checks(actor=c.examiner_kalsel, case=case, conclusion="found",
                                       found=["PERMINTAAN_IMBALAN"])
    return services.case_transition(actor=c.examiner_kalsel, case=case, action="draft_lahp")


def test_a_confidential_lahp_names_no_reporter_and_holds_no_contact_data(c: Any) -> None:
    chronology = (f"Saya {REPORTER['full_name']} (NIK {REPORTER['nik']}) mengurus KTP-el sejak Januari. Petugas "
                  f"meminta Rp 150.000. Hubungi {REPORTER['phone']} atau {REPORTER['email']}.")
    case = issued(c, chronology=chronology)
    response = get(c, "head_kalsel", "lahp", case)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store" and "attachment" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "LAPORAN AKHIR HASIL PEMERIKSAAN" in text and case.number in text
    assert "Identitas pelapor dirahasiakan (UU 37/2008 Pasal 24 ayat (2))" in text
    for secret in SECRETS:
        assert secret not in text, secret
    assert "Rp 150.000" in text or "Pungutan liar" in text
    assert "Ditemukan maladministrasi" in text and "Permintaan imbalan" in text
    assert "Permintaan klarifikasi tertulis" in text  # the activity from the history
    assert "Head Kalsel" in text  # signed by the head who issued it
    assert "DRAF" not in text


def test_an_anonymous_report_hides_the_identity_too(c: Any) -> None:
    case = issued(c, visibility="anonymous")
    text = text_of(get(c, "examiner_kalsel", "lahp", case).content)
    assert "Identitas pelapor dirahasiakan" in text
    for secret in SECRETS:
        assert secret not in text


def test_a_public_report_names_the_reporter_but_never_the_contact_data(c: Any) -> None:
    case = issued(c, visibility="public")
    text = text_of(get(c, "head_kalsel", "lahp", case).content)
    assert REPORTER["full_name"] in text and "dirahasiakan" not in text
    for secret in SECRETS[1:]:
        assert secret not in text, secret
    assert "[disamarkan]" in text  # the chronology's phone and e-mail


def test_the_lahp_lists_the_corrective_actions_asked(c: Any) -> None:
    case = services.case_transition(actor=c.examiner_kalsel, case=issued(c), action="open_corrective_actions",
                                    payload={"demands": ["Terbitkan KTP-el pelapor tanpa biaya.",
                                                         "=HYPERLINK(\"http://x\") Tegur petugas."]})
    text = text_of(get(c, "examiner_kalsel", "lahp", case).content)
    assert "Terbitkan KTP-el pelapor tanpa biaya." in text and "Tegur petugas." in text
    assert c.tabalong.name in text


def test_providers_get_the_lahp_once_issued_never_the_draft(c: Any) -> None:
    case = drafted(c)
    assert case.provider_notified
    for role in ("admin_tabalong", "operator_dukcapil"):
        assert get(c, role, "lahp", case).status_code == 404
    staff = get(c, "examiner_kalsel", "lahp", case)
    assert staff.status_code == 200 and "DRAF" in text_of(staff.content)
    case = issued(c)
    for role in ("admin_tabalong", "operator_dukcapil"):
        response = get(c, role, "lahp", case)
        assert response.status_code == 200
        for secret in SECRETS:
            assert secret not in text_of(response.content)
    assert get(c, "admin_tabalong", "clarification", case).status_code == 404


def test_other_offices_providers_and_national_staff_get_404(c: Any) -> None:
    case = issued(c)
    for role in ("intake_kalteng", "examiner_kalteng", "admin_barsel", "national_admin"):
        assert get(c, role, "lahp", case).status_code == 404, role
    assert get(c, "outsider", "lahp", case).status_code in (302, 403, 404)


def test_a_document_the_stage_does_not_have_answers_404(c: Any) -> None:
    case = file_report(c).case  # received: no LAHP, no clarification yet
    assert get(c, "intake_kalsel", "lahp", case).status_code == 404
    assert get(c, "intake_kalsel", "clarification", case).status_code == 404
    consultation = file_report(c, kind="consultation").case
    assert get(c, "intake_kalsel", "lahp", consultation).status_code == 404
    assert not letters.may_download(c.intake_kalsel, case, "surat-lain")


def test_the_clarification_letter_is_addressed_to_the_reported_institution_without_identity(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    response = get(c, "examiner_kalsel", "clarification", case)
    assert response.status_code == 200
    text = text_of(response.content)
    assert "Permintaan klarifikasi" in text and c.tabalong.name in text and c.dukcapil.name in text
    assert "Pasal 8 ayat (1) huruf a" in text and "dirahasiakan" in text
    # 14 working days after Monday 2 November 2026 (the rule set's clarification_reply step).
    assert "paling lambat tanggal 20 November 2026." in " ".join(text.split())
    for secret in SECRETS:
        assert secret not in text
    case = drafted(c)
    assert get(c, "examiner_kalsel", "clarification", case).status_code == 404


def test_each_download_is_audited_without_the_identity(c: Any) -> None:
    case = issued(c, visibility="public")
    get(c, "head_kalsel", "lahp", case)
    event = AuditEvent.objects.get(event_type="case.letter_downloaded")
    assert event.after == {"letter": "lahp", "identity_printed": True}
    assert event.object_id == str(case.pk) or str(event.object_id) == str(case.pk)
    for audit_event in AuditEvent.objects.all():
        blob = f"{audit_event.before} {audit_event.after} {audit_event.reason}"
        for secret in SECRETS:
            assert secret not in blob


def test_a_refused_download_is_not_audited(c: Any) -> None:
    case = drafted(c)
    get(c, "admin_tabalong", "lahp", case)
    assert not AuditEvent.objects.filter(event_type="case.letter_downloaded").exists()


def test_a_very_long_case_is_cut_with_a_note_and_renders_in_the_request(c: Any) -> None:
    words = "Petugas menunda layanan tanpa alasan yang jelas dan meminta biaya tambahan. "
    chronology = (words * (TEXT_LIMIT // len(words) + 1))[:TEXT_LIMIT]
    case = to_examination(c, file_report(c, chronology=chronology, remedy="<b>" + "x" * 3000 + "</b>").case)
    for n in range(30):
        case = services.case_transition(actor=c.examiner_kalsel, case=case, action="check_in_field",
                                        note=f"Kunjungan {n}: " + "catatan panjang " * 120)
    case = services.case_update_checks(actor=c.examiner_kalsel, case=case, conclusion="found",
                                       found=["PENUNDAAN_BERLARUT"])
    case = services.case_transition(actor=c.examiner_kalsel, case=case, action="draft_lahp")
    started = time.monotonic()
    response = get(c, "examiner_kalsel", "lahp", case)
    seconds = time.monotonic() - started
    assert response.status_code == 200
    text = text_of(response.content)
    assert "Uraian dipotong pada 6000 karakter" in text
    assert "dan 10 kegiatan lain" in text
    assert len(PdfReader(io.BytesIO(response.content)).pages) <= 20
    assert seconds < 10, seconds  # measured about 1 s on the development machine


def test_many_long_corrective_actions_are_cut_too(c: Any) -> None:
    demands = [f"Tindakan {n}: " + "perbaiki prosedur pelayanan " * 100 for n in range(25)]
    case = services.case_transition(actor=c.examiner_kalsel, case=issued(c), action="open_corrective_actions",
                                    payload={"demands": demands})
    started = time.monotonic()
    response = get(c, "head_kalsel", "lahp", case)
    seconds = time.monotonic() - started
    text = text_of(response.content)
    assert "Tindakan 19:" in text and "Tindakan 20:" not in text and "dan 5 tindakan lain" in text
    assert seconds < 10, seconds


def test_hostile_text_is_printed_as_text(c: Any) -> None:
    case = to_examination(c, file_report(c, title="<img src='http://evil.example/x.png'> KTP",
                                         chronology="<script>alert(1)</script> isi laporan").case)
    response = get(c, "examiner_kalsel", "clarification", case)
    assert response.status_code == 200
    assert "<script>" in text_of(response.content) or "alert(1)" in text_of(response.content)


def test_the_scrubber_keeps_words_that_merely_contain_a_short_name() -> None:
    from pantau.complaints.models import Reporter

    scrub = letters.Scrubber(Reporter(full_name="Ali", phone="0812 1111 2222"), show_name=False)
    assert scrub("Ali datang ke Kalimantan; ali menelepon 0812 1111 2222") == \
        "[disamarkan] datang ke Kalimantan; [disamarkan] menelepon [disamarkan]"
    assert letters.shorten("satu dua tiga", 8) == letters.Cut("satu dua …", True)
    assert letters.shorten("satu dua tiga", 20) == letters.Cut("satu dua tiga")


def test_the_case_page_links_the_documents_each_may_download(c: Any) -> None:
    case = drafted(c)
    lahp = reverse("complaint_docs:lahp", args=[case.pk])

    def page(role: str, target: Case) -> str:
        client = Client()
        client.force_login(c.users[role])
        return client.get(reverse("complaint_manage:case", args=[target.pk])).content.decode()

    assert lahp in page("examiner_kalsel", case) and "Draf LAHP (PDF)" in page("head_kalsel", case)
    assert lahp not in page("admin_tabalong", case)
    examined = to_examination(c, file_report(c).case)
    assert reverse("complaint_docs:clarification", args=[examined.pk]) in page("intake_kalsel", examined)
    done = issued(c)
    assert reverse("complaint_docs:lahp", args=[done.pk]) in page("admin_tabalong", done)


def test_the_queue_links_the_export_with_its_filter(c: Any) -> None:
    client = Client()
    client.force_login(c.intake_kalsel)
    html = client.get(reverse("complaint_manage:list"), {"tahap": "examination"}).content.decode()
    assert reverse("complaint_docs:export_csv") + "?tahap=examination" in html
    assert reverse("complaint_docs:export_xlsx") + "?tahap=examination" in html
