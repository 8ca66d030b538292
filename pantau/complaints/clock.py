"""The deadline engine's calendar and rules as the application uses them: the shipped holiday file plus the
years loaded later by ``pantau load_holidays`` (``models.Holiday``), and "today" in Indonesian time."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db.models import Count, Max
from django.utils import timezone

from pantau.complaints import deadlines
from pantau.complaints.models import Holiday

_cached: tuple[tuple[int, int], deadlines.Calendar] | None = None


def today() -> dt.date:
    return timezone.localdate()


def calendar() -> deadlines.Calendar:
    """The working-day calendar: the shipped file, and loaded rows for the years it lacks (one small
    query to see whether rows were loaded since the calendar was built)."""
    global _cached
    stamp_row = Holiday.objects.aggregate(n=Count("id"), last=Max("id"))
    stamp = (int(stamp_row["n"] or 0), int(stamp_row["last"] or 0))
    if _cached is not None and _cached[0] == stamp:
        return _cached[1]
    shipped = deadlines.default_calendar().holidays
    shipped_years = {h.date.year for h in shipped}
    loaded = [deadlines.Holiday(h.date, h.kind, h.name, h.source)
              for h in Holiday.objects.order_by("date") if h.date.year not in shipped_years]
    built = deadlines.Calendar((*shipped, *loaded)) if loaded else deadlines.default_calendar()
    _cached = (stamp, built)
    return built


@cache
def _rule_sets() -> tuple[deadlines.RuleSet, ...]:
    return deadlines.default_rules()


def rules(received: dt.date) -> deadlines.RuleSet:
    return deadlines.rules_for(received, _rule_sets())


def rule_set(version: str) -> deadlines.RuleSet:
    for candidate in _rule_sets():
        if candidate.version == version:
            return candidate
    raise deadlines.DeadlineError(f"Aturan tenggat {version} tidak dikenal.")
