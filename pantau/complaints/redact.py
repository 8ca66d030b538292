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
- *NIK*: 16 digits that do not start with ``0``, written together: every such number is taken as
  personal (the family-card number, KK, has the same form and is as private). Written in groups
  (``3201 2345 1205 0456``, ``32.73.01.450789.0001``, ``327301 450789 0001``: the groupings in
  ``_NIK_GROUPS``) it must also look like one: a province code (``_PROVINCES``), a birth day (01–31, or
  41–71 for women) and month in digits 7–10. So four years (``2021 2022 2023 2024``), two dates
  (``12-03-2024 15-03-2024``) or an amount (``1.234.567.890.123.456``) are not a NIK.

Numbers are read as *runs* of digit groups joined by a space, a dot or a dash (``/`` and ``:`` end a run,
so ``0179/LM/VI/2022/BJM`` and ``10:30`` are never a phone). A run is cut into phones, NIKs and other groups so
that the most digits are covered: ``0812 3456 7890 2024`` loses the phone and keeps ``2024``;
``62 812… 62 812…`` is two phones. A group is never split: ``08123456789055`` is no phone (14 digits). Years, amounts
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

_GROUP = r"\(\+?\d+\)|\+?\d+"  # "(021)" keeps its brackets; "(0857…)" keeps only the text's
_SEP = r"(?:[ \t\u00a0]*[.\-][ \t\u00a0]*|[ \t\u00a0]+)?"
_RUN = re.compile(rf"(?<!\d)(?:{_GROUP})(?:{_SEP}(?:{_GROUP}))*")
_GROUP_RE = re.compile(_GROUP)
# How a NIK is written: together, in fours, or as region code, birth date and serial (``32.73.01.120590.0001``,
# ``327301 120590 0001``). Two dates (``12-03-2024 - 15-03-2024``) or an amount also have 16 digits.
_NIK_GROUPS = {(16,), (4, 4, 4, 4), (6, 6, 4), (2, 2, 2, 6, 4), (2, 2, 2, 2, 2, 2, 4)}
# Province codes (Kemendagri), the first two digits of a NIK.
_PROVINCES = {*range(11, 20), 21, *range(31, 37), *range(51, 54), *range(61, 66), *range(71, 77), 81, 82,
              *range(91, 98)}
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
    if len(groups) == 1:
        return True
    day, month = int(digits[6:8]), int(digits[8:10])
    return (tuple(len(g) for g in groups) in _NIK_GROUPS and int(digits[:2]) in _PROVINCES
            and (1 <= day <= 31 or 41 <= day <= 71) and 1 <= month <= 12)


def _number_spans(run: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the phones and NIKs in one run of digit groups: of all ways to cut the run
    into matches and left-over groups, the one that covers the most digits (``62 812… 62 812…`` is two
    phones, not one that ends in the second's ``62``)."""
    groups = list(_GROUP_RE.finditer(run))
    n = len(groups)
    digits = [_digits(g.group()) for g in groups]
    # best[i]: (digits covered, matches) from group i on; choice[i]: (last group, kind) or None to skip i
    best = [0] * (n + 1)
    choice: list[tuple[int, str] | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i] = best[i + 1]
        joined = ""
        for j in range(i, n):
            joined += digits[j]
            if len(joined) > _SPAN_DIGITS:
                break
            texts = [g.group() for g in groups[i:j + 1]]
            kind = "nik" if _is_nik(texts, joined) else "telepon" if _is_phone(texts, joined) else None
            if kind and len(joined) + best[j + 1] > best[i]:
                best[i], choice[i] = len(joined) + best[j + 1], (j, kind)
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < n:
        picked = choice[i]
        if picked is None:
            i += 1
            continue
        j, kind = picked
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
