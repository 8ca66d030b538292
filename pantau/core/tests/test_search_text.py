"""The search's normalisation (``pantau.core.search.text``): pure functions, no database."""

from __future__ import annotations

import pytest

from pantau.core.search import text as t


@pytest.mark.parametrize(("value", "expected"), [
    ("e-KTP", ("e", "ktp")),
    ("KTP-el", ("ktp", "el")),
    ("Akte  KELAHIRAN", ("akta", "kelahiran")),  # spelling variant, case, spaces
    ("ijin", ("izin",)),
    ("Kab. Tabalong", ("kabupaten", "tabalong")),  # an abbreviation spelled out
    ("Dіnas", ("dinas",)),  # a Cyrillic і, folded like names are
    ("Pélayanan", ("pelayanan",)),
])
def test_tokens_fold_and_respell(value: str, expected: tuple[str, ...]) -> None:
    assert t.tokens(value) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("kelahiran", "lahir"), ("perizinan", "izin"), ("kependudukan", "duduk"), ("bangunan", "bangun"),
    ("ktp", "ktp"), ("2025", "2025"), ("rs", "rs"),
])
def test_words_are_stemmed_once_and_codes_are_kept(word: str, expected: str) -> None:
    assert t.stem(word) == expected


@pytest.mark.parametrize(("value", "terms"), [
    ("akte kelahiran", ("akta", "lahir")),
    ("e-ktp", ("synktpel",)),
    ("KTP elektronik", ("synktpel",)),
    ("KK", ("synkk",)),
    ("kartu keluarga", ("synkk",)),
    ("dukcapil", ("syndukcapil",)),
    ("Dinas Kependudukan dan Pencatatan Sipil", ("syndukcapil",)),
    ("rumah sakit", ("synrumahsakit",)),
    ("RSUD", ("synrumahsakit", "synrsud")),
    ("IMB", ("synpbg",)),
    ("syarat membuat akta kelahiran", ("akta", "lahir")),  # stopwords go
    ("dan di yang", ()),
])
def test_a_query_becomes_stems_and_synonym_keys(value: str, terms: tuple[str, ...]) -> None:
    assert t.query(value).terms == terms


def test_a_document_keeps_its_words_and_gains_the_keys_of_its_phrases() -> None:
    terms = t.document_terms("Rumah Sakit Umum Daerah Ulin").split()
    assert {"rumah", "sakit", "umum", "daerah", "ulin", "synrumahsakit", "synrsud"} <= set(terms)
    assert {"terbit", "ktp", "el", "synktpel"} <= set(t.document_terms("Penerbitan KTP-el").split())
    assert "synpbg" in t.document_terms("Persetujuan Bangunan Gedung (PBG)").split()


def test_every_query_synonym_key_is_one_a_document_can_have() -> None:
    """A query's phrase becomes keys; the same phrase in a document must give the same keys."""
    for phrase in t.words().phrases:
        text = " ".join(phrase)
        assert set(t.query(text).terms) <= set(t.document_terms(text).split()), text


def test_the_synonym_file_is_well_formed() -> None:
    w = t.words()
    assert w.groups and w.spelling and w.stopwords
    for key, phrases in w.groups.items():
        assert key.startswith(t.KEY_PREFIX) and key.isalnum() and phrases
        assert all(phrase for phrase in phrases), key


def test_no_word_or_synonym_becomes_a_kind_marker() -> None:
    """Kind markers ("zkproduct", ``t.kind_marker``) come from no everyday text: no word of the data
    file, no spelling or synonym key, no stem of them, and no ordinary text starts with "zk"."""
    w = t.words()
    words = set(w.known) | set(w.stopwords) | set(w.groups)
    texts = [*words, *(" ".join(phrase) for phrase in w.phrases), "Zakat Zikir Zona Kabupaten Produk Unit Instansi"]
    terms = {term for text in texts for term in (*t.query(text).terms, *t.document_terms(text).split())}
    assert terms and not [term for term in terms | words if term.startswith(t.KIND_PREFIX)]
    assert t.query("ZK.Unit z-k-product").terms == ("zk", "unit", "z", "k", "product")  # words stay apart
    assert t.query("zkproduct").terms == ("zkproduct",)  # only typed as one word: a word like any other


@pytest.mark.parametrize(("a", "b", "d"), [
    ("kelurga", "keluarga", 1), ("klahiran", "kelahiran", 1), ("imunsasi", "imunisasi", 1),
    ("kartu", "katru", 1), ("akta", "akta", 0), ("abc", "xyzuvw", 3),
])
def test_edit_distance_counts_transpositions_as_one(a: str, b: str, d: int) -> None:
    assert t.distance(a, b) == d


def test_short_words_are_never_corrected() -> None:
    assert [t.allowed_typos(w) for w in ("kk", "sim", "izin", "akta", "kartu", "kelahiran")] == [0, 0, 1, 1, 1, 2]
