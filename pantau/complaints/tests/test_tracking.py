"""The reporter's tracking page behind the secret link (/lapor/lacak/<token>/) and the help page."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from pantau.complaints import files, services
from pantau.complaints.models import Attachment, Event
from pantau.complaints.tests.helpers import REPORTER, file_report, to_examination

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]

STAFF_NOTE = "CATATAN-INTERNAL: pelapor sering menelepon, periksa dulu ke Dukcapil"




def url(token: str) -> str:
    return reverse("complaints:track", args=[token])


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 0, 200)).save(out, "PNG")
    return out.getvalue()


def test_the_link_shows_the_stage_and_the_reporters_history_only(c: Any, client: Client) -> None:
    opened = file_report(c)
    services.case_transition(actor=c.intake_kalsel, case=opened.case, action="start_formal_verification",
                             note=STAFF_NOTE)
    Event.objects.create(case=opened.case, actor_label="petugas", action="note", note="Rahasia dapur: " + STAFF_NOTE)
    response = client.get(url(opened.token))
    page = response.content.decode()
    assert response.status_code == 200
    assert opened.case.number in page and "Verifikasi formil" in page and "Laporan Masyarakat (LM)" in page
    assert "Laporan diterima" in page and "Proses awal laporan" in page
    assert "CATATAN-INTERNAL" not in page and "Rahasia dapur" not in page


def test_the_page_is_private_not_indexed_and_never_refers_with_the_token(c: Any, client: Client) -> None:
    opened = file_report(c)
    response = client.get(url(opened.token))
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "strict-origin"
    assert "noindex" in response["X-Robots-Tag"] and '<meta name="robots" content="noindex' in response.content.decode()
    assert client.get(reverse("complaints:track_help"))["Cache-Control"] == "no-store"


def test_no_identity_is_shown_even_to_the_reporter(c: Any, client: Client) -> None:
    opened = file_report(c, visibility="public")
    services.reporter_message(case=opened.case, note="Nomor saya yang baru 081298765432, NIK 6309014506900002.")
    page = client.get(url(opened.token)).content.decode()
    for secret in (*REPORTER.values(), "081298765432"):
        assert secret not in page
    assert "Informasi tambahan dari Anda" in page


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
    lambda t: t + "x",
    lambda t: t[:10],
    lambda t: "x" * 101,
    lambda t: "0001-LM-XI-2026-ORI",
])
def test_a_tampered_token_or_a_number_answers_404(c: Any, client: Client, mangle: Any) -> None:
    opened = file_report(c)
    assert client.get(url(mangle(opened.token))).status_code == 404
    assert client.post(url(mangle(opened.token)), {"catatan": "halo"}).status_code == 404
    assert not Event.objects.filter(action="reporter_message").exists()


def test_the_help_page_explains_and_opens_a_pasted_link(c: Any, client: Client) -> None:
    opened = file_report(c)
    page = client.get(reverse("complaints:track_help")).content.decode()
    assert "Nomor laporan" in page and "tidak membuka apa pun" in page
    pasted = client.post(reverse("complaints:track_help"), {"tautan": f"https://pantau.example{url(opened.token)}"})
    assert pasted.status_code == 302 and pasted["Location"] == url(opened.token)
    number = client.post(reverse("complaints:track_help"), {"tautan": opened.case.number})
    assert number.status_code == 422 and "bukan tautan pelacakan" in number.content.decode()
    assert client.post(reverse("complaints:track_help"), {"tautan": ""}).status_code == 422


def test_the_reporter_adds_information_with_a_file(c: Any, client: Client) -> None:
    opened = file_report(c)
    response = client.post(url(opened.token), {"catatan": "Ini foto tanda terima berkas.",
                                               "lampiran": [SimpleUploadedFile("terima.png", png(), "image/png")]})
    assert response.status_code == 302 and response["Location"] == url(opened.token)
    event = Event.objects.get(action="reporter_message")
    item = Attachment.objects.get()
    assert event.audience == "reporter" and item.event == event and item.source == "reporter"
    page = client.get(url(opened.token)).content.decode()
    assert "Ini foto tanda terima berkas." in page and "terima.png" in page and "Terkirim." in page
    assert reverse("complaint_files:reporter", args=[opened.token, item.pk]) in page


def test_a_staff_file_is_not_listed_for_the_reporter(c: Any, client: Client) -> None:
    from django.db import transaction

    opened = file_report(c)
    with transaction.atomic():
        files.attach(case=opened.case, uploads=[SimpleUploadedFile("memo-internal.png", png(), "image/png")],
                     source="staff", actor=c.intake_kalsel)
    assert "memo-internal.png" not in client.get(url(opened.token)).content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"catatan": ""}, "Tuliskan informasi"),
    ({"catatan": "   "}, "Tuliskan informasi"),
    ({"catatan": "y" * 10_001}, "Paling banyak 10.000 karakter"),
])
def test_a_bad_message_is_explained_and_kept(c: Any, client: Client, data: dict[str, str], message: str) -> None:
    opened = file_report(c)
    response = client.post(url(opened.token), data)
    page = response.content.decode()
    assert response.status_code == 422 and message in page and 'href="#id_catatan"' in page
    assert not Event.objects.filter(action="reporter_message").exists()
    if data["catatan"].strip():
        assert data["catatan"][:50] in page


def test_a_refused_file_keeps_nothing_and_keeps_the_text(c: Any, client: Client) -> None:
    opened = file_report(c)
    fake = SimpleUploadedFile("kk.pdf", b"MZ\x90\x00" + b"\x00" * 300, content_type="application/pdf")
    response = client.post(url(opened.token), {"catatan": "Kartu keluarga saya.", "lampiran": [fake]})
    page = response.content.decode()
    assert response.status_code == 422 and "kk.pdf" in page and "pilih lagi berkasnya" in page
    assert "Kartu keluarga saya." in page
    assert not Event.objects.filter(action="reporter_message").exists() and not Attachment.objects.exists()


def test_awaiting_completeness_asks_the_reporter_and_a_message_answers(c: Any, client: Client) -> None:
    opened = file_report(c, reporter=None)
    case = services.case_transition(actor=c.intake_kalsel, case=opened.case, action="start_formal_verification")
    services.case_transition(actor=c.intake_kalsel, case=case, action="request_completeness",
                             note="Mohon lengkapi nama dan alamat Anda.")
    page = client.get(url(opened.token)).content.decode()
    assert "Lengkapi laporan" in page and "nama lengkap pelapor" in page and "Paling lambat" in page
    assert "Mohon lengkapi nama dan alamat Anda." in page
    client.post(url(opened.token), {"catatan": "Nama saya Budi, alamat Jl. Sudirman 1 Tanjung."})
    case.refresh_from_db()
    assert case.documents_supplied
    assert "Anda sudah mengirim tambahan" in client.get(url(opened.token)).content.decode()


def test_the_draft_lahp_asks_for_the_reporters_response(c: Any, client: Client) -> None:
    opened = file_report(c)
    case = to_examination(c, opened.case)
    examiner = c.examiner_kalsel
    case = services.case_transition(actor=examiner, case=case, action="request_written_clarification")
    case = services.case_update_checks(actor=examiner, case=case, conclusion="found", found=["PERMINTAAN_IMBALAN"])
    case = services.case_transition(actor=examiner, case=case, action="draft_lahp")
    services.case_transition(actor=examiner, case=case, action="send_draft_to_reporter")
    page = client.get(url(opened.token)).content.decode()
    assert "Tanggapi hasil pemeriksaan" in page and "Menunggu tanggapan pelapor" in page


def test_deadlines_show_due_soon_and_overdue(c: Any, client: Client) -> None:
    opened = file_report(c)  # initial processing due 16 November 2026
    assert "berjalan" in client.get(url(opened.token)).content.decode()
    with time_machine.travel("2026-11-13 09:00 +07:00", tick=False):
        assert "segera jatuh tempo" in client.get(url(opened.token)).content.decode()
    with time_machine.travel("2026-11-18 09:00 +07:00", tick=False):
        assert "lewat tenggat" in client.get(url(opened.token)).content.decode()


def test_a_closed_case_takes_no_more_messages(c: Any, client: Client) -> None:
    opened = file_report(c)
    services.case_transition(actor=c.intake_kalsel, case=opened.case, action="close", reason="DICABUT_PELAPOR")
    page = client.get(url(opened.token)).content.decode()
    assert "sudah ditutup" in page and 'name="catatan"' not in page and "Dicabut atas permintaan pelapor" in page
    response = client.post(url(opened.token), {"catatan": "Saya ingin membuka lagi."})
    assert response.status_code == 422 and "sudah ditutup" in response.content.decode()


def test_the_rate_limit_keeps_the_message(c: Any, client: Client, settings: Any) -> None:
    settings.COMPLAINT_MESSAGE_LIMIT = 1
    opened = file_report(c)
    assert client.post(url(opened.token), {"catatan": "Pertama."}).status_code == 302
    response = client.post(url(opened.token), {"catatan": "Kedua kalinya."})
    assert response.status_code == 429 and "Kedua kalinya." in response.content.decode()


def test_the_page_costs_the_same_queries_however_long_the_history(c: Any, client: Client,
                                                                   django_assert_max_num_queries: Any) -> None:
    short, long = file_report(c), file_report(c)
    for i in range(30):
        services.reporter_message(case=long.case, note=f"Tambahan ke-{i}.")
    with CaptureQueriesContext(connection) as few:
        client.get(url(short.token))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Tambahan ke-29." in client.get(url(long.token)).content.decode()
    assert len(few.captured_queries) <= 8
