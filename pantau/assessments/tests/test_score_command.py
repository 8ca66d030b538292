"""``pantau score`` end to end: good files give records, bad files a message with row and column on
stderr, exit status 2 and nothing on stdout. No test here opens the database (none is marked)."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pantau.assessments import csvinput
from pantau.assessments.tests.helpers import M2016, M2022
from tests.processes import ROOT, process_env

WORKED = ("institution,unit,input,proses,output,pengaduan\n"
          "Pemkab Contoh,Dinkes,20.00,30.00,22.00,18.00\n"
          "Pemkab Contoh,Disdik,15.50,25.10,20.00,12.40\n"
          "Pemkab Contoh,Dinsos,10.00,12.00,15.00,5.00\n")


def _file(tmp_path: Path, text: str | bytes, name: str = "nilai.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _score(path: Path, methodology: str = "ombudsman-2022", *more: str) -> Any:
    out = StringIO()
    call_command("score", "--methodology", methodology, "--input", str(path), *more, stdout=out)
    text = out.getvalue()
    return json.loads(text) if "csv" not in more else text


def _refusal(path: Path, methodology: str = "ombudsman-2022") -> str:
    out = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("score", "--methodology", methodology, "--input", str(path), stdout=out)
    assert info.value.returncode == 2 and out.getvalue() == ""
    return str(info.value)


def test_the_worked_example_of_section_2_5(tmp_path: Path) -> None:
    assert _score(_file(tmp_path, WORKED)) == [
        {"institution": "Pemkab Contoh", "unit": "", "score": "68.33", "category": "C", "zone": "yellow"},
        {"institution": "Pemkab Contoh", "unit": "Dinkes", "score": "90.00", "category": "A", "zone": "green"},
        {"institution": "Pemkab Contoh", "unit": "Dinsos", "score": "42.00", "category": "D", "zone": "red"},
        {"institution": "Pemkab Contoh", "unit": "Disdik", "score": "73.00", "category": "C", "zone": "yellow"},
    ]


def test_institution_rows_without_units_semicolons_comma_decimals_and_a_bom(tmp_path: Path) -> None:
    text = "\ufeffInstitution ; Input;PROSES;output;pengaduan\nPemprov X;20,00;30,00;22,00;18,00\n\n"
    assert _score(_file(tmp_path, text)) == [
        {"institution": "Pemprov X", "unit": "", "score": "90.00", "category": "A", "zone": "green"}]


def test_a_single_score_column_is_classified_as_it_stands(tmp_path: Path) -> None:
    text = "institution,unit,score\nPemkot Y,Dukcapil,79.36\nPemkot Y,DPMPTSP,81\n"
    assert _score(_file(tmp_path, text), "ombudsman-2016") == [
        {"institution": "Pemkot Y", "unit": "", "score": "80.18", "category": "sedang", "zone": "yellow"},
        {"institution": "Pemkot Y", "unit": "DPMPTSP", "score": "81.00", "category": "tinggi", "zone": "green"},
        {"institution": "Pemkot Y", "unit": "Dukcapil", "score": "79.36", "category": "sedang", "zone": "yellow"},
    ]


def _item_rows(m: Any, unit: str, value: Any) -> list[str]:
    rows = []
    for item in m.items.values():
        for product in (["KTP-el", "KK"] if item.level == "product" else [""]):
            rows.append(f"Pemkab Z,{unit},{product},{item.code},{value(item)}")
    return rows


def test_item_rows_are_scored_per_unit_and_institution(tmp_path: Path) -> None:
    full = _item_rows(M2022, "Dukcapil", lambda item: "ya" if item.answer == "yes-no" else item.maximum)
    half = _item_rows(M2022, "Dinsos", lambda item: "NA,tidak ada kanal daring" if item.code == "p_informasi_elektronik"
                      else ("tidak" if item.answer == "yes-no" else item.points[3] if item.points else "60,00"))
    text = "institution,unit,product,item,value,reason\n" + "\n".join(
        r if r.count(",") == 5 else r + "," for r in full + half) + "\n"
    records = _score(_file(tmp_path, text))
    # Dinsos: input 0.6, proses 0.6 (its N/A item left out), output 0.6, pengaduan (4 × 0.6 + 2 × 0) / 6:
    # 13.11 + 19.422 + 14.544 + 8.616 = 55.692; Pemkab Z (100.00 + 55.69) / 2 = 77.845 → 77.85 (half-up)
    assert [(r["unit"], r["score"], r["category"]) for r in records] == [
        ("", "77.85", "C"), ("Dinsos", "55.69", "C"), ("Dukcapil", "100.00", "A")]


def test_item_rows_of_the_2016_checklist(tmp_path: Path) -> None:
    rows = _item_rows(M2016, "Dukcapil", lambda item: "NA" if item.na_allowed else item.maximum)
    text = "institution,unit,product,item,value,reason\n" + "\n".join(
        r + (",bukan MPP" if r.endswith("NA") else ",") for r in rows)
    assert _score(_file(tmp_path, text), "ombudsman-2016")[0]["score"] == "100.00"


def test_csv_output_is_formula_safe(tmp_path: Path) -> None:
    text = "institution,score\n=HYPERLINK(\"http://x\"),55\nPemkab B,31.994\n"
    assert _score(_file(tmp_path, text), "ombudsman-2022", "--format", "csv") == (
        "institution,unit,score,category,zone\n"
        "\"'=HYPERLINK(\"\"http://x\"\")\",,55.00,C,yellow\n"
        "Pemkab B,,31.99,E,red\n")


@pytest.mark.parametrize(("text", "message"), [
    ("institution,unit,inptu,proses,output,pengaduan\nA,U,1,1,1,1\n",
     "nilai.csv, row 1, column 'inptu': unknown column; a file of dimension points under ombudsman-2022 has the "
     "columns institution, unit, input, proses, output, pengaduan"),
    ("institution,unit,input,proses\nA,U,1,1\n",
     "nilai.csv, row 1: no column 'output'; a file of dimension points under ombudsman-2022 needs institution, "
     "input, proses, output, pengaduan"),
    (WORKED + "Pemkab Contoh,Dukcapil,20,tiga puluh,22,18\n",
     "nilai.csv, row 5, column 'proses': 'tiga puluh' is not a number"),
    (WORKED + "Pemkab Contoh,Dukcapil,20,30,22,\n",
     "nilai.csv, row 5, column 'pengaduan': an empty field is not a number"),
    ("institution,unit,input,proses,output,pengaduan\nA,U,20,32.38,22,18\n",
     "nilai.csv, row 2, column 'proses': 32.38 is above the dimension's weight: proses points run from 0 to 32.37"),
    ("institution,unit,input,proses,output,pengaduan\nA,U,-1,30,22,18\n",
     "nilai.csv, row 2, column 'input': -1 is negative; input points run from 0 to 21.85"),
    ("institution,unit,input,proses,output,pengaduan\nA,U,1,1,1\n",
     "nilai.csv, row 2: has 5 fields but the header has 6"),
    (WORKED + "Pemkab Contoh,Dinkes,1,1,1,1\n", "nilai.csv, row 5: Pemkab Contoh / Dinkes is already given in row 2"),
    ("institution,unit,input,proses,output,pengaduan\n,U,1,1,1,1\n",
     "nilai.csv, row 2, column 'institution': empty; every row names its institution"),
    ("institution,score\nA,100.01\n", "nilai.csv, row 2, column 'score': 100.01 is outside 0–100"),
    ("institution,unit,product,item,value\nA,U,,k_rekomendasi,6\n",
     "nilai.csv, row 2, column 'value': 6 is not on the scale of item k_rekomendasi (one of 0, 1, 2, 3, 4, 5)"),
    ("institution,unit,product,item,value\nA,U,,k_bogus,1\n",
     "nilai.csv, row 2, column 'item': unknown item 'k_bogus'"),
    ("institution,unit,product,item,value\nA,U,,p_biaya,1\n",
     "nilai.csv, row 2, column 'product': item p_biaya is answered per product: name the product"),
    ("institution,unit,product,item,value\nA,U,,p_informasi_elektronik,NA\n",
     "nilai.csv, row 2, column 'value': item p_informasi_elektronik answered NA needs a reason: add a reason column"),
    ("institution,unit,product,item,value\nA,U,,k_ombudsman,NA\n",
     "nilai.csv, row 2, column 'value': item k_ombudsman may not be answered N/A"),
    ("institution,unit,product,item,value\nA,U,,k_ombudsman,3\n",
     "nilai.csv: A / U: no answer for item(s) k_komponen_standar, k_tugas_wewenang"),
    ("", "nilai.csv: is empty (no header row)"),
    ("institution,score\n\n", "nilai.csv: has a header but no data rows"),
    ('institution,score\n"A,50\n', "nilai.csv, row 2: has 1 fields but the header has 2"),
])
def test_a_bad_file_is_refused_naming_the_row_and_column(tmp_path: Path, text: str, message: str) -> None:
    assert _refusal(_file(tmp_path, text)).startswith(message)


def test_a_file_that_is_not_utf8_text_is_refused(tmp_path: Path) -> None:
    latin = "institution,score\nDinas Pendidikan Kab. Muara Enim,50\nKantor Pertanahan Kota Bekasi é,60\n"
    assert _refusal(_file(tmp_path, latin.encode("cp1252"))).startswith(
        "nilai.csv, line 3: is not UTF-8 text (invalid continuation byte at byte 31 of the line); save the file "
        "as CSV UTF-8")
    assert _refusal(_file(tmp_path, b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "nilai.xlsx")) == (
        "nilai.xlsx: is not a CSV text file (it holds binary data); save it as CSV UTF-8")
    assert _refusal(tmp_path / "hilang.csv").startswith("hilang.csv: cannot be read (No such file or directory)")


def test_a_huge_file_is_refused_by_its_size_and_by_its_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvinput, "MAX_BYTES", 200)
    assert _refusal(_file(tmp_path, WORKED + "x" * 100)) == (
        f"nilai.csv: {len(WORKED) + 100} bytes is more than the limit of 200; split the file")
    monkeypatch.setattr(csvinput, "MAX_BYTES", 10_000)
    monkeypatch.setattr(csvinput, "MAX_ROWS", 2)
    assert _refusal(_file(tmp_path, WORKED)) == "nilai.csv, row 4: more than 2 data rows; split the file"
    monkeypatch.setattr(csvinput, "MAX_ROWS", 10)
    assert _refusal(_file(tmp_path, "institution,score\n" + "A" * 501 + ",5\n")) == (
        "nilai.csv, row 2, column 'institution': longer than 500 characters")


def test_an_unknown_methodology_is_refused_listing_the_known_ones(tmp_path: Path) -> None:
    assert _refusal(_file(tmp_path, WORKED), "ombudsman-2023") == (
        "unknown methodology 'ombudsman-2023'; known: ombudsman-2016, ombudsman-2022, self-assessment "
        "(or the path of a .toml/.json methodology file)")


def test_an_edited_methodology_file_is_used_or_refused_with_its_problems(tmp_path: Path) -> None:
    source = (ROOT / "pantau/assessments/data/methodologies/self-assessment.toml").read_text(encoding="utf-8")
    own = tmp_path / "kalsel.toml"
    own.write_text(source.replace('id = "self-assessment"', 'id = "kalsel"'), encoding="utf-8")
    assert _score(_file(tmp_path, WORKED), str(own))[0]["score"] == "68.33"
    own.write_text(source.replace("weight = 24.24", "weight = 25"), encoding="utf-8")
    assert _refusal(_file(tmp_path, WORKED), str(own)) == (
        "the methodology file is not usable:\nkalsel.toml: dimensions: the dimension weights (21.85 + 32.37 + 25 + "
        "21.54) sum to 100.76, not 100 (weights = 'points'; tolerance ±0.00100)")


def _pantau(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A database that cannot be reached: the command must not need one.
    env = process_env(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing")
    return subprocess.run([sys.executable, "-m", "pantau.cli", "score", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_the_command_runs_as_a_process_without_a_database(tmp_path: Path) -> None:
    good = _pantau(tmp_path, "--methodology", "ombudsman-2022", "--input", str(_file(tmp_path, WORKED)))
    assert (good.returncode, good.stderr) == (0, "")
    assert json.loads(good.stdout)[0] == {"institution": "Pemkab Contoh", "unit": "", "score": "68.33",
                                          "category": "C", "zone": "yellow"}
    bad = _pantau(tmp_path, "--methodology", "ombudsman-2022",
                  "--input", str(_file(tmp_path, WORKED + "Pemkab Contoh,Dukcapil,22,1,1,1\n", "buruk.csv")))
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == ("CommandError: buruk.csv, row 5, column 'input': 22 is above the dimension's weight: "
                          "input points run from 0 to 21.85\n")
    unknown = _pantau(tmp_path, "--methodology", "x", "--input", str(_file(tmp_path, WORKED)))
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert "known: ombudsman-2016, ombudsman-2022, self-assessment" in unknown.stderr
