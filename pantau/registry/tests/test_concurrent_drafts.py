"""Issue 6 item 7: two first drafts of one product at the same moment (real threads, each with its
own database connection) never answer 500: the second waits and edits the draft the first started."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from pantau.registry.tests.concurrent_drafts import race

ROOT = Path(__file__).resolve().parents[3]


def _check(result: dict[str, Any]) -> None:
    assert result["codes"] in ([200, 200], [200, 409]), result
    assert result["drafts"] == 1
    if result["codes"] == [200, 200]:  # both changes kept
        assert result["fields"] == ["KTP-el (A)", "Loket B"]


@pytest.mark.django_db(transaction=True)
def test_two_first_drafts_at_once_on_this_database(cast: Any) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database locks whole tables; see the SQLite file test below")
    _check(race(cast))


def test_two_first_drafts_at_once_on_a_sqlite_file(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_CURRENT_TEST")}
    env.update(SQLITE_PATH=str(tmp_path / "race.sqlite3"), DEBUG="true", DJANGO_SETTINGS_MODULE="pantau.settings")
    run = subprocess.run([sys.executable, "-m", "pantau.registry.tests.concurrent_drafts"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    _check(json.loads(run.stdout.strip().splitlines()[-1]))
