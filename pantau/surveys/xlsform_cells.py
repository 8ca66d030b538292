"""The cells and words of an XLSForm workbook, for ``xlsform``: a cell's value as text, the
headers and the language columns, the yes/no flags and the type names as ODK tools write them, and
a cell written so that a spreadsheet never runs it as a formula. Pure: no Django, no messages."""

from __future__ import annotations

import unicodedata
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

TRUE, FALSE = ("yes", "true", "1", "true()", "ya"), ("", "no", "false", "0", "false()", "tidak")
ALIASES = {"select one": "select_one", "select all that apply": "select_multiple", "select multiple":
           "select_multiple", "begin group": "begin_group", "end group": "end_group", "begin repeat":
           "begin_repeat", "end repeat": "end_repeat", "int": "integer", "string": "text"}
FORMULA_STARTS = frozenset("=+-@\t\r\n\u2212")


def text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return {None: "", True: "true", False: "false"}[value]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value.isoformat() if hasattr(value, "isoformat") else value).strip()


def header(text: str) -> str:
    """``Label::Bahasa (id)`` → ``label::Bahasa (id)``; ``list name`` → ``list_name``."""
    base, sep, language = text.partition("::")
    return "_".join(base.lower().split()) + (sep + language.strip() if sep else "")


def language_columns(headers: list[str], base: str, default_language: str) -> list[str]:
    """The columns of ``base`` (``label``, ``label::…``) in the order they are preferred."""
    translated = [h for h in headers if h.startswith(base + "::")]

    def indonesian(header: str) -> bool:
        language = header.partition("::")[2].lower()
        return "(id)" in language or "indonesia" in language or language.startswith("bahasa") or language == "id"

    default = [h for h in translated if h.partition("::")[2].lower() == default_language.lower()]
    ordered = [h for h in translated if indonesian(h)] + [h for h in headers if h == base] + default + translated
    return list(dict.fromkeys(ordered))


def pick(row: dict[str, str], columns: list[str]) -> str:
    return next((row[c] for c in columns if row.get(c)), "")


def flag(text: str) -> bool | None:
    return True if text.lower() in TRUE else False if text.lower() in FALSE else None


def type_words(text: str) -> list[str]:
    words = " ".join(text.lower().split())
    for alias, name in ALIASES.items():
        if words == alias or words.startswith(alias + " "):
            words = name + words[len(alias):]
    return words.split()


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula (the rule of ``reports.cells``)."""
    first = text[:1]
    return bool(first) and (first in FORMULA_STARTS or unicodedata.normalize("NFKC", first) in FORMULA_STARTS)


def write_cell(ws: Any, value: str) -> WriteOnlyCell:
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # never a formula
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell
