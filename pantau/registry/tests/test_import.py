"""Importing the registry workbook: rows are written through the services, re-imports update, scope holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pantau.core.models import AuditEvent
from pantau.registry.importer import import_registry
from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit
from pantau.registry.selectors import public_products
from pantau.registry.tests.workbooks import STANDARD, table_counts, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

TABALONG = "Pemerintah Kabupaten Tabalong"
DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"


def run(actor: Any, data: bytes, **kwargs: Any) -> Any:
    fh, size = upload(data)
    return import_registry(actor=actor, upload=fh, size=size, **kwargs)


def new_unit_file(**standard: Any) -> bytes:
    return xlsx_bytes({
        "Unit": [{"Instansi": TABALONG, "Nama unit": "RSUD H. Badaruddin Kasim", "Jenis": "rsud",
                  "Alamat": "Jl. Tanjung Selatan, Tanjung", "Kabupaten/kota": "63.09", "Telepon": "0526-2021",
                  "Maklumat pelayanan": "Kami sanggup melayani sesuai standar.",
                  "Tanggal maklumat": dt.date(2025, 3, 1)}],
        "Produk": [{"Instansi": TABALONG, "Unit": "RSUD H. Badaruddin Kasim", "Nama produk": "Surat keterangan sehat",
                    "Kategori": "kesehatan", "Keterangan": "Untuk melamar kerja"}],
        "Standar": [{"Instansi": TABALONG, "Unit": "RSUD H. Badaruddin Kasim", "Produk": "Surat keterangan sehat",
                     **STANDARD, "Produk pelayanan": "Surat keterangan sehat", "Terbitkan": "ya",
                     "Tanggal berlaku": dt.date(2025, 4, 1), **standard}],
    })


def test_an_institution_admin_imports_a_unit_with_a_product_and_publishes_its_standard(cast: Any) -> None:
    before = table_counts()

    result = run(cast.admin_tabalong, new_unit_file())

    assert result.ok, result.problems
    summary = {s["sheet"]: s for s in result.summary()}
    assert (summary["Unit"]["created"], summary["Produk"]["created"], summary["Standar"]["created"]) == (1, 1, 1)
    assert summary["Standar"]["published"] == 1
    unit = ServiceUnit.objects.get(institution=cast.tabalong, name="RSUD H. Badaruddin Kasim")
    assert (unit.kind, unit.regency, unit.maklumat_date) == ("rsud", cast.tabalong.regency, dt.date(2025, 3, 1))
    product = ServiceProduct.objects.get(unit=unit, name="Surat keterangan sehat")
    standard = product.standards.get()
    assert standard.status == ServiceStandard.Status.PUBLISHED
    assert standard.effective_date == dt.date(2025, 4, 1)
    assert standard.requirements == "Fotokopi Kartu Keluarga\nSurat pengantar RT/RW"
    assert standard.is_free and standard.completion_days == 1
    assert product in public_products()
    # Every write went through a service: the audit trail names the importing user.
    events = AuditEvent.objects.filter(actor=cast.admin_tabalong).values_list("event_type", flat=True)
    assert sorted(events) == ["product.created", "standard.draft_saved", "standard.published", "unit.created"]
    after = table_counts()
    assert after["ServiceUnit"] == before["ServiceUnit"] + 1
    assert after["Institution"] == before["Institution"]


@pytest.mark.parametrize("effective", [dt.date(2025, 4, 1), None])
def test_importing_the_same_file_again_changes_nothing(cast: Any, effective: dt.date | None) -> None:
    # Without a date, publishing dates the version today; the second import must not see that as a change.
    data = new_unit_file(**{"Tanggal berlaku": effective})
    assert run(cast.admin_tabalong, data).ok
    before = table_counts()

    result = run(cast.admin_tabalong, data)

    assert result.ok, result.problems
    assert table_counts() == before
    assert {s["sheet"]: s["unchanged"] for s in result.summary()} == {
        "Instansi": 0, "Unit": 1, "Produk": 1, "Standar": 1}


def test_a_reimport_with_changes_updates_the_rows_instead_of_adding_new_ones(cast: Any) -> None:
    assert run(cast.admin_tabalong, new_unit_file()).ok
    # The unit and product rows stay the same; the published standard changes: a new draft version.
    changed = new_unit_file(**{"Jangka waktu penyelesaian": "2 hari kerja", "Terbitkan": "tidak"})
    result = run(cast.admin_tabalong, changed)
    assert result.ok, result.problems
    unit_count = ServiceUnit.objects.filter(name__iexact="RSUD H. Badaruddin Kasim").count()
    assert unit_count == 1
    product = ServiceProduct.objects.get(name="Surat keterangan sehat")
    versions = list(product.standards.order_by("version").values_list("version", "status", "completion_time"))
    assert versions == [(1, "published", "1 hari kerja"), (2, "draft", "2 hari kerja")]

    # The same draft changed again: the draft is updated (no third version), then published.
    again = new_unit_file(**{"Jangka waktu penyelesaian": "3 hari kerja", "Terbitkan": "ya"})
    result = run(cast.admin_tabalong, again)
    assert result.ok, result.problems
    assert {s["sheet"]: (s["updated"], s["published"]) for s in result.summary()}["Standar"] == (1, 1)
    versions = list(product.standards.order_by("version").values_list("version", "status", "completion_time"))
    assert versions == [(1, "published", "1 hari kerja"), (2, "published", "3 hari kerja")]


def test_names_are_matched_without_regard_to_case_or_extra_spaces(cast: Any) -> None:
    data = xlsx_bytes({"Unit": [{"Instansi": "pemerintah  kabupaten TABALONG", "Nama unit": "dpmptsp",
                                 "Jenis": "Dinas"}]})
    result = run(cast.admin_tabalong, data)
    assert result.ok, result.problems
    assert ServiceUnit.objects.filter(institution=cast.tabalong).count() == 2
    cast.dpmptsp.refresh_from_db()
    assert cast.dpmptsp.name == "dpmptsp"  # the row updated the unit it names (a change of spelling)


def test_a_head_of_office_creates_an_institution_and_its_units_in_one_file(cast: Any) -> None:
    data = xlsx_bytes({
        "Instansi": [{"Nama instansi": "Pemerintah Kabupaten Balangan", "Jenis": "pemkab",
                      "Provinsi": "Kalimantan Selatan", "Kantor Ombudsman": cast.kalsel.name,
                      "Situs web": "balangankab.go.id"}],
        "Unit": [{"Instansi": "Pemerintah Kabupaten Balangan", "Nama unit": "Disdukcapil Balangan", "Jenis": "dinas"}],
    })
    result = run(cast.head_kalsel, data)
    assert result.ok, result.problems
    inst = Institution.objects.get(name="Pemerintah Kabupaten Balangan")
    assert (inst.province, inst.office, inst.website) == (cast.kalsel_province, cast.kalsel, "https://balangankab.go.id")
    assert inst.units.get().name == "Disdukcapil Balangan"
    assert AuditEvent.objects.filter(event_type="institution.created", object_id=str(inst.pk),
                                     actor=cast.head_kalsel).exists()


def test_a_regency_code_typed_as_a_number_is_read_as_its_kemendagri_code(cast: Any) -> None:
    from pantau.registry.models import Regency

    Regency.objects.create(code="63.10", province=cast.kalsel_province, name="Kabupaten Tanah Bumbu",
                           kind="kabupaten")
    data = xlsx_bytes({"Unit": [{"Instansi": TABALONG, "Nama unit": "UPT Batulicin", "Jenis": "kantor",
                                 "Kabupaten/kota": 63.10}]})
    result = run(cast.admin_tabalong, data)
    assert result.ok, result.problems
    assert ServiceUnit.objects.get(name="UPT Batulicin").regency.code == "63.10"


def test_a_dry_run_reports_what_would_change_and_writes_nothing(cast: Any) -> None:
    before = table_counts()
    result = run(cast.admin_tabalong, new_unit_file(), dry_run=True)
    assert result.ok and result.dry_run
    assert {s["sheet"]: s["created"] for s in result.summary()}["Unit"] == 1
    assert table_counts() == before


def test_a_unit_operator_adds_a_product_to_their_own_unit(cast: Any) -> None:
    data = xlsx_bytes({"Produk": [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Nama produk": "Akta kelahiran",
                                   "Kategori": "adminduk"}]})
    result = run(cast.operator_dukcapil, data)
    assert result.ok, result.problems
    assert cast.dukcapil.products.filter(name="Akta kelahiran").exists()


@pytest.mark.parametrize(("who", "sheets", "column", "message"), [
    ("admin_tabalong", {"Unit": [{"Instansi": "Pemerintah Kabupaten Barito Selatan", "Nama unit": "Dinas Baru",
                                  "Jenis": "dinas"}]},
     "Instansi", "Instansi “Pemerintah Kabupaten Barito Selatan” di luar wilayah kerja Anda."),
    ("admin_tabalong", {"Instansi": [{"Nama instansi": "Pemerintah Kabupaten Barito Selatan", "Jenis": "pemkab",
                                      "Kantor Ombudsman": "Ombudsman RI Perwakilan Kalimantan Tengah"}]},
     "Nama instansi", "di luar wilayah kerja Anda"),
    ("admin_tabalong", {"Instansi": [{"Nama instansi": "Pemerintah Kabupaten Tabalong Baru", "Jenis": "pemkab",
                                      "Kantor Ombudsman": "Ombudsman RI Perwakilan Kalimantan Selatan"}]},
     "Nama instansi", "tidak berwenang menambah instansi baru"),
    ("operator_dukcapil", {"Unit": [{"Instansi": TABALONG, "Nama unit": "Dinas Baru", "Jenis": "dinas"}]},
     "Nama unit", "tidak berwenang menambah unit di instansi “Pemerintah Kabupaten Tabalong”"),
    ("operator_dukcapil", {"Produk": [{"Instansi": TABALONG, "Unit": "DPMPTSP", "Nama produk": "Izin usaha"}]},
     "Unit", "Unit “DPMPTSP” di luar wilayah kerja Anda."),
    ("head_kalsel", {"Instansi": [{"Nama instansi": "Pemerintah Kabupaten Kapuas", "Jenis": "pemkab",
                                   "Provinsi": "62", "Kantor Ombudsman": "Ombudsman RI Perwakilan Kalimantan Tengah"}]},
     "Provinsi", "di luar wilayah kerja Anda"),
])
def test_a_row_outside_the_users_scope_is_refused_naming_the_row(
        cast: Any, who: str, sheets: dict[str, Any], column: str, message: str) -> None:
    before = table_counts()
    # A valid row first: it must not be written either.
    sheets = {**sheets}
    sheets.setdefault("Produk", [])
    sheets["Produk"] = [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Nama produk": "Surat pindah"}, *sheets["Produk"]]

    result = run(cast.users[who], xlsx_bytes(sheets))

    assert not result.ok
    [problem] = [p for p in result.problems if message in p.message]
    sheet = next(iter(k for k, v in sheets.items() if v and k != "Produk"), "Produk")
    assert (problem.sheet, problem.row, problem.column) == (sheet, 3 if sheet == "Produk" else 2, column)
    assert table_counts() == before
    assert not ServiceProduct.objects.filter(name="Surat pindah").exists()
