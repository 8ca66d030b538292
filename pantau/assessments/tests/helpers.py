"""Building blocks for the assessment tests: the shipped methodologies and full sets of answers."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from typing import Any

from pantau.assessments import methodology, scoring

M2016 = methodology.load_shipped("ombudsman-2016")
M2022 = methodology.load_shipped("ombudsman-2022")
D = Decimal


def raw(methodology_id: str = "ombudsman-2022") -> dict[str, Any]:
    """A shipped file's data, to change before checking it again."""
    text = methodology.shipped()[methodology_id].read_text(encoding="utf-8")
    return tomllib.loads(text, parse_float=Decimal)


def answers(m: methodology.Methodology, institution: str, unit: str, products: list[str],
            value: Any = None) -> list[scoring.Answer]:
    """Every item of ``m`` answered for one unit and its products; ``value(item, product)`` gives
    each value (default: the highest point, or the numeric maximum)."""
    out = []
    for item in m.items.values():
        for product in (products if item.level == "product" else [""]):
            v = item.maximum if value is None else value(item, product)
            out.append(scoring.Answer(institution, unit, product, item.code, v,
                                      "tidak ada layanan daring" if v is None else ""))
    return out
