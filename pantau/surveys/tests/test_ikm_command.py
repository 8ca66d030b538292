"""``pantau ikm --responses FILE.csv``: the IKM of a CSV of answers, against the worked examples of
shared/docs/surveys.md §1.8 (V2, V3, V6), through ``call_command`` and the real console script."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pantau.surveys import indices, responses_csv
from pantau.surveys.indices import PROFILES, SKM_2017

ROOT = Path(__file__).resolve().parents[3]
CODES = [e.code for e in SKM_2017]
U9 = [f"U{i}" for i in range(1, 10)]

# V2 (GASPUL, 29 respondents): U1 18×4 + 11×3, U3 15×4 + 12×3 + 2×2, U4 all 4, U9 28×4 + 1×3; the
# other elements spread to their totals 101, 102, 105, 106, 105.
V2_TOTALS = [105, 101, 100, 116, 102, 105, 106, 105, 115]
V2_COLUMNS = {1: [4] * 18 + [3] * 11, 3: [4] * 15 + [3] * 12 + [2] * 2, 4: [4] * 29, 9: [4] * 28 + [3]}
for _j, _total in enumerate(V2_TOTALS, start=1):
    _base, _extra = divmod(_total, 29)
    V2_COLUMNS.setdefault(_j, [_base + 1] * _extra + [_base] * (29 - _extra))
V2 = [[V2_COLUMNS[j][i] for j in range(1, 10)] for i in range(29)]
V2_NRR = ["3.6207", "3.4828", "3.4483", "4.0000", "3.5172", "3.6207", "3.6552", "3.6207", "3.9655"]
V2_CONVERTED = ["90.52", "87.07", "86.21", "100.00", "87.93", "90.52", "91.38", "90.52", "99.14"]

# V6 (2004 method): element values 3.06 … 3.04, as 50 respondents (totals = value × 50).
V6_VALUES = ["3.06", "2.98", "3.06", "2.90", "3.06", "3.14", "3.04", "3.06", "3.18", "3.08", "3.20", "3.18",
             "3.10", "3.04"]


def spread(totals: list[int], n: int) -> list[list[int]]:
    """n rows whose column sums are ``totals`` (answers 1–4)."""
    columns = []
    for total in totals:
        base, extra = divmod(total, n)
        columns.append([base + 1] * extra + [base] * (n - extra))
    return [[column[i] for column in columns] for i in range(n)]


def csv_text(rows: list[list[Any]], header: list[str] | None = None, sep: str = ",", extra: bool = True) -> str:
    header = header or [f"U{i}" for i in range(1, len(rows[0]) + 1)]
    lines = [sep.join((["No", "Nama"] if extra else []) + header + (["Catatan"] if extra else []))]
    for number, row in enumerate(rows, start=1):
        cells = ["" if v is None else str(v) for v in row]
        lines.append(sep.join(([str(number), f"Warga {number}"] if extra else []) + cells
                              + (["puas"] if extra else [])))
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, content: str | bytes, name: str = "jawaban.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def call(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ikm", "--responses", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def call_json(path: Path, *args: str) -> dict[str, Any]:
    out, _ = call(path, "--format", "json", *args)
    data: dict[str, Any] = json.loads(out, parse_float=D)
    return data


def refused(path: Path, *args: str) -> list[str]:
    """The problem lines of a refused file (the command raised CommandError with status 2)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("ikm", "--responses", str(path), *args, stdout=out, stderr=err)
    assert raised.value.returncode == 2 and out.getvalue() == ""
    assert "berkas ditolak" in str(raised.value)
    return err.getvalue().splitlines()


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBUG": "true", "SECRET_KEY": "uji", "LOG_LEVEL": "WARNING"}
    pantau = Path(sys.executable).with_name("pantau")
    return subprocess.run([str(pantau), "ikm", *args], capture_output=True, env=env, cwd=ROOT, check=False,
                          timeout=120, input=stdin.decode() if stdin is not None else None, text=True)


def as_dicts(rows: list[list[Any]], codes: list[str] = CODES) -> list[dict[str, int | None]]:
    return [dict(zip(codes, row, strict=True)) for row in rows]


def test_the_fixture_is_v2() -> None:
    assert [sum(row[j] for row in V2) for j in range(9)] == V2_TOTALS


