"""Scores from answers (or from published points) under a methodology: pure, Decimal throughout.

The formulas (``shared/docs/methodology.md`` §1.3, §2.5, §7, §8; ADR 0018):

- An item answer becomes the share achieved, xᵢ = (value − lowest point) / (highest − lowest), 0..1.
  An item answered N/A (with a reason) counts neither in what is achieved nor in the maximum.
- A dimension's contribution = its points × Σ wᵢxᵢ / Σ wᵢ over its applicable items (wᵢ = 1 unless
  the file weighs the item). A dimension whose items are all N/A leaves the score, and the score is
  rescaled over the other dimensions: 100 × Σ contributions / Σ their points.
- The *scored level* (era 1: each product, with its unit's unit-level items; era 2: each unit, a
  product-level item being the mean of its products' xᵢ) sums its contributions:
  era 1 product = 100 × Σ wᵢxᵢ / Σ wᵢ, era 2 unit = Σ of the four contributions.
- Era 1: unit = mean of its products; institution = mean of *all* its products (§1.3: "the average
  of its per-product scores"), not the mean of unit means. Era 2: institution = mean of its units.
- A mean is taken over the values of the level below *as published*: rounded if that level is in
  the file's ``round_at`` (era 2 units: the published Pemda score is the mean of the published unit
  scores, §2.5), exact otherwise (era 1 products). Published levels are rounded with the file's
  rule (ROUND_HALF_UP) to its decimals (2). Intermediate values carry 28 significant digits in a
  fixed decimal context, so a score recomputes to the same Decimal whatever the caller's context.
- Category and zone come from the file's bands, applied to the published (rounded) value.

Every number comes with a ``Step`` saying which answers, weights and formula made it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import TypeVar

from pantau.assessments.methodology import Band, Item, Methodology, Zone

CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
RULES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}
ZERO = Decimal(0)
HUNDRED = Decimal(100)


_Row = TypeVar("_Row", "PointsRow", "GivenRow")


class ScoringError(ValueError):
    """Answers or points that cannot be scored; the message says what and where."""


@dataclass(frozen=True)
class Answer:
    institution: str
    unit: str
    product: str  # "" for an item answered per unit
    item: str
    value: Decimal | None  # None: not applicable (N/A), with a reason
    reason: str = ""


@dataclass(frozen=True)
class PointsRow:
    """Dimension points as the Ombudsman publishes them, for a unit (or an institution: unit "")."""

    institution: str
    unit: str
    points: Mapping[str, Decimal]


@dataclass(frozen=True)
class GivenRow:
    """A score already made (0–100), for a unit (or an institution: unit "")."""

    institution: str
    unit: str
    score: Decimal


@dataclass(frozen=True)
class Step:
    """How one number was made: its name, value, the formula with the numbers, and its inputs."""

    name: str
    value: Decimal | None
    formula: str
    parts: tuple[Step, ...] = ()

    def lines(self, depth: int = 0) -> list[str]:
        shown = "—" if self.value is None else show(self.value)
        out = [f"{'  ' * depth}{self.name} = {shown}: {self.formula}"]
        for part in self.parts:
            out.extend(part.lines(depth + 1))
        return out


@dataclass(frozen=True)
class Result:
    level: str  # "institution", "unit" or "product"
    institution: str
    unit: str
    product: str
    score: Decimal  # as published: rounded if the level is in round_at
    band: Band
    step: Step
    children: tuple[Result, ...] = ()

    @property
    def zone(self) -> Zone:
        return self.band.zone


@dataclass(frozen=True)
class Scorecard:
    methodology: str  # id@version
    institutions: tuple[Result, ...]  # sorted by name; units (and products) as children

    def records(self) -> list[dict[str, str]]:
        """One record per institution, then one per unit if units were given: the CLI's output."""
        out: list[dict[str, str]] = []
        for inst in self.institutions:
            out.append(_record(inst, ""))
            out.extend(_record(unit, unit.unit) for unit in inst.children if unit.level == "unit")
        return out


def _record(result: Result, unit: str) -> dict[str, str]:
    return {"institution": result.institution, "unit": unit, "score": str(result.score),
            "category": result.band.code, "zone": result.band.zone.code}


def show(value: Decimal) -> str:
    """A number for an explanation: as is up to 4 decimals, else to 4 decimals with an ellipsis."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -4:
        return str(value)
    return f"{value.quantize(Decimal('0.0001'), rounding=ROUND_HALF_EVEN)}…"


def publish(methodology: Methodology, level: str, value: Decimal) -> Decimal:
    """The value as published at a level: rounded (half-up, 2 decimals) if the file says so."""
    agg = methodology.aggregation
    if level not in agg.round_at:
        return value
    return value.quantize(methodology.step, rounding=RULES[agg.rounding])


def classify(methodology: Methodology, score: Decimal) -> Band:
    """The band (category, zone) of a score; unrounded scores are rounded by the file's rule first."""
    return methodology.classify(score.quantize(methodology.step, rounding=RULES[methodology.aggregation.rounding]))


