"""The public report form (/lapor/): a citizen files a report, guided rather than refused, once per tap."""

from __future__ import annotations

import io
import logging
import re
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from pantau.complaints.models import Attachment, Case, Reporter
from pantau.complaints.selectors import case_by_token
from pantau.complaints.tests.helpers import REPORTER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]

URL = "/lapor/"
CHRONOLOGY = ("Saya mengurus KTP-el di Disdukcapil Tabalong sejak Agustus. Petugas loket meminta Rp 150.000 "
              "agar cepat selesai; saya menolak dan sampai sekarang KTP belum terbit.")



def form_data(cast: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "token": uuid.uuid4().hex, "aksi": "kirim", "pilih": f"p{cast.ktp.pk}", "unit": "", "terlapor_lain": "",
        "tujuan": "ombudsman", "judul": "Pungutan liar KTP-el", "kronologi": CHRONOLOGY,
        "tanggal_peristiwa": "2026-08-03", "harapan": "KTP-el diterbitkan tanpa biaya.", "sudah_mengadu": "silent",
        "tanggal_pengaduan": "2026-09-01", "saluran_pengaduan": "Loket pengaduan", "jawaban_instansi": "",
        "kerahasiaan": "confidential", "nama": REPORTER["full_name"], "nik": REPORTER["nik"],
        "pekerjaan": REPORTER["occupation"], "alamat": REPORTER["address"], "email": REPORTER["email"],
        "telepon": REPORTER["phone"],
    }
    data.update(overrides)
    return data


def link_token(page: str) -> str:
    match = re.search(r'value="[^"]*/lapor/lacak/([A-Za-z0-9_\-]+)/"', page)
    assert match, "the confirmation page shows the tracking link"
    return match.group(1)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 200, 10)).save(out, "PNG")
    return out.getvalue()


def test_the_form_is_a_small_private_page_without_external_requests(cast: Any, client: Client) -> None:
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert 'name="token"' in page and 'name="website"' in page and 'enctype="multipart/form-data"' in page
    assert not re.search(r'(src|href)="https?://', page)
    assert 'value="confidential" required id="id_kerahasiaan_0" checked' in page or \
        re.search(r'value="confidential"[^>]*checked', page)
    assert len(response.content) < 40_000


def test_a_product_link_opens_the_form_with_that_service_chosen(cast: Any, client: Client) -> None:
    page = client.get(f"{URL}?layanan={cast.ktp.pk}").content.decode()
    assert re.search(rf'value="p{cast.ktp.pk}" checked', page) and "Penerbitan KTP-el" in page
    missing = client.get(f"{URL}?layanan=987654").content.decode()
    assert "tidak ditemukan" in missing and 'value="" checked' in missing


def test_the_search_without_javascript_lists_matches_and_keeps_what_was_typed(cast: Any, client: Client) -> None:
    assert "Penerbitan KTP-el" in client.get(f"{URL}?cari=KTP").content.decode()
    response = client.post(URL, form_data(cast, aksi="cari", cari="KTP", pilih=""))
    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert f'value="p{cast.ktp.pk}"' in page and CHRONOLOGY[:40] in page and REPORTER["address"] in page
    assert "error-summary" not in page


def test_a_citizen_files_a_report_and_gets_the_secret_link_once(cast: Any, client: Client) -> None:
    response = client.post(URL, form_data(cast))
    assert response.status_code == 302 and response["Location"] == reverse("complaints:filed")
    case = Case.objects.get()
    assert (case.kind, case.channel, case.visibility, case.product, case.unit, case.institution) == (
        "public_report", "web", "confidential", cast.ktp, cast.dukcapil, cast.tabalong)
    assert case.office == cast.kalsel and str(case.event_date) == "2026-08-03" and case.prior_complaint == "silent"
    assert Reporter.objects.get(case=case).nik == REPORTER["nik"]
    page = client.get(reverse("complaints:filed"))
    text = page.content.decode()
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "strict-origin"
    assert case.number in text and case_by_token(link_token(text)) == case
    for secret in REPORTER.values():
        assert secret not in text
    client.post(reverse("complaints:filed"))  # "sudah saya simpan"
    again = client.get(reverse("complaints:filed")).content.decode()
    assert "/lapor/lacak/" + link_token(text) not in again and case.number not in again


