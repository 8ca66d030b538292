"""What a self-assessment still lacks, and what it costs: pure, Decimal, no Django.

A self-assessment (issue 8, "Self-assessment"; ``shared/docs/methodology.md`` §8) is scored as it
stands: an item not answered yet counts as *not met* (its lowest point), so the score is a
*projection* of what the Ombudsman would find today (``projected_answers``).

``lacking`` lists every item that is not fully met in a unit, with the points of the unit's score
it costs, the same arithmetic as ``scoring`` (methodology.md §2.5, §1.3):

- A unit scored by its dimensions (era 2, ``scored_level = "unit"``): an item of dimension *d*
  costs ``points_d × wᵢ × (1 − xᵢ) / Σ w`` (Σ over the applicable items of *d*), times
  ``100 / Σ points`` of the dimensions that apply when a whole dimension is N/A. An item answered
  per product costs that share split over its applicable products: product *p* costs
  ``points_d × wᵢ / Σ w × (1 − x_ip) / n``.
- A unit that is the mean of its products (era 1, ``scored_level = "product"``): an item costs
  what it costs in each product's score divided by the number of products; an item answered per
  unit is one row (its cost summed over the products).

So the points lost of a unit sum to 100 − its exact projected score (to the methodology's
rounding: ``publish(100 − Σ lost)`` is the unit's projected score; when products are rounded
before their mean, as no shipped methodology does, up to that rounding). N/A items cost nothing.

``prioritise`` orders the gaps: the most points lost first; ties by unit name, then the item's
place in the methodology, then the product name (then keys, so the order is total).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from pantau.assessments.methodology import Methodology
from pantau.assessments.scoring import CONTEXT, HUNDRED, ZERO, Answer

ONE = Decimal(1)


@dataclass(frozen=True)
class UnitSlots:
    """A unit to be answered: its institution, its key and the keys of its products."""

    institution: str
    unit: str
    products: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gap:
    institution: str
    unit: str
    product: str  # "" for an item answered per unit
    item: str
    dimension: str
    share: Decimal  # achieved, 0..1 (0 when not answered)
    answered: bool
    lost: Decimal  # points of the unit's score this item costs (exact)


def projected_answers(methodology: Methodology, units: Iterable[UnitSlots],
                      answers: Iterable[Answer]) -> tuple[list[Answer], frozenset[tuple[str, str, str]]]:
    """The answers so far, with every item not answered yet as *not met* (its lowest point), and
    the (unit, product, item) keys so filled. Answers of units or products not in ``units`` are
    dropped (a unit or product no longer sampled)."""
    slots = {u.unit: u for u in units}
    given: dict[tuple[str, str, str], Answer] = {}
    for a in answers:
        slot = slots.get(a.unit)
        if slot is None or (a.product and a.product not in slot.products):
            continue
        given[(a.unit, a.product, a.item)] = a
    out: list[Answer] = []
    filled: set[tuple[str, str, str]] = set()
    for slot in slots.values():
        for item in methodology.items.values():
            targets = slot.products if item.level == "product" else ("",)
            for product in targets:
                key = (slot.unit, product, item.code)
                if key in given:
                    out.append(given[key])
                else:
                    filled.add(key)
                    out.append(Answer(slot.institution, slot.unit, product, item.code, item.minimum))
    return out, frozenset(filled)


def _shares(methodology: Methodology, answers: Mapping[str, Answer]) -> dict[str, Decimal | None]:
    out: dict[str, Decimal | None] = {}
    with localcontext(CONTEXT):
        for code, a in answers.items():
            out[code] = None if a.value is None else methodology.items[code].normalise(a.value)
    return out


def _entity_costs(methodology: Methodology, unit_x: Mapping[str, Decimal | None],
                  product_x: Mapping[str, Mapping[str, Decimal | None]]) -> dict[tuple[str, str], Decimal]:
    """(product, item) → points lost in one scored entity. ``product_x``: item → product → share."""
    costs: dict[tuple[str, str], Decimal] = {}
    with localcontext(CONTEXT):
        live_dims: list[tuple[Decimal, list[tuple[str, str, Decimal, Decimal]]]] = []
        for dim in methodology.dimensions:
            rows: list[tuple[str, str, Decimal, Decimal]] = []  # (product, item, weight share, 1 − x)
            weights = ZERO
            for item in dim.items:
                if item.code in unit_x:
                    x = unit_x[item.code]
                    if x is None:
                        continue
                    weights += item.weight
                    rows.append(("", item.code, item.weight, ONE - x))
                elif item.code in product_x:
                    live = [(p, x) for p, x in product_x[item.code].items() if x is not None]
                    if not live:
                        continue
                    weights += item.weight
                    for p, x in live:
                        rows.append((p, item.code, item.weight / len(live), ONE - x))
            if rows:
                live_dims.append((dim.points, [(p, c, dim.points * w / weights, miss) for p, c, w, miss in rows]))
        applicable = sum((points for points, _ in live_dims), ZERO)
        scale = ONE if applicable in (ZERO, HUNDRED) else HUNDRED / applicable
        for _points, rows in live_dims:
            for p, code, base, miss in rows:
                costs[(p, code)] = costs.get((p, code), ZERO) + scale * base * miss
    return costs


def unit_gaps(methodology: Methodology, institution: str, unit: str, unit_answers: Mapping[str, Answer],
              product_answers: Mapping[str, Mapping[str, Answer]],
              unanswered: frozenset[tuple[str, str, str]] = frozenset()) -> list[Gap]:
    """Every item of one unit that costs points (see the module docstring), unordered."""
    unit_x = _shares(methodology, unit_answers)
    per_product = {p: _shares(methodology, given) for p, given in product_answers.items()}
    costs: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    if methodology.aggregation.scored_level == "product":
        count = Decimal(len(per_product)) if per_product else ONE
        with localcontext(CONTEXT):
            for p, shares in per_product.items():
                entity = _entity_costs(methodology, {**unit_x, **shares}, {})
                for (_, code), lost in entity.items():
                    owner = p if methodology.items[code].level == "product" else ""
                    costs[(owner, code)] += lost / count
    else:
        by_item: dict[str, dict[str, Decimal | None]] = defaultdict(dict)
        for p, shares in per_product.items():
            for code, x in shares.items():
                by_item[code][p] = x
        costs.update(_entity_costs(methodology, unit_x, by_item))
    out = []
    for (product, code), lost in costs.items():
        if lost <= 0:
            continue
        item = methodology.items[code]
        given = (product_answers.get(product, {}) if product else unit_answers).get(code)
        value = item.minimum if given is None or given.value is None else given.value
        with localcontext(CONTEXT):
            share = item.normalise(value)
        out.append(Gap(institution, unit, product, code, item.dimension, share,
                       (unit, product, code) not in unanswered, lost))
    return out


def lacking(methodology: Methodology, answers: Iterable[Answer],
            unanswered: frozenset[tuple[str, str, str]] = frozenset()) -> list[Gap]:
    """Every item not fully met, in every unit of ``answers`` (complete, e.g. from
    ``projected_answers``), unordered: pass the result to ``prioritise``."""
    units: dict[tuple[str, str], dict[str, Answer]] = defaultdict(dict)
    products: dict[tuple[str, str], dict[str, dict[str, Answer]]] = defaultdict(lambda: defaultdict(dict))
    for a in answers:
        key = (a.institution, a.unit)
        if a.product:
            products[key][a.product][a.item] = a
        else:
            units[key][a.item] = a
    out: list[Gap] = []
    for key in sorted(set(units) | set(products)):
        out += unit_gaps(methodology, key[0], key[1], units.get(key, {}), dict(products.get(key, {})), unanswered)
    return out


def prioritise(methodology: Methodology, gaps: Iterable[Gap], unit_names: Mapping[str, str] | None = None,
               product_names: Mapping[str, str] | None = None) -> list[Gap]:
    """The gaps, most points lost first; ties by unit name, the item's place in the methodology,
    the product name, then the keys."""
    place = {code: n for n, code in enumerate(methodology.items)}
    units, products = unit_names or {}, product_names or {}

    def key(g: Gap) -> tuple[Decimal, str, str, int, str, str]:
        unit = units.get(g.unit, g.unit)
        product = products.get(g.product, g.product)
        return (-g.lost, unit.casefold(), g.unit, place.get(g.item, len(place)), product.casefold(), g.product)

    return sorted(gaps, key=key)


def total_lost(gaps: Sequence[Gap], unit: str, institution: str | None = None) -> Decimal:
    """The points a unit loses over all its gaps (100 − its exact projected score)."""
    with localcontext(CONTEXT):
        return sum((g.lost for g in gaps if g.unit == unit and institution in (None, g.institution)), ZERO)
