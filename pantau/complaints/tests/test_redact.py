"""Redaction of e-mail addresses, phone numbers and NIK in public text: realistic Indonesian sentences with
several matches, ordinary numbers that must stay, and hypothesis properties (idempotent, nothing survives)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.complaints.redact import KINDS, MARKER, find_personal_data, redact

SETTINGS = settings(max_examples=300, deadline=None, database=None)
M = MARKER


@pytest.mark.parametrize(("text", "expected", "kinds"), [
    ("Saya sudah menghubungi petugas di 0812-3456-7890 dan 0813 1111 2222 tetapi tidak diangkat.",
     f"Saya sudah menghubungi petugas di {M} dan {M} tetapi tidak diangkat.", ["telepon"]),
    ("Hubungi saya lewat WA +62 812 3456 7890 atau email budi.santoso@gmail.com, cadangan budi_s@yahoo.co.id.",
     f"Hubungi saya lewat WA {M} atau email {M}, cadangan {M}.", ["email", "telepon"]),
    ("NIK saya 3201234567890123, NIK istri 3201 2345 1205 0456 dan KK 32.01.23.450789.0001.",
     f"NIK saya {M}, NIK istri {M} dan KK {M}.", ["nik"]),
    ("Kantor kelurahan (021) 5551234 / 021-5559876, puskesmas (0274) 512345, dinas 0511 3252 123.",
     f"Kantor kelurahan {M} / {M}, puskesmas {M}, dinas {M}.", ["telepon"]),
    ("Link wa.me/6281234567890 dan nomor 62 812-3456-7890 milik anak saya (0857.1234.5678).",
     f"Link wa.me/{M} dan nomor {M} milik anak saya ({M}).", ["telepon"]),
    ("Pada 12-03-2024 saya membayar Rp 150.000 untuk KTP (laporan 0179/LM/VI/2022/BJM, kode pos 70111); "
     "NIK 6371012345670002, HP 081234567890.",
     f"Pada 12-03-2024 saya membayar Rp 150.000 untuk KTP (laporan 0179/LM/VI/2022/BJM, kode pos 70111); "
     f"NIK {M}, HP {M}.", ["telepon", "nik"]),
    ("Surel: Siti.Aminah+pengaduan@dukcapil.banjarmasinkota.go.id; siti [at] contoh [dot] id",
     f"Surel: {M}; {M}", ["email"]),
    ("Nomor 0812 3456 7890 2024 kali ditelepon, umur pelapor 62 tahun, denda Rp 1.234.567.890.123.456.",
     f"Nomor {M} 2024 kali ditelepon, umur pelapor 62 tahun, denda Rp 1.234.567.890.123.456.", ["telepon"]),
    ("Telp: 0812345678\nNIK:3273012345670001\nE-mail:warga@desa.id\nTelp lagi: 0812345678",
     f"Telp: {M}\nNIK:{M}\nE-mail:{M}\nTelp lagi: {M}", KINDS),
    ("Kerabat di Singapura +65 9123 4567; NIK lama 6371 0145 0790 0002.",
     f"Kerabat di Singapura {M}; NIK lama {M}.", ["telepon", "nik"]),
    ("Nomor dengan angka lebar ０８１２３４５６７８９０ juga.", f"Nomor dengan angka lebar {M} juga.", ["telepon"]),
])
def test_realistic_sentences(text: str, expected: str, kinds: list[str]) -> None:
    assert redact(text) == expected
    assert find_personal_data(text) == list(kinds)
    assert redact(expected) == expected and find_personal_data(expected) == []


@pytest.mark.parametrize("text", [
    "Kejadian tahun 2024, dilaporkan 2025.",
    "Biaya Rp 150.000, Rp 1.500.000 dan Rp 2.750.000.000 (dua miliar tujuh ratus lima puluh juta).",
    "Tanggal 12-03-2024, 05-03-2024 - 15-03-2024, 05/03/2024, 2024-03-05, 05.03.2024 dan 12 Maret 2024.",
    "Nomor laporan 0179/LM/VI/2022/BJM, surat 021/KEP/2023 dan B-0812/2023.",
    "Alamat Jl. Ahmad Yani KM 5 No. 12, RT 003/RW 005, kode pos 70111 dan 10110.",
    "Loket buka pukul 08.00-16.00 WIB, Senin-Jumat, istirahat 12:00-13:00.",
    "Antrean nomor 0245, loket 03, ruang 021.",
    "Sebanyak 62 orang dari 1.250 pemohon, 15% ditolak, 0,5 hari.",
    "Kontak layanan @dukcapil_bjm di Instagram.",
    "Bayar ke rekening 0123-01-012345-50-1 sebelum tanggal 30.",
    "Laporan tahun 2021 2022 2023 2024 dan 1990 1991 1992 1993, kartu 4111 1111 1111 1111.",
])
def test_ordinary_numbers_stay(text: str) -> None:
    assert redact(text) == text and find_personal_data(text) == []


def test_marker_is_one_constant_and_empty_text() -> None:
    assert MARKER == "[disamarkan]" and redact("") == "" and find_personal_data("") == []


# --- properties ----------------------------------------------------------------------------------------------

def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


def _grouped(digits: str, sizes: list[int], sep: str) -> str:
    parts, at = [], 0
    for size in sizes:
        if at < len(digits):
            parts.append(digits[at:at + size])
            at += size
    if at < len(digits):
        parts.append(digits[at:])
    return sep.join(parts)


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    national = "8" + draw(st.sampled_from("1235789")) + draw(_digits(draw(st.integers(7, 10))))
    prefix = draw(st.sampled_from(["0", "+62", "+62 ", "62", "62 ", "+62-"]))
    sep = draw(st.sampled_from(["", " ", "-", "."]))
    if prefix == "0":
        return _grouped("0" + national, [4, 4, 4], sep)
    return prefix + _grouped(national, [3, 4, 4], sep)


@st.composite
def landlines(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(["21", "22", "24", "31", "61", "274", "361", "511", "651", "911"]))
    subscriber = draw(st.sampled_from("23456789")) + draw(_digits(draw(st.integers(7, 10)) - len(area)))
    style = draw(st.sampled_from(["({0}) {1}", "(0{0}) {1}", "0{0}-{1}", "0{0} {1}", "+62 {0} {1}", "0{0}{1}"]))
    if style == "({0}) {1}":
        return f"(0{area}) {subscriber}"
    return style.format(area, _grouped(subscriber, [3, 4], draw(st.sampled_from(["", " ", "-"]))))


@st.composite
def niks(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from([11, 12, 13, 16, 18, 21, 31, 32, 33, 35, 36, 51, 52, 61, 63, 64, 71, 73, 81, 91]))
    day = draw(st.integers(1, 31)) + draw(st.sampled_from([0, 40]))  # women: day + 40
    digits = (f"{province}{draw(st.integers(1, 99)):02d}{draw(st.integers(1, 99)):02d}{day:02d}"
              f"{draw(st.integers(1, 12)):02d}{draw(_digits(2))}{draw(st.integers(1, 9999)):04d}")
    sizes = draw(st.sampled_from([[16], [4, 4, 4, 4], [6, 6, 4], [2, 2, 2, 6, 4]]))
    return _grouped(digits, sizes, draw(st.sampled_from([" ", ".", "-"])) if len(sizes) > 1 else "")


_LOCAL = st.text("abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=20).filter(
    lambda s: s[0].isalnum() and s[-1].isalnum())
_DOMAIN = st.sampled_from(["gmail.com", "yahoo.co.id", "kemendagri.go.id", "desa-sukamaju.id", "mail.ugm.ac.id"])
emails = st.one_of(st.builds(lambda local, domain: f"{local}@{domain}", _LOCAL, _DOMAIN), st.emails())
personal = st.one_of(st.tuples(st.just("telepon"), mobiles() | landlines()), st.tuples(st.just("nik"), niks()),
                     st.tuples(st.just("email"), emails))
ordinary = st.one_of(
    st.sampled_from(["Saya", "melapor", "bahwa", "petugas", "kelurahan", "meminta", "uang", "pada", "hari", "Senin",
                     "dan", "tidak", "ada", "kuitansi.", "Nomor", "laporan", "HP:", "NIK:", "email:", "(WA)", "—"]),
    st.integers(1990, 2030).map(str),
    st.integers(1, 999).map(lambda n: f"Rp {n}.000"),
    st.integers(10110, 99999).map(str),
    st.tuples(st.integers(1, 28), st.integers(1, 12), st.integers(2020, 2027)).map(
        lambda d: f"{d[0]:02d}-{d[1]:02d}-{d[2]}"),
    st.integers(1, 9999).map(lambda n: f"{n:04d}/LM/VI/2022/BJM"),
)


@st.composite
def reports(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A complaint text: words and ordinary numbers with personal data between words."""
    pieces: list[str] = []
    found: list[tuple[str, str]] = []
    for _ in range(draw(st.integers(1, 6))):
        pieces.extend(draw(st.lists(ordinary, max_size=4)))
        pieces.append(draw(st.sampled_from(["di", "ke", "yaitu", "ialah"])))
        if draw(st.booleans()):
            kind, value = draw(personal)
            pieces.append(value)
            found.append((kind, value))
            pieces.append(draw(st.sampled_from(["atau", "dan", "ya.", "\n"])))
    return " ".join(pieces), found