def test_a_complaint_to_the_provider_itself_needs_a_chosen_institution(cast: Any, client: Client) -> None:
    refused = client.post(URL, form_data(cast, tujuan="penyelenggara", pilih="", terlapor_lain="Kantor desa"))
    assert refused.status_code == 422 and not Case.objects.exists()
    assert 'href="#id_tujuan_0"' in refused.content.decode()
    assert client.post(URL, form_data(cast, tujuan="penyelenggara")).status_code == 302
    case = Case.objects.get()
    assert case.kind == "provider_complaint" and case.office is None and case.institution == cast.tabalong


def test_a_double_tap_files_once_and_shows_the_link_again(cast: Any, client: Client) -> None:
    data = form_data(cast)
    client.post(URL, data)
    first = link_token(client.get(reverse("complaints:filed")).content.decode())
    other = Client()  # the first answer was lost with the connection: a fresh browser session sends again
    assert other.post(URL, data).status_code == 302
    page = other.get(reverse("complaints:filed")).content.decode()
    assert Case.objects.count() == 1 and link_token(page) == first and "sudah terkirim sebelumnya" in page


def test_the_honeypot_refuses_and_keeps_the_text(cast: Any, client: Client) -> None:
    response = client.post(URL, form_data(cast, website="http://spam.example"))
    assert response.status_code == 400 and not Case.objects.exists()
    assert CHRONOLOGY[:40] in response.content.decode()


def test_the_rate_limit_refuses_politely_and_keeps_the_text(cast: Any, client: Client, settings: Any) -> None:
    settings.COMPLAINT_SUBMIT_LIMIT = 1
    assert client.post(URL, form_data(cast)).status_code == 302
    response = client.post(URL, form_data(cast, kronologi=CHRONOLOGY + " Kedua."))
    assert response.status_code == 429 and Case.objects.count() == 1
    page = response.content.decode()
    assert "Terlalu banyak laporan" in page and "Kedua." in page


def test_a_thin_report_is_filed_and_the_confirmation_lists_what_is_missing(cast: Any, client: Client) -> None:
    data = {"token": uuid.uuid4().hex, "kronologi": "KTP saya tidak jadi-jadi.", "tujuan": "ombudsman",
            "kerahasiaan": "anonymous"}
    assert client.post(URL, data).status_code == 302
    case = Case.objects.get()
    assert not case.formal_complete and case.visibility == "anonymous" and case.title
    page = client.get(reverse("complaints:filed")).content.decode()
    for item in ("nama lengkap pelapor", "alamat atau kontak pelapor", "tanggal peristiwa",
                 "bukti sudah mengadu kepada instansi terlapor", "nama instansi, unit, atau petugas"):
        assert item in page
    assert "halaman pelacakan" in page


def test_an_old_event_or_a_court_case_is_accepted_and_flagged(cast: Any, client: Client) -> None:
    assert client.post(URL, form_data(cast, tanggal_peristiwa="03/08/2023", tanggal_pengaduan="",
                                      di_pengadilan="on")).status_code == 302
    case = Case.objects.get()
    assert case.event_too_old and case.in_court
    page = client.get(reverse("complaints:filed")).content.decode()
    assert "lebih dari dua tahun" in page and "pengadilan" in page


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"kronologi": ""}, "kronologi", "Ceritakan apa yang terjadi"),
    ({"kronologi": "x" * 100_000}, "kronologi", "Paling banyak 10.000 karakter"),
    ({"tanggal_peristiwa": "2026-12-25"}, "tanggal_peristiwa", "tidak boleh sesudah hari ini"),
    ({"tanggal_peristiwa": "31/02/2026"}, "tanggal_peristiwa", "Tanggal tidak dikenali"),
    ({"tanggal_peristiwa": "kemarin"}, "tanggal_peristiwa", "Tanggal tidak dikenali"),
    ({"tanggal_pengaduan": "2026-07-01"}, "tanggal_pengaduan", "lebih awal dari tanggal peristiwa"),
    ({"pilih": "i987654321"}, "cari", "tidak ditemukan"),
    ({"pilih": "x'1"}, "cari", "tidak ditemukan"),
    ({"nik": "12345"}, "nik", "16 angka"),
    ({"email": "siti@"}, "email", "tidak lengkap"),
    ({"telepon": "telepon saya"}, "telepon", "8–15 angka"),
    ({"tujuan": "presiden"}, "tujuan", ""),
    ({"kerahasiaan": "rahasia-sekali"}, "kerahasiaan", ""),
    ({"unit": "abc"}, "unit", "Pilih unit dari daftar"),
])
def test_bad_input_is_explained_and_nothing_is_lost(cast: Any, client: Client, overrides: dict[str, Any],
                                                    field: str, message: str) -> None:
    data = form_data(cast, **overrides)
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 422 and not Case.objects.exists() and not Reporter.objects.exists()
    assert "error-summary" in page and message in page
    assert re.search(rf'href="#id_{field}(_0)?"', page)
    assert REPORTER["address"] in page and data["judul"] in page
    if overrides.get("kronologi") != "":
        assert data["kronologi"][:60] in page


