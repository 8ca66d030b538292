"""Shared fixtures: the cast of ``tests/cast.py`` and Playwright on Debian's chromium."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis database for tests that need one (``@pytest.mark.redis``): ``REDIS_URL``, else
    redis://127.0.0.1:6379/15. Without Redis such a test is skipped, but fails under ``CI=true``
    (.ci/run starts Redis), so a missing server is never a silent pass in CI."""
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        message = f"Redis does not answer at {url} ({exc}): install redis-server or set REDIS_URL"
        if os.environ.get("CI"):
            pytest.fail(message + " (.ci/run starts it)")
        pytest.skip(message)
    finally:
        client.close()
    return url


@pytest.fixture
def two_processes(redis_url: str) -> Iterator[Any]:
    """Two caches on ``redis_url`` with one fresh prefix: two server processes sharing Redis."""
    from django.core.cache.backends.redis import RedisCache

    prefix = f"shared-test-{uuid.uuid4().hex[:12]}"
    first, second = (RedisCache(redis_url, {"KEY_PREFIX": prefix}) for _ in range(2))
    yield first, second
    client = first._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    for cache in (first, second):
        cache.close()


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
