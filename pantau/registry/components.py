"""The components of a service standard and how their presence is judged.

Sources (see docs in ``shared/docs/methodology.md`` §4):
- UU 25/2009 Pasal 21: the 14 components of a service standard (numbers below).
- PermenPANRB 15/2014: six *service-delivery* components that must be published to users and
  eight *management* (internal) components.
- UU 25/2009 Pasal 15(b) and 22: the unit's *maklumat pelayanan*; Pasal 29: special services
  and facilities for vulnerable groups. Both are unit-level, shown beside every product.

``priority`` orders "what to fix first": what users and Ombudsman assessors look for at the
counter comes first (published service-delivery components, maklumat), then the internal ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DELIVERY = "delivery"
MANAGEMENT = "management"
UNIT = "unit"


@dataclass(frozen=True)
class Component:
    code: str
    field: str
    pasal21: int | None
    group: str
    label: Promise
    help: Promise
    priority: int


COMPONENTS: tuple[Component, ...] = (
    Component("persyaratan", "requirements", 2, DELIVERY, _("Persyaratan"),
              _("Dokumen dan syarat yang harus dipenuhi, satu per baris."), 1),
    Component("prosedur", "procedure", 3, DELIVERY, _("Sistem, mekanisme dan prosedur"),
              _("Langkah-langkah pelayanan, satu langkah per baris."), 2),
    Component("waktu", "completion_time", 4, DELIVERY, _("Jangka waktu penyelesaian"),
              _("Misalnya: 3 hari kerja sejak berkas lengkap."), 3),
    Component("biaya", "cost", 5, DELIVERY, _("Biaya/tarif"),
              _("Tulis 'Gratis' (centang Gratis) atau besaran tarif beserta dasar hukumnya."), 4),
    Component("produk", "output", 6, DELIVERY, _("Produk pelayanan"),
              _("Hasil yang diterima pengguna, misalnya KTP-el."), 5),
    Component("pengaduan", "complaints", 10, DELIVERY, _("Penanganan pengaduan, saran dan masukan"),
              _("Saluran pengaduan: loket, telepon/WA, SP4N-LAPOR!, dan tindak lanjutnya."), 6),
    Component("dasar_hukum", "legal_basis", 1, MANAGEMENT, _("Dasar hukum"),
              _("Peraturan yang menjadi dasar pelayanan, satu per baris."), 9),
    Component("sarana", "facilities", 7, MANAGEMENT, _("Sarana, prasarana dan/atau fasilitas"),
              _("Ruang tunggu, loket, antrean, toilet, akses difabel …"), 10),
    Component("kompetensi", "competence", 8, MANAGEMENT, _("Kompetensi pelaksana"),
              _("Pengetahuan, keahlian dan pengalaman yang dibutuhkan petugas."), 11),
    Component("pengawasan", "supervision", 9, MANAGEMENT, _("Pengawasan internal"),
              _("Siapa mengawasi pelaksanaan dan bagaimana."), 12),
    Component("jumlah_pelaksana", "staff_count", 11, MANAGEMENT, _("Jumlah pelaksana"),
              _("Jumlah petugas sesuai beban kerja."), 13),
    Component("jaminan", "guarantee", 12, MANAGEMENT, _("Jaminan pelayanan"),
              _("Kepastian pelayanan dilaksanakan sesuai standar."), 14),
    Component("keamanan", "safety", 13, MANAGEMENT, _("Jaminan keamanan dan keselamatan pelayanan"),
              _("Komitmen rasa aman, bebas bahaya dan risiko."), 15),
    Component("evaluasi", "evaluation", 14, MANAGEMENT, _("Evaluasi kinerja pelaksana"),
              _("Penilaian berkala kinerja petugas terhadap standar."), 16),
)

UNIT_COMPONENTS: tuple[Component, ...] = (
    Component("maklumat", "maklumat", None, UNIT, _("Maklumat pelayanan"),
              _("Pernyataan janji unit untuk melayani sesuai standar."), 7),
    Component("kelompok_rentan", "vulnerable_facilities", None, UNIT,
              _("Pelayanan khusus kelompok rentan"),
              _("Fasilitas bagi penyandang disabilitas, lansia, ibu hamil dan anak."), 8),
)

ALL_COMPONENTS: tuple[Component, ...] = tuple(
    sorted(COMPONENTS + UNIT_COMPONENTS, key=lambda c: c.priority)
)
BY_CODE: Mapping[str, Component] = {c.code: c for c in ALL_COMPONENTS}
STANDARD_FIELDS: tuple[str, ...] = tuple(c.field for c in COMPONENTS)
TOTAL = len(ALL_COMPONENTS)


def is_present(component: Component, value: Any, *, is_free: bool = False) -> bool:
    """A component is present when it holds text; cost also counts when marked free (Gratis)."""
    if component.field == "cost" and is_free:
        return True
    return bool(str(value or "").strip())


def present_codes(standard: Any) -> set[str]:
    """Codes of the Pasal 21 components a standard (model or mapping) fills in."""
    get = standard.get if isinstance(standard, Mapping) else lambda f, d=None: getattr(standard, f, d)
    is_free = bool(get("is_free", False))
    return {c.code for c in COMPONENTS if is_present(c, get(c.field, ""), is_free=is_free)}


def lines(text: str) -> list[str]:
    """The items of a multi-line component, without bullets or blank lines."""
    items = []
    for raw in (text or "").splitlines():
        item = raw.strip().lstrip("-•*").strip()
        if item:
            items.append(item)
    return items
