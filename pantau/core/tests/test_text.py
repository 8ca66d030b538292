"""The shared text cleaning and name folding (``pantau.core.text``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pantau.core.text import clean_name, clean_text, fold_key, has_hidden_characters


def test_it_removes_control_and_invisible_characters_but_keeps_lines():
    assert clean_text("\x01=HYPERLINK(1)\u200b\nbaris\u202e dua\r\n") == "=HYPERLINK(1)\nbaris dua"


def test_one_line_text_loses_newlines():
    assert clean_text("satu\ndua\tTiga", multiline=False) == "satu dua Tiga"


def test_names_are_nfkc_with_single_spaces():
    assert clean_name("  Dinas\u3000 Ｋesehatan  ") == "Dinas Kesehatan"


def test_lookalike_names_share_a_key():
    plain = fold_key("Dinas Kesehatan")
    for lookalike in ("dinas  KESEHATAN", "Dinas Kese\u200bhatan", "D\u0456nas Kesehatan",
                      "Dinas Kes\u0435hatan", "\u202eDinas Kesehatan"):
        assert fold_key(lookalike) == plain, lookalike
    assert fold_key("Dinas Kesehatan Hewan") != plain


def test_hidden_characters_are_detected():
    assert has_hidden_characters("a\x00b")
    assert has_hidden_characters("a\u200db")
    assert not has_hidden_characters("a\tb\nc é")


@given(st.text())
def test_cleaning_is_idempotent_and_leaves_nothing_hidden(value):
    once = clean_text(value)
    assert clean_text(once) == once
    assert not has_hidden_characters(once)
    name = clean_name(value)
    assert clean_name(name) == name
    assert fold_key(name) == fold_key(value)
