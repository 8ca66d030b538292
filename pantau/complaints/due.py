"""Deadline status of a case from its ``next_due_on`` (the earliest running timer): the dates that split the
due dates into on time, due soon, overdue and very overdue on a given day, computed once per request so a
list filters on the index instead of asking the calendar per row; the same answers as ``deadlines.status``
with the shipped thresholds (every rule set uses them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from pantau.complaints import deadlines

ONE_DAY = dt.timedelta(days=1)
STATUSES = ("on_time", "due_soon", "overdue", "very_overdue")


@dataclass(frozen=True)
class Thresholds:
    """``due_soon``: today ≤ due < ``soon_before``; ``overdue``: ``very_before`` ≤ due < today;
    ``very_overdue``: due < ``very_before`` (the same answers as ``deadlines.status``)."""

    today: dt.date
    soon_before: dt.date
    very_before: dt.date

    def status(self, due: dt.date | None) -> str:
        if due is None:
            return ""
        if due >= self.today:
            return "due_soon" if due < self.soon_before else "on_time"
        return "overdue" if due >= self.very_before else "very_overdue"

    def q(self, status: str) -> Q:
        field = "next_due_on"
        if status == "due_soon":
            return Q(**{f"{field}__gte": self.today, f"{field}__lt": self.soon_before})
        if status == "overdue":
            return Q(**{f"{field}__gte": self.very_before, f"{field}__lt": self.today})
        if status == "very_overdue":
            return Q(**{f"{field}__lt": self.very_before})
        if status == "on_time":
            return Q(**{f"{field}__gte": self.soon_before})
        return Q()


def thresholds(today: dt.date, calendar: deadlines.Calendar, *, due_soon_within: int = deadlines.DUE_SOON_WITHIN,
               very_overdue_after: int = deadlines.VERY_OVERDUE_AFTER) -> Thresholds:
    """The two dates that split ``next_due_on`` into the statuses of ``deadlines.status`` on ``today``. A day
    outside the calendar's loaded years counts as a working day when it is a weekday."""

    def working(day: dt.date) -> bool:
        return calendar.is_working_day(day) if calendar.covers(day) else day.weekday() < 5

    day, counted = today, 0
    while counted < due_soon_within + 1:  # the (n+1)-th working day after today is no longer "soon"
        day += ONE_DAY
        counted += working(day)
    soon_before = day
    day, counted = today, 0
    while True:  # the (m+1)-th working day counted back from today (inclusive): before it is "very overdue"
        counted += working(day)
        if counted == very_overdue_after + 1:
            break
        day -= ONE_DAY
    return Thresholds(today, soon_before, day)