def _rounding_note(methodology: Methodology, level: str, exact: Decimal, published: Decimal) -> str:
    if level not in methodology.aggregation.round_at:
        return ""
    agg = methodology.aggregation
    return f" → {published} (dibulatkan {agg.rounding}, {agg.decimals} desimal)"


def _mean(values: list[Decimal]) -> Decimal:
    with localcontext(CONTEXT):
        return sum(values, ZERO) / len(values)


def _result(methodology: Methodology, level: str, names: tuple[str, str, str], exact: Decimal, name: str,
            formula: str, parts: tuple[Step, ...], children: tuple[Result, ...] = ()) -> Result:
    published = publish(methodology, level, exact)
    step = Step(name, published, formula + _rounding_note(methodology, level, exact, published), parts)
    return Result(level, *names, score=published, band=classify(methodology, published), step=step,
                  children=children)


def _averaged(methodology: Methodology, level: str, names: tuple[str, str, str], label: str,
              children: tuple[Result, ...], over: tuple[Result, ...] | None = None) -> Result:
    """A level that is the mean of ``over`` (default: its children) as they are published."""
    over = children if over is None else over
    values = [c.score for c in over]
    exact = _mean(values)
    terms = ", ".join(show(v) for v in values)
    formula = f"rata-rata {len(values)} nilai ({terms}) = {show(exact)}"
    return _result(methodology, level, names, exact, label, formula, tuple(c.step for c in over), children)


# --- from answers --------------------------------------------------------------------------------


def check_answer(methodology: Methodology, answer: Answer) -> Item:
    """The answer's item, if the answer fits it; ScoringError otherwise."""
    item = methodology.items.get(answer.item)
    if item is None:
        raise ScoringError(f"unknown item {answer.item!r} (not in {methodology.id})")
    if item.level == "product" and not answer.product:
        raise ScoringError(f"item {item.code} is answered per product: name the product")
    if item.level == "unit" and answer.product:
        raise ScoringError(f"item {item.code} is answered per unit: leave the product empty")
    if answer.value is None:
        if not item.na_allowed:
            raise ScoringError(f"item {item.code} may not be answered N/A")
        if not answer.reason.strip():
            raise ScoringError(f"item {item.code} answered N/A needs a reason")
    else:
        try:
            item.check(answer.value)
        except ValueError as exc:
            raise ScoringError(str(exc)) from exc
    return item


_Answers = dict[str, Answer]  # item code → answer


def score_answers(methodology: Methodology, answers: Iterable[Answer]) -> Scorecard:
    """Item answers → product, unit and institution scores (see the module docstring)."""
    units: dict[tuple[str, str], _Answers] = defaultdict(dict)
    products: dict[tuple[str, str], dict[str, _Answers]] = defaultdict(lambda: defaultdict(dict))
    for answer in answers:
        check_answer(methodology, answer)
        if not answer.institution or not answer.unit:
            raise ScoringError(f"item {answer.item}: every answer names its institution and unit")
        key = (answer.institution, answer.unit)
        target = products[key][answer.product] if answer.product else units[key]
        if answer.item in target:
            where = f"{answer.unit} / {answer.product}" if answer.product else answer.unit
            raise ScoringError(f"item {answer.item} is answered twice for {answer.institution} / {where}")
        target[answer.item] = answer
    if not units and not products:
        raise ScoringError("there are no answers to score")
    all_items = methodology.items.values()
    unit_items = [i.code for i in all_items if i.level == "unit"]
    product_items = [i.code for i in all_items if i.level == "product"]
    by_institution: dict[str, list[tuple[Result, tuple[Result, ...]]]] = defaultdict(list)
    for key in sorted(set(units) | set(products)):
        inst, unit = key
        unit_answers, unit_products = units.get(key, {}), dict(sorted(products.get(key, {}).items()))
        _require(unit_answers, unit_items, f"{inst} / {unit}")
        for product, given in unit_products.items():
            _require(given, product_items, f"{inst} / {unit} / {product}")
        if not unit_products and (product_items or methodology.aggregation.scored_level == "product"):
            raise ScoringError(f"{inst} / {unit}: no product answered (items {', '.join(product_items[:3])}…)")
        by_institution[inst].append(_score_unit(methodology, inst, unit, unit_answers, unit_products))
    results = []
    for inst, scored in sorted(by_institution.items()):
        unit_results = tuple(u for u, _ in scored)
        if methodology.aggregation.institution_from == "products":
            every_product = tuple(p for _, ps in scored for p in ps)
            results.append(_averaged(methodology, "institution", (inst, "", ""), f"instansi {inst}", unit_results,
                                     over=every_product))
        else:
            results.append(_averaged(methodology, "institution", (inst, "", ""), f"instansi {inst}", unit_results))
    return Scorecard(f"{methodology.id}@{methodology.version}", tuple(results))


