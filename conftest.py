"""Shared fixtures: the cast of ``tests/cast.py`` and Playwright on Debian's chromium."""

from __future__ import annotations

import os
import shutil
import uuid
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def cast(db: Any) -> Any:
    from tests.cast import build_cast

    return build_cast()


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    """Each test starts with an empty cache. A shared Redis (CACHE_URL=redis://…) is never flushed
    (other runs and xdist workers use it): each test gets its own key prefix, removed afterwards."""
    from django.conf import settings
    from django.core.cache import cache

    if not settings.CACHES["default"]["BACKEND"].endswith(".RedisCache"):
        cache.clear()
        yield
        return
    base = cache.key_prefix
    cache.key_prefix = f"{base}-{uuid.uuid4().hex[:12]}"
    try:
        yield
    finally:
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        cache.key_prefix = base


@pytest.fixture(autouse=True)
def _close_file_responses(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Close every file download (FileResponse, WhiteNoise's static files) a test opened.

    A server closes a response once it is sent; the test client only when a test reads the whole
    streaming body. Unread, the file would be closed by the garbage collector later, with a
    ResourceWarning that fails whichever test is running then (warnings are errors).
    """
    from django.http import FileResponse

    opened: list[FileResponse] = []
    original = FileResponse.__init__

    def init(self: FileResponse, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(FileResponse, "__init__", init)
    yield
    for response in opened:
        # Only the files: response.close() would also send request_finished, which touches the
        # database after the test's database fixture is gone.
        for close in response._resource_closers:
            close()
        response._resource_closers.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in Indonesian: a request in English earlier in the worker must not leak."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


CHROMIUM = os.environ.get("PANTAU_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }
