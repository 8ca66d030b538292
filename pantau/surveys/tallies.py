"""The tallies: a campaign's sums per breakdown cell, kept current on every write of a response
(``change``, in the caller's transaction: one INSERT … ON CONFLICT DO UPDATE for its seven
cells) and rebuilt from the responses in the database (``rebuild_many``: one grouped scan per
questionnaire version and 500 campaigns, inserted by the same statement), so no page sums the
responses (ADR 0022).

Scoring of a slot value: IKM answers count their value (1–4); perception answers count 1 when
they report no maladministration ("Tidak", value 2) and 0 for "Ya" (1); "Tidak tahu" (3) and
blanks are not counted. A respondent's score is their weighted mean (IKM, 1–4) or their share of
"Tidak" answers (perception, 0–1); its sum and sum of squares feed the confidence interval.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
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


def _number(value: float) -> str:
    """A computed increment as an SQL literal (an int, or a float's exact repr)."""
    return str(value) if isinstance(value, int) else repr(float(value))


def _apply(campaign_id: int, keys: Iterable[tuple[str, str]], delta: Delta) -> None:
    """Add ``delta`` to the cells ``keys`` of the campaign in one statement (SQLite ≥ 3.24 and
    PostgreSQL): the cells' keys as a small ``VALUES`` table, the increments (numbers this module
    computed) as literals, so a submission binds 1 + 2 × 7 parameters, not 7 × 67 — the driver
    parses the statement for every parameter, and that cost PostgreSQL submissions 2 ms."""
    keys = list(keys)
    if delta.empty():
        return
    values: dict[str, float] = {"complete": delta.complete, "partial": delta.partial, "r_sum": delta.r_sum,
                                "r_squares": delta.r_squares}
    for i, (points, counted) in delta.slots.items():
        values[f"s{i}"], values[f"c{i}"] = points, counted
    changed = [name for name in UPSERT_COLUMNS if values.get(name)]
    table = Tally._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("campaign_id", "dimension", "key", *UPSERT_COLUMNS))
    row = ", ".join(_number(values.get(name, 0)) for name in UPSERT_COLUMNS)
    sets = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in changed)
    cells = ", ".join(["(%s, %s)"] * len(keys))
    sql = (f"WITH cell (dimension, cell_key) AS (VALUES {cells}) "  # noqa: S608 - our names and numbers
           f"INSERT INTO {table} ({columns}) SELECT %s, dimension, cell_key, {row} FROM cell WHERE true "
           f"ON CONFLICT (campaign_id, dimension, {quote('key')}) DO UPDATE SET {sets}")
    params: list[Any] = [part for key in keys for part in key] + [campaign_id]
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


def _given(slot: str) -> str:
    """1 when the slot holds an answer, else 0 (SQLite reads a comparison as 0/1 already)."""
    if connection.vendor == "sqlite":
        return f"({slot} IS NOT NULL)"
    return f"CASE WHEN {slot} IS NULL THEN 0 ELSE 1 END"


def _score_sql(kind: str, weights: list[float]) -> str:
    """A complete respondent's score (``respondent_score``) as SQL over the slots."""
    slots = [f"a{i}" for i in range(1, len(weights) + 1)]
    if kind == Kind.IKM:
        if len(set(weights)) == 1:  # equal weights cancel: the mean of the answers given
            top = " + ".join(f"COALESCE({s}, 0)" for s in slots)
            bottom = " + ".join(_given(s) for s in slots)
            return f"(({top}) * {_float(1)} / NULLIF({bottom}, 0))"
        # Weights as DOUBLE PRECISION: PostgreSQL reads a bare 0.111… as numeric, four times slower to sum.
        top = " + ".join(f"COALESCE({s}, 0) * {_float(w)}" for s, w in zip(slots, weights, strict=True))
        bottom = " + ".join(f"{_given(s)} * {_float(w)}" for s, w in zip(slots, weights, strict=True))
    else:
        top = " + ".join(f"CASE WHEN {s} = {PERCEPTION_CLEAN} THEN {_float(1)} ELSE {_float(0)} END" for s in slots)
        bottom = " + ".join(f"CASE WHEN {s} IN (1, 2) THEN {_float(1)} ELSE {_float(0)} END" for s in slots)
    return f"(({top}) / NULLIF({bottom}, 0))"


def _age_sql() -> str:
    whens = " ".join(f"WHEN age >= {lower} THEN '{name}'" for lower, name in reversed(AGE_BANDS))
    return f"CASE WHEN age IS NULL THEN '{NONE_KEY}' {whens} END"


