"""Real Pantau processes for the tests under ``tests/``: the environment of a process serving a file
database set up by a test, and a gunicorn server (``tests/test_two_servers.py``,
``tests/test_worker_killed.py``)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def process_env(work: Path, **settings: str) -> dict[str, str]:
    """This process's environment without pytest's and Django's variables or a database or cache of
    its own: a Pantau process on the SQLite database and files under ``work``, plus ``settings``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "DJANGO_", "CACHE_URL", "DATABASE_URL", "SQLITE_PATH"))}
    env.update(DEBUG="true", PANTAU_VAR_DIR=str(work), BOARD_PRERENDER="false", PYTHONPATH=str(ROOT),
               LOG_LEVEL="WARNING")
    env.update(settings)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn with one sync worker on ``env``'s database, its output in ``log``; answering once
    created, unless ``wait`` is false (then ``wait()`` before the first request)."""

    def __init__(self, env: dict[str, str], log: Path, *, wait: bool = True) -> None:
        self.port = free_port()
        self.log_path, self.log = log, log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - gunicorn from our virtualenv
            [str(BIN / "gunicorn"), "pantau.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--timeout", "60"], cwd=ROOT, env=env, stdout=self.log, stderr=self.log)
        if wait:
            self.wait()

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/healthz")
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.close()
                    raise RuntimeError(f"gunicorn did not start; see {self.log_path}") from None
                time.sleep(0.2)

    def get(self, path: str, session: str = "") -> str:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")  # noqa: S310 - local
        if session:
            request.add_header("Cookie", f"sessionid={session}")
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
            body: str = response.read().decode()
            return body

    def close(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.log.close()
