"""The tallies: a campaign's sums per breakdown cell, kept current on every write of a response
(``change``, in the caller's transaction: one INSERT … ON CONFLICT DO NOTHING and one UPDATE with
``F()`` increments, whatever the number of breakdowns) and rebuilt from the responses by one
scan (``rebuild``), so no page sums the responses (ADR 0022).

Scoring of a slot value: IKM answers count their value (1–4); perception answers count 1 when
they report no maladministration ("Tidak", value 2) and 0 for "Ya" (1); "Tidak tahu" (3) and
blanks are not counted. A respondent's score is their weighted mean (IKM, 1–4) or their share of
"Tidak" answers (perception, 0–1); its sum and sum of squares feed the confidence interval.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from pantau.surveys import indices
from pantau.surveys.models import MAX_ELEMENTS, Campaign, Kind, QuestionnaireVersion, Response, Tally

DIMENSIONS = ("all", "service", "sex", "age", "education", "occupation", "channel")
NONE_KEY = "-"
# Age bands (years): the lower bound of each band and its key.
AGE_BANDS = ((0, "<20"), (20, "20-29"), (30, "30-39"), (40, "40-49"), (50, "50-59"), (60, "60+"))
PERCEPTION_CLEAN, PERCEPTION_MAL = 2, 1


def age_band(age: int | None) -> str:
    if age is None:
        return NONE_KEY
    key = AGE_BANDS[0][1]
    for lower, name in AGE_BANDS:
        if age >= lower:
            key = name
    return key


def cell_keys(product: int | None, sex: str, band: str, education: str, occupation: str,
              channel: str) -> list[tuple[str, str]]:
    """The cells (dimension, key) a response with these values counts in."""
    return [("all", NONE_KEY), ("service", str(product) if product else NONE_KEY), ("sex", sex or NONE_KEY),
            ("age", band), ("education", education or NONE_KEY), ("occupation", occupation or NONE_KEY),
            ("channel", channel)]


def keys_of(response: Response) -> list[tuple[str, str]]:
    return cell_keys(response.product_id, response.sex, age_band(response.age), response.education,
                     response.occupation, response.channel)


def slot_weights(version: QuestionnaireVersion) -> list[float]:
    parsed = version.parsed
    if parsed.kind != Kind.IKM:
        return [1.0] * len(parsed.elements)
    weight = indices.weights(parsed.index_elements(), indices.PROFILES[parsed.profile])
    return [float(weight[q.code]) for q in parsed.elements]


def score_slot(kind: str, value: int | None) -> tuple[int, int]:
    """(points, counted) of one answer."""
    if value is None:
        return 0, 0
    if kind == Kind.IKM:
        return value, 1
    if value in (PERCEPTION_CLEAN, PERCEPTION_MAL):
        return int(value == PERCEPTION_CLEAN), 1
    return 0, 0


def respondent_score(kind: str, values: list[int | None], weights: list[float]) -> float | None:
    if kind == Kind.IKM:
        given = [(w, v) for w, v in zip(weights, values, strict=False) if v is not None]
        if not given:
            return None
        return sum(w * v for w, v in given) / sum(w for w, _ in given)
    counted = [v == PERCEPTION_CLEAN for v in values if v in (PERCEPTION_CLEAN, PERCEPTION_MAL)]
    return sum(counted) / len(counted) if counted else None


@dataclass
class Delta:
    complete: int = 0
    partial: int = 0
    r_sum: float = 0.0
    r_squares: float = 0.0
    slots: dict[int, tuple[int, int]] = field(default_factory=dict)

    def empty(self) -> bool:
        return not (self.complete or self.partial or self.r_sum or self.r_squares
                    or any(points or counted for points, counted in self.slots.values()))


def delta_of(response: Response, sign: int, kind: str, weights: list[float]) -> Delta:
    if not response.complete:
        return Delta(partial=sign)
    values = response.slots()[: len(weights)]
    delta = Delta(complete=sign)
    for i, value in enumerate(values, start=1):
        points, counted = score_slot(kind, value)
        if counted:
            delta.slots[i] = (sign * points, sign * counted)
    score = respondent_score(kind, values, weights)
    if score is not None:
        delta.r_sum, delta.r_squares = sign * score, sign * score * score
    return delta


UPSERT_COLUMNS = ("complete", "partial", "r_sum", "r_squares", *(f"s{i}" for i in range(1, MAX_ELEMENTS + 1)),
                  *(f"c{i}" for i in range(1, MAX_ELEMENTS + 1)))


def _apply(campaign_id: int, keys: Iterable[tuple[str, str]], delta: Delta) -> None:
    """Add ``delta`` to the cells ``keys`` of the campaign: one ``INSERT … ON CONFLICT DO UPDATE``
    (SQLite ≥ 3.24 and PostgreSQL), so a submission costs one statement for its seven cells."""
    keys = list(keys)
    if delta.empty():
        return
    values: dict[str, Any] = {"complete": delta.complete, "partial": delta.partial, "r_sum": delta.r_sum,
                              "r_squares": delta.r_squares}
    for i, (points, counted) in delta.slots.items():
        values[f"s{i}"], values[f"c{i}"] = points, counted
    row = [values.get(name, 0) for name in UPSERT_COLUMNS]
    changed = [name for name in UPSERT_COLUMNS if values.get(name)]
    table = Tally._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("campaign_id", "dimension", "key", *UPSERT_COLUMNS))
    one = "(" + ", ".join(["%s"] * (3 + len(UPSERT_COLUMNS))) + ")"
    sets = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in changed)
    sql = (f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(keys))} "  # noqa: S608 - our names
           f"ON CONFLICT (campaign_id, dimension, {quote('key')}) DO UPDATE SET {sets}")
    params: list[Any] = []
    for dimension, key in keys:
        params += [campaign_id, dimension, key, *row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def change(before: Response | None, after: Response | None) -> None:
    """Move the tallies from ``before`` (a response as it was, or None when new) to ``after`` (as
    saved, or None when removed). Runs inside the caller's transaction."""
    some = after or before
    if some is None:
        return
    kind = some.version.parsed.kind
    weights = slot_weights(some.version)
    if before is not None:
        _apply(before.campaign_id, keys_of(before), delta_of(before, -1, kind, weights))
    if after is not None:
        _apply(after.campaign_id, keys_of(after), delta_of(after, +1, kind, weights))


