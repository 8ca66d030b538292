"""The shipped methodology files say what methodology.md §1, §2 and §8 say, and copies round-trip."""

from __future__ import annotations

from decimal import Decimal

from pantau.assessments import methodology
from pantau.assessments.tests.helpers import M2016, M2022, D


def test_pantau_ships_the_three_methodologies_of_section_8() -> None:
    assert list(methodology.shipped()) == ["ombudsman-2016", "ombudsman-2022", "self-assessment"]
    for ident in methodology.shipped():
        loaded = methodology.load_shipped(ident)
        assert loaded.id == ident and loaded.version and loaded.title and loaded.era and loaded.sources
        assert loaded.levels == ("institution", "unit", "product")


def test_the_2022_weights_are_the_published_maximum_points_of_section_2_1() -> None:
    weights = {d.code: d.weight for d in M2022.dimensions}
    assert weights == {"input": D("21.85"), "proses": D("32.37"), "output": D("24.24"), "pengaduan": D("21.54")}
    assert sum(weights.values()) == D("100.00")
    assert [d.points for d in M2022.dimensions] == list(weights.values())


def test_the_2022_indicator_counts_are_those_of_section_2_1() -> None:
    counts = {v.code: len(v.items) for d in M2022.dimensions for v in d.variables}
    assert counts == {"kompetensi": 6, "sarana_prasarana": 9, "standar_pelayanan": 11,
                      "persepsi_maladministrasi": 5, "pengelolaan_pengaduan": 6}
    assert len(M2022.items) == 37  # "~37" (§2.1)


def test_the_2022_bands_are_the_opini_table_of_section_2_7() -> None:
    table = [(b.code, b.label, b.minimum, b.maximum, b.zone.code) for b in M2022.categories]
    assert table == [
        ("A", "Kualitas Tertinggi", D("88.00"), D("100.00"), "green"),
        ("B", "Kualitas Tinggi", D("78.00"), D("87.99"), "green"),
        ("C", "Kualitas Sedang", D("54.00"), D("77.99"), "yellow"),
        ("D", "Kualitas Rendah", D("32.00"), D("53.99"), "red"),
        ("E", "Kualitas Terendah", D("0.00"), D("31.99"), "red"),
    ]


def test_the_2016_zones_are_those_of_section_1_4() -> None:
    table = [(b.minimum, b.maximum, b.zone.code) for b in M2016.categories]
    assert table == [(D("81.00"), D("100.00"), "green"), (D("51.00"), D("80.99"), "yellow"),
                     (D("0.00"), D("50.99"), "red")]


def test_the_2016_checklist_has_the_ten_variable_blocks_of_the_2021_round_with_equal_weights() -> None:
    assert [v.code for v in M2016.dimensions[0].variables] == [
        "standar_pelayanan", "maklumat", "pengelolaan_pengaduan", "sarana_prasarana", "pelayanan_khusus",
        "kepuasan_masyarakat", "visi_misi_motto", "atribut", "pelayanan_terpadu", "rekognisi"]
    assert {i.weight for i in M2016.items.values()} == {Decimal(1)}
    assert {i.answer for i in M2016.items.values()} == {"yes-no", "partial"}
    assert (M2016.aggregation.scored_level, M2016.aggregation.institution_from) == ("product", "products")


def test_rounding_is_half_up_to_two_decimals_at_unit_and_institution() -> None:
    for m in (M2016, M2022):
        assert (m.aggregation.rounding, m.aggregation.decimals) == ("half-up", 2)
        assert m.aggregation.round_at == ("unit", "institution")


def test_every_item_names_its_source_or_is_marked_derived_from_the_law() -> None:
    for m in (M2016, M2022):
        for item in m.items.values():
            assert item.methods and (item.source or item.derived)
            if item.derived:
                assert item.derived_from and any(
                    s.startswith(("UU 25/2009", "PermenPANRB 15/2014", "Indeks Persepsi")) for s in item.derived_from)
    derived = {i.code for i in M2022.items.values() if i.derived}
    # §2.2: five of the nine sarana items, three of the eleven proses items and two of the six pengaduan
    # items are unreadable in the sources; the five output item names were not readable at all.
    assert len(derived) == 5 + 3 + 5 + 2


def test_the_self_assessment_is_an_unofficial_copy_of_the_2022_method() -> None:
    own = methodology.load_shipped("self-assessment")
    assert not own.official and own.based_on == "ombudsman-2022@1.0" and M2022.official
    assert own.dimensions == M2022.dimensions and own.categories == M2022.categories


def test_a_copy_under_a_new_id_round_trips_through_its_json_file(tmp_path) -> None:
    copy = methodology.load_shipped("self-assessment").copy_as("kalsel-mandiri", "2025.1", "Penilaian mandiri Kalsel")
    assert (copy.id, copy.version, copy.based_on, copy.official) == (
        "kalsel-mandiri", "2025.1", "self-assessment@1.0", False)
    path = tmp_path / "kalsel-mandiri.json"
    path.write_text(methodology.dump_json(copy), encoding="utf-8")
    again = methodology.load(path)
    assert again == copy and again.origin == str(path)


def test_loaded_methodologies_are_frozen() -> None:
    import dataclasses

    import pytest

    with pytest.raises(dataclasses.FrozenInstanceError):
        M2022.dimensions[0].weight = D(50)  # type: ignore[misc]
