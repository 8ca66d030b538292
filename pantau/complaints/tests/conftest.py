"""Fixtures of the complaint tests: the cast with more complaint staff, and the day most tests run on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from pantau.complaints.tests.helpers import add_staff


@pytest.fixture
def c(cast: Any) -> Any:
    """The cast of ``tests/cast.py`` with a second Kalsel examiner and Kalteng's intake officer and examiner."""
    return add_staff(cast)


@pytest.fixture
def november_2nd() -> Iterator[None]:
    """Monday 2 November 2026, 09:00 in Banjarmasin (WITA is +08:00; the tests keep +07:00, a working day
    either way), frozen: deadlines and their statuses are counted from it."""
    with time_machine.travel("2026-11-02 09:00 +07:00", tick=False):
        yield
