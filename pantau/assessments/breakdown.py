"""Reading a stored breakdown (``Result.breakdown``: the scoring ``Step`` tree as JSON, numbers as
strings): dimension points, the points an item lost, and the tree as nested ``<details>``.

The results pages explain every number by its tree: each step is a ``<details>`` whose summary is
the number with its name and whose body is the formula and the steps it was made from, so a click
(or Enter) opens it without JavaScript. The HTML is built here, escaped, rather than by a
recursive template include: an institution of 60 units has some 15 000 steps, and one include
per step would cost seconds. ``NODES`` bounds what one page shows; the rest is counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pantau.assessments.methodology import Methodology
from pantau.assessments.scoring import CONTEXT

NODES = 4000  # steps rendered on one page (the API gives every step)
DIMENSION, ITEM = "dimensi ", "item "
CENT = Decimal("0.01")


def number(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def shown(value: Decimal | None) -> str:
    """A number as the pages show it: 2 decimals (half-up), "—" for none."""
    return "—" if value is None else str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def steps(tree: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every step of a tree, depth first (iterative: trees are deep enough to matter)."""
    stack = [tree]
    while stack:
        step = stack.pop()
        yield step
        stack.extend(reversed(step.get("parts") or ()))


def dimension_points(trees: list[Mapping[str, Any]]) -> dict[str, Decimal | None]:
    """Dimension code → mean of its contributions over every "dimensi <code>" step of the trees (a
    unit's own in era 2, each product's in era 1; an institution: over all its units or products,
    as the methodology aggregates them); None when the dimension did not apply anywhere."""
    found: dict[str, list[Decimal]] = defaultdict(list)
    seen: set[str] = set()
    for tree in trees:
        for step in steps(tree):
            name = str(step.get("name", ""))
            if name.startswith(DIMENSION):
                code = name[len(DIMENSION):]
                seen.add(code)
                value = number(step.get("value"))
                if value is not None:
                    found[code].append(value)
    return {code: (CONTEXT.divide(sum(found[code], Decimal(0)), Decimal(len(found[code]))) if found[code] else None)
            for code in sorted(seen)}


def _dimension_losses(document: Methodology, dim: Mapping[str, Any], factor: Decimal,
                      out: dict[str, Decimal]) -> None:
    code = str(dim["name"])[len(DIMENSION):]
    dimension = next((d for d in document.dimensions if d.code == code), None)
    if dimension is None:
        return
    weights = {i.code: i.weight for i in dimension.items}
    applied = [(str(p["name"])[len(ITEM):], number(p.get("value"))) for p in dim.get("parts") or ()
               if str(p.get("name", "")).startswith(ITEM) and p.get("value") is not None]
    total = sum((weights.get(c, Decimal(1)) for c, _v in applied), Decimal(0))
    if not total:
        return
    for item, share in applied:
        if share is None or share >= 1:
            continue
        lost = CONTEXT.divide(dimension.points * weights.get(item, Decimal(1)) * (1 - share) * factor, total)
        out[item] = out.get(item, Decimal(0)) + lost


def points_lost(document: Methodology, tree: Mapping[str, Any]) -> dict[str, Decimal]:
    """Item code → the points the item cost the score of ``tree`` (a unit's breakdown): the
    dimension's points × the item's weight × (1 − its share) / the applicable weights, divided over
    the products a unit score averages (era 1)."""
    out: dict[str, Decimal] = {}
    stack: list[tuple[Mapping[str, Any], Decimal]] = [(tree, Decimal(1))]
    while stack:
        step, factor = stack.pop()
        if str(step.get("name", "")).startswith(DIMENSION):
            _dimension_losses(document, step, factor, out)
            continue
        parts = list(step.get("parts") or ())
        if not parts:
            continue
        summed = all(str(p.get("name", "")).startswith(DIMENSION) for p in parts)
        share = factor if summed else CONTEXT.divide(factor, Decimal(len(parts)))
        stack.extend((p, share) for p in parts)
    return out


def html(tree: Mapping[str, Any], *, names: Mapping[str, str] | None = None, depth: int = 12,
         budget: list[int] | None = None) -> SafeString:
    """The tree as nested ``<details>`` (escaped). ``names`` replaces a step's technical name
    ("unit 12") by a readable one; ``depth`` limits how deep it goes; ``budget`` ([nodes left]) is
    shared by the trees of one page."""
    budget = budget if budget is not None else [NODES]
    names = names or {}
    out: list[str] = []

    def label(step: Mapping[str, Any]) -> str:
        name = str(step.get("name", ""))
        return names.get(name, name)

    def walk(step: Mapping[str, Any], level: int) -> None:
        budget[0] -= 1
        value = number(step.get("value"))
        parts = list(step.get("parts") or ())
        summary = (f'<span class="step-name">{escape(label(step))}</span> '
                   f'<span class="step-value">{escape(shown(value) if value is not None else "—")}</span>')
        formula = f'<p class="step-formula">{escape(str(step.get("formula", "")))}</p>'
        if not parts or level >= depth:
            out.append(f'<div class="step leaf">{summary}{formula}</div>')
            return
        out.append(f'<details class="step"><summary>{summary}</summary>{formula}<div class="step-parts">')
        for index, part in enumerate(parts):
            if budget[0] <= 0:
                out.append('<p class="help">' + escape(_("… %(n)d langkah lagi tidak ditampilkan (lengkap di API).")
                                                       % {"n": len(parts) - index}) + "</p>")
                break
            walk(part, level + 1)
        out.append("</div></details>")

    walk(tree, 0)
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
