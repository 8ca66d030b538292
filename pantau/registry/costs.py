"""Reading a cost (biaya/tarif) text: the amounts in Rupiah it states and whether it names a
regulation. Used by ``services`` to refuse contradictory or unfounded tariffs (UU 25/2009 Pasal
21 huruf e and Pasal 31: a tariff is set by a regulation and published with its amount)."""

from __future__ import annotations

import re

# "Rp 50.000", "Rp50.000,-", "Rp. 1.500.000,00", "50.000 rupiah", "Rp 0".
_RP_BEFORE = re.compile(r"\brp\.?\s*(\d[\d.,]*)", re.IGNORECASE)
_RP_AFTER = re.compile(r"(\d[\d.,]*)\s*(?:,-\s*)?rupiah\b", re.IGNORECASE)
# The kinds of regulation that may set a tariff, with or without their number.
_REGULATION = re.compile(
    r"\b(?:uu|undang[- ]undang|pp|perpres|permen\w*|perda|perkada|pergub|perbup|perwal[i]?|qanun"
    r"|peraturan|keputusan|kepmen\w*|keppres|perpu|perppu)\b",
    re.IGNORECASE,
)


def _rupiah(number: str) -> int:
    """'1.500.000,00' → 1500000; '50,000' → 50000 (digits before a trailing 2-digit cent part)."""
    number = number.rstrip(".,")
    cents = re.search(r"[.,]\d{2}$", number)
    if cents and not re.search(r"[.,]\d{3}[.,]\d{2}$|^\d{1,3}[.,]\d{2}$", number):
        cents = None
    if cents:
        number = number[: cents.start()]
    digits = re.sub(r"\D", "", number)
    return int(digits) if digits else 0


def amounts(text: str) -> list[int]:
    """The amounts in Rupiah the text states, in order."""
    found = [(m.start(), _rupiah(m.group(1))) for m in _RP_BEFORE.finditer(text or "")]
    found += [(m.start(), _rupiah(m.group(1))) for m in _RP_AFTER.finditer(text or "")
              if not any(m.start() <= s < m.end() for s, _ in found)]
    return [a for _, a in sorted(found)]


def states_a_tariff(text: str) -> bool:
    """True when the text states an amount above zero."""
    return any(a > 0 for a in amounts(text))


def names_a_regulation(text: str) -> bool:
    return bool(_REGULATION.search(text or ""))
