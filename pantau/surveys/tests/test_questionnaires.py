"""The built-in questionnaires load, score by code and label, and bad files are refused with the
file, the path and the reason."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from pantau.surveys import indices, questionnaires
from pantau.surveys.questionnaires import QuestionnaireError, parse


def test_the_shipped_questionnaires() -> None:
    shipped = questionnaires.shipped()
    assert sorted(shipped) == ["ikm-2004", "persepsi-maladministrasi", "skm-2017"]
    skm = shipped["skm-2017"]
    assert [q.code for q in skm.elements] == [e.code for e in indices.SKM_2017]
    assert skm.score("Gratis", "biaya") == 4 and skm.score("Tidak sesuai", "persyaratan") == 1
    assert [f.code for f in skm.fields] == ["jenis_kelamin", "usia", "pendidikan", "pekerjaan", "layanan"]
    assert len(shipped["ikm-2004"].elements) == 14 and shipped["ikm-2004"].profile == "kepmenpan-25-2004"
    perception = shipped["persepsi-maladministrasi"]
    assert len(perception.elements) == 10 and perception.derived
    assert [perception.score(c, "berpihak") for c in ("Ya", "Tidak", "Tidak tahu")] == [False, True, None]
    with pytest.raises(QuestionnaireError, match="pilihan tidak dikenal"):
        skm.score("Lumayan", "biaya")


def test_a_survey_answered_by_label_gives_the_index_of_its_profile() -> None:
    skm = questionnaires.shipped()["skm-2017"]
    labels = {q.code: q.choices[-1] for q in skm.elements}  # the best answer everywhere
    answer = {code: skm.score(label, code) for code, label in labels.items()}
    result = indices.ikm([answer], skm.index_elements(), indices.PROFILES[skm.profile])
    assert result.ikm == D("100.00") and result.mutu == "A"


def base(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "uji", "version": "1", "title": "Uji", "kind": "ikm", "profile": "permenpanrb-14-2017",
        "elements": [{"code": "a", "text": "A?", "choices": list("1234")},
                     {"code": "b", "text": "B?", "choices": list("1234")}]}
    data.update(over)
    return data


@pytest.mark.parametrize("data, path, reason", [
    (base(kind="kuis"), "kind", "jenis tidak dikenal"),
    (base(profile="asal"), "profile", "profil tidak dikenal"),
    (base(elements=[]), "elements", "tanpa unsur"),
    (base(elements=[{"code": "a", "text": "A?", "choices": ["x", "y", "z"]}]), "elements[0].choices", "empat label"),
    (base(elements=[{"code": "", "text": "A?"}]), "elements[0].code", "wajib diisi"),
    (base(elements=[{"code": "a", "text": "A?", "choices": list("1234"), "weight": "0.5"},
                    {"code": "b", "text": "B?", "choices": list("1234"), "weight": "0.4"}]),
     "elements", "Jumlah bobot unsur harus 1"),
    (base(elements=[{"code": "a", "text": "A?", "choices": list("1234"), "weight": "separuh"}]),
     "elements[0].weight", "bukan angka"),
    (base(elements=[{"code": "a", "text": "A?", "choices": list("1234")},
                    {"code": "a", "text": "A lagi?", "choices": list("1234")}]), "elements", "Kode unsur ganda"),
    (base(profile_fields=[{"code": "umur", "text": "Umur", "type": "tanggal"}]), "profile_fields[0].type",
     "jenis isian tidak dikenal"),
])
def test_a_bad_questionnaire_is_refused_with_its_path(data: dict[str, Any], path: str, reason: str) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        parse(data, "uji.toml")
    assert (caught.value.source, caught.value.path) == ("uji.toml", path) and reason in caught.value.reason


def test_an_adapted_copy_may_add_elements_and_reweight() -> None:
    data = base(elements=[{"code": "a", "text": "A?", "choices": list("1234"), "weight": "0.7"},
                          {"code": "b", "text": "B?", "choices": list("1234"), "weight": "0.3"}])
    q = parse(data, "uji.toml")
    result = indices.ikm([{"a": 4, "b": 2}], q.index_elements())
    assert result.ni == D("3.4") and result.ikm == D("85.00")


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "rusak.toml"
    bad.write_text("id = [", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="rusak.toml: -: tidak dapat dibaca"):
        questionnaires.load(bad)