def test_v2_as_json_with_the_default_profile(tmp_path: Path) -> None:
    path = write(tmp_path, csv_text(V2))
    out, _ = call(path, "--format", "json")
    assert '"ikm": 91.48,' in out and '"nrr": 4.0000,' in out and '"converted": 100.00,' in out
    data = json.loads(out, parse_float=D)
    assert list(data) == ["n", "ikm", "grade", "label", "ci", "profile", "skipped_empty_rows", "elements"]
    assert (data["n"], data["ikm"], data["grade"], data["label"]) == (29, D("91.48"), "A", "Sangat Baik")
    assert (data["profile"], data["skipped_empty_rows"]) == ("permenpanrb-14-2017", 0)
    assert data["ci"] == [D("87.86"), D("95.09")]
    assert tuple(data["ci"]) == indices.ikm(as_dicts(V2), SKM_2017).ci
    elements = data["elements"]
    assert [list(e) for e in elements] == [["code", "element", "n", "nrr", "converted", "grade"]] * 9
    assert [e["code"] for e in elements] == U9 and [e["element"] for e in elements] == CODES
    assert [e["n"] for e in elements] == [29] * 9
    assert [e["nrr"] for e in elements] == [D(v) for v in V2_NRR]
    assert [e["converted"] for e in elements] == [D(v) for v in V2_CONVERTED]
    assert [e["grade"] for e in elements] == ["A", "B", "B", "A", "B", "A", "A", "A", "A"]


def test_v2_under_the_other_2017_profiles_through_the_console_script(tmp_path: Path) -> None:
    path = write(tmp_path, csv_text(V2))
    literal = run("--responses", str(path), "--profile", "permenpanrb-14-2017-w0111", "--format", "json")
    assert literal.returncode == 0, literal.stderr
    data = json.loads(literal.stdout, parse_float=D)
    assert (data["ikm"], data["grade"], data["profile"]) == (D("91.38"), "A", "permenpanrb-14-2017-w0111")
    assert data["n"] == 29 and data["elements"][3]["converted"] == D("100.00")
    rounded = call_json(path, "--profile", "permenpanrb-14-2017-nrr-2dp")
    assert rounded["ikm"] == D("91.50") and rounded["elements"][1]["nrr"] == D("3.4800")


def test_v2_as_text(tmp_path: Path) -> None:
    out, err = call(write(tmp_path, csv_text(V2)))
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("Indeks Kepuasan Masyarakat dari ") and "(profil permenpanrb-14-2017)" in lines[0]
    assert lines[1] == "Responden: 29; baris tanpa jawaban dilewati: 0"
    assert lines[3].split() == ["Kolom", "Unsur", "n", "NRR", "Nilai", "konversi", "Mutu"]
    assert lines[4].split() == ["U1", "persyaratan", "29", "3.6207", "90.52", "A"]
    assert lines[6].split() == ["U3", "waktu", "29", "3.4483", "86.21", "B"]
    assert "IKM 91.48 — mutu A (Sangat Baik); selang kepercayaan 95 %: 87.86–95.09" in out
    assert "Unsur terlemah: waktu (U3), prosedur (U2), produk (U5)" in out


def test_v3_one_all_four_respondent_is_100(tmp_path: Path) -> None:
    path = write(tmp_path, csv_text([[4] * 9]))
    data = call_json(path)
    assert (data["n"], data["ikm"], data["grade"], data["label"], data["ci"]) == (1, D("100.00"), "A",
                                                                                  "Sangat Baik", None)
    assert all(e["nrr"] == D("4.0000") and e["converted"] == D("100.00") for e in data["elements"])
    assert '"ci": null' in call(path, "--format", "json")[0]
    assert "tidak dihitung (kurang dari 2 responden)" in call(path)[0]
    assert call_json(path, "--profile", "permenpanrb-14-2017-w0111")["ikm"] == D("99.90")


def test_v6_a_2004_file_with_fourteen_columns(tmp_path: Path) -> None:
    rows = spread([int(D(v) * 50) for v in V6_VALUES], 50)
    path = write(tmp_path, csv_text(rows))
    exact = call_json(path, "--profile", "kepmenpan-25-2004")
    assert (exact["n"], exact["ikm"], exact["grade"], exact["label"]) == (50, D("76.93"), "B", "Baik")
    codes = [e.code for e in responses_csv.elements_for(PROFILES["kepmenpan-25-2004"])]
    assert [e["code"] for e in exact["elements"]] == [f"U{i}" for i in range(1, 15)]
    assert [e["element"] for e in exact["elements"]] == codes and codes[:2] == ["prosedur", "persyaratan"]
    assert [e["nrr"] for e in exact["elements"]] == [D(v).quantize(D("0.0001")) for v in V6_VALUES]
    published = call_json(path, "--profile", "kepmenpan-25-2004-w0071")
    assert (published["ikm"], published["grade"]) == (D("76.475"), "B")  # Σ 43.08 × 0.071 → 3.059 × 25
    assert "[76.475" not in json.dumps(published, default=str)  # the CI keeps 2 decimals
    # The same file under a 2017 profile reads U1…U9 and ignores U10…U14.
    assert call_json(path)["elements"][8]["nrr"] == D(V6_VALUES[8]).quantize(D("0.0001"))


