"""Realistic demo data: the offices, regional governments and units of the seed articles.

Ombudsman RI offices of Kalimantan Selatan, Kalimantan Tengah and Sumatera Selatan supervise
the provincial and regency governments of the seeds (Kalsel, Tabalong, Balangan, Banjarmasin,
Barito Selatan, Musi Banyuasin …). Each has a handful of units with real-sounding products and
standards of uneven completeness. Every write goes through the services, so the audit trail
shows the demo being built. ``load_demo()`` does nothing when the demo is already there.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from pantau.accounts.models import Membership, Role, User
from pantau.registry import services, unit_changes
from pantau.registry.components import COMPONENTS
from pantau.registry.models import Institution, Office, Province, Regency, ServiceUnit, UnitEvent

DEMO_PASSWORD = "pantau-demo-2026"  # noqa: S105 - printed by `make demo`, demo only

# (name, province code, address, phone): where the last step of "Cara mengadu" sends people.
OFFICES = [
    ("Ombudsman RI Perwakilan Kalimantan Selatan", "63", "Jl. Letjen S. Parman No. 57, Banjarmasin", "(0511) 3356500"),
    ("Ombudsman RI Perwakilan Kalimantan Tengah", "62", "Jl. Tjilik Riwut Km 2,5, Palangka Raya", "(0536) 3242100"),
    ("Ombudsman RI Perwakilan Sumatera Selatan", "16", "Jl. Kapten A. Rivai No. 1, Palembang", "(0711) 350600"),
]
# The code at the end of a complaint's tracking number (0179/LM/VI/2022/BJM), by the office's city.
OFFICE_CODES = {"63": "BJM", "62": "PLK", "16": "PLG"}

# (name, kind, province code, regency code or None)
INSTITUTIONS = [
    ("Pemerintah Provinsi Kalimantan Selatan", "pemprov", "63", None),
    ("Pemerintah Kabupaten Tabalong", "pemkab", "63", "63.09"),
    ("Pemerintah Kabupaten Balangan", "pemkab", "63", "63.11"),
    ("Pemerintah Kota Banjarmasin", "pemkot", "63", "63.71"),
    ("Pemerintah Kabupaten Hulu Sungai Selatan", "pemkab", "63", "63.06"),
    ("Pemerintah Provinsi Kalimantan Tengah", "pemprov", "62", None),
    ("Pemerintah Kabupaten Barito Selatan", "pemkab", "62", "62.04"),
    ("Pemerintah Kabupaten Barito Timur", "pemkab", "62", "62.13"),
    ("Pemerintah Provinsi Sumatera Selatan", "pemprov", "16", None),
    ("Pemerintah Kabupaten Musi Banyuasin", "pemkab", "16", "16.06"),
    ("Pemerintah Kota Palembang", "pemkot", "16", "16.71"),
]

PRODUCTS: dict[str, list[tuple[str, str]]] = {
    "Dinas Kependudukan dan Pencatatan Sipil": [
        ("Penerbitan KTP-el", "adminduk"), ("Penerbitan Kartu Keluarga", "adminduk"),
        ("Penerbitan Akta Kelahiran", "adminduk"), ("Penerbitan Akta Kematian", "adminduk"),
        ("Penerbitan Kartu Identitas Anak (KIA)", "adminduk"),
        ("Surat Keterangan Pindah", "adminduk"),
    ],
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": [
        ("Persetujuan Bangunan Gedung (PBG)", "perizinan"),
        ("Perizinan Berusaha Berbasis Risiko (NIB)", "perizinan"),
        ("Surat Izin Praktik Dokter", "perizinan"), ("Izin Penyelenggaraan Reklame", "perizinan"),
        ("Surat Izin Praktik Bidan", "perizinan"),
    ],
    "Dinas Kesehatan": [
        ("Sertifikat Laik Higiene Sanitasi", "kesehatan"),
        ("Rekomendasi Izin Apotek", "kesehatan"),
    ],
    "Rumah Sakit Umum Daerah": [
        ("Pendaftaran Rawat Jalan", "kesehatan"), ("Pelayanan Gawat Darurat (IGD)", "kesehatan"),
        ("Surat Keterangan Sehat", "kesehatan"),
    ],
    "Kecamatan": [
        ("Surat Keterangan Tidak Mampu (SKTM)", "nonperizinan"),
        ("Surat Keterangan Ahli Waris", "nonperizinan"),
        ("Legalisasi Dokumen Kependudukan", "adminduk"),
    ],
    "Mal Pelayanan Publik": [
        ("Layanan Informasi dan Pengaduan Terpadu", "nonperizinan"),
    ],
}

# Kecamatan of each demo regency: a regency's kecamatan unit is one of its own.
KECAMATAN_BY_REGENCY = {
    "63.09": ["Murung Pudak", "Tanjung", "Kelua"],  # Tabalong
    "63.11": ["Paringin", "Juai", "Awayan"],  # Balangan
    "63.71": ["Banjarmasin Tengah", "Banjarmasin Utara", "Banjarmasin Selatan"],  # Banjarmasin
    "63.06": ["Kandangan", "Angkinang", "Daha Selatan"],  # Hulu Sungai Selatan
    "62.04": ["Dusun Selatan", "Dusun Hilir", "Jenamas"],  # Barito Selatan
    "62.13": ["Dusun Timur", "Awang", "Pematang Karau"],  # Barito Timur
    "16.06": ["Sekayu", "Babat Toman", "Sungai Lilin"],  # Musi Banyuasin
    "16.71": ["Ilir Barat I", "Ilir Timur I", "Seberang Ulu I"],  # Palembang
}

UNIT_KINDS = {
    "Dinas Kependudukan dan Pencatatan Sipil": "dinas",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": "dinas",
    "Dinas Kesehatan": "dinas",
    "Rumah Sakit Umum Daerah": "rsud",
    "Kecamatan": "kecamatan",
    "Mal Pelayanan Publik": "mpp",
}

FULL_TEXT: dict[str, Any] = {
    "requirements": {
        "adminduk": (
            "Fotokopi Kartu Keluarga\nSurat pengantar RT/RW dan kelurahan\nFormulir F-1.01 yang sudah diisi"
        ),
        "perizinan": (
            "NIB dari sistem OSS\nKTP-el pemohon\nDokumen teknis sesuai jenis izin\n"
            "Bukti kepemilikan/penguasaan lahan"
        ),
        "kesehatan": (
            "KTP-el atau Kartu Identitas Anak\nKartu BPJS Kesehatan (bila ada)\nSurat rujukan (untuk rawat jalan)"
        ),
        "nonperizinan": (
            "KTP-el dan Kartu Keluarga\nSurat pengantar RT/RW\nSurat pernyataan bermeterai (bila diminta)"
        ),
    },
    "procedure": (
        "Pemohon mengambil nomor antrean\nPetugas loket memeriksa kelengkapan berkas\n"
        "Berkas diverifikasi dan diproses\nPejabat berwenang menandatangani\nProduk diserahkan kepada pemohon"
    ),
    "completion_time": "3 hari kerja sejak berkas dinyatakan lengkap",
    "output": "Dokumen resmi yang ditandatangani pejabat berwenang",
    "complaints": (
        "Loket pengaduan di ruang pelayanan\nWhatsApp pengaduan 0811-5000-123\n"
        "SP4N-LAPOR! (lapor.go.id)\nKotak saran di ruang tunggu"
    ),
    "legal_basis": (
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik\n"
        "Peraturan Menteri PANRB Nomor 15 Tahun 2014"
    ),
    "facilities": "Ruang tunggu ber-AC\nMesin antrean\nToilet umum dan toilet difabel\nRuang laktasi",
    "competence": "Berpendidikan minimal SMA/sederajat, memahami standar pelayanan dan etika pelayanan",
    "supervision": "Dilakukan oleh atasan langsung dan Inspektorat Daerah",
    "staff_count": "4 orang petugas loket dan 2 orang verifikator",
    "guarantee": "Pelayanan diberikan sesuai standar; bila tidak, pengguna dapat menyampaikan pengaduan",
    "safety": "Ruang pelayanan dilengkapi APAR, jalur evakuasi, dan CCTV",
    "evaluation": "Evaluasi kinerja pelaksana setiap 6 bulan dan survei kepuasan masyarakat setiap tahun",
}

MAKLUMAT = (
    "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang "
    "telah ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai "
    "peraturan perundang-undangan yang berlaku."
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    where: str


def _short(name: str) -> str:
    return name.replace("Pemerintah Provinsi ", "Prov. ").replace("Pemerintah Kabupaten ", "Kab. ").replace(
        "Pemerintah Kota ", "Kota "
    )


def _user(username: str, full_name: str, role: str, **where: Any) -> User:
    user = User.objects.create_user(username=username, password=DEMO_PASSWORD, full_name=full_name,
                                    email=f"{username}@demo.pantau.local")
    Membership.objects.create(user=user, role=role, **where)
    return user


def _standard_data(category: str, level: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for c in COMPONENTS:
        value: Any = FULL_TEXT.get(c.field, "")
        data[c.field] = value.get(category, value["nonperizinan"]) if isinstance(value, dict) else value
    data["completion_days"] = 3
    data["is_free"] = category in ("adminduk", "nonperizinan")
    data["cost"] = "" if data["is_free"] else "Rp 50.000 sesuai Peraturan Daerah tentang Retribusi; dibayar di bank"
    if level == "delivery":  # only what must be published; management components left empty
        for c in COMPONENTS[6:]:
            data[c.field] = ""
    return data


def already_loaded() -> bool:
    return Office.objects.filter(name=OFFICES[0][0]).exists()


@transaction.atomic
def load_demo(seed: int = 2026) -> list[DemoLogin]:
    """Create the demo world (once). Returns the demo logins."""
    if already_loaded():
        return demo_logins()
    rng = random.Random(seed)
    provinces = {p.code: p for p in Province.objects.filter(code__in=["63", "62", "16"])}
    if len(provinces) < 3:
        raise RuntimeError("load the regions first: pantau load_regions")
    national = Office.objects.create(name="Ombudsman Republik Indonesia (Kantor Pusat)", is_national=True, code="PST",
                                     address="Jl. H.R. Rasuna Said Kav. C-19, Jakarta Selatan")
    admin = _user("admin", "Admin Nasional", Role.NATIONAL_ADMIN)
    offices = {}
    for name, code, address, phone in OFFICES:
        office = Office.objects.create(name=name, address=address, phone=phone, code=OFFICE_CODES[code])
        office.provinces.add(provinces[code])
        offices[code] = office
    del national
    today = dt.date.today()
    for inst_name, kind, prov_code, reg_code in INSTITUTIONS:
        regency = Regency.objects.get(code=reg_code) if reg_code else None
        inst = services.institution_save(actor=admin, data={
            "name": inst_name, "kind": kind, "province_id": provinces[prov_code].pk,
            "regency_id": regency.pk if regency else None, "office_id": offices[prov_code].pk,
        })
        place = (regency.name if regency else provinces[prov_code].name).replace("Kabupaten ", "")
        place = place.replace("Kota ", "")
        for unit_base, products in PRODUCTS.items():
            if unit_base == "Kecamatan":
                if reg_code is None:
                    continue  # a province has no kecamatan of its own
                unit_name = f"Kecamatan {rng.choice(KECAMATAN_BY_REGENCY[reg_code])}"
            elif unit_base == "Rumah Sakit Umum Daerah":
                unit_name = f"RSUD {place}"
            elif unit_base == "Mal Pelayanan Publik":
                unit_name = f"Mal Pelayanan Publik {place}"
            else:
                unit_name = unit_base
            if kind == "pemprov" and unit_base in ("Kecamatan", "Dinas Kependudukan dan Pencatatan Sipil"):
                continue
            has_maklumat = rng.random() < 0.6
            unit = services.unit_save(actor=admin, institution=inst, data={
                "name": unit_name, "kind": UNIT_KINDS[unit_base],
                "address": f"Jl. Jenderal Sudirman No. {rng.randint(1, 120)}, {place}",
                "phone": f"0{rng.randint(511, 799)}-{rng.randint(100000, 999999)}",
                "maklumat": MAKLUMAT if has_maklumat else "",
                "maklumat_date": (today - dt.timedelta(days=rng.choice([90, 400, 1000]))) if has_maklumat else None,
                "vulnerable_facilities": (
                    "Kursi roda, jalur landai (ram), loket prioritas untuk lansia, ibu hamil dan difabel"
                    if rng.random() < 0.5 else ""
                ),
            })
            for product_name, category in products:
                product = services.product_save(actor=admin, unit=unit,
                                                data={"name": product_name, "category": category})
                roll = rng.random()
                if roll < 0.15:
                    continue  # no standard at all yet
                level = "full" if roll > 0.55 else "delivery"
                draft = services.standard_save_draft(actor=admin, product=product,
                                                     data=_standard_data(category, level))
                if roll < 0.22:
                    continue  # a draft, not yet published
                effective = today - dt.timedelta(days=rng.choice([30, 200, 500, 900, 1200]))
                services.standard_publish(actor=admin, standard=draft, effective_date=effective)
    _demo_unit_history(admin)
    _demo_users(offices)
    return demo_logins()


def _demo_unit_history(admin: User) -> None:
    """Seed 004: Balangan streamlined its SKPD; record a merge and a rename with dates."""
    balangan = Institution.objects.get(name="Pemerintah Kabupaten Balangan")
    a = services.unit_save(actor=admin, institution=balangan, data={"name": "Dinas Koperasi dan UKM", "kind": "dinas"})
    b = services.unit_save(actor=admin, institution=balangan, data={"name": "Dinas Perdagangan", "kind": "dinas"})
    unit_changes.unit_event_record(
        actor=admin, kind=UnitEvent.Kind.MERGE, date=dt.date(2021, 1, 4), institution=balangan,
        from_units=[a, b], new_names=["Dinas Koperasi, UKM dan Perdagangan"],
        legal_basis="Perda Kabupaten Balangan tentang Perangkat Daerah",
    )
    tabalong = Institution.objects.get(name="Pemerintah Kabupaten Tabalong")
    kppt = services.unit_save(actor=admin, institution=tabalong,
                              data={"name": "Kantor Pelayanan Perizinan Terpadu", "kind": "kantor"})
    unit_changes.unit_event_record(
        actor=admin, kind=UnitEvent.Kind.RENAME, date=dt.date(2017, 1, 2), institution=tabalong,
        from_units=[kppt], new_names=["Badan Pelayanan Perizinan Terpadu Tabalong"],
    )


def _demo_users(offices: dict[str, Office]) -> None:
    kalsel, kalteng, sumsel = offices["63"], offices["62"], offices["16"]
    _user("kepala.kalsel", "Hadi Rahman", Role.HEAD_OF_OFFICE, office=kalsel)
    _user("asisten.kalsel", "Maulana Achmadi", Role.ASSESSOR, office=kalsel)
    _user("pvl.kalsel", "Sopian Hadi", Role.INTAKE_OFFICER, office=kalsel)
    _user("pemeriksa.kalsel", "Rina Pratiwi", Role.EXAMINER, office=kalsel)
    _user("asisten.kalteng", "Thoeseng Asang", Role.ASSESSOR, office=kalteng)
    _user("asisten.sumsel", "Agung Pratama", Role.ASSESSOR, office=sumsel)
    tabalong = Institution.objects.get(name="Pemerintah Kabupaten Tabalong")
    _user("admin.tabalong", "Admin Pemkab Tabalong", Role.INSTITUTION_ADMIN, institution=tabalong)
    dukcapil = ServiceUnit.objects.get(institution=tabalong, name="Dinas Kependudukan dan Pencatatan Sipil")
    _user("operator.dukcapil.tabalong", "Operator Disdukcapil Tabalong", Role.UNIT_OPERATOR, unit=dukcapil)
    muba = Institution.objects.get(name="Pemerintah Kabupaten Musi Banyuasin")
    _user("admin.muba", "Erdian Syahri", Role.INSTITUTION_ADMIN, institution=muba)


def demo_logins() -> list[DemoLogin]:
    out = []
    for m in Membership.objects.filter(user__email__endswith="@demo.pantau.local").select_related(
        "user", "office", "institution", "unit"
    ).order_by("pk"):
        where = m.office or m.institution or m.unit
        out.append(DemoLogin(m.user.username, m.get_role_display(), _short(str(where)) if where else "nasional"))
    return out
