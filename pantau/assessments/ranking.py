"""Rankings of institutions by their published score: pure, Decimal, no Django.

Who is ranked with whom (issue 8, "Results"; ``shared/docs/methodology.md`` §5): institutions of
the same *kind* (ministry, agency, province, regency, city — the kind is whatever plain string the
caller gives) nationally, and, for those with a province, within their province.

- The rank is **standard competition ranking** on the *published* score (rounded half-up to the
  methodology's decimals, 2 by default): equal published scores share a rank and the next rank
  skips (1, 2, 2, 4). Within a tie the list is shown by name (then id), the rank stays equal.
- **Movement** since the previous period compares the rank in the same scope (kind, and province
  for a provincial ranking): ``up``/``down``/``same`` with the places moved, ``new`` when the
  institution was not ranked in that scope last period. Ranks are compared only when both periods
  scored the institution under the same methodology *era*; otherwise the movement is
  ``not-comparable`` and carries no number (a 2021 zone and a 2022 zone do not measure the same thing).
- **Distribution** per zone: the count and share of the ranked institutions in each zone; the
  counts sum to the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pantau.assessments.scoring import CONTEXT, HUNDRED, Share

UP, DOWN, SAME, NEW, NOT_COMPARABLE = "up", "down", "same", "new", "not-comparable"
NATIONAL = ""  # the province code of a national ranking's scope
ZONES = ("green", "yellow", "red")


@dataclass(frozen=True)
class Entry:
    """One institution's result in one period, as plain data."""

    institution: int | str  # the institution's id
    name: str
    kind: str  # e.g. "kementerian", "lembaga", "pemprov", "pemkab", "pemkot"
    province: str  # province code; "" for a ministry or an agency
    score: Decimal
    category: str
    zone: str  # green, yellow, red
    era: str  # the methodology's era, e.g. "2016-2021" or "2022-2024"


@dataclass(frozen=True)
class Movement:
    kind: str  # UP, DOWN, SAME, NEW or NOT_COMPARABLE
    places: int | None = None  # how many places up (positive) or down (negative); None unless comparable
    previous_rank: int | None = None
    previous_score: Decimal | None = None  # only when comparable

    @property
    def comparable(self) -> bool:
        return self.kind in (UP, DOWN, SAME)


@dataclass(frozen=True)
class Ranked:
    rank: int
    tied: bool  # another institution shares this rank
    score: Decimal  # as published (rounded)
    entry: Entry
    movement: Movement | None  # None when no previous period was given


@dataclass(frozen=True)
class Ranking:
    """One scope: a kind nationally (province "") or a kind within a province."""

    kind: str
    province: str
    rows: tuple[Ranked, ...]  # best first; ties by name, then id
    zones: tuple[Share, ...]

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Rankings:
    national: Mapping[str, Ranking]  # by kind
    provincial: Mapping[tuple[str, str], Ranking]  # by (province, kind)


def published(score: Decimal, decimals: int = 2) -> Decimal:
    """The score as published: rounded half-up to ``decimals``."""
    return score.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _order_key(entry: Entry, score: Decimal) -> tuple[Decimal, str, str, str]:
    return (-score, entry.name.casefold(), entry.name, str(entry.institution))


def competition_ranks(scores: Sequence[Decimal]) -> list[int]:
    """Standard competition ranks of scores already sorted best first: 1, 2, 2, 4."""
    ranks: list[int] = []
    for index, score in enumerate(scores):
        ranks.append(ranks[-1] if index and score == scores[index - 1] else index + 1)
    return ranks


def _ranked_scope(entries: Sequence[Entry], decimals: int) -> list[tuple[int, bool, Decimal, Entry]]:
    scored = sorted(((published(e.score, decimals), e) for e in entries), key=lambda p: _order_key(p[1], p[0]))
    scores = [s for s, _ in scored]
    ranks = competition_ranks(scores)
    counts: dict[int, int] = defaultdict(int)
    for r in ranks:
        counts[r] += 1
    return [(r, counts[r] > 1, s, e) for r, (s, e) in zip(ranks, scored, strict=True)]