def test_a_2004_profile_needs_all_fourteen_columns(tmp_path: Path) -> None:
    lines = refused(write(tmp_path, csv_text(V2)), "--profile", "kepmenpan-25-2004")
    assert lines[0].startswith("baris 1: kolom U10, U11, U12, U13, U14 tidak ditemukan")


def test_semicolons_a_bom_loose_header_names_and_decimal_commas(tmp_path: Path) -> None:
    header = [" u1 ", "U2", "u3", "U4 ", "U5", "U6", "U7", "U8", "U9"]
    rows: list[list[Any]] = [list(row) for row in V2]
    rows[0][0] = "4,0"
    rows[1][1] = " 4.00 "
    rows[2][3] = '"4"'
    text = csv_text(rows, header, sep=";").replace("Catatan", "Catatan; \"a;b\"")
    path = write(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    data = call_json(path)
    assert (data["n"], data["ikm"]) == (29, D("91.48"))
    assert [e["nrr"] for e in data["elements"]] == [D(v) for v in V2_NRR]
    tally = responses_csv.read(path)
    assert (tally.delimiter, tally.encoding, tally.rows, tally.skipped) == (";", "utf-8", 29, 0)


def test_blank_answers_count_per_element_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    rows: list[list[Any]] = [[4, 4, None, 3, 3, 4, 4, 4, None], [3, None, 2, 4, 4, 3, 4, 4, 4],
                             [None] * 9, [2, 3, 3, 3, 3, 3, 3, 3, 3], ["  "] * 9, [4, 4, 4, 4, 4, 4, 4, 4, 1]]
    path = write(tmp_path, csv_text(rows))
    data = call_json(path)
    given = [r for r in rows if any(v not in (None, "  ") for v in r)]
    expected = indices.ikm(as_dicts(given), SKM_2017)
    assert (data["n"], data["skipped_empty_rows"]) == (4, 2)
    assert [e["n"] for e in data["elements"]] == [4, 3, 3, 4, 4, 4, 4, 4, 3]
    # NRR 13/4, 11/3, 9/3, 14/4, 14/4, 14/4, 15/4, 15/4, 8/3 → mean 3.39815 → 84.954
    assert data["ikm"] == expected.ikm == D("84.95") and data["grade"] == "B"
    assert data["elements"][8]["nrr"] == D("2.6667") and data["elements"][8]["grade"] == "C"
    assert tuple(data["ci"]) == expected.ci
    assert "baris tanpa jawaban dilewati: 2" in call(path)[0]


def test_a_short_row_leaves_its_last_cells_blank_and_extra_cells_are_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4,9,x\n3,3,3,3,3,3,3\n")
    data = call_json(path)
    assert [e["n"] for e in data["elements"]] == [2] * 7 + [1, 1]
    assert data["elements"][0]["nrr"] == D("3.5000") and data["elements"][8]["nrr"] == D("4.0000")


def test_bad_values_are_each_named_by_line_and_column(tmp_path: Path) -> None:
    text = ("Nama,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"
            "Ani,4,4,4,4,4,4,4,4,4\n"
            "Budi,4,4,5,4,4,4,4,4,4\n"
            '"Citra\nSari",3,3,3,3,3,3,3,3,x\n'
            "Dedi,3.5,0,4,4,4,4,4,4,4\n"
            "Eka,-1,sangat puas,4,4,4,4,4,4,4\n")
    lines = refused(write(tmp_path, text))
    assert lines == ['baris 3, kolom U3: nilai "5" di luar skala 1–4',
                     'baris 4, kolom U9: nilai "x" bukan angka 1–4',  # the record began on line 4
                     'baris 6, kolom U1: nilai "3.5" bukan bilangan bulat 1–4',
                     'baris 6, kolom U2: nilai "0" di luar skala 1–4',
                     'baris 7, kolom U1: nilai "-1" di luar skala 1–4',
                     'baris 7, kolom U2: nilai "sangat puas" bukan angka 1–4']


def test_bad_values_through_the_console_script_exit_2_with_one_line_each(tmp_path: Path) -> None:
    path = write(tmp_path, "U1;U2;U3;U4;U5;U6;U7;U8;U9\n4;4;4;4;4;4;4;4;4\n4;4;5;4;4;4;4;4;4\n")
    done = run("--responses", str(path), "--format", "json")
    assert done.returncode == 2 and done.stdout == ""
    err = done.stderr.splitlines()
    assert err[0] == 'baris 3, kolom U3: nilai "5" di luar skala 1–4'
    assert err[1] == f"CommandError: {path}: berkas ditolak (1 masalah), tidak ada hasil."


def test_at_most_twenty_problems_are_listed(tmp_path: Path) -> None:
    rows = [[9] + [4] * 8 for _ in range(30)]
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("ikm", "--responses", str(write(tmp_path, csv_text(rows))), stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 20 and lines[-1] == 'baris 21, kolom U1: nilai "9" di luar skala 1–4'
    assert "berhenti setelah 20 masalah pertama" in str(raised.value)


@pytest.mark.parametrize("header, expected", [
    ("U1,U2,U3,U4,U5,U6,U7,U8", "baris 1: kolom U9 tidak ditemukan"),
    ("Nama,Alamat", "baris 1: kolom U1, U2, U3, U4, U5, U6, U7, U8, U9 tidak ditemukan"),
    ("U1\tU2\tU3\tU4\tU5\tU6\tU7\tU8\tU9", "baris 1: kolom U1, U2, U3, U4, U5, U6, U7, U8, U9 tidak ditemukan"),
])
def test_a_missing_column_is_named(tmp_path: Path, header: str, expected: str) -> None:
    lines = refused(write(tmp_path, header + "\n" + ",".join(["4"] * 9) + "\n"))
    assert len(lines) == 1 and lines[0].startswith(expected)


def test_a_column_given_twice_is_refused(tmp_path: Path) -> None:
    lines = refused(write(tmp_path, "U1,U2,U3,u3,U4,U5,U6,U7,U8,U9\n" + ",".join(["4"] * 10) + "\n"))
    assert lines == ["baris 1: kolom U3 muncul 2 kali (kolom ke-3, ke-4)"]


def test_an_unknown_profile_lists_the_valid_names(tmp_path: Path) -> None:
    path = write(tmp_path, csv_text(V2))
    with pytest.raises(CommandError) as raised:
        call(path, "--profile", "permenpanrb-2017")
    assert raised.value.returncode == 2
    assert str(raised.value) == ('profil tidak dikenal: "permenpanrb-2017"; pilihan: ' + ", ".join(PROFILES))
    done = run("--responses", str(path), "--profile", "nope")
    assert done.returncode == 2 and "kepmenpan-25-2004-w0071" in done.stderr and done.stdout == ""


@pytest.mark.parametrize("content, expected", [
    (b"", "berkas kosong: tidak ada baris judul maupun jawaban"),
    (b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n", "berkas hanya berisi baris judul, tanpa jawaban"),
    (b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n,,,,,,,,\n\n", "tidak ada baris berjawaban (2 baris kosong dilewati)"),
    (b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,\n", "kolom U9 (pengaduan): tidak ada satu pun jawaban"),
    (bytes(range(256)) * 8, "baris 1: berisi byte NUL — bukan berkas teks CSV"),
    ("U1,U2".encode("utf-16"), "berkas berformat UTF-16; simpan ulang sebagai CSV UTF-8"),
    (b"U1,U2,U3,U4,U5,U6,U7,U8,U9\r4,4,4,4,4,4,4,4,4\r", "baris 1: akhir baris CR saja"),
    (b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,\"4\n", "baris 2: CSV rusak (unexpected end of data)"),
    (b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,\"4\"4\n", "baris 2: CSV rusak"),
])
def test_empty_broken_and_binary_files_are_refused(tmp_path: Path, content: bytes, expected: str) -> None:
    lines = refused(write(tmp_path, content))
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def test_garbage_without_nul_names_the_missing_columns(tmp_path: Path) -> None:
    garbage = bytes(range(128, 256)) * 4 + b"\n\x81\x8d\xff\xfe\n"
    lines = refused(write(tmp_path, garbage))
    assert lines[0].startswith("baris 1: kolom U1, U2, U3, U4, U5, U6, U7, U8, U9 tidak ditemukan")
    garbage_then_data = csv_text(V2).encode() + b"\xff\xfe\x80,\x00\n"
    assert refused(write(tmp_path, garbage_then_data)) == ["baris 31: berisi byte NUL — bukan berkas teks CSV"]


def test_a_cp1252_excel_export_is_read_and_flagged(tmp_path: Path) -> None:
    text = csv_text(V2, sep=";").replace("puas", "Pelayanan cepat, café “bagus”")
    path = write(tmp_path, text.encode("cp1252"))
    assert call_json(path)["ikm"] == D("91.48")
    assert "Catatan: sebagian baris bukan UTF-8 dan dibaca sebagai cp1252." in call(path)[0]
    assert responses_csv.read(path).encoding == "cp1252"


def test_a_missing_or_unreadable_file(tmp_path: Path) -> None:
    assert refused(tmp_path / "tidak-ada.csv")[0].startswith("berkas tidak dapat dibuka:")
    assert refused(tmp_path) == [f"{tmp_path.name}: bukan berkas, melainkan folder"]


def test_population_narrows_the_interval_and_must_cover_the_respondents(tmp_path: Path) -> None:
    path = write(tmp_path, csv_text(V2))
    data = call_json(path, "--population", "40")
    assert tuple(data["ci"]) == indices.ikm(as_dicts(V2), SKM_2017, population=40).ci == (D("89.58"), D("93.37"))
    assert "dengan koreksi populasi N = 40" in call(path, "--population", "40")[0]
    for bad in ("28", "0", "banyak", "²"):
        with pytest.raises(CommandError) as raised:
            call(path, "--population", bad)
        assert raised.value.returncode == 2


def test_standard_input_through_the_console_script() -> None:
    done = run("--responses", "-", "--format", "json", stdin=csv_text([[4] * 9, [3] * 9]).encode())
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout, parse_float=D)
    # Two respondents, t(1) = 12.706: the interval is clamped to the scale, 25.00–100.00.
    assert (data["n"], data["ikm"], data["grade"], data["ci"]) == (2, D("87.50"), "B", [D("25.00"), D("100.00")])
    assert '"ci": [25.00, 100.00]' in done.stdout


def test_the_reader_takes_a_binary_stream_and_keeps_only_sums() -> None:
    tally = responses_csv.read(io.BytesIO(csv_text(V2).encode()), PROFILES["permenpanrb-14-2017-w0111"])
    assert tally.totals == dict(zip(CODES, V2_TOTALS, strict=True)) and tally.counts == dict.fromkeys(CODES, 29)
    assert tally.respondents == tally.moments.n == 29
    assert tally.result() == indices.ikm(as_dicts(V2), SKM_2017, PROFILES["permenpanrb-14-2017-w0111"])


def test_many_patterns_are_folded_into_the_same_sums(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [[1 + (i * 7 + j * 3) % 4 if (i + j) % 5 else None for j in range(9)] for i in range(400)]
    monkeypatch.setattr(responses_csv, "MAX_PATTERNS", 7)
    tally = responses_csv.read(io.BytesIO(csv_text(rows).encode()))
    expected = indices.ikm(as_dicts(rows), SKM_2017)
    result = tally.result()
    assert (result.ikm_exact, result.elements) == (expected.ikm_exact, expected.elements)
    assert result.ci == expected.ci and tally.respondents == 400


def test_the_limits() -> None:
    def refused_by(content: str, **limits: int) -> list[str]:
        with pytest.raises(responses_csv.ResponsesError) as raised:
            responses_csv.read(io.BytesIO(content.encode()), **limits)
        return list(raised.value.problems)

    five = csv_text([[4] * 9] * 5)
    assert refused_by(five, max_rows=4) == ["berkas berisi lebih dari 4 baris jawaban"]
    assert responses_csv.read(io.BytesIO(five.encode()), max_rows=5).respondents == 5
    assert refused_by(five, max_bytes=100) == ["berkas lebih besar dari 100 byte"]
    long_note = five.replace("puas", "x" * 300, 1)
    assert refused_by(long_note, max_line=200) == ["baris 2: lebih panjang dari 200 byte"]
    unclosed = "U1,U2,U3,U4,U5,U6,U7,U8,U9,Catatan\n4,4,4,4,4,4,4,4,4,\"tanpa tutup\n" + "teks\n" * 60
    assert refused_by(unclosed) == ["baris 2: rekaman melewati 50 baris berkas (tanda kutip tidak ditutup?)"]
    bad_then_broken = "U1,U2,U3,U4,U5,U6,U7,U8,U9\n5,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,\"4\"x\n"
    assert refused_by(bad_then_broken) == ['baris 2, kolom U1: nilai "5" di luar skala 1–4',
                                           "baris 3: CSV rusak (',' expected after '\"')"]


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, csv_text(V2))
    with pytest.raises(responses_csv.ResponsesError) as raised:
        responses_csv.read(path, max_bytes=100)
    assert raised.value.problems[0].startswith("berkas ") and "lebih besar dari batas 100 byte" in str(raised.value)