# The key of each breakdown cell in SQL, as ``cell_keys`` makes it in Python.
CELL_SQL = (("all", f"'{NONE_KEY}'"), ("service", f"COALESCE(CAST(product_id AS VARCHAR(40)), '{NONE_KEY}')"),
            ("sex", f"COALESCE(NULLIF(sex, ''), '{NONE_KEY}')"), ("age", "band"),
            ("education", f"COALESCE(NULLIF(education, ''), '{NONE_KEY}')"),
            ("occupation", f"COALESCE(NULLIF(occupation, ''), '{NONE_KEY}')"), ("channel", "channel"))


def _scan_sql(kind: str, weights: list[float], where: str) -> str:
    """The tally rows (campaign, dimension, key, then ``UPSERT_COLUMNS``) the responses give, in
    one statement: a grouped scan by campaign, completeness and the six breakdown keys together
    (the CTE, read once; its partial groups give only their count), rolled up per breakdown by
    seven small aggregations of it. The same SQL on SQLite and PostgreSQL."""
    n = len(weights)
    if kind == Kind.IKM:
        slots = [f"SUM(a{i}) AS s{i}, COUNT(a{i}) AS c{i}" for i in range(1, n + 1)]
    else:
        slots = [f"SUM(CASE WHEN a{i} = {PERCEPTION_CLEAN} THEN 1 ELSE 0 END) AS s{i}, "
                 f"SUM(CASE WHEN a{i} IN (1, 2) THEN 1 ELSE 0 END) AS c{i}" for i in range(1, n + 1)]
    score = _score_sql(kind, weights)
    table = Response._meta.db_table
    grouped = (f"SELECT campaign_id, complete, product_id, sex, {_age_sql()} AS band, education, "  # noqa: S608 - our own names and numbers
               f"occupation, channel, COUNT(*) AS n, SUM({score}) AS r1, SUM({score} * {score}) AS r2, "
               f"{', '.join(slots)} FROM {table} WHERE {where} "
               "GROUP BY campaign_id, complete, product_id, sex, band, education, occupation, channel")
    when = "CASE WHEN complete THEN {} ELSE 0 END"
    sums = [f"SUM({when.format('n')})", "SUM(CASE WHEN complete THEN 0 ELSE n END)",
            f"COALESCE(SUM({when.format('r1')}), 0)", f"COALESCE(SUM({when.format('r2')}), 0)"]
    sums += [f"COALESCE(SUM({when.format(f's{i}')}), 0)" for i in range(1, n + 1)]
    sums += ["0"] * (MAX_ELEMENTS - n)
    sums += [f"COALESCE(SUM({when.format(f'c{i}')}), 0)" for i in range(1, n + 1)]
    sums += ["0"] * (MAX_ELEMENTS - n)
    parts = [f"SELECT campaign_id, '{dimension}' AS dimension, {key} AS cell, {', '.join(sums)} "  # noqa: S608
             "FROM grouped GROUP BY campaign_id, cell" for dimension, key in CELL_SQL]
    return f"WITH grouped AS ({grouped}) " + " UNION ALL ".join(parts)


Cells = dict[tuple[str, str], dict[str, Any]]
# Campaigns per statement of a batch scan (their ids are bound parameters).
SCAN_CHUNK = 500
# PostgreSQL's memory for the scan's aggregates, for its transaction only (1 000 000 responses of
# one campaign: 3.3 s with the default 4 MB, sorting on disk; 2.2 s with this, hashing).
SCAN_WORK_MEM = "256MB"


def _statements(campaigns: Iterable[Campaign]) -> Iterator[tuple[list[Campaign], str]]:
    """(campaigns, the tally rows' SELECT with their ids as parameters): one per questionnaire
    version (its kind and weights shape the SQL) and ``SCAN_CHUNK`` campaigns."""
    by_version: dict[int, list[Campaign]] = defaultdict(list)
    for campaign in campaigns:
        by_version[campaign.version_id].append(campaign)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA threads = 2")  # the sorter of the GROUP BY on two threads
        elif connection.vendor == "postgresql":  # hash aggregates in memory instead of sorts on disk
            cursor.execute(f"SET LOCAL work_mem = '{SCAN_WORK_MEM}'")  # (callers run in a transaction)
    for group in by_version.values():
        version = group[0].version
        kind, weights = version.parsed.kind, slot_weights(version)
        for start in range(0, len(group), SCAN_CHUNK):
            chunk = group[start:start + SCAN_CHUNK]
            yield chunk, _scan_sql(kind, weights, f"campaign_id IN ({', '.join(['%s'] * len(chunk))})")


