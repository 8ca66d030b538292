"""What a spreadsheet cell may hold: the one place where every XLSX and CSV writer makes text safe.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some programs, a
tab or carriage return, or the full-width forms ``＝ ＋ － ＠``) as a formula: text typed by one
person could then fetch a URL or run a command on the computer of whoever opens the export
("CSV/formula injection"). So text is first *cleaned* with ``pantau.core.text.clean_text`` (control
and invisible characters removed, outer white space trimmed) and only then checked, because a
character removed by cleaning (``"\\x01=HYPERLINK(…)"``) would otherwise hide the ``=`` from the
check.

- XLSX (``xlsx_text`` + ``reports.xlsx.cell``): the text is written as a string cell, never as a
  formula, and text that looks like one also gets Excel's "quote prefix" so that editing the cell
  keeps it text. The value itself is unchanged, so an export imports back unchanged.
- CSV (``csv_cell``): CSV has no cell types, so text that looks like a formula is prefixed with an
  apostrophe (``'=…``), the usual defence that spreadsheets show as plain text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from django.utils.functional import Promise

from pantau.core.text import INVISIBLE, clean_text

# Characters that make a spreadsheet read the cell as a formula when they come first.
_FORMULA_STARTS = frozenset("=+-@\t\r\n\u2212")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula (full-width and small forms included)."""
    first = text[:1]
    return bool(first) and (first in _FORMULA_STARTS or unicodedata.normalize("NFKC", first) in _FORMULA_STARTS)


# What ``clean_text`` would change in text that is already NFC: a control character other than tab
# and newline, a surrogate, an invisible format character, or white space ending a line.
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(INVISIBLE))
                      + "]|[^\\S\n]\n")


def xlsx_text(value: str | Promise) -> str:
    """Text as written to an XLSX cell: cleaned (see the module docstring). Text that cleaning would
    not change (most of an export) is recognised in one pass of C code and returned as it is."""
    text = str(value)
    if (_UNCLEAN.search(text) is None and text == text.strip()
            and (text.isascii() or unicodedata.is_normalized("NFC", text))):
        return text
    return clean_text(text)


def csv_cell(value: Any) -> str:
    """One CSV field: text cleaned and, when it looks like a formula, prefixed with an apostrophe;
    other values as JSON (``None`` as an empty field)."""
    if value is None:
        return ""
    if isinstance(value, str | Promise):
        text = clean_text(str(value))
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return "'" + text if looks_like_formula(text) else text
