"""English (and any other language) for the texts of the pure complaint modules, Django-side.

``vocab``, ``workflow`` and ``deadlines`` may not import Django, so their labels and messages are plain
Indonesian ``str`` (state, kind, complexity, reporter-type, maladministration, closure-reason, substance and
agency-group labels; transition buttons; guard refusals; ``TransitionRefused`` and ``DeadlineError``
messages; the deadline steps' titles of ``data/deadlines.toml``). This module is where they become
translatable, as ``pantau/surveys/messages.py`` does for the survey modules, but without touching the pure
modules: every literal is listed here with Django's ``gettext_noop`` (so ``makemessages`` puts it in the
catalogue), and every message with variable parts is listed as a template with named placeholders
(``%(name)s``), from which a pattern is built that recognises the Indonesian message.

Where a text reaches a person it passes through :func:`translate` (``{{ text|tr }}`` in templates, from
``complaints_tags``): a listed literal gives its translation, a message matching a template gives the
translated template filled with its parts (each part translated in turn when it is itself a listed text;
a date like "17 Maret 2026" written again in the active language), a run of listed messages joined by
spaces (the refusal of several failed guards) is translated message by message, and anything else is
returned unchanged. Codes (``received``, ``DICABUT_PELAPOR``, ``PENUNDAAN_BERLARUT`` …) are never
translated: only labels and messages are.

When a label or message is added to a pure module, add it here too: ``tests/test_english.py`` fails
until every label of the vocabularies, the transition table, the guards and the shipped rule sets is
listed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

# --- literals ------------------------------------------------------------------------------------------------

KINDS = (
    gettext_noop("Konsultasi non-laporan"), gettext_noop("Tembusan"), gettext_noop("Laporan Masyarakat (LM)"),
    gettext_noop("Respons Cepat Ombudsman (RCO)"), gettext_noop("Investigasi atas Prakarsa Sendiri (IAPS)"),
    gettext_noop("Pengaduan kepada penyelenggara (UU 25/2009)"),
)
STATES = (
    gettext_noop("Diterima"), gettext_noop("Verifikasi formil"), gettext_noop("Menunggu kelengkapan dari pelapor"),
    gettext_noop("Verifikasi materiil"), gettext_noop("Menunggu keputusan pleno"), gettext_noop("Respons cepat (RCO)"),
    gettext_noop("Pemeriksaan"), gettext_noop("Draf LAHP"),
    gettext_noop("Menunggu tanggapan pelapor atas hasil pemeriksaan"), gettext_noop("LAHP terbit"),
    gettext_noop("Monitoring tindakan korektif"), gettext_noop("Rekomendasi (menunggu laporan pelaksanaan)"),
    gettext_noop("Monitoring pelaksanaan Rekomendasi"), gettext_noop("Ditutup"),
    gettext_noop("Penanganan pengaduan"),  # the examination state of a complaint made to the provider
)
COMPLEXITY = (gettext_noop("Ringan"), gettext_noop("Sedang"), gettext_noop("Berat"))
MALADMINISTRATION = (
    gettext_noop("Penundaan berlarut"), gettext_noop("Penyimpangan prosedur"),
    gettext_noop("Tidak memberikan pelayanan"), gettext_noop("Tidak patut"), gettext_noop("Tidak kompeten"),
    gettext_noop("Penyalahgunaan wewenang"), gettext_noop("Permintaan imbalan uang, barang dan jasa"),
    gettext_noop("Diskriminasi"), gettext_noop("Konflik kepentingan"), gettext_noop("Berpihak"),
)
REPORTER_TYPES = (
    gettext_noop("Perorangan"), gettext_noop("Badan hukum / organisasi"), gettext_noop("Kuasa hukum"),
    gettext_noop("Keluarga korban"), gettext_noop("Kelompok masyarakat"),
)
SUBSTANCES = (
    gettext_noop("Agraria/pertanahan"), gettext_noop("Kepegawaian"), gettext_noop("Pendidikan"),
    gettext_noop("Kepolisian"), gettext_noop("Administrasi kependudukan"), gettext_noop("Ketenagakerjaan"),
    gettext_noop("Pedesaan/desa"), gettext_noop("Perizinan"), gettext_noop("Perbankan"), gettext_noop("Asuransi"),
    gettext_noop("Perhubungan dan infrastruktur"), gettext_noop("Energi dan kelistrikan"),
    gettext_noop("Air minum"), gettext_noop("Kesehatan"), gettext_noop("Jaminan sosial"),
    gettext_noop("Hak sipil dan politik"), gettext_noop("Peradilan"), gettext_noop("Kejaksaan"),
    gettext_noop("Lembaga pemasyarakatan"), gettext_noop("TNI/pertahanan"),
)
AGENCY_GROUPS = (
    gettext_noop("Pemerintah Daerah"), gettext_noop("Kepolisian"), gettext_noop("Instansi Pemerintah/Kementerian"),
    gettext_noop("Badan Pertanahan Nasional"), gettext_noop("BUMN/BUMD"), gettext_noop("Lembaga Pendidikan Negeri"),
    gettext_noop("Lembaga Peradilan"), gettext_noop("Perbankan"), gettext_noop("Kejaksaan"),
    gettext_noop("Komisi/Lembaga Negara"), gettext_noop("Rumah Sakit Pemerintah"),
    gettext_noop("Perguruan Tinggi Negeri"), gettext_noop("Lembaga Pemerintah Non-Kementerian"), gettext_noop("TNI"),
    gettext_noop("DPR"), gettext_noop("Lain-lain"),
)
CLOSURE_REASONS = (
    gettext_noop("Dicabut atas permintaan pelapor"), gettext_noop("Tidak dilengkapi dalam 30 hari (dianggap dicabut)"),
    gettext_noop("Bukan kewenangan"), gettext_noop("Sedang atau telah diperiksa pengadilan"),
    gettext_noop("Masih ditangani instansi dalam tenggang waktu yang patut"),
    gettext_noop("Laporan yang sama sedang atau telah ditangani"),
    gettext_noop("Peristiwa lebih dari 2 tahun sebelum laporan"),
    gettext_noop("Pelapor belum mengadu kepada Terlapor atau atasannya"),
    gettext_noop("Hanya tembusan surat kepada pihak lain (diarsipkan)"),
    gettext_noop("Konsultasi selesai (saran diberikan)"),
    gettext_noop("Diselesaikan melalui klarifikasi atau pemeriksaan lapangan"),
    gettext_noop("Diselesaikan melalui mediasi atau konsiliasi"), gettext_noop("Tidak ditemukan maladministrasi"),
    gettext_noop("Pemeriksaan dihentikan"), gettext_noop("Tindakan korektif dilaksanakan"),
    gettext_noop("Rekomendasi dilaksanakan"), gettext_noop("Rekomendasi dilaksanakan sebagian"),
    gettext_noop("Rekomendasi tidak dilaksanakan"), gettext_noop("Pengaduan ditindaklanjuti penyelenggara"),
    gettext_noop("Pengaduan tidak terbukti"),
    gettext_noop("Diadukan lebih dari 30 hari sesudah menerima pelayanan"),
)
TRANSITIONS = (
    gettext_noop("Mulai verifikasi formil"), gettext_noop("Minta kelengkapan kepada pelapor"),
    gettext_noop("Kelengkapan diterima"), gettext_noop("Tutup: tidak dilengkapi dalam 30 hari"),
    gettext_noop("Syarat formil lengkap"), gettext_noop("Ajukan ke rapat pleno"),
    gettext_noop("Ajukan investigasi prakarsa sendiri ke rapat pleno"),
    gettext_noop("Putusan pleno: lanjut ke pemeriksaan"), gettext_noop("Jadikan laporan masyarakat"),
    gettext_noop("Tangani sebagai Respons Cepat"), gettext_noop("Lanjutkan sebagai laporan reguler"),
    gettext_noop("Permintaan klarifikasi tertulis"), gettext_noop("Klarifikasi lisan / koordinasi langsung"),
    gettext_noop("Pemanggilan"), gettext_noop("Pemeriksaan lapangan"), gettext_noop("Mediasi / konsiliasi"),
    gettext_noop("Susun draf LAHP"), gettext_noop("Kembalikan ke pemeriksaan (bedah laporan)"),
    gettext_noop("Sampaikan hasil pemeriksaan kepada pelapor"), gettext_noop("Periksa ulang atas tanggapan pelapor"),
    gettext_noop("Terbitkan LAHP"), gettext_noop("Mulai monitoring tindakan korektif"),
    gettext_noop("Catat pelaksanaan tindakan korektif"), gettext_noop("Ajukan Rekomendasi"),
    gettext_noop("Catat laporan pelaksanaan Rekomendasi"), gettext_noop("Mulai monitoring Rekomendasi"),
    gettext_noop("Ajukan Rekomendasi Penjatuhan Sanksi"), gettext_noop("Tutup laporan"),
    gettext_noop("Putusan pleno: tidak dilanjutkan"), gettext_noop("Periksa kelengkapan pengaduan"),
    gettext_noop("Minta kelengkapan kepada pengadu"), gettext_noop("Tangani pengaduan"),
    gettext_noop("Tutup pengaduan"),
)
GUARDS = (
    gettext_noop("Syarat formil laporan belum lengkap (UU 37/2008 Pasal 24 ayat (1))."),
    gettext_noop("Syarat formil sudah lengkap; tidak ada yang perlu diminta kepada pelapor."),
    gettext_noop("Pelapor belum menyampaikan kelengkapan dokumen."),
    gettext_noop("Batas 30 hari untuk melengkapi laporan belum lewat, atau kelengkapan sudah diterima."),
    gettext_noop("Syarat materiil laporan belum terpenuhi."),
    gettext_noop("Klasifikasi laporan (ringan, sedang, berat) belum ditetapkan."),
    gettext_noop("Laporan tidak memenuhi kriteria Respons Cepat Ombudsman (kedaruratan, ancaman keselamatan, "
                 "ancaman hak hidup)."),
    gettext_noop("Belum ada kegiatan pemeriksaan yang dicatat (klarifikasi, pemanggilan, pemeriksaan lapangan, "
                 "mediasi)."),
    gettext_noop("Belum ada mediasi atau konsiliasi yang dicatat."),
    gettext_noop("Kesimpulan hasil pemeriksaan belum ditetapkan."),
    gettext_noop("LAHP tidak menyimpulkan bahwa maladministrasi tidak ditemukan."),
    gettext_noop("LAHP tidak menyimpulkan bahwa pemeriksaan dihentikan."),
    gettext_noop("LAHP tidak menyimpulkan maladministrasi ditemukan beserta bentuknya."),
    gettext_noop("Pelapor belum menyampaikan tanggapan atas hasil pemeriksaan."),
    gettext_noop("Pelapor belum menanggapi dan batas 14 hari untuk menanggapi belum lewat."),
    gettext_noop("Belum semua tindakan korektif dilaksanakan."),
    gettext_noop("Jangka waktu tindakan korektif belum lewat, atau semua tindakan korektif sudah dilaksanakan."),
    gettext_noop("Terlapor belum melaporkan pelaksanaan Rekomendasi dan batas 60 hari belum lewat."),
    gettext_noop("Terlapor belum melaporkan pelaksanaan Rekomendasi."),
    gettext_noop("Jangka waktu monitoring Rekomendasi belum lewat."),
)
REFUSALS = (  # TransitionRefused and DeadlineError messages without variable parts
    gettext_noop("Pilih alasan penutupan."), gettext_noop("Tindakan ini tidak memakai alasan penutupan."),
    gettext_noop("Tidak ada aturan tenggat yang dimuat."),
    gettext_noop("Ambang hampir jatuh tempo dan sangat terlambat tidak boleh negatif."),
)
DEADLINES = (  # the rule sets and steps of data/deadlines.toml, the holiday kinds
    gettext_noop("Peraturan Ombudsman 26/2017 sebagaimana diubah dengan Peraturan Ombudsman 48/2020"),
    gettext_noop("Peraturan Ombudsman 58/2023 tentang Tata Cara Pemeriksaan dan Penyelesaian Laporan"),
    gettext_noop("Batas usia peristiwa yang dilaporkan"), gettext_noop("Proses awal laporan"),
    gettext_noop("Pelapor melengkapi dokumen"), gettext_noop("Tanggapan pelapor atas hasil pemeriksaan (LAHP)"),
    gettext_noop("Jawaban terlapor atas permintaan klarifikasi tertulis"),
    gettext_noop("Tindakan korektif (laporan ringan)"), gettext_noop("Tindakan korektif (laporan sedang)"),
    gettext_noop("Tindakan korektif (laporan berat)"), gettext_noop("Laporan pelaksanaan Rekomendasi"),
    gettext_noop("Monitoring pelaksanaan Rekomendasi"), gettext_noop("Libur nasional"), gettext_noop("Cuti bersama"),
    gettext_noop("tidak ada"),  # no year loaded, in CalendarRangeError
)
HISTORY = (  # labels of history rows and deadline statuses written as plain strings in views and the API
    gettext_noop("Laporan diterima"), gettext_noop("Asisten pemeriksa ditetapkan"), gettext_noop("Dilimpahkan"),
    gettext_noop("Kerahasiaan diubah"), gettext_noop("Pesan dari pelapor"),
    gettext_noop("Informasi tambahan dari pelapor"), gettext_noop("Laporan dilimpahkan ke kantor lain"),
    gettext_noop("Kerahasiaan laporan diubah"), gettext_noop("Tepat waktu"), gettext_noop("Segera jatuh tempo"),
    gettext_noop("Terlambat"), gettext_noop("Sangat terlambat"),
)
CONCLUSIONS = {  # Conclusion has no label in vocab (its codes are shown by the model's choices)
    "found": gettext_noop("Maladministrasi ditemukan"), "not_found": gettext_noop("Tidak ditemukan maladministrasi"),
    "stopped": gettext_noop("Pemeriksaan dihentikan"),
}
FILES = (  # attachments.py: the kinds of file named in its refusals, and the sentences added to some of them
    gettext_noop("foto JPEG"), gettext_noop("gambar PNG"), gettext_noop("gambar WebP"), gettext_noop("dokumen PDF"),
    gettext_noop("lembar kerja Excel (.xlsx)"), gettext_noop("dokumen Word (.docx)"), gettext_noop("gambar GIF"),
    gettext_noop("foto HEIC"), gettext_noop("gambar SVG"), gettext_noop("halaman web (HTML)"),
    gettext_noop("program Windows"), gettext_noop("program"), gettext_noop("skrip"),
    gettext_noop("berkas Office lama (.doc/.xls)"), gettext_noop("arsip ZIP"), gettext_noop("arsip RAR"),
    gettext_noop("arsip 7z"), gettext_noop("arsip GZIP"), gettext_noop("lembar kerja Excel bermakro"),
    gettext_noop("dokumen Word bermakro"), gettext_noop("jenis yang tidak dikenal"), gettext_noop("tanpa akhiran"),
    gettext_noop("foto JPEG, gambar PNG, gambar WebP, dokumen PDF, lembar kerja Excel (.xlsx) atau dokumen Word "
                 "(.docx)"),
    gettext_noop("Ubah fotonya ke JPEG (di iPhone: Pengaturan › Kamera › Format › Paling Kompatibel) lalu unggah "
                 "lagi."),
    gettext_noop("Simpan tanpa makro (.xlsx/.docx) lalu unggah lagi."),
)
# Labels whose msgid means something else elsewhere ("Diterima" is "accepted" in assessments): their context.
CONTEXTS = {"Diterima": "laporan"}
_IN_CONTEXT = (pgettext_lazy("laporan", "Diterima"),)  # for makemessages: the msgid in its context
LITERALS: frozenset[str] = frozenset(
    KINDS + STATES + COMPLEXITY + MALADMINISTRATION + REPORTER_TYPES + SUBSTANCES + AGENCY_GROUPS + CLOSURE_REASONS
    + TRANSITIONS + GUARDS + REFUSALS + DEADLINES + HISTORY + FILES + tuple(CONCLUSIONS.values()))

# --- messages with variable parts ----------------------------------------------------------------------------

TEMPLATES = (
    # workflow.apply
    gettext_noop("Tindakan '%(action)s' tidak tersedia untuk %(kind)s pada tahap %(state)s."),
    gettext_noop("Tindakan '%(action)s' tidak dikenal."),
    gettext_noop("Alasan penutupan '%(reason)s' tidak dapat dipakai untuk %(kind)s pada tahap %(state)s."),
    # vocab.check
    gettext_noop("Substansi '%(substance)s' tidak ada di daftar substansi."),
    gettext_noop("Kelompok instansi terlapor '%(group)s' tidak dikenal."),
    gettext_noop("Bentuk maladministrasi (dugaan) tidak dikenal: %(codes)s."),
    gettext_noop("Bentuk maladministrasi (temuan) tidak dikenal: %(codes)s."),
    # deadlines and clock
    gettext_noop("Kalender hari libur belum memuat tahun %(year)s; muat dengan perintah `%(command)s` (tahun yang "
                 "sudah dimuat: %(years)s)."),
    gettext_noop("Aturan tenggat %(version)s tidak mengenal tahap '%(step)s' (tahap yang ada: %(known)s)."),
    gettext_noop("Aturan tenggat %(version)s tidak dikenal."),
    gettext_noop("Tidak ada aturan tenggat untuk laporan yang diterima %(day)s: aturan paling awal (%(version)s) "
                 "berlaku sejak %(since)s."),
    gettext_noop("Tanggal peristiwa (%(event)s) sesudah tanggal laporan diterima (%(received)s)."),
    gettext_noop("Jumlah hari kerja tidak boleh negatif (%(n)s)."),
    gettext_noop("Jumlah hari tidak boleh negatif (%(n)s)."),
    gettext_noop("Tahap %(step)s harus dinyatakan dalam tahun."),
    # attachments.py (AttachmentRefused); "berakhiran .%(ext)s" is a part of the "disguised" one
    gettext_noop('Berkas "%(name)s" terlalu besar: paling besar %(limit)s per berkas. Perkecil atau bagi berkasnya, '
                 'lalu unggah lagi.'),
    gettext_noop("Paling banyak %(n)s lampiran per laporan. Hapus lampiran yang tidak perlu atau gabungkan beberapa "
                 "foto ke satu PDF."),
    gettext_noop("Ukuran semua lampiran satu laporan paling besar %(limit)s (dengan berkas ini: %(size)s)."),
    gettext_noop('Berkas "%(name)s" berisi %(what)s, yang tidak diterima sebagai lampiran. Yang diterima: '
                 '%(allowed)s. %(advice)s'),
    gettext_noop('Berkas "%(name)s" berisi %(what)s, yang tidak diterima sebagai lampiran. Yang diterima: '
                 '%(allowed)s.'),
    gettext_noop('Isi berkas "%(name)s" adalah %(kind)s, tetapi namanya %(named)s. Berkas yang isinya tidak sesuai '
                 'dengan namanya tidak diterima; bila berkas ini memang %(same)s, ganti akhiran namanya menjadi '
                 '.%(ext)s lalu unggah lagi.'),
    gettext_noop("berakhiran .%(ext)s"),
    gettext_noop('Berkas "%(name)s" dikirim sebagai %(declared)s, tetapi isinya %(kind)s. Unggah berkas aslinya.'),
    gettext_noop('Gambar "%(name)s" rusak atau terpotong dan tidak dapat dibaca. Unggah lagi berkas aslinya dari '
                 'kamera atau galeri.'),
    gettext_noop('Gambar "%(name)s" terlalu besar (%(width)s × %(height)s piksel): paling banyak %(n)s juta piksel. '
                 'Perkecil ukurannya lalu unggah lagi.'),
    gettext_noop('Gambar "%(name)s" terlalu besar: paling banyak %(n)s juta piksel. Perkecil ukurannya lalu unggah '
                 'lagi.'),
    gettext_noop('Berkas "%(name)s" tidak dapat diperiksa: bila dibuka isinya lebih dari %(limit)s atau lebih dari '
                 '%(n)s bagian. Bagi datanya ke beberapa berkas lalu unggah lagi.'),
    gettext_noop('Berkas "%(name)s" rusak atau tidak dapat dibaca sebagai %(kind)s. Simpan ulang berkasnya lalu '
                 'unggah lagi.'),
    gettext_noop('Berkas "%(name)s" kosong. Pilih berkasnya lagi lalu unggah.'),
)

_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGco%]")
_NAMED = re.compile(r"%\\\((\w+)\\\)s")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")  # as deadlines._tanggal writes them
_DATE = re.compile(r"(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})")


@dataclass(frozen=True)
class Pattern:
    template: str
    regex: re.Pattern[str]


def _pattern(template: str) -> Pattern:
    """The pattern of ``template``: the Indonesian text with each ``%(name)s`` matching any text."""
    return Pattern(template, re.compile(_NAMED.sub(r"(?P<\1>.+?)", re.escape(template)), re.DOTALL))


PATTERNS: tuple[Pattern, ...] = tuple(_pattern(t) for t in TEMPLATES)


@cache
def _by_length() -> tuple[str, ...]:
    """The literals that end a sentence, longest first (for a run of refusals joined by spaces)."""
    return tuple(sorted((s for s in LITERALS if s.endswith(".")), key=len, reverse=True))


def _part(value: str, gettext: Callable[[str], str]) -> str:
    """A variable part of a message: a listed text translated, an Indonesian date written again in the active
    language (``formats.date_format``), anything else (codes, numbers, names) as it is."""
    date = _DATE.fullmatch(value)
    if date is not None:
        try:
            day = dt.date(int(date.group(3)), MONTHS.index(date.group(2)) + 1, int(date.group(1)))
        except ValueError:
            return value
        return str(formats.date_format(day, "j F Y"))
    return translate(value, gettext)


def _sequence(text: str, gettext: Callable[[str], str]) -> str | None:
    """``text`` as listed sentences joined by single spaces, each translated; ``None`` when it is not one."""
    out: list[str] = []
    at = 0
    while at < len(text):
        found = next((s for s in _by_length() if text.startswith(s, at)
                      and (at + len(s) == len(text) or text[at + len(s)] == " ")), None)
        if found is None:
            return None
        out.append(gettext(found))
        at += len(found) + 1
    return " ".join(out) if len(out) > 1 else None


_gettext = gettext


def translate(text: str, gettext: Callable[[str], str] = gettext) -> str:
    """``text`` (Indonesian, from a pure module) in the language of ``gettext`` (module docstring); the
    Indonesian text itself when it is not listed, or when a translation's placeholders are not its
    template's."""
    text = str(text)
    if not text:
        return text
    if text in LITERALS:
        if text in CONTEXTS and gettext is _gettext:
            return pgettext(CONTEXTS[text], text)
        return gettext(text)
    for pattern in PATTERNS:
        match = pattern.regex.fullmatch(text)
        if match is None:
            continue
        translated = gettext(pattern.template)
        if Counter(_PLACEHOLDER.findall(translated)) != Counter(_PLACEHOLDER.findall(pattern.template)):
            return text
        try:
            return translated % {k: _part(v, gettext) for k, v in match.groupdict().items()}
        except (KeyError, ValueError, TypeError):
            return text
    return _sequence(text, gettext) or text


def translate_all(texts: Iterable[str], gettext: Callable[[str], str] = gettext) -> list[str]:
    return [translate(t, gettext) for t in texts]


def _translate_now(text: str) -> str:
    return translate(text, gettext)


# For choices built at import time (forms): translated each time they are shown, in the language of the request.
translate_lazy = lazy(_translate_now, str)


def conclusion_label(code: str, gettext: Callable[[str], str] = gettext) -> str:
    """The label of an LAHP conclusion code (``found`` …); the code itself when unknown."""
    return gettext(CONCLUSIONS[code]) if code in CONCLUSIONS else code