def _float(value: float) -> str:
    return f"CAST({float(value)!r} AS DOUBLE PRECISION)"


def _score_sql(kind: str, weights: list[float]) -> str:
    slots = [f"a{i}" for i in range(1, len(weights) + 1)]
    if kind == Kind.IKM:
        # Weights as DOUBLE PRECISION: PostgreSQL reads a bare 0.111… as numeric, four times slower to sum.
        top = " + ".join(f"COALESCE({s}, 0) * {_float(w)}" for s, w in zip(slots, weights, strict=True))
        bottom = " + ".join(f"CASE WHEN {s} IS NULL THEN {_float(0)} ELSE {_float(w)} END"
                            for s, w in zip(slots, weights, strict=True))
    else:
        top = " + ".join(f"CASE WHEN {s} = {PERCEPTION_CLEAN} THEN {_float(1)} ELSE {_float(0)} END" for s in slots)
        bottom = " + ".join(f"CASE WHEN {s} IN (1, 2) THEN {_float(1)} ELSE {_float(0)} END" for s in slots)
    return f"(({top}) / NULLIF({bottom}, 0))"


def _age_sql() -> str:
    whens = " ".join(f"WHEN age >= {lower} THEN '{name}'" for lower, name in reversed(AGE_BANDS))
    return f"CASE WHEN age IS NULL THEN '{NONE_KEY}' {whens} END"


