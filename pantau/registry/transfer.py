"""The layout of the registry workbook, shared by the import template, the export and the importer.

Four sheets, one per kind of record. The Instansi, Unit and Produk sheets end with an ID column
(the record's id in Pantau, written by the export): a row with an ID updates that record, so a
changed name is a rename, never a new record. A row without an ID is found again by its *natural
key* (or created when there is none), so importing the same file twice updates instead of
duplicating:

- Instansi: the institution's name;
- Unit: (institution name, unit name);
- Produk: (institution, unit, product name);
- Standar: (institution, unit, product) — the row is written as the product's draft standard
  and, with "Terbitkan" = ya, published.

Names are compared by ``pantau.core.text.fold_key`` (case, spacing, invisible characters and
lookalike letters do not count). The ID columns are optional in an uploaded file, so files made
from an older template still import (matched by name).

Column headers are part of the file format and stay Indonesian whatever the interface language,
so a file moves between users of either language; their explanations (cell comments) and the
error messages follow the user's language.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pantau.core.text import fold_key
from pantau.registry import components
from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit
from pantau.reports.xlsx import BOOL, CHOICE, DATE, FLOAT, INT, URL, Column, Sheet, text_of

INSTITUTIONS, UNITS, PRODUCTS, STANDARDS = "Instansi", "Unit", "Produk", "Standar"
SHEET_ORDER = (INSTITUTIONS, UNITS, PRODUCTS, STANDARDS)
NOTES_SHEET = "Petunjuk"
# Drop-down lists kept on the hidden choices sheet (see ``reports.xlsx.add_choice_sheet``).
PROVINCE_LIST, REGENCY_LIST, OFFICE_LIST = "provinsi", "kabupaten_kota", "kantor"
# Rows per sheet (the import runs as a background job; see docs/decisions/0013-background-jobs.md).
MAX_ROWS = 200_000

H_INSTITUTION = "Instansi"
H_UNIT = "Unit"
H_PRODUCT = "Produk"
H_ID_INSTITUTION, H_ID_UNIT, H_ID_PRODUCT = "ID instansi", "ID unit", "ID produk"
# Ids fit in a float without loss up to here (a bigger "id" is a typing error, not an id).
MAX_ID = 2**53


def _id_column(header: str) -> Column:
    return Column(header, "id", INT, minimum=1, maximum=MAX_ID, optional=True, width=12,
                  help=_("Nomor data ini di Pantau, diisi oleh ekspor. Jangan diubah: baris dengan ID memperbarui "
                         "data itu (mengganti nama di sini berarti mengganti namanya). Kosongkan untuk data baru."))


def _max(model: Any, name: str) -> int | None:
    """A text column's length limit: the model field's (one source of truth)."""
    limit: int | None = model._meta.get_field(name).max_length
    return limit


def _choices(model_choices: Any) -> tuple[tuple[str, str], ...]:
    with translation.override("id"):
        return tuple((str(value), str(label)) for value, label in model_choices)


def _institution_key(required_help: Any) -> Column:
    return Column(H_INSTITUTION, "institution", required=True, max_length=200, width=34, help=required_help)


def _standard_columns() -> tuple[Column, ...]:
    with translation.override("id"):
        comps = tuple(
            Column(str(c.label), c.field, max_length=_max(ServiceStandard, c.field),
                   help=c.help, width=40)
            for c in components.COMPONENTS
        )
    return comps


def build_sheets() -> dict[str, Sheet]:
    """The four sheets (built per call: comments follow the active language)."""
    ref_help = _("Nama instansi persis seperti di lembar Instansi atau di Pantau.")
    unit_ref = Column(H_UNIT, "unit", required=True, max_length=200, width=34,
                      help=_("Nama unit persis seperti di lembar Unit atau di Pantau."))
    institution = Sheet(INSTITUTIONS, (
        Column("Nama instansi", "name", required=True, max_length=200, width=40,
               help=_("Nama resmi, misalnya Pemerintah Kabupaten Tabalong. Instansi dengan nama yang sama "
                      "diperbarui, bukan ditambah.")),
        Column("Jenis", "kind", CHOICE, required=True, choices=_choices(Institution.Kind.choices), width=14),
        Column("Provinsi", "province", suggestions=PROVINCE_LIST, width=26,
               help=_("Kode Kemendagri (misalnya 63) atau nama provinsi.")),
        Column("Kabupaten/kota", "regency", suggestions=REGENCY_LIST, width=28, decimals=2,
               help=_("Kode Kemendagri (misalnya 63.09) atau nama. Kosongkan untuk instansi tingkat provinsi "
                      "atau pusat.")),
        Column("Kantor Ombudsman", "office", required=True, max_length=150, suggestions=OFFICE_LIST, width=40,
               help=_("Kantor Ombudsman RI yang mengawasi instansi ini.")),
        Column("Situs web", "website", URL, max_length=200, width=30),
        _id_column(H_ID_INSTITUTION),
    ))
    unit = Sheet(UNITS, (
        _institution_key(ref_help),
        Column("Nama unit", "name", required=True, max_length=200, width=40,
               help=_("Unit dengan nama yang sama di instansi yang sama diperbarui, bukan ditambah.")),
        Column("Jenis", "kind", CHOICE, required=True, choices=_choices(ServiceUnit.Kind.choices), width=14),
        Column("Alamat", "address", max_length=255, width=36),
        Column("Kabupaten/kota", "regency", suggestions=REGENCY_LIST, width=28, decimals=2,
               help=_("Kode Kemendagri (misalnya 63.09) atau nama.")),
        Column("Telepon", "phone", max_length=40, width=18, help=_("Telepon/WA pengaduan.")),
        Column("Lintang", "lat", FLOAT, minimum=-90, maximum=90, width=12,
               help=_("Garis lintang lokasi, misalnya -2.17.")),
        Column("Bujur", "lng", FLOAT, minimum=-180, maximum=180, width=12,
               help=_("Garis bujur lokasi, misalnya 115.42.")),
        Column("Maklumat pelayanan", "maklumat", max_length=_max(ServiceUnit, "maklumat"), width=40,
               help=_("Pernyataan janji unit untuk melayani sesuai standar.")),
        Column("Tanggal maklumat", "maklumat_date", DATE, width=16),
        Column("Pelayanan kelompok rentan", "vulnerable_facilities", width=40,
               max_length=_max(ServiceUnit, "vulnerable_facilities"),
               help=_("Fasilitas bagi penyandang disabilitas, lansia, ibu hamil dan anak.")),
        _id_column(H_ID_UNIT),
    ))
    product = Sheet(PRODUCTS, (
        _institution_key(ref_help),
        unit_ref,
        Column("Nama produk", "name", required=True, max_length=200, width=40,
               help=_("Produk dengan nama yang sama di unit yang sama diperbarui, bukan ditambah.")),
        Column("Kategori", "category", CHOICE, choices=_choices(ServiceProduct.Category.choices), width=16,
               default=ServiceProduct.Category.LAINNYA),
        Column("Keterangan", "description", max_length=_max(ServiceProduct, "description"), width=40),
        Column("Aktif", "is_active", BOOL, default=True, width=10),
        _id_column(H_ID_PRODUCT),
    ))
    standard = Sheet(STANDARDS, (
        _institution_key(ref_help),
        unit_ref,
        Column(H_PRODUCT, "product", required=True, max_length=200, width=34,
               help=_("Nama produk persis seperti di lembar Produk atau di Pantau.")),
        *_standard_columns(),
        Column("Gratis", "is_free", BOOL, default=False, width=10,
               help=_("'ya' bila pelayanan tidak dipungut biaya.")),
        Column("Jangka waktu (hari kerja)", "completion_days", INT, minimum=0, maximum=3650, width=14,
               help=_("Jangka waktu penyelesaian dalam hari kerja, berupa angka.")),
        Column("Tanggal berlaku", "effective_date", DATE, width=16),
        Column("Terbitkan", "publish", BOOL, default=False, width=12,
               help=_("'ya' untuk langsung menerbitkan standar ini; 'tidak' menyimpannya sebagai draf. "
                      "Versi yang sudah terbit tidak berubah: perubahan menjadi versi baru.")),
    ))
    return {s.name: s for s in (institution, unit, product, standard)}


def notes() -> list[str]:
    return [str(line) for line in (
        _("Isi lembar Instansi, Unit, Produk dan Standar. Baris pertama setiap lembar adalah judul kolom: "
          "jangan diubah. Arahkan kursor ke judul kolom untuk melihat penjelasannya."),
        _("Lembar Instansi, Unit dan Produk diakhiri kolom ID (nomor data di Pantau, diisi oleh ekspor). "
          "Baris dengan ID memperbarui data itu: untuk mengganti nama, ubah namanya dan biarkan ID-nya. "
          "Baris tanpa ID dikenali dari namanya (instansi dari nama instansi; unit dari instansi + nama unit; "
          "produk dari instansi + unit + nama produk) atau ditambahkan bila belum ada. Mengimpor berkas yang "
          "sama lagi memperbarui data, tidak menggandakannya. Huruf besar/kecil, spasi dan karakter tak "
          "terlihat tidak membedakan nama."),
        _("Sel yang dikosongkan mengosongkan isian itu di Pantau. Ekspor dulu data Anda bila ingin mengubah "
          "sebagian saja."),
        _("Lembar Standar: satu baris per produk. Isinya disimpan sebagai draf standar; isi Terbitkan = ya "
          "untuk menerbitkannya. Komponen persyaratan, prosedur, jangka waktu, biaya (atau Gratis = ya), "
          "produk dan pengaduan wajib ada sebelum terbit."),
        _("Wilayah ditulis dengan kode Kemendagri (misalnya 63 atau 63.09) atau namanya. Tanggal ditulis "
          "TTTT-BB-HH, misalnya 2025-01-31. Ya/tidak ditulis 'ya' atau 'tidak'."),
        _("Pantau memeriksa seluruh berkas sebelum menyimpan: bila ada satu kesalahan, tidak ada data yang "
          "disimpan, dan setiap kesalahan ditunjukkan dengan lembar, baris dan kolomnya."),
        _("Anda hanya dapat mengimpor data instansi dan unit dalam wilayah kerja Anda."),
    )]


def key(text: str) -> str:
    """How names are compared: ``fold_key`` (case, spacing, invisible characters and lookalike letters
    do not matter)."""
    return fold_key(text)


def same_text(a: Any, b: Any) -> bool:
    return text_of(a) == text_of(b)


def differs(obj: Any, values: dict[str, Any], fields: tuple[str, ...]) -> bool:
    """Whether writing ``values`` would change ``obj`` (texts compared the way the file holds them)."""
    for name in fields:
        new, old = values.get(name), getattr(obj, name)
        if isinstance(new, str) or isinstance(old, str):
            if not same_text(old, new):
                return True
        elif new != old:
            return True
    return False

