"""A fixed set of realistic providers, units and products for the search tests (on top of the cast).

Written with the ORM (each ``save`` indexes through ``post_save``, as the services' writes do);
a product is public when it has a published standard in force (``current_standard``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit

# unit name, unit kind, [(product name, description)]
TABALONG = [
    ("Dinas Kependudukan dan Pencatatan Sipil", "dinas", [
        ("Akta Kelahiran", "Penerbitan akta kelahiran bagi bayi yang baru lahir dan anak."),
        ("Kartu Keluarga (KK)", "Penerbitan kartu keluarga baru, perubahan data dan penggantian yang hilang."),
        ("Akta Kematian", "Pencatatan kematian penduduk."),
        ("Surat Keterangan Pindah", "Surat pindah domisili antarkabupaten."),
        ("Kartu Identitas Anak (KIA)", "Kartu identitas bagi anak di bawah 17 tahun; syarat: akta kelahiran."),
        ("Akta Perkawinan", "Pencatatan perkawinan bagi penduduk non-muslim."),
    ]),
    ("DPMPTSP", "dinas", [
        ("Izin Usaha Mikro", "Perizinan usaha mikro dan kecil."),
        ("Sertifikat Laik Fungsi (SLF)", "Sertifikat kelaikan fungsi bangunan gedung."),
        ("Izin Praktik Dokter", "Surat izin praktik bagi dokter dan dokter gigi."),
        ("Nomor Induk Berusaha (NIB)", "Pendaftaran berusaha melalui OSS."),
    ]),
    ("RSUD H. Badaruddin Kasim", "rsud", [
        ("Pendaftaran Pasien Rawat Jalan", "Pendaftaran ke poliklinik."),
        ("Pelayanan Instalasi Gawat Darurat", "Pelayanan darurat 24 jam."),
        ("Rawat Inap", "Perawatan pasien di bangsal."),
    ]),
    ("Puskesmas Tanjung", "puskesmas", [
        ("Imunisasi Anak", "Imunisasi dasar lengkap bagi bayi dan balita."),
        ("Pemeriksaan Ibu Hamil", "Pemeriksaan kehamilan rutin."),
    ]),
    ("Dinas Pendidikan", "dinas", [
        ("Penerimaan Peserta Didik Baru (PPDB)", "Pendaftaran murid SD dan SMP negeri."),
        ("Legalisir Ijazah", "Pengesahan fotokopi ijazah."),
    ]),
    ("Dinas Sosial", "dinas", [
        ("Surat Keterangan Tidak Mampu", "Surat bagi keluarga miskin untuk keringanan biaya."),
        ("Pendaftaran Program Keluarga Harapan", "Bantuan sosial bersyarat."),
    ]),
]
BANJARMASIN = [
    ("Dinas Kependudukan dan Pencatatan Sipil Kota Banjarmasin", "dinas", [
        ("Akta Kelahiran", "Akta kelahiran untuk warga Kota Banjarmasin."),
        ("Perekaman KTP Elektronik", "Perekaman data dan foto untuk kartu tanda penduduk."),
    ]),
    ("Dinas Perhubungan", "dinas", [("Uji Kendaraan Bermotor (KIR)", "Uji berkala kendaraan angkutan.")]),
    ("Rumah Sakit Umum Daerah Sultan Suriansyah", "rsud", [
        ("Pendaftaran Pasien BPJS Kesehatan", "Pendaftaran pasien peserta JKN."),
    ]),
    ("Perumda Air Minum Bandarmasih", "lainnya", [
        ("Pemasangan Sambungan Baru Air Minum", "Sambungan baru pelanggan rumah tangga."),
    ]),
]
BARSEL = [
    ("Dinas Kependudukan dan Pencatatan Sipil", "dinas", [("Akta Kelahiran", "")]),
    ("Badan Pendapatan Daerah", "badan", [
        ("Pembayaran Pajak Bumi dan Bangunan (PBB)", "PBB perdesaan dan perkotaan."),
    ]),
]
POLRI = [
    ("Polres Tabalong", "kantor", [
        ("Surat Keterangan Catatan Kepolisian (SKCK)", "Penerbitan SKCK untuk melamar pekerjaan."),
        ("Surat Izin Mengemudi (SIM) Baru", "Ujian teori dan praktik SIM A dan C."),
    ]),
]


def publish(product: ServiceProduct) -> None:
    standard = ServiceStandard.objects.create(product=product, version=1, status=ServiceStandard.Status.PUBLISHED,
                                              effective_date=dt.date(2025, 1, 2), requirements="KTP")
    product.current_standard = standard
    product.save(update_fields=["current_standard", "updated_at"])


def _fill(institution: Institution, units: list[tuple[str, str, list[tuple[str, str]]]]) -> None:
    for unit_name, kind, products in units:
        unit = ServiceUnit.objects.filter(institution=institution, name=unit_name).first()
        if unit is None:
            unit = ServiceUnit.objects.create(institution=institution, name=unit_name, kind=kind)
        for name, description in products:
            publish(ServiceProduct.objects.create(unit=unit, name=name, description=description))


def build(cast: Any) -> dict[str, Any]:
    """The search set; returns the objects the tests name."""
    _fill(cast.tabalong, TABALONG)
    _fill(cast.banjarmasin, BANJARMASIN)
    _fill(cast.barsel, BARSEL)
    polri = Institution.objects.create(name="Kepolisian Negara Republik Indonesia", kind="lembaga",
                                       office=cast.kalsel)
    _fill(polri, POLRI)
    draft_only = ServiceProduct.objects.create(unit=cast.dukcapil, name="Akta Pengakuan Anak")  # no standard
    inactive = ServiceProduct.objects.create(unit=cast.dukcapil, name="Akta Kelahiran Lama", is_active=False)
    publish(inactive)
    return {"polri": polri, "draft_only": draft_only, "inactive": inactive}
