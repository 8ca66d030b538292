"""Search quality of the complaint queue: everyday Indonesian queries (misspellings, abbreviations,
inflected forms, synonyms) against the demo cases (``complaints/demo.py``, without its archive of decided
cases) and a few generated ones, each with the case that must come first (or among the first three). Runs on
SQLite (FTS5) and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from pantau.complaints import demo, search_docs, services
from pantau.complaints.models import Case
from pantau.core.search.query import find
from pantau.registry.models import Institution, Office

pytestmark = pytest.mark.django_db

# Generated like the demo's: (office, institution, title, chronology).
GENERATED = (
    (demo.KALSEL, "tabalong", "Calo di loket Samsat menawarkan perpanjangan STNK kilat",
     "Di loket Samsat seorang calo menawarkan perpanjangan STNK selesai satu jam dengan biaya tambahan "
     "Rp 300.000; petugas loket membiarkannya."),
    (demo.KALSEL, "banjarmasin", "Sambungan air PDAM mati seminggu tanpa pemberitahuan",
     "Air PDAM di rumah kami mati tujuh hari berturut-turut; pengaduan lewat telepon tidak ditanggapi dan "
     "tagihan tetap penuh."),
    (demo.KALTENG, "barsel", "Guru honorer dipersulit mengurus tunjangan",
     "Dinas pendidikan mempersulit pencairan tunjangan guru honorer dengan meminta berkas yang berubah-ubah "
     "setiap bulan."),
    (demo.KALSEL, "hss", "Ijin usaha mikro tidak diproses di Mal Pelayanan Publik",
     "Permohonan ijin usaha mikro saya di MPP tidak diproses dua bulan; petugas meminta uang pelicin."),
)


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The registry and complaints demos and the generated cases, built once for the module."""
    with time_machine.travel("2026-11-04 10:00 +07:00", tick=True), django_db_blocker.unblock(), \
            transaction.atomic():
        call_command("load_regions", verbosity=0)
        call_command("load_demo", verbosity=0)
        # Without the demo's archive (``demo_history``): its 120 templated stories repeat these matters many
        # times over, so "the case that must come first" would be any of several near-copies.
        demo.load(archive=False)
        for n, (office, inst, title, text) in enumerate(GENERATED):
            services.case_open(actor=None, kind="public_report", channel="web", title=title, chronology=text,
                               institution=Institution.objects.get(name=demo.INSTITUTIONS[inst]),
                               office=Office.objects.get(name=office), event_date=dt.date(2026, 10, 1),
                               client_token=f"search-quality-{n}")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(built: None, db: Any) -> None:
    return built


def titles(query: str) -> list[str]:
    ids = find(search_docs.KIND, query).object_ids[:10]
    by_id = dict(Case.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [by_id[pk] for pk in ids]


PUNGLI_KTP = "Pungutan liar perekaman KTP-el di Disdukcapil Tabalong"
AKTA = "Akta kelahiran anak belum terbit tiga bulan"
KTP_TITLES = ("Antrean KTP-el", "KTP-el warga desa", "Permintaan uang Rp 150.000", "Pungutan liar perekaman KTP-el")

# (query, a title that must be among the first ``top`` results (a prefix), top)
CASES: list[tuple[str, str, int]] = [
    ("pungli ktp", PUNGLI_KTP, 1),
    ("pungutan liar ktp elektronik", PUNGLI_KTP, 1),
    ("pungli", PUNGLI_KTP, 3),
    ("punguta liar", PUNGLI_KTP, 3),  # a letter missing
    ("uang pelicin ijin", "Ijin usaha mikro tidak diproses", 1),
    ("akte kelahiran", "Akta kelahiran", 1),
    ("akte klahiran", "Akta kelahiran", 1),  # two misspellings
    ("akta kelahiran belum terbit", AKTA, 1),
    ("ktp elektronik", KTP_TITLES[0], 4),
    ("e-ktp pencetakan", "Permintaan uang Rp 150.000 untuk percepatan pencetakan KTP-el", 2),
    ("ektp desa terpencil", "KTP-el warga desa terpencil", 1),
    ("ijin praktek bidan", "Izin praktik bidan", 1),
    ("ijin usaha", "Ijin usaha mikro", 1),
    ("rumah sakit obat", "Pasien BPJS diminta membeli obat", 1),
    ("RSUD parkir", "Tembusan: keberatan warga atas tarif parkir RSUD", 1),
    ("rumah sakit umum daerah tabalong", "Tembusan: keberatan warga atas tarif parkir RSUD", 3),
    ("bpjs rujukan", "Rujukan BPJS ditolak", 1),
    ("jaminan kesehatan nasional klaim", "Cara mengadu bila klaim BPJS Kesehatan", 1),
    ("dipersulit", "Guru honorer dipersulit", 1),
    ("mempersulit tunjangan", "Guru honorer dipersulit", 1),  # another inflection of "sulit"
    ("kesulitan tunjangan guru", "Guru honorer dipersulit", 1),
    ("KK nama ibu", "Nama ibu salah ketik di Kartu Keluarga", 1),
    ("kartu kelurga offline", "Kartu Keluarga baru tidak terbit", 1),
    ("IMB ruko", "PBG ruko tidak diproses", 1),
    ("izin mendirikan bangunan sekolah", "Penerbitan PBG gedung sekolah swasta", 1),
    ("retribusi pbg", "Retribusi PBG ditagih dua kali", 1),
    ("sktm dipungut biaya", "SKTM dipungut biaya", 1),
    ("surat keterangan tidak mampu berobat", "SKTM untuk berobat", 1),
    ("cuci darah", "Pasien cuci darah ditolak", 1),
    ("hemodialisa", "Pasien cuci darah ditolak", 1),  # a misspelling of "hemodialisis"
    ("sertipikat tanah", "Sertifikat tanah program PTSL", 1),
    ("ptsl", "Sertifikat tanah program PTSL", 1),
    ("antrian ktp", "Antrean KTP-el mengular", 2),  # "antrian" for "antrean"
    ("calo stnk", "Calo di loket Samsat", 1),
    ("air pdam mati", "Sambungan air PDAM mati", 1),
    ("perusahaan daerah air minum", "Sambungan air PDAM mati", 1),
    ("igd uang jaminan", "Pasien IGD diminta uang jaminan", 1),
    ("instalasi gawat darurat", "Pasien IGD diminta uang jaminan", 1),
    ("akte kematian", "Akta kematian tidak terbit", 1),
    ("kartu identitas anak", "KIA dipungut biaya", 1),
    ("zonasi smp", "Anak tidak diterima SMP negeri jalur zonasi", 1),
    ("mal pelayanan publik pengaduan", "Pengaduan di Mal Pelayanan Publik", 1),
    ("imbalan ahli waris", "Staf kecamatan meminta imbalan", 1),
    ("surat pindah pajak bumi dan bangunan", "Surat pindah ditahan", 1),
    ("higiene rumah makan", "Sertifikat laik higiene rumah makan", 1),
    ("disdukcapil banjarmasin antrean", "Antrean KTP-el mengular", 2),
]


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({q for q, _title, _top in CASES}) == len(CASES)


@pytest.mark.parametrize(("query", "expected", "top"), CASES, ids=[q for q, _e, _t in CASES])
def test_query_finds_the_expected_case(loaded: None, query: str, expected: str, top: int) -> None:
    found = titles(query)
    assert any(title.startswith(expected) for title in found[:top]), (query, found[:5])


def test_words_that_match_nothing_find_nothing(loaded: None) -> None:
    assert titles("helikopter kapal selam") == []
    assert titles("dan di yang") == []
