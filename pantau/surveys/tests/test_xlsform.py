"""XLSForm import and export: round trips, a Kobo-style SKM form, every unsupported feature named by
row, broken files refused with a sentence; and the profile-field keys XLSForm brings."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pantau.surveys import indices, questionnaires, xlsform
from pantau.surveys.questionnaires import ProfileField, QuestionnaireError, parse
from pantau.surveys.xlsform import XlsFormError

SKM_LABELS = {
    "u1_persyaratan": ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    "u2_prosedur": ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
    "u3_waktu": ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
    "u4_biaya": ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
    "u5_produk": ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    "u6_kompetensi": ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
    "u7_perilaku": ["Tidak sopan", "Kurang sopan", "Sopan", "Sangat sopan"],
    "u8_sarana": ["Buruk", "Cukup", "Baik", "Sangat baik"],
    "u9_pengaduan": ["Tidak ada", "Tidak berfungsi", "Kurang maksimal", "Dikelola dengan baik"],
}


Rows = Sequence[Sequence[Any]]


def workbook(survey: Rows | None, choices: Rows | None = None, settings: Rows | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is not None:
            ws = book.create_sheet(title)
            for row in rows:
                ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def scale_rows(codes: list[str] | None = None) -> tuple[list[list[Any]], list[list[Any]]]:
    """Survey rows of the nine SKM elements and their choice rows (names 1–4 as numbers)."""
    survey = [["select_one " + code, code, code.split("_")[1].capitalize(), "yes"] for code in codes or SKM_LABELS]
    choices = [[code, n, SKM_LABELS[code][n - 1]] for code in codes or SKM_LABELS for n in (1, 2, 3, 4)]
    return survey, choices


def read(data: bytes, **kwargs: Any) -> questionnaires.Questionnaire:
    return xlsform.read(io.BytesIO(data), **kwargs)


def problems(data: bytes) -> set[tuple[str, int, str]]:
    with pytest.raises(XlsFormError) as caught:
        read(data)
    return {(p.sheet, p.row, p.column) for p in caught.value.problems}


# Round trips.

def every_type() -> questionnaires.Questionnaire:
    return parse({
        "id": "semua-jenis", "version": "3", "title": "Semua jenis isian", "kind": "ikm",
        "profile": "permenpanrb-14-2017-nrr-2dp", "source": "uji", "derived": True,
        "elements": [
            {"code": "a", "text": "=HYPERLINK(\"http://contoh.invalid\")", "choices": ["+1", "-2", "@3", "4"],
             "weight": "0.7", "relevant": "${jk} = 'p'"},
            {"code": "b", "text": "B?", "choices": list("wxyz"), "weight": "0.3"}],
        "profile_fields": [
            {"code": "jk", "text": "Jenis kelamin", "type": "choice", "choices": ["Laki-laki", "Perempuan"],
             "names": ["l", "p"], "required": True},
            {"code": "skala", "text": "Skala profil", "type": "choice", "choices": ["w", "x", "y", "z"],
             "names": ["1", "2", "3", "4"]},
            {"code": "kanal", "text": "Kanal", "type": "multiple", "choices": ["Loket", "Daring"],
             "names": ["loket", "daring"], "constraint": "count-selected(.) <= 2",
             "constraint_message": "Paling banyak dua"},
            {"code": "usia", "text": "Usia", "type": "integer", "required": True,
             "constraint": ". >= 17 and . <= 100", "constraint_message": "17–100 tahun"},
            {"code": "jarak", "text": "Jarak (km)", "type": "decimal"},
            {"code": "catatan", "text": "Terima kasih", "type": "note", "relevant": "selected(${kanal}, 'loket')"},
            {"code": "lain", "text": "-Sebutkan", "type": "text", "relevant": "${jk} = 'l'",
             "constraint": "regex(., '^[A-Za-z ]+$')"},
            {"code": "layanan", "text": "Layanan", "type": "service"},
            {"code": "layanan_lain", "text": "Layanan lain", "type": "service", "choices": ["KTP", "KK"]}]},
        "uji")


@pytest.mark.parametrize("q", [*questionnaires.shipped().values(), every_type()], ids=lambda q: q.id)
def test_write_then_read_gives_the_same_questionnaire(q: questionnaires.Questionnaire) -> None:
    back = xlsform.read(io.BytesIO(xlsform.write(q)))
    assert back == q
    assert parse(questionnaires.to_document(q), "uji") == q


def test_written_cells_are_never_formulas() -> None:
    data = xlsform.write(every_type())
    book = openpyxl.load_workbook(io.BytesIO(data))
    survey = book["survey"]
    label = survey.cell(row=2, column=3)
    assert label.value == "=HYPERLINK(\"http://contoh.invalid\")" and label.data_type == "s" and label.quotePrefix
    choices = {(r[0].value, r[1].value): r[2] for r in book["choices"].iter_rows(min_row=2)}
    assert choices["a", "1"].value == "+1" and choices["a", "1"].data_type == "s" and choices["a", "1"].quotePrefix
    assert choices["a", "4"].value == "4" and not choices["a", "4"].quotePrefix
    assert [c.value for c in survey[1]][:3] == ["type", "name", "label"]
    assert [c.value for c in book["settings"][2]][:3] == ["semua-jenis", "3", "Semua jenis isian"]
    assert not any(c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)


def test_the_file_can_be_read_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "skm.xlsx"
    path.write_bytes(xlsform.write(questionnaires.shipped()["skm-2017"]))
    assert xlsform.read(path) == questionnaires.shipped()["skm-2017"]


# A form made in KoboToolbox.

def kobo_skm() -> bytes:
    header = ["type", "name", "label::English (en)", "label::Bahasa Indonesia (id)", "required", "relevant",
              "constraint", "constraint_message::Bahasa Indonesia (id)", "hint::English (en)", "appearance", "$kuid",
              "calculation"]
    survey: list[list[Any]] = [
        header,
        ["start", "start"], ["end", "end"], ["today", "today"], ["deviceid", "deviceid"],
        ["select_one layanan", "jenis_layanan", "Service", "Jenis layanan yang diterima", "yes"],
        ["select_one jk", "jk", "Sex", "Jenis kelamin", "yes"],
        ["integer", "usia", "Age", "Usia (tahun)", "yes", None, ". >= 17 and . <= 100", "Usia 17–100", "years"],
        ["select_one pendidikan", "pendidikan", "Education", "Pendidikan terakhir", "yes"],
        ["select_one pekerjaan", "pekerjaan", "Occupation", "Pekerjaan", "yes"],
        ["text", "pekerjaan_lain", "Specify", "Sebutkan", None, "${pekerjaan} = 'lainnya'"],
        ["begin group", "unsur", "Elements", "Unsur pelayanan", None, None, None, None, None, "field-list"]]
    for code in SKM_LABELS:
        survey.append(["select_one " + code, code, code, "Pertanyaan " + code, True])
    survey += [["end group"], ["text", "saran", "Suggestions", "Saran dan masukan"],
               ["calculate", "__version__", None, None, None, None, None, None, None, None, "abc", "'v1'"],
               ["begin_group", "meta"], ["calculate", "instanceID", *[None] * 9, "concat('uuid:', uuid())"],
               ["end_group"]]
    choices: list[list[Any]] = [
        ["list_name", "name", "label::English (en)", "label::Bahasa Indonesia (id)"],
        ["layanan", "ktp", "ID card", "KTP-el"], ["layanan", "kk", "Family card", "Kartu keluarga"],
        ["jk", "l", "Male", "Laki-laki"], ["jk", "p", "Female", "Perempuan"],
        ["pendidikan", "sd", "Primary", "SD ke bawah"], ["pendidikan", "s1", "Bachelor", "S1"],
        ["pekerjaan", "pns", "Civil servant", "PNS"], ["pekerjaan", "lainnya", "Other", "Lainnya"]]
    for code, labels in SKM_LABELS.items():
        for n in (4, 3, 2, 1):  # in any order: the names say the score
            choices.append([code, n, "en " + labels[n - 1], labels[n - 1]])
    settings: list[list[Any]] = [["form_title", "form_id", "version", "default_language"],
                ["SKM 2025", "skm_2025", 2025010101, "Bahasa Indonesia (id)"]]
    return workbook(survey, choices, settings)


def test_a_kobo_skm_form_imports_as_nine_elements_and_the_profile() -> None:
    q = read(kobo_skm())
    assert (q.id, q.version, q.title, q.kind, q.profile) == ("skm_2025", "2025010101", "SKM 2025", "ikm",
                                                             "permenpanrb-14-2017")
    assert [e.code for e in q.elements] == list(SKM_LABELS)
    assert [e.choices for e in q.elements] == [tuple(labels) for labels in SKM_LABELS.values()]
    assert q.elements[0].text == "Pertanyaan u1_persyaratan" and q.elements[0].weight is None
    assert [(f.code, f.type) for f in q.fields] == [
        ("jenis_layanan", "service"), ("jk", "choice"), ("usia", "integer"), ("pendidikan", "choice"),
        ("pekerjaan", "choice"), ("pekerjaan_lain", "text"), ("saran", "text")]
    jk, usia, lain = q.fields[1], q.fields[2], q.fields[5]
    assert jk.options() == [("l", "Laki-laki"), ("p", "Perempuan")] and jk.required
    assert q.fields[0].options() == [("ktp", "KTP-el"), ("kk", "Kartu keluarga")]
    assert (usia.constraint, usia.constraint_message, usia.required) == (". >= 17 and . <= 100", "Usia 17–100", True)
    assert (lain.relevant, lain.required) == ("${pekerjaan} = 'lainnya'", False)
    assert q.score("Gratis", "u4_biaya") == 4 and q.score("Sangat mahal", "u4_biaya") == 1
    perfect = indices.ikm([{e.code: 4 for e in q.elements}], q.index_elements(), indices.PROFILES[q.profile])
    assert perfect.ikm == D("100.00")


def test_a_groups_relevant_is_joined_to_its_rows() -> None:
    survey, choices = scale_rows()
    survey = [["type", "name", "label", "required", "relevant"],
              ["select_one jk", "jk", "Jenis kelamin"],
              ["begin_group", "g", "Grup", None, "${jk} = 'p'"],
              ["begin group", "h", "Dalam", None, "${jk} != ''"],
              ["text", "hamil", "Sedang hamil?", None, "${usia} < 50"],
              ["end group"],
              ["integer", "usia", "Usia"],
              ["end_group"], *survey]
    q = read(workbook(survey, [["list_name", "name", "label"], ["jk", "l", "L"], ["jk", "p", "P"], *choices],
                      [["form_id"], ["grup"]]))
    fields = {f.code: f for f in q.fields}
    assert fields["hamil"].relevant == "(${jk} = 'p') and (${jk} != '') and (${usia} < 50)"
    assert fields["usia"].relevant == "${jk} = 'p'" and fields["jk"].relevant == ""


def test_a_perception_form_and_weights() -> None:
    survey: list[list[Any]] = [
        ["type", "name", "label", "pantau_weight"],
        ["select_one yt", "pungli", "Diminta imbalan?"], ["select_one yt2", "tunda", "Ditunda?"]]
    choices: list[list[Any]] = [
        ["list_name", "name", "label"], ["yt", "ya", "Ya"], ["yt", "tidak", "Tidak"],
        ["yt", "tidak_tahu", "Tidak tahu"], ["yt2", 1, "Ya"], ["yt2", 2, "Tidak"], ["yt2", 3, "Tidak tahu"]]
    q = read(workbook(survey, choices, [["form_id", "pantau_kind"], ["persepsi", "perception"]]))
    assert (q.kind, q.profile, [e.code for e in q.elements]) == ("perception", "", ["pungli", "tunda"])
    assert q.elements[1].choices == ("Ya", "Tidak", "Tidak tahu") and q.fields == ()
    survey, choices = scale_rows(["u1_persyaratan", "u2_prosedur"])
    survey = [["type", "name", "label", "required", "pantau_weight"],
              [*survey[0], 0.25], [*survey[1], "0.75"]]
    q = read(workbook(survey, [["list_name", "name", "label"], *choices], [["form_id"], ["dua"]]))
    assert [e.weight for e in q.elements] == [D("0.25"), D("0.75")] and q.title == "dua" and q.version == "1"
    survey[2][4] = None
    assert problems(workbook(survey, [["list_name", "name", "label"], *choices], [["form_id"], ["dua"]])) == {
        ("survey", 0, "pantau_weight")}
    assert problems(workbook(survey, [["list_name", "name", "label"], *choices],
                             [["form_id", "pantau_kind"], ["dua", "kuis"]])) == {("settings", 2, "pantau_kind")}


# Everything unsupported is named by row.

def test_every_unsupported_feature_is_reported_with_its_row() -> None:
    elements, choices = scale_rows(["u1_persyaratan"])
    survey: list[list[Any]] = [
        ["type", "name", "label", "required", "relevant", "constraint", "choice_filter", "default",
         "repeat_count", "bind::oc:itemgroup"],
        *elements,                                                                # 2: fine
        ["geopoint", "lokasi", "Lokasi"],                                         # 3
        ["begin repeat", "anggota", "Anggota"],                                   # 4
        ["text", "nama", "Nama"],                                                 # 5: fine inside
        ["end repeat"],                                                           # 6
        ["calculate", "hitung", "Hitung"],                                        # 7
        ["select_one jk", "jk", "Jenis kelamin", None, None, None, "umur > 1"],   # 8
        ["integer", "umur", "Umur", None, None, None, None, 5],                   # 9
        ["range", "nilai", "Nilai"],                                              # 10
        ["rank", "urut", "Urutan"],                                               # 11
        ["select_one_from_file desa.csv", "desa", "Desa"],                        # 12
        ["image", "foto", "Foto"],                                                # 13
        ["select_one tidakada", "x1", "X1"],                                      # 14
        ["text", "nama", "Nama lagi"],                                            # 15: duplicate
        ["text", "x2", "X2", None, "${entah} = 1"],                               # 16
        ["integer", "x3", "X3", None, None, "foo(.) > 1"],                        # 17
        ["select_one jk or_other", "x4", "X4"],                                   # 18
        ["text", "x5", "X5", "${umur} > 5"],                                      # 19
        ["text", "x6", "X6", None, None, None, None, None, "3"],                  # 20
        ["text", "x7", "X7", None, None, None, None, None, None, "abc"],          # 21
        ["text", "x 8", "X8"],                                                    # 22
        ["text", "x9"],                                                           # 23
        ["date", "tanggal", "Tanggal"],                                           # 24
        ["end group"],                                                            # 25
        ["begin group", "terbuka", "Tidak ditutup"],                              # 26
    ]
    choices = [["list_name", "name", "label"], *choices, ["jk", "l", "L"], ["jk", "l", "P"], ["jk", None, "Q"]]
    assert problems(workbook(survey, choices, [["form_id", "allow_choice_duplicates"], ["uji", "yes"]])) == {
        ("survey", 3, "type"), ("survey", 4, "type"), ("survey", 7, "type"), ("survey", 8, "choice_filter"),
        ("survey", 9, "default"), ("survey", 10, "type"), ("survey", 11, "type"), ("survey", 12, "type"),
        ("survey", 13, "type"), ("survey", 14, "type"), ("survey", 15, "name"), ("survey", 16, "relevant"),
        ("survey", 17, "constraint"), ("survey", 18, "type"), ("survey", 19, "required"),
        ("survey", 20, "repeat_count"), ("survey", 21, "bind::oc:itemgroup"), ("survey", 22, "name"),
        ("survey", 23, "label"), ("survey", 24, "type"), ("survey", 25, "type"), ("survey", 26, "type"),
        ("choices", 7, "name"), ("choices", 8, "name"), ("settings", 2, "allow_choice_duplicates")}


def test_the_messages_say_what_is_wrong() -> None:
    elements, choices = scale_rows(["u1_persyaratan"])
    survey = [["type", "name", "label", "required", "relevant"], *elements, ["geopoint", "lokasi", "Lokasi"],
              ["text", "x", "X", None, "${entah} = 1"], ["text", "y", "Y", None, "eval('1')"]]
    with pytest.raises(XlsFormError) as caught:
        read(workbook(survey, [["list_name", "name", "label"], *choices]), kind_default="ikm")
    text = str(caught.value)
    assert "survey, baris 3, kolom type: jenis geopoint tidak didukung" in text
    assert "survey, baris 4, kolom relevant: isian tidak dikenal: ${entah}" in text
    assert "survey, baris 5, kolom relevant: fungsi tidak dikenal atau tidak didukung: eval()" in text
    assert "settings, baris 2, kolom form_id: form_id wajib diisi" in text


def test_missing_sheets_columns_and_scored_questions() -> None:
    assert problems(workbook([["type", "name"], ["text", "a"]])) == {("survey", 1, "label")}
    assert problems(workbook([["nama", "label"], ["text", "a"]])) == {("survey", 1, "type"), ("survey", 1, "name")}
    survey = [["type", "name", "label"], ["text", "saran", "Saran"]]
    with pytest.raises(XlsFormError, match="tidak ada pertanyaan berskor"):
        read(workbook(survey, None, [["form_id"], ["uji"]]))
    survey, choices = scale_rows(["u1_persyaratan"])
    bad_choices = [["list_name", "label"], *[[c[0], c[2]] for c in choices]]
    assert ("choices", 1, "name") in problems(workbook([["type", "name", "label"], *survey], bad_choices))


# Broken files.

@pytest.mark.parametrize("data, message", [
    (os.urandom(2000), "bukan berkas .xlsx"),
    (b"", "bukan berkas .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "dilindungi kata sandi atau berformat Excel lama"),
    (b"x" * (xlsform.MAX_BYTES + 1), "lebih besar dari 5 MB"),
])
def test_what_is_not_a_workbook_is_refused_in_one_sentence(data: bytes, message: str) -> None:
    with pytest.raises(XlsFormError) as caught:
        read(data)
    assert len(caught.value.problems) == 1 and message in caught.value.problems[0].message


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_broken_zips_and_workbooks() -> None:
    with pytest.raises(XlsFormError, match="bukan buku kerja Excel"):
        read(zipped({"readme.txt": b"halo"}))
    with pytest.raises(XlsFormError, match="rusak atau tidak dapat dibaca"):
        read(zipped({"xl/workbook.xml": b"<workbook>", "[Content_Types].xml": b"<x/>"}))
    with pytest.raises(XlsFormError, match="DOCTYPE"):
        read(zipped({"xl/workbook.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook/>'}))
    with pytest.raises(XlsFormError, match="terlalu besar setelah dibuka"):
        read(zipped({"xl/workbook.xml": b"<workbook/>", "xl/big.bin": b"\0" * (xlsform.MAX_INFLATED + 1)}))
    empty = io.BytesIO()
    openpyxl.Workbook().save(empty)
    with pytest.raises(XlsFormError) as caught:
        read(empty.getvalue())
    assert [tuple(p) for p in caught.value.problems] == [("survey", 0, "", "lembar survey tidak ada")]
    assert "lembar survey tidak ada" in str(caught.value)


def test_a_sheet_past_the_row_limit_is_refused() -> None:
    survey, choices = scale_rows(["u1_persyaratan"])
    rows = [["type", "name", "label"], *[r[:3] for r in survey]]
    rows += [["text", f"t{i}", f"T{i}"] for i in range(xlsform.MAX_ROWS)]
    found = problems(workbook(rows, [["list_name", "name", "label"], *choices], [["form_id"], ["uji"]]))
    assert ("survey", xlsform.MAX_ROWS + 1, "") in found


def rewritten(data: bytes, part: str, change: Any) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    return zipped({name: change(source.read(name)) if name == part else source.read(name)
                   for name in source.namelist()})


def test_the_size_a_sheet_claims_is_not_trusted() -> None:
    skm = questionnaires.shipped()["skm-2017"]
    out = io.BytesIO()
    openpyxl.load_workbook(io.BytesIO(xlsform.write(skm))).save(out)  # this one writes a <dimension>
    data = out.getvalue()
    assert b'<dimension ref="A1:I15"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    small = rewritten(data, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'ref="A1:I15"', b'ref="A1:A1"'))
    assert read(small) == skm
    huge = rewritten(data, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'ref="A1:I15"', b'ref="A1:XFD1048576"'))
    assert read(huge) == skm


def test_cells_right_of_the_column_limit_are_reported() -> None:
    survey, choices = scale_rows(["u1_persyaratan"])
    rows = [["type", "name", "label"], *[r[:3] for r in survey], ["text", "a", "A", *[None] * 246, "jauh"]]
    assert ("survey", 3, "") in problems(workbook(rows, [["list_name", "name", "label"], *choices]))
    far = rewritten(workbook(rows[:2], [["list_name", "name", "label"], *choices]), "xl/worksheets/sheet1.xml",
                    lambda xml: xml.replace(b"</sheetData>", b'<row r="900"><c r="ZZ900" t="inlineStr"><is><t>x</t>'
                                                             b"</is></c></row></sheetData>"))
    assert ("survey", 900, "") in problems(far)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(XlsFormError, match="tidak dapat dibuka"):
        xlsform.read(tmp_path / "tidak-ada.xlsx")


# The profile-field keys in questionnaire documents.

def field(**over: Any) -> dict[str, Any]:
    data = {"id": "uji", "version": "1", "title": "Uji", "kind": "ikm", "profile": "permenpanrb-14-2017",
            "elements": [{"code": "a", "text": "A?", "choices": list("1234")}],
            "profile_fields": [{"code": "f", "text": "F", **over}]}
    return data


def test_options_give_stored_values_and_labels() -> None:
    assert ProfileField("f", "F", "choice", ("Ya", "Tidak")).options() == [("Ya", "Ya"), ("Tidak", "Tidak")]
    q = parse(field(type="multiple", choices=["Loket", "Daring"], names=["loket", "daring"]), "uji")
    assert q.fields[0].options() == [("loket", "Loket"), ("daring", "Daring")]
    same = parse(field(type="choice", choices=["L", "P"], names=["L", "P"]), "uji")
    assert same.fields[0].names == ()  # names equal to the labels are the labels


@pytest.mark.parametrize("over, path, reason", [
    ({"type": "choice", "choices": ["a", "b"], "names": ["x"]}, "profile_fields[0].names", "harus 2 nama"),
    ({"type": "choice", "choices": ["a", "b"], "names": ["x", "x"]}, "profile_fields[0].names", "nilai pilihan ganda"),
    ({"type": "choice", "choices": ["a", "a"]}, "profile_fields[0].choices", "nilai pilihan ganda"),
    ({"type": "multiple", "choices": ["Satu dua", "Tiga"]}, "profile_fields[0].choices", "tidak boleh berisi spasi"),
    ({"type": "multiple", "choices": []}, "profile_fields[0].choices", "tanpa pilihan"),
    ({"type": "integer", "choices": ["a"]}, "profile_fields[0].choices", "tidak mempunyai pilihan"),
    ({"type": "text", "required": "yes"}, "profile_fields[0].required", "true atau false"),
    ({"type": "text", "relevant": "${entah} = 1"}, "profile_fields[0].relevant", "isian tidak dikenal: ${entah}"),
    ({"type": "text", "constraint": "exec('x')"}, "profile_fields[0].constraint", "fungsi tidak dikenal"),
    ({"type": "text", "constraint": "x" * 1001}, "profile_fields[0].constraint", "terlalu panjang"),
    ({"type": "note", "required": True}, "profile_fields[0]", "catatan (note)"),
    ({"type": "text", "code": "a"}, "profile_fields", "kode isian ganda: a"),
])
def test_bad_field_keys_are_refused_with_their_path(over: dict[str, Any], path: str, reason: str) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        parse(field(**over), "uji.toml")
    assert caught.value.path == path and reason in caught.value.reason


def test_an_elements_relevant_is_checked() -> None:
    data = field(type="text")
    data["elements"][0]["relevant"] = "${f} != ''"
    assert parse(data, "uji").elements[0].relevant == "${f} != ''"
    data["elements"][0]["relevant"] = "${g} != ''"
    with pytest.raises(QuestionnaireError, match="elements\\[0\\].relevant: isian tidak dikenal"):
        parse(data, "uji")


def test_the_modules_import_no_django() -> None:
    import subprocess
    import sys

    code = ("import sys; import pantau.surveys.xlsform, pantau.surveys.expressions; "
            "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "False"
