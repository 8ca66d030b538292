"""Two real servers on one database: with a shared Redis cache neither ever serves a stale page
after a write; with a cache per process the other one may, for ``PUBLIC_STAMP_SECONDS``.

Two gunicorn processes (one sync worker each, so which process answers is known) serve a file
SQLite database; a third process (``tests/twoservers.py``) writes through the services, as a
request on either server would. While a thread keeps reading the page from the second server (so
visits race with the writes' commits), every read made after a write returned must show it.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.processes import ROOT, Server, process_env

pytestmark = [pytest.mark.cache]

ROUNDS = 8


class Writer:
    def __init__(self, env: dict[str, str], ids: dict[str, Any]) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "tests.twoservers", json.dumps(ids)], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    def write(self, line: str) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "ok"

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(30)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, Any]]:
    """A migrated file database with the test cast: the environment to serve it, and its ids."""
    work = tmp_path_factory.mktemp("two-servers")
    env = process_env(work, DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}")
    done = subprocess.run([sys.executable, "-m", "tests.twoservers", "setup"], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=300, check=True)
    return env, json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def running(env: dict[str, str], ids: dict[str, Any], tmp_path: Path) -> Iterator[tuple[Server, Server, Writer]]:
    """Two servers and the writer, all with the environment ``env`` (the same cache settings)."""
    with contextlib.ExitStack() as stack:
        a = Server(env, tmp_path / "a.log")
        stack.callback(a.close)
        b = Server(env, tmp_path / "b.log")
        stack.callback(b.close)
        writer = Writer(env, ids)
        stack.callback(writer.close)
        yield a, b, writer


@pytest.mark.redis
def test_two_servers_with_redis_never_serve_a_stale_page_after_a_write(
        database: tuple[dict[str, str], dict[str, Any]], redis_url: str, tmp_path: Path) -> None:
    base, ids = database
    prefix = f"two-servers-{uuid.uuid4().hex[:12]}"
    env = {**base, "CACHE_URL": f"{redis_url}?key_prefix={prefix}"}
    product = reverse("public:product", args=[ids["product"]])
    institutions, session = reverse("manage:institutions"), ids["session"]
    stop = threading.Event()
    racing: list[int] = []
    with running(env, ids, tmp_path) as (a, b, writer):

        def keep_reading() -> None:  # visits that race with each write's commit
            while not stop.is_set():
                b.get(product)
                racing.append(1)

        reader = threading.Thread(target=keep_reading)
        reader.start()
        try:
            for i in range(ROUNDS):
                for server in (a, b):  # both warm: the page and the list are in the cache
                    server.get(product)
                    server.get(institutions, session)
                writer.write(f"maklumat Janji layanan nomor {i}.")
                writer.write(f"institution Pemerintah Kota Banjarmasin {i}")
                for server in (b, a):
                    assert f"Janji layanan nomor {i}." in server.get(product), f"round {i}: stale product page"
                    assert f"Pemerintah Kota Banjarmasin {i}<" in server.get(institutions, session), (
                        f"round {i}: stale institution list")
        finally:
            stop.set()
            reader.join(30)
            _forget_keys(redis_url, prefix)
    assert len(racing) > ROUNDS  # the racing visits did happen


def _forget_keys(redis_url: str, prefix: str) -> None:
    import redis

    with redis.Redis.from_url(redis_url) as client:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)


def test_two_servers_each_with_its_own_cache_may_show_the_old_page_for_the_stamp_lifetime(
        database: tuple[dict[str, str], dict[str, Any]], tmp_path: Path) -> None:
    """The documented behaviour of the default per-process cache (why several servers need Redis)."""
    base, ids = database
    env = {**base, "PUBLIC_STAMP_SECONDS": "3"}
    product = reverse("public:product", args=[ids["product"]])
    with running(env, ids, tmp_path) as (_, b, writer):
        b.get(product)
        cached = time.monotonic()
        writer.write("maklumat Janji dari server lain.")
        stale = "Janji dari server lain." not in b.get(product)
        assert stale or time.monotonic() - cached > 3  # (unless the machine stalled past the lifetime)
        while "Janji dari server lain." not in b.get(product):
            assert time.monotonic() - cached < 3 + 20, "the other server never showed the change"
            time.sleep(0.25)