@SETTINGS
@given(reports())
def test_no_generated_personal_data_survives_and_the_rest_stays(report: tuple[str, list[tuple[str, str]]]) -> None:
    text, found = report
    out = redact(text)
    assert out.count(MARKER) == len(found)
    for _kind, value in found:
        assert value not in out
    # what is left is exactly the text with each value swapped for the marker
    expected = text
    for _kind, value in found:
        expected = expected.replace(value, MARKER, 1)
    assert out == expected
    assert find_personal_data(text) == [k for k in KINDS if k in {kind for kind, _value in found}]


@SETTINGS
@given(st.lists(personal, min_size=1, max_size=5), st.sampled_from([" ", ", ", "; ", "\n", " / "]))
def test_every_occurrence_is_replaced(values: list[tuple[str, str]], sep: str) -> None:
    text = sep.join(value for _kind, value in values * 2)  # each value twice
    out = redact(text)
    assert out == sep.join([MARKER] * len(values) * 2)


@SETTINGS
@given(st.one_of(st.text(), reports().map(lambda r: r[0]), st.text("0123456789 .-+()@[]atdo", max_size=60)))
def test_redact_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once
    assert find_personal_data(once) == []
    if MARKER not in text:
        assert (once == text) == (find_personal_data(text) == [])


@SETTINGS
@given(mobiles() | landlines())
def test_generated_phones_are_phones(value: str) -> None:
    assert re.sub(r"\D", "", value) and redact(value) == MARKER and find_personal_data(value) == ["telepon"]
