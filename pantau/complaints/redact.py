"""Personal data in public text: e-mail addresses, phone numbers and NIK, each occurrence replaced by
``MARKER`` (issue 10, "Confidentiality"). Pure, standard library only, no Django.

**What is found.**

- *E-mail*: ``local@domain.tld`` (the local part in RFC 5322 characters, the domain in labels ending in
  a top-level label that starts with a letter), also written ``budi [at] mail [dot] com`` or ``(at)``.
- *Phone* (``telepon``): a number that starts like an Indonesian one and has 8 to 12 digits after the
  ``0`` or the ``62``: mobile ``0812-3456-7890``, ``+62 812 3456 7890``, ``62 812…`` (without a plus
  only a mobile ``8…``, so "62 tahun" stays), ``wa.me/6281…``; landline ``(021) 5551234``,
  ``0274-512345``, ``+62 21 5551234``. A number starting with ``0`` needs an area or operator code of at
  least three digits written together (``0[2-9]x``), so dates and times (``05-03-2024``, ``08.00``) and
  ``RT 003`` stay. Any other ``+`` number of 8 to 15 digits (a foreign phone) is a phone too.
- *NIK*: 16 digits that do not start with ``0``, written together or in groups (``3201 2345 6789 0123``,
  ``32.73.01.234567.0001``, ``327301 234567 0001``: the groupings in ``_NIK_GROUPS``). Every such number
  is taken as personal: the family-card number (KK) and bank card numbers have the same length and are as
  private. Other groupings with 16 digits (two dates ``12-03-2024 15-03-2024``, an amount
  ``1.234.567.890.123.456``) are not.

Numbers are read as *runs* of digit groups joined by a space, a dot or a dash (``/`` and ``:`` end a run,
so ``0179/LM/VI/2022/BJM`` and ``10:30`` are never a phone). In a run, the longest span of whole groups
that is a phone or a NIK is replaced, from left to right: ``0812 3456 7890 2024`` loses the phone and
keeps ``2024``. A group is never split: ``08123456789055`` is no phone (14 digits). Years, amounts
(``Rp 150.000``), dates, postcodes and tracking numbers never qualify.

``redact`` repeats until nothing more is found, so ``redact(redact(x)) == redact(x)``; a marker never
takes part in a match, so it ends.
"""

from __future__ import annotations

import re
import unicodedata

MARKER = "[disamarkan]"
KINDS = ("email", "telepon", "nik")

_AT = r"(?:@|[ \t]*[\[(]at[\])][ \t]*)"
_DOT = r"(?:\.|[ \t]*[\[(]dot[\])][ \t]*)"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_TLD = r"[^\W\d_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(rf"[\w.!#$%&'*+/=?^`{{|}}~-]+{_AT}(?:{_LABEL}{_DOT})+{_TLD}", re.IGNORECASE)

_GROUP = r"\(?\+?\d+\)?"
_SEP = r"(?:[ \t\u00a0]*[.\-][ \t\u00a0]*|[ \t\u00a0]+)?"
_RUN = re.compile(rf"(?<!\d){_GROUP}(?:{_SEP}{_GROUP})*")
_GROUP_RE = re.compile(_GROUP)
# How a NIK is written: together, in fours, or as region code, birth date and serial (``32.73.01.120590.0001``,
# ``327301 120590 0001``). Two dates (``12-03-2024 - 15-03-2024``) or an amount also have 16 digits.
_NIK_GROUPS = {(16,), (4, 4, 4, 4), (6, 6, 4), (2, 2, 2, 6, 4), (2, 2, 2, 2, 2, 2, 4)}
_SPAN_DIGITS = 16  # no phone or NIK has more digits: a span stops growing past this


def _digits(group: str) -> str:
    """The ASCII digits of a group (any Unicode decimal digit counts: ``０８１２`` is ``0812``)."""
    return "".join(str(unicodedata.decimal(c)) for c in group if c.isdecimal())


def _is_phone(groups: list[str], digits: str) -> bool:
    first = groups[0]
    head = _digits(first)
    if "+" in first:
        if digits.startswith("62"):
            national = digits[2:]
            return national[:1] in "23456789" and national != "" and 8 <= len(national) <= 12
        return first.lstrip("(").startswith("+") and 8 <= len(digits) <= 15
    if head.startswith("62") and not first.startswith("("):
        national = digits[2:]
        return national.startswith("8") and 9 <= len(national) <= 12
    if head.startswith("0"):
        return len(head) >= 3 and head[1] in "23456789" and 8 <= len(digits) - 1 <= 12
    return False


def _is_nik(groups: list[str], digits: str) -> bool:
    if len(digits) != 16 or digits[0] == "0" or any(not g.isdecimal() for g in groups):
        return False
    return tuple(len(g) for g in groups) in _NIK_GROUPS


def _number_spans(run: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the phones and NIKs in one run of digit groups."""
    groups = list(_GROUP_RE.finditer(run))
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(groups):
        best: tuple[int, str] | None = None
        digits = ""
        texts: list[str] = []
        for j in range(i, len(groups)):
            texts.append(groups[j].group())
            digits += _digits(texts[-1])
            if len(digits) > _SPAN_DIGITS:
                break
            if _is_nik(texts, digits):
                best = (j, "nik")
            elif _is_phone(texts, digits):
                best = (j, "telepon")
        if best is None:
            i += 1
            continue
        j, kind = best
        spans.append((offset + groups[i].start(), offset + groups[j].end(), kind))
        i = j + 1
    return spans


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every e-mail address, phone number and NIK, in order, not overlapping."""
    spans: list[tuple[int, int, str]] = []
    at = 0
    for email in _EMAIL.finditer(text):
        spans.extend(_numbers(text, at, email.start()))
        spans.append((email.start(), email.end(), "email"))
        at = email.end()
    spans.extend(_numbers(text, at, len(text)))
    return spans


def _numbers(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for run in _RUN.finditer(text, start, end):
        found.extend(_number_spans(run.group(), run.start()))
    return found


def _redact(text: str) -> tuple[str, set[str]]:
    """The text redacted to a fixed point, and the kinds replaced on the way."""
    kinds: set[str] = set()
    while True:
        spans = _spans(text)
        if not spans:
            return text, kinds
        out: list[str] = []
        at = 0
        for start, end, kind in spans:
            out.append(text[at:start])
            out.append(MARKER)
            kinds.add(kind)
            at = end
        out.append(text[at:])
        text = "".join(out)


def redact(text: str) -> str:
    """``text`` with every e-mail address, phone number and NIK replaced by ``MARKER``."""
    return _redact(text)[0]


def find_personal_data(text: str) -> list[str]:
    """The kinds of personal data in ``text``, each once, in the order of ``KINDS`` (empty: none)."""
    found = _redact(text)[1]
    return [kind for kind in KINDS if kind in found]
