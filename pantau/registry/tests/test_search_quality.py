"""Search quality: everyday queries against a fixed set of realistic services (``search_fixture``),
each with the result that must come first and those that must be among the first five. Runs on
SQLite (FTS5) and PostgreSQL (tsvector + pg_trgm) alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from pantau.core.search.query import find
from pantau.registry.models import ServiceProduct
from pantau.registry.tests import search_fixture

TOP = 5
TBL, BJM, BS = "Kabupaten Tabalong", "Kota Banjarmasin", "Kabupaten Barito Selatan"

# (query, the first result contains one of these, each of these is among the first five)
CASES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("akte kelahiran", ("Akta Kelahiran |",),
     ("Akta Kelahiran | Pemerintah " + TBL, "Akta Kelahiran | Pemerintah " + BJM)),
    ("akta klahiran", ("Akta Kelahiran |",), ("Akta Kelahiran | Pemerintah " + BS,)),
    ("akta kelahiran", ("Akta Kelahiran |",), ()),
    ("kelahiran", ("Akta Kelahiran |",), ()),
    ("e-ktp", ("Penerbitan KTP-el", "Perekaman KTP Elektronik"), ("Perekaman KTP Elektronik", "Penerbitan KTP-el")),
    ("KTP elektronik", ("Penerbitan KTP-el", "Perekaman KTP Elektronik"), ("Penerbitan KTP-el | Pemerintah " + BS,)),
    ("ktp-el", ("Penerbitan KTP-el", "Perekaman KTP Elektronik"), ("Perekaman KTP Elektronik",)),
    ("ektp", ("Penerbitan KTP-el", "Perekaman KTP Elektronik"), ()),
    ("ijin", ("Izin Usaha Mikro", "Izin Praktik Dokter", "Surat Izin Mengemudi"), ("Izin Usaha Mikro",)),
    ("ijin praktek dokter", ("Izin Praktik Dokter",), ()),
    ("KK", ("Kartu Keluarga (KK)",), ()),
    ("kartu kelurga", ("Kartu Keluarga (KK)",), ()),
    ("kartu keluarga", ("Kartu Keluarga (KK)",), ()),
    ("dukcapil", ("Akta", "Kartu", "KTP", "Surat Keterangan Pindah", "Perekaman"), ()),
    ("disdukcapil banjarmasin", ("Akta Kelahiran | Pemerintah " + BJM, "Perekaman KTP Elektronik"), ()),
    ("rumah sakit", ("Pendaftaran Pasien", "Instalasi Gawat Darurat", "Rawat Inap"), ("Rawat Inap",)),
    ("RSUD", ("Pendaftaran Pasien", "Instalasi Gawat Darurat", "Rawat Inap"), ("Pendaftaran Pasien BPJS",)),
    ("IMB", ("Persetujuan Bangunan Gedung",), ()),
    ("izin mendirikan bangunan", ("Persetujuan Bangunan Gedung",), ()),
    ("pbg", ("Persetujuan Bangunan Gedung",), ()),
    ("skck", ("Surat Keterangan Catatan Kepolisian",), ()),
    ("surat keterangan catatan kepolisian", ("Surat Keterangan Catatan Kepolisian",), ()),
    ("sim", ("Surat Izin Mengemudi",), ()),
    ("bikin sim", ("Surat Izin Mengemudi",), ()),
    ("bpjs", ("Pendaftaran Pasien BPJS Kesehatan",), ()),
    ("kis", ("Pendaftaran Pasien BPJS Kesehatan",), ()),
    ("puskesmas", ("Imunisasi Anak", "Pemeriksaan Ibu Hamil"), ("Imunisasi Anak", "Pemeriksaan Ibu Hamil")),
    ("imunisasi", ("Imunisasi Anak",), ()),
    ("imunsasi", ("Imunisasi Anak",), ()),
    ("ppdb", ("Penerimaan Peserta Didik Baru",), ()),
    ("legalisir ijasah", ("Legalisir Ijazah",), ()),
    ("sktm", ("Surat Keterangan Tidak Mampu",), ()),
    ("surat keterangan pindah", ("Surat Keterangan Pindah",), ()),
    ("pindah", ("Surat Keterangan Pindah",), ()),
    ("akte kematian", ("Akta Kematian",), ()),
    ("kia", ("Kartu Identitas Anak",), ()),
    ("kartu identitas anak", ("Kartu Identitas Anak",), ()),
    ("pajak bumi dan bangunan", ("Pajak Bumi dan Bangunan",), ()),
    ("pbb", ("Pajak Bumi dan Bangunan",), ()),
    ("nib", ("Nomor Induk Berusaha",), ()),
    ("slf", ("Sertifikat Laik Fungsi",), ()),
    ("air minum", ("Pemasangan Sambungan Baru Air Minum",), ()),
    ("pdam", ("Pemasangan Sambungan Baru Air Minum",), ()),
    ("igd", ("Pelayanan Instalasi Gawat Darurat",), ()),
    ("ugd", ("Pelayanan Instalasi Gawat Darurat",), ()),
    ("rawat inap", ("Rawat Inap",), ()),
    ("akta kelahiran banjarmasin", ("Akta Kelahiran | Pemerintah " + BJM,), ()),
    ("ktp barito selatan", ("Penerbitan KTP-el | Pemerintah " + BS,), ()),
    ("perkawinan", ("Akta Perkawinan",), ()),
    ("kendaraan bermotor", ("Uji Kendaraan Bermotor",), ()),
    ("pkh", ("Program Keluarga Harapan",), ()),
    ("dokter", ("Izin Praktik Dokter",), ()),
    ("ibu hamil", ("Pemeriksaan Ibu Hamil",), ()),
    ("syarat membuat akta kelahiran", ("Akta Kelahiran |",), ()),
    ("kartu keluarga zzqx", ("Kartu Keluarga (KK)",), ()),  # some words, when nothing has all
]


@pytest.fixture
def searchable(cast: Any) -> dict[str, Any]:
    return search_fixture.build(cast)


def results(query: str) -> list[str]:
    documents = find("product", query, where=Q(is_public=True)).documents
    ids = list(documents.values_list("object_id", flat=True)[:TOP])
    products = ServiceProduct.objects.select_related("unit__institution").in_bulk(ids)
    return [f"{products[i].name} | {products[i].unit.institution.name}" for i in ids]


def test_the_quality_table_has_enough_queries() -> None:
    assert len(CASES) >= 40
    assert len({query for query, _, _ in CASES}) == len(CASES)


def test_everyday_queries_find_the_right_services(searchable: Any) -> None:
    failures = []
    for query, first, among in CASES:
        found = results(query)
        if not found or not any(part in found[0] for part in first):
            failures.append(f"{query!r}: first {found[:1]}, wanted one of {first}")
        for part in among:
            if not any(part in row for row in found):
                failures.append(f"{query!r}: {part!r} not in the first {TOP}: {found}")
    assert not failures, "\n".join(failures)


def test_title_matches_come_before_description_matches(searchable: Any) -> None:
    found = [row.split(" | ")[0] for row in results("akta kelahiran")]
    assert found[:3] == ["Akta Kelahiran"] * 3
    everything = find("product", "akta kelahiran", where=Q(is_public=True)).documents
    titles = list(everything.values_list("title", flat=True))
    assert titles.index("Kartu Identitas Anak (KIA)") > 2  # "akta kelahiran" only in its description


def test_only_public_products_are_found(searchable: Any) -> None:
    titles = list(find("product", "akta", where=Q(is_public=True)).documents.values_list("title", flat=True))
    assert "Akta Kelahiran" in titles
    assert "Akta Pengakuan Anak" not in titles  # no published standard
    assert "Akta Kelahiran Lama" not in titles  # inactive
    body = Client().get(reverse("public:search"), {"q": "akta"}).content.decode()
    assert "Akta Kelahiran" in body and "Akta Pengakuan Anak" not in body and "Kelahiran Lama" not in body


def test_a_typo_is_corrected_and_said(searchable: Any) -> None:
    found = find("product", "akta klahiran", where=Q(is_public=True))
    assert (found.suggestion, found.corrected, found.count) == ("akta kelahiran", True, 4)  # 3 akta, 1 in a description
    body = Client().get(reverse("public:search"), {"q": "kartu kelurga"}).content.decode()
    assert "Menampilkan hasil untuk" in body and "kartu keluarga" in body and "Kartu Keluarga (KK)" in body


def test_a_word_known_nowhere_finds_nothing_and_suggests_nothing(searchable: Any) -> None:
    found = find("product", "qwxyzv", where=Q(is_public=True))
    assert (found.count, found.suggestion, list(found.documents)) == (0, "", [])
    body = Client().get(reverse("public:search"), {"q": "qwxyzv"}).content.decode()
    assert "Tidak ada layanan yang cocok" in body and "Apakah maksud" not in body


def test_filters_compose_with_the_words(searchable: Any, cast: Any) -> None:
    body = Client().get(reverse("public:search"), {"q": "akta kelahiran", "provinsi": "62"}).content.decode()
    assert "Pemerintah Kabupaten Barito Selatan" in body and "Kota Banjarmasin" not in body
    body = Client().get(reverse("public:search"), {"q": "akta kelahiran", "kabupaten": "63.71"}).content.decode()
    assert "Kota Banjarmasin" in body and "Barito Selatan" not in body and "Kabupaten Tabalong" not in body
