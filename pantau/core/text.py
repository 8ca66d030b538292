"""Text that people type: one place that cleans it and one that compares names.

- ``clean_text``: what is stored. Unicode NFC, line ends as ``\\n``, no control characters (C0/C1,
  except tab and newline in multi-line text), no invisible format characters (zero-width spaces and
  joiners, bidirectional overrides and isolates, soft hyphen, BOM), trimmed. Every write path
  (forms, API, import) passes through the services, which call it on every string.
- ``clean_name``: a one-line name: ``clean_text`` plus NFKC (full-width and compatibility forms
  become their plain letters) and runs of spaces collapsed to one.
- ``fold_key``: what two names are compared by: ``clean_name``, case-folded, accents removed, and
  common Cyrillic/Greek lookalikes mapped to the Latin letters they imitate. Two names with the same
  key are the same name to a reader ("Dinas  Kesehatan", "dinas kesehatan", "Dіnas Kesehatan" with a
  Cyrillic і).

Pure functions, no Django: used by services, importers and the bad-input tests alike.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible format characters that change how text looks or compares without being seen.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
    "\u3164\ufeff\uffa0"
)

# Lookalike letters (after case folding) and the Latin letter they imitate: Cyrillic and Greek
# forms that render like Latin in common fonts (Unicode confusables, the subset that matters for
# Indonesian names).
_HOMOGLYPHS = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g", "ı": "i",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ζ": "z", "μ": "u", "ω": "w",
})

_SPACES = re.compile(r"\s+")
# What ``_is_removed`` removes, as one character class (Cc is U+0000-U+001F and U+007F-U+009F, Cs
# the surrogates): ``clean_text`` drops them in one pass of C code instead of a test per character.
_REMOVED = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(INVISIBLE))
_REMOVED_MULTILINE = re.compile(f"[{_REMOVED}]")
_REMOVED_ONE_LINE = re.compile(f"[\n{_REMOVED}]")


def _is_removed(char: str, multiline: bool) -> bool:
    if char in INVISIBLE:
        return True
    if char == "\n" or char == "\t":
        return not multiline and char == "\n"
    category = unicodedata.category(char)
    return category == "Cc" or category == "Cs"


def clean_text(value: str, *, multiline: bool = True) -> str:
    """The text as it should be stored (see the module docstring). One-line text loses newlines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", value)
    if not multiline:
        value = value.replace("\n", " ").replace("\t", " ")
    value = (_REMOVED_MULTILINE if multiline else _REMOVED_ONE_LINE).sub("", value)
    if multiline:
        value = "\n".join(line.rstrip() for line in value.split("\n"))
    return value.strip()


def has_hidden_characters(value: str) -> bool:
    """True when ``value`` holds control or invisible format characters (other than tab/newline)."""
    return _REMOVED_MULTILINE.search(value) is not None


def clean_name(value: str) -> str:
    """A one-line name: cleaned, NFKC-normalised, inner runs of white space collapsed."""
    value = unicodedata.normalize("NFKC", clean_text(value, multiline=False))
    return _SPACES.sub(" ", value).strip()


def fold_key(value: str) -> str:
    """The comparison key of a name: equal keys mean the same name to a reader."""
    value = clean_name(value).casefold()
    if value.isascii():  # nothing to decompose, no lookalike letters
        return value
    value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    return value.translate(_HOMOGLYPHS)


def clip(value: str, limit: int) -> str:
    """``value`` with white space collapsed, cut to ``limit`` characters at a word boundary, with an
    ellipsis when cut (the texts of the printed pages: the counter board, the rapor)."""
    value = " ".join(value.split())
    if len(value) <= limit:
        return value
    cut = value[: max(1, limit - 1)]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"