def scan(campaign: Campaign) -> dict[tuple[str, str], dict[str, Any]]:
    """The tallies as the responses give them, by one grouped scan of the campaign's responses
    (the cells of every breakdown at once, rolled up here)."""
    version = campaign.version
    kind = version.parsed.kind
    weights = slot_weights(version)
    n = len(weights)
    if kind == Kind.IKM:
        sums = [f"SUM(CASE WHEN complete THEN COALESCE(a{i}, 0) ELSE 0 END)" for i in range(1, n + 1)]
        counts = [f"SUM(CASE WHEN complete AND a{i} IS NOT NULL THEN 1 ELSE 0 END)" for i in range(1, n + 1)]
    else:
        sums = [f"SUM(CASE WHEN complete AND a{i} = {PERCEPTION_CLEAN} THEN 1 ELSE 0 END)" for i in range(1, n + 1)]
        counts = [f"SUM(CASE WHEN complete AND a{i} IN (1, 2) THEN 1 ELSE 0 END)" for i in range(1, n + 1)]
    score = _score_sql(kind, weights)
    table = Response._meta.db_table
    sql = (f"SELECT product_id, sex, {_age_sql()} AS band, education, occupation, channel, "  # noqa: S608 - our own column names and numbers
           f"SUM(CASE WHEN complete THEN 1 ELSE 0 END), SUM(CASE WHEN complete THEN 0 ELSE 1 END), "
           f"SUM(CASE WHEN complete THEN {score} ELSE 0 END), "
           f"SUM(CASE WHEN complete THEN {score} * {score} ELSE 0 END), {', '.join(sums + counts)} "
           f"FROM {table} WHERE campaign_id = %s "
           "GROUP BY product_id, sex, band, education, occupation, channel")
    cells: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"complete": 0, "partial": 0, "r_sum": 0.0, "r_squares": 0.0, **{f"s{i}": 0 for i in range(1, n + 1)},
                 **{f"c{i}": 0 for i in range(1, n + 1)}})
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk])
        for row in cursor.fetchall():
            product, sex, band, education, occupation, channel = row[:6]
            complete, partial, r_sum, r_squares = int(row[6] or 0), int(row[7] or 0), row[8] or 0.0, row[9] or 0.0
            slot_sums, slot_counts = row[10:10 + n], row[10 + n:10 + 2 * n]
            for key in cell_keys(product, sex, band, education, occupation, channel):
                cell = cells[key]
                cell["complete"] += complete
                cell["partial"] += partial
                cell["r_sum"] += float(r_sum)
                cell["r_squares"] += float(r_squares)
                for i in range(n):
                    cell[f"s{i + 1}"] += int(slot_sums[i] or 0)
                    cell[f"c{i + 1}"] += int(slot_counts[i] or 0)
    return dict(cells)


@transaction.atomic
def rebuild(campaign: Campaign) -> int:
    """Replace the campaign's tallies by what its responses give (``scan``); the number of rows."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    cells = scan(campaign)
    Tally.objects.filter(campaign=campaign).delete()
    Tally.objects.bulk_create([Tally(campaign=campaign, dimension=d, key=k, **values)
                               for (d, k), values in cells.items()], batch_size=500)
    return len(cells)


def current(campaign: Campaign) -> dict[tuple[str, str], Tally]:
    """The kept tallies of a campaign by (dimension, key); rows without any response are left out."""
    return {(t.dimension, t.key): t for t in Tally.objects.filter(campaign=campaign)
            if t.complete or t.partial}


def comparable(row: Tally | dict[str, Any], slots: int) -> tuple[Any, ...]:
    """A tally's values rounded for comparing the kept rows with a rebuild (floats summed in a
    different order differ in the last bits)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return (get("complete"), get("partial"), round(Decimal(repr(get("r_sum"))), 6),
            round(Decimal(repr(get("r_squares"))), 6),
            *(get(f"s{i}") for i in range(1, slots + 1)), *(get(f"c{i}") for i in range(1, slots + 1)))


__all__ = ["DIMENSIONS", "MAX_ELEMENTS", "age_band", "change", "comparable", "current", "rebuild", "scan"]
