"""The checks behind ``methodology.load``: every key, type, code, weight and band of a file.

Each problem is ``path: reason``; paths count list entries from 0, as in
``dimensions[2].variables[0].items[4].answer``. Pure Python.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Any

from pantau.assessments.methodology import (
    ANSWER_TYPES,
    EVIDENCE,
    ITEM_LEVELS,
    METHODS,
    WEIGHT_TOLERANCE,
    Aggregation,
    Band,
    Dimension,
    Item,
    Methodology,
    Scale,
    Variable,
    Zone,
)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
LEVEL_CHOICES = (("institution", "unit", "product"), ("institution", "unit"))
ZONE_CODES = ("green", "yellow", "red")
ROUNDING_RULES = ("half-up", "half-even")  # half-even only so that a file can say so; Ombudsman: half-up
PARTIAL_DEFAULT = (Decimal(0), Decimal("0.5"), Decimal(1))

TOP_REQUIRED = ("id", "version", "title", "era", "sources", "levels", "weights", "aggregation", "zones",
                "categories", "dimensions")
TOP_OPTIONAL = ("official", "based_on", "description", "scales")
ITEM_REQUIRED = ("code", "text", "answer", "level", "methods")
ITEM_OPTIONAL = ("points", "labels", "scale", "min", "max", "weight", "respondent", "evidence", "na", "derived",
                 "derived_from", "source")


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        return None
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


class Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.codes: dict[str, str] = {}  # every dimension, variable and item code → its path

    def fail(self, path: str, reason: str) -> None:
        self.problems.append(f"{path or '(file)'}: {reason}")

    # --- generic ---------------------------------------------------------------------------------

    def table(self, data: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fail(path, f"must be a table of keys ({', '.join(required)}), not {type(data).__name__}")
            return {}
        for key in data:
            if key not in required and key not in optional:
                self.fail(_join(path, key), f"unknown key; allowed here: {', '.join(required + optional)}")
        for key in required:
            if key not in data:
                self.fail(_join(path, key), "missing (required)")
        return data

    def text(self, data: dict[str, Any], key: str, path: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if value is None:
            return ""  # reported as missing by table()
        if not isinstance(value, str) or (default is None and not value.strip()):
            self.fail(_join(path, key), "must be a non-empty text")
            return ""
        return value.strip()

    def flag(self, data: dict[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(_join(path, key), "must be true or false")
            return False
        return value

    def texts(self, data: dict[str, Any], key: str, path: str, allowed: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(_join(path, key), "must be a list of non-empty texts")
            return ()
        for n, v in enumerate(value):
            if allowed and v not in allowed:
                self.fail(_join(_join(path, key), n), f"{v!r} is not one of: {', '.join(allowed)}")
        if len(set(value)) != len(value):
            self.fail(_join(path, key), "lists an entry twice")
        return tuple(v.strip() for v in value)

    def number(self, data: dict[str, Any], key: str, path: str, default: Decimal | None = None) -> Decimal | None:
        if key not in data:
            return default
        value = _number(data[key])
        if value is None or not value.is_finite():
            self.fail(_join(path, key), f"must be a number, not {data[key]!r}")
        return value

    def code(self, data: dict[str, Any], path: str, kind: str) -> str:
        code = self.text(data, "code", path)
        if not code:
            return ""
        if not CODE_RE.match(code):
            self.fail(_join(path, "code"), f"{code!r} is not a code (letters, digits, _ or -; at most 40)")
        elif code in self.codes:
            self.fail(_join(path, "code"), f"duplicate code {code!r} (also at {self.codes[code]})")
        else:
            self.codes[code] = path
        return code

    # --- the file --------------------------------------------------------------------------------

    def methodology(self, data: Any) -> Methodology | None:
        top = self.table(data, "", TOP_REQUIRED, TOP_OPTIONAL)
        if not top:
            return None
        ident = self.text(top, "id", "")
        if ident and not ID_RE.match(ident):
            self.fail("id", f"{ident!r} must be lower-case letters, digits and dashes, e.g. 'ombudsman-2022'")
        levels = self.texts(top, "levels", "")
        if levels and levels not in LEVEL_CHOICES:
            self.fail("levels", f"must be {' or '.join(str(list(c)) for c in LEVEL_CHOICES)}")
            levels = LEVEL_CHOICES[0]
        levels = levels or LEVEL_CHOICES[0]
        weights = self.text(top, "weights", "")
        if weights and weights not in ("points", "fraction"):
            self.fail("weights", "must be 'points' (dimension weights sum to 100) or 'fraction' (they sum to 1)")
        sources = self.texts(top, "sources", "")
        if "sources" in top and not sources:
            self.fail("sources", "name at least one source")
        aggregation = self.aggregation(top.get("aggregation"), levels)
        scales = self.scales(top.get("scales", {}))
        zones = self.zones(top.get("zones"))
        categories = self.categories(top.get("categories"), zones, aggregation.decimals)
        dimensions = self.dimensions(top.get("dimensions"), weights, levels, scales)
        if self.problems:
            return None
        return Methodology(
            id=ident, version=self.text(top, "version", ""), title=self.text(top, "title", ""),
            era=self.text(top, "era", ""), official=self.flag(top, "official", ""),
            based_on=self.text(top, "based_on", "", default=""),
            description=self.text(top, "description", "", default=""),
            sources=sources, levels=levels, weights=weights, aggregation=aggregation,
            scales=tuple(scales.values()), dimensions=dimensions, zones=tuple(zones.values()),
            categories=categories,
        )

    def aggregation(self, data: Any, levels: tuple[str, ...]) -> Aggregation:
        path = "aggregation"
        keys = ("scored_level", "institution_from", "rounding", "decimals", "round_at")
        table = self.table(data, path, keys, ())
        scored = self.text(table, "scored_level", path) if table else "unit"
        if table and scored not in ("product", "unit"):
            self.fail(f"{path}.scored_level", "must be 'product' (era 1: a score per product) or 'unit' (era 2)")
        elif scored not in levels:
            self.fail(f"{path}.scored_level", f"{scored!r} is not one of the levels {list(levels)}")
        source = self.text(table, "institution_from", path) if table else "units"
        if table and source not in ("units", "products"):
            self.fail(f"{path}.institution_from", "must be 'units' or 'products' (the institution is their mean)")
        elif source == "products" and scored != "product":
            self.fail(f"{path}.institution_from", "'products' needs scored_level = 'product'")
        rounding = self.text(table, "rounding", path) if table else "half-up"
        if table and rounding not in ROUNDING_RULES:
            self.fail(f"{path}.rounding", f"{rounding!r} is not one of: {', '.join(ROUNDING_RULES)}")
        decimals = table.get("decimals", 2)
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
            self.fail(f"{path}.decimals", "must be a whole number from 0 to 4")
            decimals = 2
        round_at = self.texts(table, "round_at", path, allowed=tuple(levels)) if table else ()
        return Aggregation(scored, source, rounding, decimals, round_at)

    def scales(self, data: Any) -> dict[str, Scale]:
        if not isinstance(data, dict):
            self.fail("scales", "must be a table of named scales")
            return {}
        out: dict[str, Scale] = {}
        for name, body in data.items():
            path = f"scales.{name}"
            table = self.table(body, path, ("points",), ("labels",))
            if table:
                points, labels = self.points(table, path)
                out[name] = Scale(name, points, labels)
        return out

    def points(self, table: dict[str, Any], path: str) -> tuple[tuple[Decimal, ...], tuple[str, ...]]:
        raw = table.get("points")
        values = [_number(v) for v in raw] if isinstance(raw, list) else []
        if not values or None in values:
            self.fail(_join(path, "points"), "must be a list of numbers, e.g. [0, 1, 2, 3, 4, 5]")
            return (), ()
        points = tuple(v for v in values if v is not None)
        if len(points) < 2:
            self.fail(_join(path, "points"), "a scale needs at least two points")
        elif any(b <= a for a, b in zip(points, points[1:], strict=False)):
            self.fail(_join(path, "points"), "must rise strictly, lowest first, each point once")
        labels = self.texts(table, "labels", path)
        if labels and len(labels) != len(points):
            self.fail(_join(path, "labels"), f"has {len(labels)} labels for {len(points)} points")
        return points, labels

    def zones(self, data: Any) -> dict[str, Zone]:
        if not isinstance(data, list) or not data:
            self.fail("zones", "must list the zones, e.g. [[zones]] code = 'green' label = 'Hijau'")
            return {}
        out: dict[str, Zone] = {}
        for n, body in enumerate(data):
            path = f"zones[{n}]"
            table = self.table(body, path, ("code", "label"), ())
            code = self.text(table, "code", path) if table else ""
            if code and code not in ZONE_CODES:
                self.fail(f"{path}.code", f"{code!r} is not one of: {', '.join(ZONE_CODES)}")
            elif code in out:
                self.fail(f"{path}.code", f"duplicate zone {code!r}")
            elif code:
                out[code] = Zone(code, self.text(table, "label", path))
        return out

    def categories(self, data: Any, zones: dict[str, Zone], decimals: int) -> tuple[Band, ...]:
        if not isinstance(data, list) or not data:
            self.fail("categories", "must list the score bands covering 0–100")
            return ()
        step = Decimal(1).scaleb(-decimals)
        bands: list[tuple[int, Band]] = []
        seen: set[str] = set()
        before = len(self.problems)
        for n, body in enumerate(data):
            path = f"categories[{n}]"
            table = self.table(body, path, ("code", "label", "min", "max", "zone"), ())
            if not table:
                continue
            code = self.text(table, "code", path)
            if code in seen:
                self.fail(f"{path}.code", f"duplicate category {code!r}")
            seen.add(code)
            low, high = self.number(table, "min", path), self.number(table, "max", path)
            zone = zones.get(self.text(table, "zone", path))
            if zone is None and "zone" in table:
                self.fail(f"{path}.zone", f"{table['zone']!r} is not a zone listed under zones")
            if low is None or high is None or zone is None:
                continue
            for key, value in (("min", low), ("max", high)):
                if not Decimal(0) <= value <= Decimal(100):
                    self.fail(f"{path}.{key}", f"{value} is outside 0–100")
                elif value != value.quantize(step):
                    self.fail(f"{path}.{key}", f"{value} has more than {decimals} decimals (aggregation.decimals)")
            if low > high:
                self.fail(path, f"min {low} is above max {high}")
                continue
            bands.append((n, Band(code, self.text(table, "label", path), low, high, zone)))
        if len(self.problems) > before:
            return ()  # the coverage of 0–100 is checked once each band is right
        bands.sort(key=lambda nb: nb[1].minimum)
        if bands and bands[0][1].minimum != 0:
            self.fail(f"categories[{bands[0][0]}].min", f"the lowest band starts at {bands[0][1].minimum}; "
                      "scores from 0 would have no category")
        if bands and bands[-1][1].maximum != 100:
            self.fail(f"categories[{bands[-1][0]}].max", f"the highest band ends at {bands[-1][1].maximum}; "
                      "scores up to 100 would have no category")
        for (_, low_band), (n, band) in zip(bands, bands[1:], strict=False):
            if band.minimum <= low_band.maximum:
                self.fail(f"categories[{n}].min", f"band {band.code} ({band.minimum}–{band.maximum}) overlaps "
                          f"band {low_band.code} ({low_band.minimum}–{low_band.maximum})")
            elif band.minimum - low_band.maximum > step:
                self.fail(f"categories[{n}].min", f"gap: scores above {low_band.maximum} ({low_band.code}) and "
                          f"below {band.minimum} ({band.code}) have no category; bands must meet at {step} steps")
        return tuple(b for _, b in reversed(bands))

    def dimensions(self, data: Any, weights: str, levels: tuple[str, ...],
                   scales: dict[str, Scale]) -> tuple[Dimension, ...]:
        if not isinstance(data, list) or not data:
            self.fail("dimensions", "must list at least one dimension")
            return ()
        total_points = Decimal(1) if weights == "fraction" else Decimal(100)
        out: list[Dimension] = []
        for n, body in enumerate(data):
            path = f"dimensions[{n}]"
            table = self.table(body, path, ("code", "title", "weight", "variables"), ())
            if not table:
                continue
            code = self.code(table, path, "dimension")
            weight = self.number(table, "weight", path)
            if weight is not None and weight <= 0:
                self.fail(f"{path}.weight", f"dimension {code!r}: the weight must be above 0, not {weight}")
            variables = self.variables(table.get("variables"), path, code, levels, scales)
            if weight is not None:
                out.append(Dimension(code, self.text(table, "title", path), weight, weight, variables))
        if len(out) != len(data) or not out:
            return ()
        total = sum((d.weight for d in out), Decimal(0))
        if abs(total - total_points) > WEIGHT_TOLERANCE * total_points:
            terms = " + ".join(str(d.weight) for d in out)
            self.fail("dimensions", f"the dimension weights ({terms}) sum to {total}, not {total_points} "
                      f"(weights = {weights!r}; tolerance ±{WEIGHT_TOLERANCE * total_points})")
            return ()
        if total == 100:
            return tuple(out)
        # Points on the 0–100 scale, scaled so that they sum to exactly 100 (fractions, tolerance).
        return tuple(dataclasses.replace(d, points=d.weight * 100 / total) for d in out)

    def variables(self, data: Any, parent: str, dimension: str, levels: tuple[str, ...],
                  scales: dict[str, Scale]) -> tuple[Variable, ...]:
        path = f"{parent}.variables"
        if not isinstance(data, list) or not data:
            self.fail(path, "must list at least one variable")
            return ()
        out = []
        for n, body in enumerate(data):
            vpath = f"{path}[{n}]"
            table = self.table(body, vpath, ("code", "title", "items"), ())
            if not table:
                continue
            code = self.code(table, vpath, "variable")
            raw_items = table.get("items")
            if not isinstance(raw_items, list) or not raw_items:
                self.fail(f"{vpath}.items", "must list at least one item")
                continue
            items = tuple(
                it for k, item in enumerate(raw_items)
                if (it := self.item(item, f"{vpath}.items[{k}]", dimension, code, levels, scales)) is not None
            )
            out.append(Variable(code, self.text(table, "title", vpath), items))
        return tuple(out)

    def item(self, data: Any, path: str, dimension: str, variable: str, levels: tuple[str, ...],
             scales: dict[str, Scale]) -> Item | None:
        table = self.table(data, path, ITEM_REQUIRED, ITEM_OPTIONAL)
        if not table:
            return None
        code = self.code(table, path, "item")
        answer = self.text(table, "answer", path)
        level = self.text(table, "level", path)
        if level and (level not in ITEM_LEVELS or level not in levels):
            allowed = [lv for lv in ITEM_LEVELS if lv in levels]
            self.fail(f"{path}.level", f"item {code!r}: {level!r} is not one of {allowed} (where it is answered)")
        methods = self.texts(table, "methods", path, allowed=METHODS)
        if "methods" in table and not methods:
            self.fail(f"{path}.methods", f"item {code!r}: say who answers it ({', '.join(METHODS)})")
        evidence = self.texts(table, "evidence", path, allowed=EVIDENCE)
        points: tuple[Decimal, ...] = ()
        labels: tuple[str, ...] = ()
        low = high = None
        shape = {k for k in ("points", "scale", "min", "max") if k in table}
        if answer and answer not in ANSWER_TYPES:
            self.fail(f"{path}.answer", f"item {code!r}: unknown answer type {answer!r}; "
                      f"known: {', '.join(ANSWER_TYPES)}")
        elif answer == "yes-no":
            if shape:
                self.fail(path, f"item {code!r}: a yes-no item takes no {', '.join(sorted(shape))}")
            points = (Decimal(0), Decimal(1))
        elif answer == "numeric":
            if shape - {"min", "max"}:
                self.fail(path, f"item {code!r}: a numeric item takes min and max, not points or a scale")
            low, high = self.number(table, "min", path), self.number(table, "max", path)
            if low is None or high is None:
                self.fail(path, f"item {code!r}: a numeric item needs min and max")
            elif low >= high:
                self.fail(f"{path}.max", f"item {code!r}: max {high} must be above min {low}")
        elif answer in ("partial", "ordinal"):
            if "min" in shape or "max" in shape:
                self.fail(path, f"item {code!r}: an {answer} item takes points or a scale, not min/max")
            if "scale" in table:
                scale = scales.get(str(table["scale"]))
                if "points" in table:
                    self.fail(path, f"item {code!r}: give points or a scale, not both")
                if scale is None:
                    self.fail(f"{path}.scale", f"item {code!r}: no scale {table['scale']!r} under [scales] "
                              f"(known: {', '.join(scales) or 'none'})")
                else:
                    points, labels = scale.points, scale.labels
            elif "points" in table:
                points, labels = self.points(table, path)
            elif answer == "partial":
                points = PARTIAL_DEFAULT
            else:
                self.fail(f"{path}.points", f"item {code!r}: an ordinal scale needs its points, "
                          "e.g. points = [0, 1, 2, 3, 4, 5], or scale = '<a name under [scales]>'")
        if "labels" in table and "points" not in table:
            self.fail(f"{path}.labels", f"item {code!r}: labels go with points")
        weight = self.number(table, "weight", path, default=Decimal(1))
        if weight is not None and weight <= 0:
            self.fail(f"{path}.weight", f"item {code!r}: the weight must be above 0, not {weight}")
        derived = self.flag(table, "derived", path)
        derived_from = self.texts(table, "derived_from", path)
        source = self.text(table, "source", path, default="")
        if derived and not derived_from:
            self.fail(f"{path}.derived_from", f"item {code!r} is derived: name the legal source it comes from")
        if not derived and not source:
            self.fail(f"{path}.source", f"item {code!r}: name its source, or mark it derived with derived_from")
        if points:
            low, high = points[0], points[-1]
        if self.problems or low is None or high is None or weight is None:
            return None
        return Item(
            code=code, text=self.text(table, "text", path), answer=answer, level=level,
            dimension=dimension, variable=variable, points=points, labels=labels, minimum=low, maximum=high,
            weight=weight, methods=methods, respondent=self.text(table, "respondent", path, default=""),
            evidence=evidence, na_allowed=self.flag(table, "na", path),
            derived=derived, derived_from=derived_from, source=source,
        )
