"""Assessment methodologies as data: load a file, check it, and give it back as frozen objects.

Pure Python (no Django), so that ``scoring.py``, the ``pantau score`` command and the tests share
it. A methodology file is TOML (or JSON with the same keys): levels institution → unit → product,
dimensions with weights, variables, items with their answer type, who answers them and the
evidence they need, the aggregation and rounding rules, and the category/zone table. Sources and
the choices made where they are silent: ``shared/docs/methodology.md`` §8 and
``docs/decisions/0018-methodologies-as-data.md``.

Loading refuses a bad file with *every* problem found, each as ``file: path: reason``, e.g.
``ombudsman-2022.toml: dimensions[1].weight: the dimension weights sum to 99.99, not 100 …``.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

# Under data/ so that the package data of pyproject.toml ("data/**/*") installs them with the code.
SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "methodologies"

ANSWER_TYPES = ("yes-no", "partial", "ordinal", "numeric")
ITEM_LEVELS = ("unit", "product")
METHODS = ("observation", "document", "interview")
EVIDENCE = ("photo", "document", "url", "note")
#: Weights may miss their total (100 points, or 1 when ``weights = "fraction"``) by at most this
#: share of it: 0.001 points of 100, 0.00001 of 1. Shipped files are exact.
WEIGHT_TOLERANCE = Decimal("0.00001")
YES = ("1", "ya", "yes", "true")
NO = ("0", "tidak", "no", "false")
NOT_APPLICABLE = ("na", "n/a", "tidak berlaku", "tb")


class MethodologyError(ValueError):
    """A methodology file that cannot be used; ``problems`` holds one line per fault."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