def test_a_unit_of_another_institution_is_refused(cast: Any, client: Client) -> None:
    response = client.post(URL, form_data(cast, pilih=f"i{cast.tabalong.pk}", unit=str(cast.barsel_dukcapil.pk)))
    assert response.status_code == 422 and not Case.objects.exists()
    assert "bukan bagian dari instansi" in response.content.decode()
    ok = client.post(URL, form_data(cast, pilih=f"i{cast.tabalong.pk}", unit=str(cast.dpmptsp.pk)))
    assert ok.status_code == 302 and Case.objects.get().unit == cast.dpmptsp


def test_a_report_with_files_keeps_them_and_a_refused_file_keeps_nothing(cast: Any, client: Client) -> None:
    bad = SimpleUploadedFile("surat.jpg", b"MZ\x90\x00" + b"\x00" * 300, content_type="image/jpeg")
    refused = client.post(URL, {**form_data(cast), "lampiran": [bad]})
    page = refused.content.decode()
    assert refused.status_code == 422 and not Case.objects.exists() and not Attachment.objects.exists()
    assert "surat.jpg" in page and "pilih lagi berkasnya" in page and CHRONOLOGY[:40] in page
    assert 'href="#id_lampiran"' in page
    good = SimpleUploadedFile("bukti.png", png(), content_type="image/png")
    assert client.post(URL, {**form_data(cast), "lampiran": [good]}).status_code == 302
    item = Attachment.objects.get()
    assert item.case == Case.objects.get() and item.source == "reporter" and item.event is not None


def test_the_identity_never_reaches_the_log(cast: Any, client: Client, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    client.post(URL, form_data(cast))
    client.post(URL, form_data(cast, email="siti@"))
    client.get(reverse("complaints:filed"))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in REPORTER.values():
        assert secret not in logged


def test_every_public_product_page_has_a_laporkan_link(cast: Any, client: Client) -> None:
    page = client.get(reverse("public:product", args=[cast.ktp.pk])).content.decode()
    assert f'href="/lapor/?layanan={cast.ktp.pk}"' in page and "Laporkan" in page


def test_the_browser_never_refuses_a_long_text_before_the_server_explains(cast: Any, client: Client) -> None:
    """No ``maxlength`` on any field of the page, before or after a bound form (whose fields are shared,
    not copied: ``forms_public._Shared``) was validated and shown with its errors."""
    assert "maxlength" not in client.get(URL).content.decode()
    refused = client.post(URL, form_data(cast, judul="x" * 201, nik="123"))
    assert refused.status_code == 422 and "maxlength" not in refused.content.decode()
    from pantau.complaints.forms_public import ReportForm

    before = {name: (type(f.widget), dict(f.widget.attrs), f.required) for name, f in ReportForm.base_fields.items()}
    bound = ReportForm(form_data(cast, kronologi=""))
    assert not bound.is_valid() and "kronologi" in bound.errors
    str(bound)  # rendered with its errors
    after = {name: (type(f.widget), dict(f.widget.attrs), f.required) for name, f in ReportForm.base_fields.items()}
    assert after == before
    assert "maxlength" not in client.get(URL).content.decode()