def _require(given: _Answers, codes: list[str], where: str) -> None:
    missing = [c for c in codes if c not in given]
    if missing:
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        raise ScoringError(f"{where}: no answer for item(s) {shown} (answer NA with a reason where allowed)")


def _score_unit(methodology: Methodology, inst: str, unit: str, unit_answers: _Answers,
                unit_products: dict[str, _Answers]) -> tuple[Result, tuple[Result, ...]]:
    unit_x = {code: _item_share(methodology.items[code], a) for code, a in unit_answers.items()}
    names = (inst, unit, "")
    if methodology.aggregation.scored_level == "product":
        product_results = []
        for product, given in unit_products.items():
            shares = {**unit_x, **{c: _item_share(methodology.items[c], a) for c, a in given.items()}}
            exact, formula, parts = _entity(methodology, shares, f"{inst} / {unit} / {product}")
            product_results.append(_result(methodology, "product", (inst, unit, product), exact,
                                           f"produk {product}", formula, parts))
        children = tuple(product_results)
        return _averaged(methodology, "unit", names, f"unit {unit}", children), children
    shares = dict(unit_x)
    for code in (i.code for i in methodology.items.values() if i.level == "product"):
        per_product = [(p, _item_share(methodology.items[code], given[code])) for p, given in unit_products.items()]
        shares[code] = _product_mean(code, per_product)
    exact, formula, parts = _entity(methodology, shares, f"{inst} / {unit}")
    return _result(methodology, "unit", names, exact, f"unit {unit}", formula, parts), ()


def _item_share(item: Item, answer: Answer) -> Step:
    if answer.value is None:
        return Step(f"item {item.code}", None, f"tidak berlaku ({answer.reason.strip()}): "
                    "tidak dihitung dalam capaian maupun maksimum")
    with localcontext(CONTEXT):
        share = item.normalise(answer.value)
    return Step(f"item {item.code}", share, f"({answer.value} − {item.minimum}) / ({item.maximum} − {item.minimum})")


def _product_mean(code: str, per_product: list[tuple[str, Step]]) -> Step:
    applicable = [(p, s) for p, s in per_product if s.value is not None]
    parts = tuple(Step(f"produk {p}", s.value, s.formula) for p, s in per_product)
    if not applicable:
        return Step(f"item {code}", None, "tidak berlaku pada semua produk", parts)
    value = _mean([s.value for _, s in applicable if s.value is not None])
    terms = ", ".join(show(s.value) for _, s in applicable if s.value is not None)
    return Step(f"item {code}", value, f"rata-rata produk ({terms})", parts)


def _entity(methodology: Methodology, shares: Mapping[str, Step], where: str) -> tuple[Decimal, str, tuple[Step, ...]]:
    """Σ of dimension contributions for one scored product or unit: (exact score, formula, steps)."""
    steps: list[Step] = []
    contributions: list[tuple[Decimal, Decimal]] = []  # (contribution, dimension points)
    with localcontext(CONTEXT):
        for dim in methodology.dimensions:
            items = [(i, shares[i.code]) for i in dim.items if i.code in shares]
            live = [(i, s.value) for i, s in items if s.value is not None]
            item_steps = tuple(s for _, s in items)
            if not live:
                steps.append(Step(f"dimensi {dim.code}", None, "semua item tidak berlaku: dimensi tidak dihitung, "
                                  "nilai diskalakan ke dimensi lain", item_steps))
                continue
            achieved = sum((i.weight * x for i, x in live), ZERO)
            maximum = sum((i.weight for i, _ in live), ZERO)
            contribution = dim.points * achieved / maximum
            contributions.append((contribution, dim.points))
            steps.append(Step(f"dimensi {dim.code}", contribution,
                              f"{show(dim.points)} × Σ bobot×capaian / Σ bobot = {show(dim.points)} × "
                              f"{show(achieved)} / {show(maximum)} ({len(live)} item berlaku)", item_steps))
        if not contributions:
            raise ScoringError(f"{where}: every item is N/A; there is nothing to score")
        total = sum((c for c, _ in contributions), ZERO)
        terms = " + ".join(show(c) for c, _ in contributions)
        applicable = sum((p for _, p in contributions), ZERO)
        if applicable == HUNDRED:
            return total, f"jumlah kontribusi {terms} = {show(total)}", tuple(steps)
        exact = total * HUNDRED / applicable
        return exact, (f"({terms}) × 100 / {show(applicable)} (dimensi yang berlaku) = {show(exact)}"), tuple(steps)


# --- from published points or given scores --------------------------------------------------------


