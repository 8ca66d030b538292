"""``pantau sample-size N``: the Krejcie & Morgan minimum through the real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBUG": "true", "SECRET_KEY": "uji", "LOG_LEVEL": "WARNING"}
    pantau = Path(sys.executable).with_name("pantau")
    return subprocess.run([str(pantau), "sample-size", *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          check=False, timeout=120)


def test_the_minimum_sample_in_words_and_as_json() -> None:
    text = run("1.500")
    assert text.returncode == 0, text.stderr
    assert "N = 1500: sampel minimum 306 responden" in text.stdout
    data = json.loads(run("50", "--format", "json").stdout)
    assert data == {"population": 50, "minimum": 44, "exact": "44.3431", "method": "krejcie-morgan-1970"}


@pytest.mark.parametrize("bad", ["0", "-3", "1,5", "banyak", "10000000000000"])
def test_a_bad_n_exits_2_with_the_reason(bad: str) -> None:
    done = run(bad)
    assert done.returncode == 2 and done.stdout == ""
    assert "penerima layanan" in done.stderr or "bilangan bulat" in done.stderr
