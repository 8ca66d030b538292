"""The import page: upload → a job page (the table of problems, nothing written; or the summary)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pantau.registry.models import ServiceUnit
from pantau.registry.tests.workbooks import table_counts, xlsx_bytes
from pantau.reports.xlsx import XLSX_CONTENT_TYPE
from tests.cast import client_for

pytestmark = pytest.mark.django_db

TABALONG = "Pemerintah Kabupaten Tabalong"


def xlsx_file(data: bytes, name: str = "impor.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


def units_file(kind: str = "kecamatan") -> bytes:
    return xlsx_bytes({"Unit": [
        {"Instansi": TABALONG, "Nama unit": "Kecamatan Murung Pudak", "Jenis": "kecamatan"},
        {"Instansi": TABALONG, "Nama unit": "Kecamatan Tanjung", "Jenis": kind},
    ]})


def test_the_page_offers_the_template_the_export_and_the_upload_form(cast: Any) -> None:
    response = client_for(cast.admin_tabalong).get(reverse("manage:import"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (reverse("manage:import_template"), reverse("manage:export"), 'enctype="multipart/form-data"',
                 'type="file"', "Periksa saja, jangan simpan"):
        assert text in html


def job_page(client: Any, data: dict[str, Any]) -> str:
    """Post the upload; it goes at once to its job page (the test suite runs the job at once)."""
    response = client.post(reverse("manage:import"), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/kelola/tugas/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    return str(page.content.decode())


def test_a_file_with_a_bad_row_shows_the_problem_table_on_its_job_page_and_writes_nothing(cast: Any) -> None:
    before = table_counts()
    html = job_page(client_for(cast.admin_tabalong), {"file": xlsx_file(units_file(kind="kastil")), "action": "import"})
    assert "Gagal" in html
    assert "Ditemukan 1 kesalahan. Tidak ada data yang disimpan" in html
    assert "<td>Unit</td><td>3</td><td>Jenis</td><td>“kastil” bukan pilihan yang dikenal." in html
    assert table_counts() == before


def test_a_good_file_is_imported_and_the_summary_shown_once(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    html = job_page(client, {"file": xlsx_file(units_file()), "action": "import"})
    assert ServiceUnit.objects.filter(institution=cast.tabalong, name__startswith="Kecamatan").count() == 2
    assert "Impor selesai. Semua baris tersimpan." in html
    assert '<tr><th scope="row">Unit</th><td>2</td><td>0</td><td>0</td><td>—</td></tr>' in html
    assert "<dt>Baris ditulis</dt><dd>2</dd>" in html
    # The import page lists it among the recent imports; the job page reloads the same.
    assert "impor.xlsx" in client.get(reverse("manage:import")).content.decode()


def test_checking_a_file_reports_what_would_be_written_without_writing_it(cast: Any) -> None:
    before = table_counts()
    html = job_page(client_for(cast.admin_tabalong), {"file": xlsx_file(units_file()), "action": "check"})
    assert "Berkas valid — belum disimpan" in html
    assert "<dt>Baris ditulis</dt><dd>0</dd>" in html
    assert '<tr><th scope="row">Unit</th><td>2</td>' in html
    assert table_counts() == before


@pytest.mark.parametrize(("payload", "message"), [
    ({}, "Pilih berkas XLSX yang akan diimpor."),
    ({"file": SimpleUploadedFile("data.csv", b"Nama;Jenis\nA;pemkab\n", content_type="text/csv")},
     "Berkas ini bukan XLSX."),
    ({"file": SimpleUploadedFile("kosong.xlsx", b"", content_type=XLSX_CONTENT_TYPE)}, "Berkas kosong."),
])
def test_a_missing_or_wrong_file_is_refused_on_the_form(cast: Any, payload: dict[str, Any], message: str) -> None:
    before = table_counts()
    response = client_for(cast.admin_tabalong).post(reverse("manage:import"), {**payload, "action": "import"})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert table_counts() == before


def test_a_file_over_the_limit_is_refused_on_the_form(cast: Any, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    response = client_for(cast.admin_tabalong).post(reverse("manage:import"), {
        "file": xlsx_file(units_file()), "action": "import"})
    assert response.status_code == 422
    assert "Berkas terlalu besar" in response.content.decode()


def test_the_error_table_is_cut_short_on_a_file_full_of_mistakes(cast: Any) -> None:
    rows = [{"Instansi": TABALONG, "Nama unit": f"Unit {i}", "Jenis": "salah"} for i in range(230)]
    html = job_page(client_for(cast.admin_tabalong), {"file": xlsx_file(xlsx_bytes({"Unit": rows})),
                                                      "action": "import"})
    assert "Ditemukan 230 kesalahan." in html
    assert "<dt>Kesalahan sejauh ini</dt><dd>230</dd>" in html
    assert "… dan 30 kesalahan lain." in html
    assert html.count("bukan pilihan yang dikenal") == 200


def test_the_dashboard_links_editors_to_the_import_and_everyone_to_the_export(cast: Any) -> None:
    html = client_for(cast.admin_tabalong).get(reverse("manage:dashboard")).content.decode()
    assert reverse("manage:import") in html and reverse("manage:export") in html
    html = client_for(cast.assessor_kalsel).get(reverse("manage:dashboard")).content.decode()
    assert reverse("manage:import") not in html and reverse("manage:export") in html
    html = client_for(cast.admin_tabalong).get(reverse("manage:institution", args=[cast.tabalong.pk])).content
    assert reverse("manage:import").encode() in html