@transaction.atomic
def scan_many(campaigns: Iterable[Campaign]) -> dict[int, Cells]:
    """The tallies the responses give, per campaign (``_scan_sql``)."""
    out: dict[int, Cells] = {}
    for chunk, sql in _statements(campaigns):
        for campaign in chunk:
            out[campaign.pk] = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [c.pk for c in chunk])
            for row in cursor.fetchall():
                values = [int(v) if i not in (2, 3) else float(v) for i, v in enumerate(row[3:])]
                out[row[0]][(row[1], row[2])] = dict(zip(UPSERT_COLUMNS, values, strict=True))
    return out


def scan(campaign: Campaign) -> Cells:
    """The tallies as the responses give them (``scan_many`` of one campaign)."""
    return scan_many([campaign])[campaign.pk]


@transaction.atomic
def rebuild_many(campaigns: Iterable[Campaign]) -> int:
    """Replace the campaigns' tallies by what their responses give, in the database (``DELETE``
    and ``INSERT … SELECT`` per statement of ``_statements``), in one transaction with the
    campaigns locked; the number of rows written."""
    campaigns = list(campaigns)
    ids = [c.pk for c in campaigns]
    for start in range(0, len(ids), SCAN_CHUNK):
        list(Campaign.objects.select_for_update().filter(pk__in=ids[start:start + SCAN_CHUNK]).values_list("pk"))
    quote = connection.ops.quote_name
    table = Tally._meta.db_table
    columns = ", ".join(quote(c) for c in ("campaign_id", "dimension", "key", *UPSERT_COLUMNS))
    written = 0
    with connection.cursor() as cursor:
        for chunk, sql in _statements(campaigns):
            params = [c.pk for c in chunk]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE campaign_id IN ({marks})", params)  # noqa: S608
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608
            written += cursor.rowcount
    return written


def rebuild(campaign: Campaign) -> int:
    """Replace the campaign's tallies by what its responses give (``rebuild_many`` of one)."""
    return rebuild_many([campaign])


@dataclass(slots=True)
class Kept:
    """One kept tally row, read as plain values (no model instance: a batch reads thousands)."""

    complete: int
    partial: int
    r_sum: float
    r_squares: float
    points: tuple[int, ...]
    counted: tuple[int, ...]


KEPT_FIELDS = ("campaign_id", "dimension", "key", *UPSERT_COLUMNS)


def current_many(campaign_ids: Iterable[int]) -> dict[int, dict[tuple[str, str], Kept]]:
    """The kept tallies of each campaign by (dimension, key), one query per ``SCAN_CHUNK``
    campaigns; rows without any response are left out."""
    ids = list(campaign_ids)
    out: dict[int, dict[tuple[str, str], Kept]] = {pk: {} for pk in ids}
    m = MAX_ELEMENTS
    for start in range(0, len(ids), SCAN_CHUNK):
        rows = Tally.objects.filter(campaign_id__in=ids[start:start + SCAN_CHUNK]).values_list(*KEPT_FIELDS)
        for row in rows.order_by():
            if row[3] or row[4]:
                out[row[0]][(row[1], row[2])] = Kept(row[3], row[4], row[5], row[6], row[7:7 + m], row[7 + m:7 + 2 * m])
    return out


def current(campaign: Campaign) -> dict[tuple[str, str], Kept]:
    """The kept tallies of a campaign by (dimension, key); rows without any response are left out."""
    return current_many([campaign.pk])[campaign.pk]


def comparable(row: Kept | dict[str, Any], slots: int) -> tuple[Any, ...]:
    """A tally's values rounded for comparing the kept rows with a rebuild (floats summed in a
    different order differ in the last bits)."""
    if isinstance(row, Kept):
        row = {"complete": row.complete, "partial": row.partial, "r_sum": row.r_sum, "r_squares": row.r_squares,
               **{f"s{i}": v for i, v in enumerate(row.points, start=1)},
               **{f"c{i}": v for i, v in enumerate(row.counted, start=1)}}
    return (row["complete"], row["partial"], round(Decimal(repr(row["r_sum"])), 6),
            round(Decimal(repr(row["r_squares"])), 6),
            *(row[f"s{i}"] for i in range(1, slots + 1)), *(row[f"c{i}"] for i in range(1, slots + 1)))


__all__ = ["DIMENSIONS", "MAX_ELEMENTS", "age_band", "change", "comparable", "current", "current_many", "rebuild",
           "rebuild_many", "scan", "scan_many"]