def zone_shares(zones: Iterable[str], order: Sequence[str] = ZONES,
                labels: Mapping[str, str] | None = None) -> tuple[Share, ...]:
    """Count and share (percent, half-up, 2 decimals) per zone, as ``scoring.distribution`` gives
    them (that one needs the methodology's bands; entries here carry plain zone codes). A zone
    outside ``order`` is added after them, so the counts always sum to the total. ``labels``
    names the zones (e.g. a methodology's "Hijau"); the code otherwise."""
    counted: dict[str, int] = defaultdict(int)
    for zone in zones:
        counted[zone] += 1
    total = sum(counted.values())
    codes = list(order) + sorted(z for z in counted if z not in order)
    out = []
    for code in codes:
        exact = CONTEXT.divide(Decimal(counted[code]) * HUNDRED, Decimal(total)) if total else Decimal(0)
        label = (labels or {}).get(code, code)
        out.append(Share(code, label, counted[code], exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)))
    return tuple(out)


def _scopes(entries: Iterable[Entry]) -> dict[tuple[str, str], list[Entry]]:
    """Entries by scope: (NATIONAL, kind) for every entry, (province, kind) for those with a province."""
    scopes: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    seen: set[int | str] = set()
    for entry in entries:
        if entry.institution in seen:
            raise ValueError(f"institution {entry.institution!r} is given twice in one period")
        seen.add(entry.institution)
        if not entry.kind:
            raise ValueError(f"institution {entry.institution!r} has no kind")
        scopes[(NATIONAL, entry.kind)].append(entry)
        if entry.province:
            scopes[(entry.province, entry.kind)].append(entry)
    return scopes


def _movement(entry: Entry, rank: int, before: Mapping[int | str, tuple[int, Decimal, Entry]],
              previous_eras: set[str]) -> Movement:
    found = before.get(entry.institution)
    if found is None:
        # Absent last period: "new" if last period was scored in this era, else nothing to compare.
        return Movement(NEW) if entry.era in previous_eras else Movement(NOT_COMPARABLE)
    previous_rank, previous_score, previous = found
    if previous.era != entry.era:
        return Movement(NOT_COMPARABLE)
    places = previous_rank - rank
    kind = UP if places > 0 else DOWN if places < 0 else SAME
    return Movement(kind, places, previous_rank, previous_score)


def rank(entries: Iterable[Entry], previous: Iterable[Entry] | None = None, *, decimals: int = 2) -> Rankings:
    """Every ranking of one period: each kind nationally and within each province (see the module
    docstring). ``previous`` is the previous period's entries (None: no movement is computed)."""
    scopes = _scopes(entries)
    before: dict[tuple[str, str], dict[int | str, tuple[int, Decimal, Entry]]] = {}
    previous_eras: set[str] = set()
    if previous is not None:
        for key, members in _scopes(previous).items():
            before[key] = {e.institution: (r, s, e) for r, _tied, s, e in _ranked_scope(members, decimals)}
            previous_eras.update(e.era for e in members)
    national: dict[str, Ranking] = {}
    provincial: dict[tuple[str, str], Ranking] = {}
    for key in sorted(scopes):
        province, kind = key
        rows = []
        for r, tied, score, entry in _ranked_scope(scopes[key], decimals):
            movement = None if previous is None else _movement(entry, r, before.get(key, {}), previous_eras)
            rows.append(Ranked(r, tied, score, entry, movement))
        ranking = Ranking(kind, province, tuple(rows), zone_shares(e.zone for e in scopes[key]))
        if province == NATIONAL:
            national[kind] = ranking
        else:
            provincial[key] = ranking
    return Rankings(national, provincial)


def distribution(entries: Iterable[Entry], order: Sequence[str] = ZONES,
                 labels: Mapping[str, str] | None = None) -> tuple[Share, ...]:
    """Count and share per zone over every entry (e.g. a whole period, all kinds)."""
    return zone_shares((e.zone for e in entries), order, labels)
