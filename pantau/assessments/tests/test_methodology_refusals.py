"""A methodology file is refused with the file, the path inside it and a reason a person can act on."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pantau.assessments import methodology
from pantau.assessments.tests.helpers import D, raw


def _refusal(data: Any, tmp_path: Path, name: str = "kantor.json") -> list[str]:
    path = tmp_path / name
    path.write_text(exact_json(data), encoding="utf-8")
    with pytest.raises(methodology.MethodologyError) as info:
        methodology.load(path)
    message = str(info.value)
    assert all(line.startswith(f"{name}: ") for line in message.splitlines())
    return info.value.problems


def exact_json(data: Any) -> str:
    """JSON with every Decimal written as it is (78.00 stays 78.00)."""
    text = json.dumps(data, default=lambda d: f"@@{d}@@", ensure_ascii=False)
    return re.sub(r'"@@([-0-9.E+]+)@@"', r"\1", text)


def _item(data: dict[str, Any], dim: int = 0, var: int = 0, item: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = data["dimensions"][dim]["variables"][var]["items"][item]
    return found


def test_weights_that_do_not_sum_to_100_are_refused_with_their_sum(tmp_path: Path) -> None:
    data = raw()
    data["dimensions"][1]["weight"] = D("32.36")
    assert _refusal(data, tmp_path) == [
        "dimensions: the dimension weights (21.85 + 32.36 + 24.24 + 21.54) sum to 99.99, not 100 "
        "(weights = 'points'; tolerance ±0.00100)"]


def test_weights_within_the_tolerance_are_accepted_and_scaled_to_100() -> None:
    data = raw()
    data["dimensions"][1]["weight"] = D("32.3705")
    loaded = methodology.from_dict(data)
    assert abs(sum(d.points for d in loaded.dimensions) - 100) < D("1e-20")


def test_fraction_weights_sum_to_1(tmp_path: Path) -> None:
    data = raw()
    data["weights"] = "fraction"
    for dim, weight in zip(data["dimensions"], ("0.2185", "0.3237", "0.2424", "0.2154"), strict=True):
        dim["weight"] = D(weight)
    loaded = methodology.from_dict(data)
    assert [d.points for d in loaded.dimensions] == [D("21.85"), D("32.37"), D("24.24"), D("21.54")]
    data["dimensions"][0]["weight"] = D("0.2")
    assert _refusal(data, tmp_path)[0].startswith("dimensions: the dimension weights (0.2 + 0.3237 + 0.2424 + "
                                                  "0.2154) sum to 0.9815, not 1")


def test_a_zero_or_negative_weight_is_refused_at_its_path(tmp_path: Path) -> None:
    data = raw()
    data["dimensions"][2]["weight"] = D(0)
    assert "dimensions[2].weight: dimension 'output': the weight must be above 0, not 0" in _refusal(data, tmp_path)
    data = raw()
    _item(data, 1)["weight"] = D(-1)
    assert _refusal(data, tmp_path) == [
        "dimensions[1].variables[0].items[0].weight: item 'p_persyaratan': the weight must be above 0, not -1"]


def test_a_gap_between_bands_is_refused(tmp_path: Path) -> None:
    data = raw()
    data["categories"][0]["min"] = D("88.05")  # A starts above B's 87.99
    assert _refusal(data, tmp_path) == [
        "categories[0].min: gap: scores above 87.99 (B) and below 88.05 (A) have no category; "
        "bands must meet at 0.01 steps"]


def test_overlapping_bands_are_refused(tmp_path: Path) -> None:
    data = raw()
    data["categories"][2]["max"] = D("78.00")  # C reaches into B
    assert _refusal(data, tmp_path) == [
        "categories[1].min: band B (78.00–87.99) overlaps band C (54.00–78.00)"]


def test_bands_must_cover_0_to_100(tmp_path: Path) -> None:
    data = raw()
    data["categories"][4]["min"] = D("1.00")
    data["categories"][0]["max"] = D("99.99")
    assert _refusal(data, tmp_path) == [
        "categories[4].min: the lowest band starts at 1.00; scores from 0 would have no category",
        "categories[0].max: the highest band ends at 99.99; scores up to 100 would have no category"]


def test_a_band_bound_with_more_decimals_than_published_is_refused(tmp_path: Path) -> None:
    data = raw()
    data["categories"][1]["max"] = D("87.995")
    assert "categories[1].max: 87.995 has more than 2 decimals (aggregation.decimals)" in _refusal(data, tmp_path)


def test_an_unknown_answer_type_is_refused_naming_the_known_ones(tmp_path: Path) -> None:
    data = raw()
    _item(data, 3)["answer"] = "likert"
    assert _refusal(data, tmp_path) == [
        "dimensions[3].variables[0].items[0].answer: item 'pg_pembinaan': unknown answer type 'likert'; "
        "known: yes-no, partial, ordinal, numeric"]


def test_an_ordinal_scale_without_points_is_refused(tmp_path: Path) -> None:
    data = raw()
    del _item(data)["scale"]
    assert _refusal(data, tmp_path) == [
        "dimensions[0].variables[0].items[0].points: item 'k_komponen_standar': an ordinal scale needs its points, "
        "e.g. points = [0, 1, 2, 3, 4, 5], or scale = '<a name under [scales]>'"]


def test_points_must_rise_and_an_unknown_scale_is_named(tmp_path: Path) -> None:
    data = raw()
    data["scales"]["tingkat"]["points"] = [0, 2, 1]
    _item(data, 0, 0, 1)["scale"] = "bintang"
    problems = _refusal(data, tmp_path)
    assert "scales.tingkat.points: must rise strictly, lowest first, each point once" in problems
    assert ("dimensions[0].variables[0].items[1].scale: item 'k_tugas_wewenang': no scale 'bintang' under [scales] "
            "(known: tingkat)") in problems


def test_duplicate_codes_are_refused_with_both_places(tmp_path: Path) -> None:
    data = raw()
    _item(data, 2)["code"] = "p_biaya"
    assert _refusal(data, tmp_path) == [
        "dimensions[2].variables[0].items[0].code: duplicate code 'p_biaya' (also at "
        "dimensions[1].variables[0].items[3])"]


def test_missing_required_keys_are_refused(tmp_path: Path) -> None:
    data = raw()
    del data["version"]
    del _item(data)["methods"]
    assert _refusal(data, tmp_path) == ["version: missing (required)",
                                        "dimensions[0].variables[0].items[0].methods: missing (required)"]


def test_unknown_keys_are_refused_listing_what_is_allowed(tmp_path: Path) -> None:
    data = raw()
    data["bobot"] = 1
    _item(data)["wieght"] = 2
    problems = _refusal(data, tmp_path)
    assert problems[0].startswith("bobot: unknown key; allowed here: id, version, title")
    assert problems[1].startswith("dimensions[0].variables[0].items[0].wieght: unknown key; allowed here: code, text")


def test_a_derived_item_must_name_its_legal_source(tmp_path: Path) -> None:
    data = raw()
    item = _item(data, 0, 1, 4)
    assert item["derived"] is True
    del item["derived_from"]
    assert _refusal(data, tmp_path) == [
        "dimensions[0].variables[1].items[4].derived_from: item 's_dasar_hukum' is derived: name the legal source "
        "it comes from"]


def test_unknown_methods_evidence_and_zones_are_refused(tmp_path: Path) -> None:
    data = raw()
    _item(data)["methods"] = ["telepati"]
    _item(data)["evidence"] = ["video"]
    data["categories"][0]["zone"] = "blue"
    problems = _refusal(data, tmp_path)
    assert "dimensions[0].variables[0].items[0].methods[0]: 'telepati' is not one of: observation, document, " \
           "interview" in problems
    assert "dimensions[0].variables[0].items[0].evidence[0]: 'video' is not one of: photo, document, url, note" \
           in problems
    assert "categories[0].zone: 'blue' is not a zone listed under zones" in problems


def test_a_file_that_is_not_toml_is_refused_with_the_parser_position(tmp_path: Path) -> None:
    path = tmp_path / "rusak.toml"
    path.write_text('id = "x"\nweights = [\n', encoding="utf-8")
    with pytest.raises(methodology.MethodologyError, match=r"^rusak\.toml: is not valid TOML: Invalid value"):
        methodology.load(path)


def test_a_shipped_file_whose_id_differs_from_its_name_is_refused(tmp_path: Path, monkeypatch) -> None:
    data = raw()
    data["id"] = "ombudsman-2023"
    monkeypatch.setattr(methodology, "SHIPPED_DIR", tmp_path)
    path = tmp_path / "ombudsman-2022.json"
    path.write_text(exact_json(data), encoding="utf-8")
    with pytest.raises(methodology.MethodologyError, match="id: 'ombudsman-2023' must equal the file name"):
        methodology.load(path)