@dataclass(frozen=True)
class Scale:
    name: str
    points: tuple[Decimal, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    code: str
    text: str
    answer: str  # one of ANSWER_TYPES
    level: str  # "unit" or "product": where it is answered
    dimension: str
    variable: str
    points: tuple[Decimal, ...]  # allowed values (yes-no, partial, ordinal); () for numeric
    labels: tuple[str, ...]
    minimum: Decimal
    maximum: Decimal
    weight: Decimal
    methods: tuple[str, ...]  # who answers: observation, document, interview
    respondent: str
    evidence: tuple[str, ...]  # what must be attached
    na_allowed: bool
    derived: bool
    derived_from: tuple[str, ...]
    source: str

    def normalise(self, value: Decimal) -> Decimal:
        """The share of the item achieved, 0..1: (value − lowest) / (highest − lowest)."""
        return (value - self.minimum) / (self.maximum - self.minimum)

    def parse(self, text: str) -> Decimal | None:
        """An answer as written in a file: a number (``8,5`` or ``8.5``), ya/tidak, or NA (None).

        Raises ValueError with a sentence naming what is allowed.
        """
        raw = text.strip().lower()
        if raw in NOT_APPLICABLE:
            if not self.na_allowed:
                raise ValueError(f"item {self.code} may not be answered N/A")
            return None
        if self.answer == "yes-no" and raw in YES + NO:
            return Decimal(1) if raw in YES else Decimal(0)
        value = parse_number(text)
        if value is None:
            raise ValueError(f"{text.strip()!r} is not an answer to item {self.code} ({self.allowed()})")
        self.check(value)
        return value

    def check(self, value: Decimal) -> None:
        if self.points and value not in self.points:
            raise ValueError(f"{value} is not on the scale of item {self.code} ({self.allowed()})")
        if not self.minimum <= value <= self.maximum:
            raise ValueError(f"{value} is outside item {self.code}'s range ({self.allowed()})")

    def allowed(self) -> str:
        na = ", or NA with a reason" if self.na_allowed else ""
        if self.answer == "yes-no":
            return f"1/ya or 0/tidak{na}"
        if self.points:
            return "one of " + ", ".join(str(p) for p in self.points) + na
        return f"a number from {self.minimum} to {self.maximum}{na}"


@dataclass(frozen=True)
class Variable:
    code: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Dimension:
    code: str
    title: str
    weight: Decimal  # as written in the file
    points: Decimal  # the weight on the 0–100 scale (= weight, or weight × 100 for fractions)
    variables: tuple[Variable, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for v in self.variables for i in v.items)


@dataclass(frozen=True)
class Zone:
    code: str  # green, yellow, red
    label: str


@dataclass(frozen=True)
class Band:
    """A category: scores from ``minimum`` to ``maximum`` inclusive, at the published decimals."""

    code: str
    label: str
    minimum: Decimal
    maximum: Decimal
    zone: Zone


@dataclass(frozen=True)
class Aggregation:
    scored_level: str  # "product" (era 1) or "unit" (era 2): where dimension contributions are summed
    institution_from: str  # "units" or "products": the institution is the mean of these
    rounding: str  # "half-up"
    decimals: int
    round_at: tuple[str, ...]  # levels whose scores are published rounded


@dataclass(frozen=True)
class Methodology:
    id: str
    version: str
    title: str
    era: str
    official: bool
    based_on: str
    description: str
    sources: tuple[str, ...]
    levels: tuple[str, ...]
    weights: str  # "points" (sum 100) or "fraction" (sum 1)
    aggregation: Aggregation
    scales: tuple[Scale, ...]
    dimensions: tuple[Dimension, ...]
    zones: tuple[Zone, ...]
    categories: tuple[Band, ...]  # highest first
    origin: str = dataclasses.field(default="", compare=False)  # the file it came from

    @cached_property
    def items(self) -> Mapping[str, Item]:
        return {i.code: i for d in self.dimensions for i in d.items}

    @property
    def step(self) -> Decimal:
        return Decimal(1).scaleb(-self.aggregation.decimals)

    def classify(self, score: Decimal) -> Band:
        """The band of a score as published (already rounded to the methodology's decimals)."""
        for band in self.categories:
            if band.minimum <= score <= band.maximum:
                return band
        raise ValueError(f"{score} is outside 0–100 or not rounded to {self.aggregation.decimals} decimals")

    def copy_as(self, id: str, version: str, title: str | None = None, official: bool = False) -> Methodology:
        """An editable copy under a new id and version (e.g. a province's own self-assessment)."""
        return dataclasses.replace(
            self, id=id, version=version, title=title or self.title, official=official,
            based_on=f"{self.id}@{self.version}", origin="",
        )

    def to_dict(self) -> dict[str, Any]:
        """The file form (JSON-ready except for Decimals; see ``dump_json``), loadable again."""
        out: dict[str, Any] = {
            "id": self.id, "version": self.version, "title": self.title, "era": self.era,
            "official": self.official, "based_on": self.based_on, "description": self.description,
            "sources": list(self.sources), "levels": list(self.levels), "weights": self.weights,
            "aggregation": {
                "scored_level": self.aggregation.scored_level,
                "institution_from": self.aggregation.institution_from,
                "rounding": self.aggregation.rounding, "decimals": self.aggregation.decimals,
                "round_at": list(self.aggregation.round_at),
            },
            "scales": {s.name: {"points": list(s.points), **({"labels": list(s.labels)} if s.labels else {})}
                       for s in self.scales},
            "zones": [{"code": z.code, "label": z.label} for z in self.zones],
            "categories": [
                {"code": b.code, "label": b.label, "min": b.minimum, "max": b.maximum, "zone": b.zone.code}
                for b in self.categories
            ],
            "dimensions": [
                {"code": d.code, "title": d.title, "weight": d.weight,
                 "variables": [{"code": v.code, "title": v.title, "items": [_item_dict(i) for i in v.items]}
                               for v in d.variables]}
                for d in self.dimensions
            ],
        }
        return out


def _item_dict(i: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"code": i.code, "text": i.text, "answer": i.answer, "level": i.level,
                           "weight": i.weight, "methods": list(i.methods), "evidence": list(i.evidence)}
    if i.answer == "numeric":
        out.update(min=i.minimum, max=i.maximum)
    elif i.answer != "yes-no":
        out["points"] = list(i.points)
        if i.labels:
            out["labels"] = list(i.labels)
    for key, value in (("respondent", i.respondent), ("na", i.na_allowed), ("derived", i.derived),
                       ("derived_from", list(i.derived_from)), ("source", i.source)):
        if value:
            out[key] = value
    return out


def dump_json(methodology: Methodology) -> str:
    """The methodology as a JSON file that ``load`` reads back to an equal methodology."""

    def number(value: object) -> object:
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        raise TypeError(type(value).__name__)

    return json.dumps(methodology.to_dict(), default=number, ensure_ascii=False, indent=2) + "\n"


def parse_number(text: str) -> Decimal | None:
    """A plain decimal number, with ``.`` or ``,`` as the decimal mark; None if it is not one."""
    raw = text.strip().replace(",", ".", 1) if text.count(",") == 1 and "." not in text else text.strip()
    if not raw or not all(c.isdigit() or c in ".-+" for c in raw):
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


# --- loading -------------------------------------------------------------------------------------


def shipped() -> dict[str, Path]:
    """The methodology files that come with Pantau, by id (the file name)."""
    return {p.stem: p for p in sorted(SHIPPED_DIR.glob("*.toml"))}


def load_shipped(methodology_id: str) -> Methodology:
    files = shipped()
    if methodology_id not in files:
        raise KeyError(methodology_id)
    return load(files[methodology_id])


def load(path: str | Path) -> Methodology:
    """Read and check a methodology file (``.toml`` or ``.json``)."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MethodologyError(name, [f"cannot be read: {exc}"]) from exc
    try:
        if path.suffix == ".json":
            data = json.loads(text, parse_float=Decimal)
        else:
            data = tomllib.loads(text, parse_float=Decimal)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise MethodologyError(name, [f"is not valid {'JSON' if path.suffix == '.json' else 'TOML'}: {exc}"]) from exc
    methodology = from_dict(data, source=name)
    if path.parent == SHIPPED_DIR and methodology.id != path.stem:
        raise MethodologyError(name, [f"id: {methodology.id!r} must equal the file name {path.stem!r}"])
    return dataclasses.replace(methodology, origin=str(path))


def from_dict(data: object, source: str = "<data>") -> Methodology:
    """Check the file's data and build the methodology; MethodologyError lists every problem."""
    from pantau.assessments.methodology_check import Checker

    checker = Checker(source)
    result = checker.methodology(data)
    if checker.problems or result is None:
        raise MethodologyError(source, checker.problems or ["is empty"])
    return result
