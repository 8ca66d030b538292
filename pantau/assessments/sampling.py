"""The sampling rules of a period: which units, and which of their products, are assessed.

Pure (no Django): rows in, choices out. Units come ordered by name (``registry.selectors
.active_units_of``), products too; every rule takes them in that order, so the same registry gives
the same sample.

- ``all``: every active unit of the institution, each with every active product.
- ``loci-2022`` (``shared/docs/methodology.md`` §2.6, the 2022–2023 design): for a regional
  government (pemprov, pemkab, pemkot) the seven loci — Dinas Kesehatan, two Puskesmas, Dinas
  Pendidikan, Dinas Sosial, DPMPTSP and Disdukcapil — each found by its name (the first unit by
  name that matches; the Puskesmas are the first two units of kind ``puskesmas``); a locus the
  registry lacks is reported as missing, not replaced. For any other institution (§2.6: "Kantah 2
  products, Polres 5, non-vertical K/L 5") every active unit. Each chosen unit with its first
  ``products`` products (default 5).
- ``first-n``: the first ``units`` units of each unit kind, each with its first ``products``
  products.
A unit without an active product is left out when the methodology has items answered per product
(it could not be scored) and reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

REGIONAL = frozenset({"pemprov", "pemkab", "pemkot"})
# (locus, how many, words of which one must be in the unit's name, excluded unit kinds)
LOCI_2022: tuple[tuple[str, int, tuple[str, ...], frozenset[str]], ...] = (
    ("Dinas Kesehatan", 1, ("kesehatan",), frozenset({"puskesmas", "rsud"})),
    ("Puskesmas", 2, (), frozenset()),
    ("Dinas Pendidikan", 1, ("pendidikan",), frozenset({"sekolah"})),
    ("Dinas Sosial", 1, ("sosial",), frozenset()),
    ("DPMPTSP", 1, ("penanaman modal", "dpmptsp", "ptsp", "pelayanan terpadu satu pintu"), frozenset({"mpp"})),
    ("Disdukcapil", 1, ("kependudukan", "dukcapil", "pencatatan sipil"), frozenset()),
)
DEFAULT_PRODUCTS = 5


@dataclass
class Choice:
    units: list[tuple[int, list[int]]] = field(default_factory=list)  # (unit id, product ids)
    missing_loci: list[str] = field(default_factory=list)
    without_products: list[int] = field(default_factory=list)  # unit ids left out


def choose(rule: str, *, institution_kind: str, units: Sequence[dict[str, Any]],
           products: Sequence[dict[str, Any]], per_kind: int = 1, per_unit: int = DEFAULT_PRODUCTS,
           needs_products: bool = True) -> Choice:
    """The units (with products) ``rule`` picks among ``units`` (rows: id, name, kind) and
    ``products`` (rows: id, unit_id)."""
    by_unit: dict[int, list[int]] = defaultdict(list)
    for p in products:
        by_unit[p["unit_id"]].append(p["id"])
    choice = Choice()
    if rule == "all":
        picked = list(units)
        per_unit = 0
    elif rule == "loci-2022":
        picked = _loci(units, choice) if institution_kind in REGIONAL else list(units)
    elif rule == "first-n":
        seen: dict[str, int] = defaultdict(int)
        picked = []
        for u in units:
            if seen[u["kind"]] < per_kind:
                seen[u["kind"]] += 1
                picked.append(u)
    else:
        raise ValueError(f"unknown sampling rule {rule!r}")
    for u in picked:
        ids = by_unit.get(u["id"], [])
        ids = ids if per_unit <= 0 else ids[:per_unit]
        if needs_products and not ids:
            choice.without_products.append(u["id"])
            continue
        choice.units.append((u["id"], ids))
    return choice


def _loci(units: Sequence[dict[str, Any]], choice: Choice) -> list[dict[str, Any]]:
    taken: set[int] = set()
    picked: list[dict[str, Any]] = []
    for locus, count, words, excluded in LOCI_2022:
        found = 0
        for u in units:
            if found == count:
                break
            if u["id"] in taken or u["kind"] in excluded:
                continue
            name = str(u["name"]).lower()
            matches = u["kind"] == "puskesmas" if not words else any(w in name for w in words)
            if matches:
                taken.add(u["id"])
                picked.append(u)
                found += 1
        if found < count:
            choice.missing_loci.append(locus)
    return picked
