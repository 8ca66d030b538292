"""The demo's archive: about 120 decided and closed reports of the two demo offices (Kalimantan Selatan and
Kalimantan Tengah), received over the two years before the demo's own cases, so the national triage model
(``triage.py``, at least ``triage.MIN_CASES`` decided cases) can be trained and the intake officer sees
suggestions on the demo's new cases.

**What a case is.** A public report (LM) whose story is written from one of a few templates per substance
(``TEMPLATES``: administrasi kependudukan, perizinan, kesehatan, agraria/pertanahan, pendidikan, kepolisian),
filled with varied places, amounts, durations and services, so the texts differ and carry the words that
tell the substances apart. It is classified (substance, agency group, alleged forms matching the story,
complexity, reporter type), was examined by the office's examiner and closed with a reason valid for the
stage it was closed in (``vocab.CLOSURE_REASONS``): after a clarification or a field check in examination,
after a mediation, after an LAHP that found no maladministration, or once the corrective actions were
carried out. ``public_summary`` is the chronology redacted (``redact.redact``), as ``services.case_open``
writes it; the reporters are fictional ("… Contoh", the demo's impossible NIK, ``example.org``).

**Plain and fast** (demo-only): the rows are written with ``bulk_create``, not through the services, with
two history rows per case (opened; closed, with the stage it left and its reason) dated on their days; no
timers, demands or notices (the case is closed). Numbers are taken from the same :class:`Counter` rows
``services`` numbers cases with (a block per office, year and record code), so a case opened later still
gets a fresh number. The cases join the search index (``search_docs.refresh_cases``). Their
``client_token`` starts with :data:`ARCHIVE_MARK`, not ``demo.DEMO_MARK``: they are not the demo's open
work and ``demo.already_loaded`` does not count them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pantau.complaints import clock, demo, search_docs, services
from pantau.complaints.models import Case, Channel, Counter, Event, PriorComplaint, Reporter, TriageModel, Visibility
from pantau.complaints.redact import redact
from pantau.complaints.vocab import Activity, Conclusion, RecordKind, State
from pantau.registry.models import Institution, Office, ServiceProduct, ServiceUnit

ARCHIVE_MARK = "demo-arsip-"
CASES = 120
NEWEST_AGO = 345  # days before today: the newest archived report (the demo's oldest is 330 days old)
SPAN = 700  # days: the archive's reports were received over about two years
SEED = 20240611
PERSON_OFFSET = 100  # demo.person(i) for the archive's reporters: NIK, phone and e-mail unlike the demo's

PI, PB, PP, TMP = demo.PI, demo.PB, demo.PP, demo.TMP
TP, DIS, PW, KK_, BP, TK = ("TIDAK_PATUT", "DISKRIMINASI", "PENYALAHGUNAAN_WEWENANG", "KONFLIK_KEPENTINGAN",
                            "BERPIHAK", "TIDAK_KOMPETEN")
ADM, IZIN, KES, TANAH, DIK, POL = ("Administrasi kependudukan", "Perizinan", "Kesehatan", "Agraria/pertanahan",
                                   "Pendidikan", "Kepolisian")
DK, DPM, DINKES, RSUD = "Dinas Kependudukan", "Dinas Penanaman Modal", "Dinas Kesehatan", "RSUD"

# The demo institutions (demo.INSTITUTIONS) with their office, regency and a few places of each.
PLACES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "tabalong": (demo.KALSEL, "Tabalong", ("Tanjung", "Murung Pudak", "Kelua", "Mabuun", "Pugaan")),
    "banjarmasin": (demo.KALSEL, "Banjarmasin", ("Banjarmasin Tengah", "Banjarmasin Utara", "Kelayan", "Pekapuran")),
    "balangan": (demo.KALSEL, "Balangan", ("Paringin", "Juai", "Awayan", "Batumandi")),
    "hss": (demo.KALSEL, "Hulu Sungai Selatan", ("Kandangan", "Angkinang", "Daha Selatan", "Loksado")),
    "barsel": (demo.KALTENG, "Barito Selatan", ("Buntok", "Dusun Selatan", "Jenamas", "Pendang")),
    "bartim": (demo.KALTENG, "Barito Timur", ("Tamiang Layang", "Awang", "Pematang Karau", "Ampah")),
}
VILLAGES = ("Sungai Rukam", "Jaro", "Padang Panjang", "Baruh Bahinu", "Murung Baru", "Telaga Itar", "Hayup",
            "Lok Tamu", "Sababilah", "Bangkuang", "Karau", "Muara Plantau", "Tanjung Jawa", "Pasar Arba")
AMOUNTS = ("Rp 50.000", "Rp 75.000", "Rp 100.000", "Rp 150.000", "Rp 200.000", "Rp 250.000", "Rp 300.000",
           "Rp 500.000", "Rp 750.000", "Rp 1.000.000", "Rp 1.500.000", "Rp 2.500.000")
DURATIONS = ("tiga minggu", "satu bulan", "enam minggu", "dua bulan", "tiga bulan", "empat bulan", "lima bulan",
             "delapan bulan")
TIMES = ("dua", "tiga", "empat", "lima", "enam")
KIN = ("anak saya", "ibu saya", "ayah saya", "suami saya", "istri saya", "adik saya", "nenek saya")
SCHOOLS = ("SMP Negeri 1", "SMP Negeri 2", "SD Negeri 3", "SMA Negeri 1", "SD Negeri 5", "SMP Negeri 4")


@dataclass(frozen=True)
class Template:
    """One story of a substance: the title and chronology (``str.format`` slots), the alleged forms, where it
    happened (a unit name prefix and a product of the demo registry, or a body outside the registry) and how
    such cases ended (``ROUTES`` names)."""

    title: str
    text: str
    alleged: tuple[str, ...]
    unit: str = ""
    products: tuple[str, ...] = ()
    other: str = ""  # the reported body outside the registry ("{regency}" filled in)
    routes: tuple[str, ...] = ("klarifikasi", "korektif", "tidak_ditemukan")


@dataclass(frozen=True)
class Substance:
    name: str
    agency_group: str
    institutions: tuple[str, ...]  # keys of PLACES
    templates: tuple[Template, ...]


KTP, KK, AKTA, MATI, KIA, PINDAH = ("Penerbitan KTP-el", "Penerbitan Kartu Keluarga", "Penerbitan Akta Kelahiran",
                                    "Penerbitan Akta Kematian", "Penerbitan Kartu Identitas Anak (KIA)",
                                    "Surat Keterangan Pindah")
PBG, NIB, SIPD, SIPB, REKLAME = ("Persetujuan Bangunan Gedung (PBG)", "Perizinan Berusaha Berbasis Risiko (NIB)",
                                 "Surat Izin Praktik Dokter", "Surat Izin Praktik Bidan",
                                 "Izin Penyelenggaraan Reklame")
RAJAL, IGD, SEHAT = "Pendaftaran Rawat Jalan", "Pelayanan Gawat Darurat (IGD)", "Surat Keterangan Sehat"
ALL = tuple(PLACES)

SUBSTANCES: tuple[Substance, ...] = (
    Substance(ADM, "Pemerintah Daerah", ALL, (
        Template("Petugas Disdukcapil meminta {amount} agar KTP-el cepat dicetak",
                 "Setelah perekaman KTP-el di kantor Disdukcapil {regency}, petugas loket menawarkan percepatan "
                 "pencetakan dengan membayar {amount}. Tanpa uang itu blangko KTP-el disebut kosong dan saya "
                 "diminta kembali {duration} lagi. Warga Desa {village} yang membayar menerima KTP-el pada hari "
                 "yang sama.", (PI, PB), DK, (KTP,)),
        Template("Kartu Keluarga tidak terbit {duration} di Disdukcapil {regency}",
                 "Berkas perubahan Kartu Keluarga setelah kelahiran anak kami sudah lengkap dan diterima loket "
                 "Disdukcapil, tetapi {duration} KK baru belum terbit. Sudah {times} kali saya datang dari "
                 "{place}; petugas selalu menjawab jaringan SIAK gangguan atau kepala dinas belum tanda tangan.",
                 (PB,), DK, (KK,), routes=("klarifikasi", "korektif")),
        Template("Akta kelahiran ditolak karena syarat di luar standar pelayanan Disdukcapil",
                 "Permohonan akta kelahiran anak kami ditolak petugas Disdukcapil karena diminta buku nikah dan "
                 "surat keterangan kepala Desa {village}, padahal standar pelayanan membolehkan SPTJM. Kami {times} "
                 "kali bolak-balik dari {place} dan akta kelahiran tetap belum diterbitkan.",
                 (PP, PB), DK, (AKTA,), routes=("mediasi", "korektif", "klarifikasi")),
        Template("Surat keterangan pindah ditahan petugas dengan alasan tunggakan PBB",
                 "Surat keterangan pindah keluarga kami dari {place} ditahan petugas Disdukcapil {regency} karena "
                 "disyaratkan bukti lunas PBB, syarat yang tidak ada dalam aturan administrasi kependudukan. "
                 "Akibatnya NIK dan KK kami belum dapat dipindahkan {duration}.", (PP, TMP), DK, (PINDAH,)),
        Template("KIA dipungut biaya {amount} per anak tanpa kuitansi",
                 "Petugas Disdukcapil meminta {amount} untuk setiap Kartu Identitas Anak tanpa kuitansi, padahal "
                 "layanan KIA dan dokumen kependudukan gratis. Orang tua murid di {place} mengalami hal yang sama.",
                 (PI,), DK, (KIA,)),
        Template("Akta kematian {kin} tidak diproses {duration}",
                 "Akta kematian {kin} yang meninggal di rumah di Desa {village} belum diproses Disdukcapil "
                 "{duration}. Petugas meminta surat keterangan kematian dari rumah sakit yang tidak mungkin kami "
                 "dapat; surat kepala desa sudah kami serahkan sesuai standar pelayanan.",
                 (PB, PP), DK, (MATI,), routes=("klarifikasi", "mediasi")),
    )),
    Substance(IZIN, "Pemerintah Daerah", ALL, (
        Template("PBG rumah tinggal tidak terbit {duration} di DPMPTSP {regency}",
                 "Permohonan Persetujuan Bangunan Gedung (PBG) rumah tinggal kami di {place} sudah dinyatakan "
                 "lengkap di SIMBG, tetapi {duration} tidak ada jadwal konsultasi tim profesi ahli. Loket DPMPTSP "
                 "hanya menjawab berkas masih antre, sehingga pembangunan rumah tertahan.",
                 (PB,), DPM, (PBG,), routes=("klarifikasi", "korektif", "tidak_ditemukan")),
        Template("Pemohon NIB diminta {amount} untuk bantuan verifikasi perizinan berusaha",
                 "Saat mengurus Nomor Induk Berusaha (NIB) dan izin usaha lewat OSS, seorang petugas DPMPTSP "
                 "menawarkan bantuan verifikasi dengan biaya {amount}. Permohonan izin usaha warung kami di {place} "
                 "tidak diproses {duration} setelah kami menolak membayar.", (PI, PB), DPM, (NIB,)),
        Template("Surat izin praktik tertahan karena rekomendasi tambahan di luar standar",
                 "Surat izin praktik saya tidak diproses DPMPTSP {regency} karena diminta rekomendasi tambahan "
                 "organisasi profesi tingkat provinsi yang tidak tercantum dalam standar pelayanan perizinan. "
                 "Sudah {duration} saya tidak dapat membuka praktik di {place}.",
                 (PP,), DPM, (SIPD, SIPB), routes=("korektif", "mediasi", "klarifikasi")),
        Template("Izin reklame ditolak tanpa alasan tertulis",
                 "Permohonan izin penyelenggaraan reklame toko kami di {place} ditolak secara lisan oleh petugas "
                 "perizinan tanpa surat penolakan dan tanpa alasan. Retribusi reklame sudah kami bayar {amount} dan "
                 "pengajuan ulang {times} kali juga tidak dijawab.", (TMP, PP), DPM, (REKLAME,)),
        Template("Pemohon PBG ruko diarahkan memakai konsultan yang ditunjuk petugas",
                 "Berkas PBG ruko kami dinyatakan kurang dan petugas DPMPTSP mengarahkan kami memakai jasa "
                 "konsultan perencana tertentu dengan biaya {amount}. Pemohon lain di {place} yang memakai "
                 "konsultan itu mendapat persetujuan bangunan dalam seminggu.", (KK_, PI), DPM, (PBG,)),
    )),
    Substance(KES, "Rumah Sakit Pemerintah", ALL, (
        Template("Pasien BPJS diminta membeli obat sendiri di apotek luar RSUD",
                 "{kin_cap} peserta BPJS Kesehatan kelas III dirawat di RSUD {regency}. Instalasi farmasi "
                 "mengatakan obat habis dan meminta kami membeli obat di apotek luar seharga {amount}; pengaduan "
                 "ke bagian pelayanan pelanggan rumah sakit tidak dijawab.",
                 (PP, TMP), RSUD, (RAJAL,), routes=("klarifikasi", "korektif", "mediasi")),
        Template("IGD meminta uang jaminan {amount} sebelum pasien ditangani",
                 "{kin_cap} datang ke IGD RSUD dalam keadaan sesak napas. Perawat meminta uang jaminan {amount} "
                 "sebelum pasien diperiksa dokter karena kartu BPJS belum aktif; pasien baru ditangani setelah "
                 "dua jam menunggu.", (TMP, DIS), RSUD, (IGD,)),
        Template("Dokter spesialis poli rawat jalan tidak datang, pasien menunggu berjam-jam",
                 "Sudah {times} kali jadwal poli penyakit dalam RSUD {regency} dibatalkan tanpa pemberitahuan. "
                 "Pasien dari {place} menunggu sejak pagi di ruang rawat jalan dan diminta pulang sore hari "
                 "tanpa diperiksa dokter.", (TP, PB), RSUD, (RAJAL,), routes=("klarifikasi", "tidak_ditemukan")),
        Template("Surat keterangan sehat dipungut {amount} melebihi tarif",
                 "Untuk melamar kerja saya membuat surat keterangan sehat di RSUD {regency} dan membayar {amount} "
                 "tanpa rincian, jauh di atas tarif retribusi pelayanan kesehatan dalam peraturan daerah.",
                 (PI,), RSUD, (SEHAT,), routes=("korektif", "tidak_ditemukan")),
        Template("Rujukan puskesmas ditolak, pasien BPJS disuruh mendaftar sebagai pasien umum",
                 "Dengan surat rujukan puskesmas {place}, {kin} ditolak di loket pendaftaran rawat jalan RSUD "
                 "karena kuota pasien BPJS penuh, lalu disuruh mendaftar sebagai pasien umum dan membayar {amount}.",
                 (DIS, TMP), RSUD, (RAJAL,)),
        Template("Sertifikat laik higiene sanitasi depot air minum tidak terbit {duration}",
                 "Depot air minum kami di {place} sudah diperiksa petugas sanitasi Dinas Kesehatan dan sampel air "
                 "dinyatakan memenuhi syarat, tetapi sertifikat laik higiene sanitasi belum terbit {duration}.",
                 (PB,), DINKES, ("Sertifikat Laik Higiene Sanitasi",), routes=("klarifikasi", "korektif")),
    )),
    Substance(TANAH, "Badan Pertanahan Nasional", ALL, (
        Template("Sertifikat PTSL belum dibagikan {duration}, warga dipungut {amount}",
                 "Bidang tanah kami di Desa {village} diukur dalam program PTSL dan warga membayar biaya persiapan "
                 "{amount} per bidang kepada panitia desa, tetapi sertifikat tanah belum dibagikan Kantor "
                 "Pertanahan {duration}.", (PB, PI), other="Kantor Pertanahan Kabupaten {regency}"),
        Template("Pengukuran ulang bidang tanah tidak dijadwalkan {duration}",
                 "Permohonan pengukuran ulang batas tanah kebun karet kami di {place} sudah dibayar PNBP-nya, "
                 "tetapi juru ukur Kantor Pertanahan tidak pernah datang {duration}; batas sertifikat tetap "
                 "bersengketa dengan tetangga.", (PB,), other="Kantor Pertanahan Kabupaten {regency}",
                 routes=("klarifikasi", "korektif", "mediasi")),
        Template("Balik nama sertifikat tanah warisan diminta biaya di luar PNBP",
                 "Untuk balik nama sertifikat hak milik tanah warisan orang tua di Desa {village}, petugas loket "
                 "pertanahan meminta {amount} di luar PNBP agar berkas cepat diproses, tanpa kuitansi.",
                 (PI,), other="Kantor Pertanahan Kabupaten {regency}"),
        Template("Permohonan blokir sertifikat ganda tidak ditanggapi Kantor Pertanahan",
                 "Tanah kami di {place} ternyata memiliki dua sertifikat dengan peta bidang tumpang tindih. "
                 "Permohonan pemblokiran dan penelitian data yuridis yang kami ajukan {duration} lalu ke Kantor "
                 "Pertanahan tidak ditanggapi.", (TMP, TK), other="Kantor Pertanahan Kabupaten {regency}",
                 routes=("klarifikasi", "tidak_ditemukan")),
        Template("Surat keterangan tanah dari kecamatan ditahan karena belum bayar {amount}",
                 "Staf kecamatan menahan surat keterangan riwayat tanah untuk pendaftaran sertifikat tanah kami di "
                 "Desa {village} sampai kami membayar {amount} sebagai uang tanda tangan camat.",
                 (PI, PP), unit="Kecamatan", products=("Surat Keterangan Ahli Waris",)),
    )),
    Substance(DIK, "Lembaga Pendidikan Negeri", ALL, (
        Template("Anak tidak diterima {school} jalur zonasi padahal rumah dekat sekolah",
                 "Rumah kami hanya {meters} meter dari {school} {place}, tetapi anak kami tidak diterima dalam PPDB "
                 "jalur zonasi, sedangkan calon siswa yang rumahnya lebih jauh diterima. Kami menduga ada Kartu "
                 "Keluarga titipan; panitia PPDB menolak menunjukkan hasil verifikasi jarak.",
                 (PP, BP), routes=("klarifikasi", "tidak_ditemukan")),
        Template("{school} memungut uang komite dan seragam {amount}",
                 "Setiap siswa baru {school} {place} diwajibkan membayar uang komite, seragam dan buku {amount}. "
                 "Orang tua yang belum membayar diancam anaknya tidak mendapat rapor, padahal sekolah negeri "
                 "dilarang memungut biaya pendidikan.", (PI, PP)),
        Template("Ijazah ditahan sekolah karena tunggakan uang komite",
                 "Ijazah {kin} lulusan {school} {place} ditahan pihak sekolah karena tunggakan uang komite "
                 "{amount}. Tanpa ijazah asli {kin} tidak bisa mendaftar kuliah maupun melamar kerja.",
                 (TMP, PP), routes=("mediasi", "korektif", "klarifikasi")),
        Template("Dana PIP siswa dipotong {amount} oleh pihak sekolah",
                 "Dana Program Indonesia Pintar (PIP) {kin} di {school} {place} dicairkan lewat guru kelas dan "
                 "dipotong {amount} untuk kegiatan sekolah tanpa persetujuan orang tua murid.", (PI, PW)),
        Template("Permohonan pindah sekolah (mutasi siswa) tidak dilayani",
                 "Kami pindah tugas ke {place}, tetapi kepala {school} tidak mau menerbitkan surat mutasi siswa "
                 "{duration} dan Dinas Pendidikan tidak menjawab surat kami, sehingga anak kami tidak bisa "
                 "bersekolah di tempat baru.", (TMP, PB), routes=("klarifikasi", "mediasi")),
    )),
    Substance(POL, "Kepolisian", ALL, (
        Template("Laporan polisi pencurian tidak ditindaklanjuti {duration}",
                 "Saya melaporkan pencurian sepeda motor di {place} ke Polres {regency}, tetapi {duration} tidak ada "
                 "perkembangan penyidikan dan SP2HP tidak pernah diberikan kepada saya sebagai pelapor.",
                 (PB,), other="Kepolisian Resor {regency}", routes=("klarifikasi", "korektif")),
        Template("Pengurusan SKCK di Polres {regency} dipungut {amount}",
                 "Saat mengurus SKCK untuk melamar kerja, petugas Satintelkam Polres meminta {amount} di luar PNBP "
                 "SKCK tanpa kuitansi, dengan alasan biaya legalisir dan map.", (PI,),
                 other="Kepolisian Resor {regency}"),
        Template("Peserta ujian praktik SIM diminta {amount} lewat calo agar lulus",
                 "{times_cap} kali saya gagal ujian praktik SIM C di Satpas Polres {regency}. Seorang calo di depan "
                 "kantor Satlantas menawarkan kelulusan dengan membayar {amount}, dan peserta yang membayar "
                 "langsung mendapat SIM.", (PI, PP), other="Kepolisian Resor {regency}"),
        Template("Kendaraan barang bukti tidak dikembalikan meski perkara selesai",
                 "Perkara kecelakaan lalu lintas di {place} sudah diputus pengadilan, tetapi mobil kami yang disita "
                 "penyidik sebagai barang bukti tidak dikembalikan {duration}; penyidik Polres meminta {amount} "
                 "untuk biaya penyimpanan.", (PB, PW), other="Kepolisian Resor {regency}",
                 routes=("klarifikasi", "korektif", "mediasi")),
        Template("Razia lalu lintas meminta uang titipan tanpa surat tilang",
                 "Dalam razia kendaraan di jalan poros {place}, petugas lalu lintas meminta uang titipan {amount} "
                 "tanpa surat tilang dan tanpa menjelaskan pasal pelanggaran.", (PI, TP),
                 other="Kepolisian Resor {regency}", routes=("klarifikasi", "tidak_ditemukan")),
    )),
)

# How a case ended: (the state it was closed in, the closure reason, activities, LAHP conclusion).
ROUTES: dict[str, tuple[State, str, tuple[str, ...], str]] = {
    "klarifikasi": (State.EXAMINATION, "DISELESAIKAN_KLARIFIKASI",
                    (Activity.WRITTEN_CLARIFICATION, Activity.FIELD_CHECK), ""),
    "mediasi": (State.EXAMINATION, "DISELESAIKAN_MEDIASI_KONSILIASI", (Activity.MEDIATION,), ""),
    "tidak_ditemukan": (State.LAHP_ISSUED, "TIDAK_DITEMUKAN_MALADMINISTRASI",
                        (Activity.WRITTEN_CLARIFICATION,), Conclusion.NOT_FOUND),
    "korektif": (State.CORRECTIVE_MONITORING, "TINDAKAN_KOREKTIF_DILAKSANAKAN",
                 (Activity.WRITTEN_CLARIFICATION, Activity.SUMMONS), Conclusion.FOUND),
}
CLOSING_NOTES = {
    "DISELESAIKAN_KLARIFIKASI": "Terlapor menyelesaikan layanan setelah klarifikasi; laporan ditutup.",
    "DISELESAIKAN_MEDIASI_KONSILIASI": "Mediasi: para pihak sepakat dan layanan diberikan.",
    "TIDAK_DITEMUKAN_MALADMINISTRASI": "LAHP: maladministrasi tidak ditemukan.",
    "TINDAKAN_KOREKTIF_DILAKSANAKAN": "Tindakan korektif dilaksanakan terlapor; hasil monitoring diterima.",
}
CHANNELS = (Channel.WEB, Channel.WEB, Channel.WALK_IN, Channel.LETTER, Channel.WHATSAPP, Channel.EMAIL)
VISIBILITIES = (Visibility.CONFIDENTIAL, Visibility.CONFIDENTIAL, Visibility.ANONYMOUS, Visibility.PUBLIC)
COMPLEXITIES = ("light", "light", "medium", "heavy")
STAFF = {demo.KALSEL: ("pvl.kalsel", "kepala.kalsel", ("pemeriksa.kalsel", "pemeriksa2.kalsel")),
         demo.KALTENG: ("pvl.kalteng", "kepala.kalteng", ("pemeriksa.kalteng",))}


def loaded() -> bool:
    return Case.objects.filter(client_token__startswith=ARCHIVE_MARK).exists()


def _working_day(day: dt.date, calendar: Any) -> dt.date:
    """``day`` or the working day before it (weekends only, in a year the holiday calendar does not cover)."""
    while (not calendar.is_working_day(day)) if calendar.covers(day) else day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _numbers(cases: Sequence[Case], offices: dict[int, Office]) -> None:
    """A number for each case (received order), from blocks of the counters ``services`` numbers with."""
    code = services.KIND_CODES[RecordKind.PUBLIC_REPORT]
    groups: dict[tuple[int, int], list[Case]] = {}
    for case in sorted(cases, key=lambda c: (c.received_on, c.client_token or "")):
        assert case.office_id is not None
        groups.setdefault((case.office_id, case.received_on.year), []).append(case)
    for (office_id, year), members in sorted(groups.items()):
        holder = f"o{office_id}"
        counter, _created = Counter.objects.select_for_update().get_or_create(holder=holder, year=year, code=code)
        Counter.objects.filter(pk=counter.pk).update(last=F("last") + len(members))
        first = counter.last + 1  # read under the row lock, before the update
        suffix = services.office_code(offices[office_id])
        for n, case in enumerate(members, start=first):
            case.number = services.case_number(n, code, case.received_on, suffix)


def load_history(today: dt.date) -> int:
    """Create the archive once (see the module docstring); the number of cases created (0: already there)."""
    if loaded():
        return 0
    with transaction.atomic():
        return _create(today)


def _create(today: dt.date) -> int:
    rng = random.Random(SEED)
    calendar = clock.calendar()
    d = demo.Demo(today, calendar)
    offices = {o.name: o for o in Office.objects.filter(name__in=[demo.KALSEL, demo.KALTENG])}
    institutions = {key: Institution.objects.get(name=demo.INSTITUTIONS[key]) for key in PLACES}
    units: dict[tuple[str, str], ServiceUnit | None] = {}
    products: dict[tuple[int, str], ServiceProduct | None] = {}

    def unit_of(inst: str, prefix: str) -> ServiceUnit | None:
        if (inst, prefix) not in units:
            units[inst, prefix] = ServiceUnit.objects.filter(institution=institutions[inst],
                                                             name__startswith=prefix).order_by("pk").first()
        return units[inst, prefix]

    def product_of(unit: ServiceUnit | None, name: str) -> ServiceProduct | None:
        if unit is None:
            return None
        if (unit.pk, name) not in products:
            products[unit.pk, name] = ServiceProduct.objects.filter(unit=unit, name=name).order_by("pk").first()
        return products[unit.pk, name]

    cases: list[Case] = []
    closing: list[tuple[Case, State, str, dt.datetime, str]] = []  # case, closed in, reason, closed at, examiner
    reporters: list[dict[str, Any]] = []
    seen: set[str] = set()
    newest = today - dt.timedelta(days=NEWEST_AGO)
    for i in range(CASES):
        substance = SUBSTANCES[i % len(SUBSTANCES)]
        template = substance.templates[(i // len(SUBSTANCES)) % len(substance.templates)]
        inst = substance.institutions[(i * 7 + i // len(SUBSTANCES)) % len(substance.institutions)]
        office_name, regency, places = PLACES[inst]
        slots: dict[str, Any] = {}
        text = ""
        while not text or text in seen:  # every story differs (a template without many slots draws again)
            kin, times = rng.choice(KIN), rng.choice(TIMES)
            slots = {"regency": regency, "place": rng.choice(places), "village": rng.choice(VILLAGES),
                     "amount": rng.choice(AMOUNTS), "duration": rng.choice(DURATIONS), "times": times,
                     "times_cap": times.capitalize(), "kin": kin, "kin_cap": kin.capitalize(),
                     "school": rng.choice(SCHOOLS), "meters": rng.choice((250, 300, 400, 450, 600, 800))}
            text = template.text.format(**slots)
        seen.add(text)
        person = demo.person(PERSON_OFFSET + i)
        if i % 4 == 0:  # some reporters give their contact in the text: the public summary never shows it
            text += f" Mohon hubungi saya di {person['phone']} atau {person['email']}."
        elif i % 9 == 0:
            text += f" NIK saya {person['nik']}."
        received = _working_day(newest - dt.timedelta(days=round(SPAN * (CASES - 1 - i) / CASES)
                                                      + rng.randint(0, 4)), calendar)
        route = ROUTES[rng.choice(template.routes)]
        state, reason, activities, conclusion = route
        closed_at = _at(_working_day(min(received + dt.timedelta(days=rng.randint(35, 160)),
                                     today - dt.timedelta(days=NEWEST_AGO - 60)), calendar), 14, 30)
        intake, _head, examiners = STAFF[office_name]
        examiner = examiners[i % len(examiners)]
        unit = unit_of(inst, template.unit) if template.unit else None
        product = product_of(unit, rng.choice(template.products)) if template.products else None
        event_on = received - dt.timedelta(days=rng.randint(20, 90))
        prior = rng.choice((PriorComplaint.ANSWERED, PriorComplaint.SILENT))
        alleged = list(template.alleged)
        channel = CHANNELS[i % len(CHANNELS)]
        rules = clock.rules(received)
        case = Case(
            number="", kind=RecordKind.PUBLIC_REPORT, state=State.CLOSED, office=offices[office_name],
            channel=channel, visibility=VISIBILITIES[i % len(VISIBILITIES)],
            title=redact(template.title.format(**slots))[:200], chronology=text, public_summary=redact(text),
            event_date=event_on, prior_complaint=prior,
            prior_complaint_date=event_on + dt.timedelta(days=rng.randint(3, 15)),
            prior_complaint_channel="Loket pengaduan",
            institution=None if template.other else institutions[inst], unit=unit, product=product,
            reported_other=template.other.format(**slots), province_id=institutions[inst].province_id,
            substance=substance.name, agency_group=substance.agency_group, alleged=alleged,
            found=alleged[:1] if conclusion == Conclusion.FOUND else [],
            complexity=COMPLEXITIES[i % len(COMPLEXITIES)], reporter_type="individual", formal_complete=True,
            documents_supplied=True, substantive_ok=True, activities=[str(a) for a in activities],
            conclusion=str(conclusion), reporter_answered=bool(conclusion), received_on=received,
            rule_set=rules.version, next_due_on=None, closure_reason=reason, closed_at=closed_at,
            intake_officer=d.user(intake), examiner=d.user(examiner), provider_notified=True,
            client_token=f"{ARCHIVE_MARK}{i + 1:03d}")
        cases.append(case)
        closing.append((case, state, reason, closed_at, examiner))
        reporters.append({k: v for k, v in person.items() if v})
    _numbers(cases, {o.pk: o for o in offices.values()})
    Case.objects.bulk_create(cases, batch_size=200)
    if any(c.pk is None for c in cases):  # a backend that returns no ids from a bulk insert
        by_token = dict(Case.objects.filter(client_token__startswith=ARCHIVE_MARK).values_list("client_token", "pk"))
        for case in cases:
            case.pk = by_token[case.client_token]
    for case, _state, _reason, closed_at, _examiner in closing:  # auto_now(_add) stamped the build's moment
        case.created_at, case.updated_at = _at(case.received_on, 8, 30), closed_at
    Case.objects.bulk_update(cases, ["created_at", "updated_at"], batch_size=200)
    Reporter.objects.bulk_create([Reporter(case=case, reporter_type="individual", **person)
                                  for case, person in zip(cases, reporters, strict=True)], batch_size=200)
    events: list[Event] = []
    moments: dict[tuple[int, str], dt.datetime] = {}
    for case, state, reason, closed_at, examiner in closing:
        moments[case.pk, "open"], moments[case.pk, "close"] = case.created_at, closed_at
        channel = Channel(case.channel)
        staff = channel not in (Channel.WEB, Channel.API)
        events.append(Event(case=case, actor=case.intake_officer if staff else None,
                            actor_label="petugas" if staff else services.REPORTER, action="open",
                            target_state=State.RECEIVED, audience=Event.Audience.REPORTER,
                            note=f"Laporan diterima melalui {channel.label}."))
        events.append(Event(case=case, actor=d.user(examiner), actor_label="examiner", action="close",
                            source_state=state, target_state=State.CLOSED, reason=reason,
                            audience=Event.Audience.REPORTER, note=CLOSING_NOTES[reason]))
    Event.objects.bulk_create(events, batch_size=500)
    saved = list(Event.objects.filter(case__client_token__startswith=ARCHIVE_MARK).only("pk", "case_id", "action"))
    for event in saved:  # auto_now_add stamped the build's moment: the case's days instead
        event.at = moments[event.case_id, event.action]
    Event.objects.bulk_update(saved, ["at"], batch_size=500)
    search_docs.refresh_cases([case.pk for case in cases])
    return len(cases)


def train() -> Any:
    """The national triage model from every decided case (the archive and the demo's classified cases)."""
    from pantau.complaints import triage

    reports = triage.train(office=None, holdout=0.2)
    triage.forget()
    return reports


def summary_line() -> str:
    """How many archived cases and the newest national triage model, for ``demo.summary``."""
    count = Case.objects.filter(client_token__startswith=ARCHIVE_MARK).count()
    model = TriageModel.objects.filter(office__isnull=True).order_by("-version").values_list(
        "version", "accuracy").first()
    if model is None:
        return f"complaints demo: {count} archived decided cases; no triage model"
    version, accuracy = model
    top1 = (accuracy or {}).get("substance", {}).get("top1")
    measured = f"substance top-1 on held-back: {round(float(top1) * 100)} %" if top1 is not None else "not measured"
    return f"complaints demo: {count} archived decided cases; triage model v{version} ({measured})"
