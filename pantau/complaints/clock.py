"""The deadline engine's calendar and rules as the application uses them: the shipped holiday file plus the
years loaded later by ``pantau load_holidays`` (``models.Holiday``), and "today" in Indonesian time."""

from __future__ import annotations

import datetime as dt
import time
from functools import cache

from django.db.models import Count, Max
from django.utils import timezone

from pantau.complaints import deadlines
from pantau.complaints.models import Holiday

# (the holiday rows' stamp, the calendar built from them, when the stamp was last read: time.monotonic())
_cached: tuple[tuple[int, int], deadlines.Calendar, float] | None = None
# How long a process trusts the calendar it built before it reads the holiday rows' stamp again: years loaded
# by ``pantau load_holidays`` in another process are used within this many seconds (at once in its own).
RECHECK_SECONDS = 60.0


def today() -> dt.date:
    return timezone.localdate()


def calendar() -> deadlines.Calendar:
    """The working-day calendar: the shipped file, and loaded rows for the years it lacks. Built once per
    process; one small query (the rows' count and last id) at most every ``RECHECK_SECONDS`` tells whether
    rows were loaded since."""
    global _cached
    now = time.monotonic()
    if _cached is not None and now - _cached[2] < RECHECK_SECONDS:
        return _cached[1]
    stamp_row = Holiday.objects.aggregate(n=Count("id"), last=Max("id"))
    stamp = (int(stamp_row["n"] or 0), int(stamp_row["last"] or 0))
    if _cached is not None and _cached[0] == stamp:
        _cached = (stamp, _cached[1], now)
        return _cached[1]
    shipped = deadlines.default_calendar().holidays
    shipped_years = {h.date.year for h in shipped}
    loaded = [deadlines.Holiday(h.date, h.kind, h.name, h.source)
              for h in Holiday.objects.order_by("date") if h.date.year not in shipped_years]
    built = deadlines.Calendar((*shipped, *loaded)) if loaded else deadlines.default_calendar()
    _cached = (stamp, built, now)
    return built


def forget_calendar() -> None:
    """Build the calendar again on its next use (after this process loaded holidays; tests)."""
    global _cached
    _cached = None


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