def check_points(methodology: Methodology, dimension: str, value: Decimal) -> None:
    """ValueError unless ``value`` is a dimension's points, 0 up to its weight."""
    dim = next((d for d in methodology.dimensions if d.code == dimension), None)
    if dim is None:
        raise ValueError(f"unknown dimension {dimension!r}; known: {', '.join(d.code for d in methodology.dimensions)}")
    if value < 0:
        raise ValueError(f"{value} is negative; {dimension} points run from 0 to {show(dim.points)}")
    if value > dim.points:
        raise ValueError(f"{value} is above the dimension's weight: {dimension} points run from 0 to "
                         f"{show(dim.points)}")


def check_score(value: Decimal) -> None:
    if not ZERO <= value <= HUNDRED:
        raise ValueError(f"{value} is outside 0–100")


def score_points(methodology: Methodology, rows: Iterable[PointsRow]) -> Scorecard:
    """§8 dimension-level rows: each unit's (or institution's) score is the sum of its points."""
    def make(row: PointsRow, level: str, label: str) -> Result:
        parts = []
        for dim in methodology.dimensions:
            if dim.code not in row.points:
                raise ScoringError(f"{row.institution} / {row.unit or '-'}: no points for dimension {dim.code}")
            try:
                check_points(methodology, dim.code, row.points[dim.code])
            except ValueError as exc:
                raise ScoringError(f"{row.institution} / {row.unit or '-'}: {exc}") from exc
            parts.append(Step(f"dimensi {dim.code}", row.points[dim.code], f"poin seperti dipublikasikan "
                              f"(0–{show(dim.points)})"))
        with localcontext(CONTEXT):
            exact = sum((p.value for p in parts if p.value is not None), ZERO)
        formula = f"jumlah poin {' + '.join(show(p.value) for p in parts if p.value is not None)} = {show(exact)}"
        return _result(methodology, level, (row.institution, row.unit, ""), exact, label, formula, tuple(parts))

    return _rows_scorecard(methodology, rows, make)


def score_given(methodology: Methodology, rows: Iterable[GivenRow]) -> Scorecard:
    """§8 single ``score`` rows: classified as they stand; units averaged into their institution."""
    def make(row: GivenRow, level: str, label: str) -> Result:
        try:
            check_score(row.score)
        except ValueError as exc:
            raise ScoringError(f"{row.institution} / {row.unit or '-'}: {exc}") from exc
        return _result(methodology, level, (row.institution, row.unit, ""), row.score, label,
                       f"nilai seperti diberikan: {row.score}", ())

    return _rows_scorecard(methodology, rows, make)


def _rows_scorecard(methodology: Methodology, rows: Iterable[_Row],
                    build: Callable[[_Row, str, str], Result]) -> Scorecard:
    units: dict[str, dict[str, Result]] = defaultdict(dict)
    institutions: dict[str, Result] = {}
    for row in rows:
        if not row.institution:
            raise ScoringError("a row has no institution")
        if row.unit:
            if row.institution in institutions:
                raise ScoringError(f"{row.institution} is given both as a whole and by unit")
            if row.unit in units[row.institution]:
                raise ScoringError(f"{row.institution} / {row.unit} is given twice")
            units[row.institution][row.unit] = build(row, "unit", f"unit {row.unit}")
        else:
            if row.institution in institutions or units.get(row.institution):
                raise ScoringError(f"{row.institution} is given twice")
            institutions[row.institution] = build(row, "institution", f"instansi {row.institution}")
    for inst, by_unit in units.items():
        if by_unit:
            children = tuple(r for _, r in sorted(by_unit.items()))
            institutions[inst] = _averaged(methodology, "institution", (inst, "", ""), f"instansi {inst}", children)
    if not institutions:
        raise ScoringError("there are no rows to score")
    return Scorecard(f"{methodology.id}@{methodology.version}", tuple(r for _, r in sorted(institutions.items())))


# --- distribution --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    code: str
    label: str
    count: int
    percent: Decimal  # of the total, rounded half-up to 2 decimals


@dataclass(frozen=True)
class Distribution:
    total: int
    zones: tuple[Share, ...]
    categories: tuple[Share, ...]


def distribution(methodology: Methodology, bands: Iterable[Band]) -> Distribution:
    """How many results fall in each zone and category, with shares in percent (half-up, 2 dp)."""
    counted = list(bands)
    total = len(counted)

    def share(code: str, label: str, count: int) -> Share:
        with localcontext(CONTEXT):
            exact = Decimal(count) * HUNDRED / total if total else ZERO
        return Share(code, label, count, exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    zones = tuple(share(z.code, z.label, sum(1 for b in counted if b.zone.code == z.code)) for z in methodology.zones)
    categories = tuple(share(c.code, c.label, sum(1 for b in counted if b.code == c.code))
                       for c in methodology.categories)
    return Distribution(total, zones, categories)
