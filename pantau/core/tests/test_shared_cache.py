"""CACHE_URL=redis://… is Django's RedisCache, and what relies on the cache works across processes.

Two ``RedisCache`` objects with the same location and prefix (the ``two_processes`` fixture) stand
for two server processes: each has its own connection, so nothing passes between them but Redis.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCache

from pantau.core import cachegen, ratelimit
from pantau.core.tests.sites import PROJECT_DIR

pytestmark = pytest.mark.cache


def settings_with(cache_url: str) -> dict[str, Any]:
    code = ("import json; from django.conf import settings; "
            "print(json.dumps([settings.CACHES['default'], settings.CACHE_SHARED, settings.PUBLIC_STAMP_SECONDS]))")
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "PUBLIC_STAMP_SECONDS")}
    env.update(DJANGO_SETTINGS_MODULE="pantau.settings", DEBUG="true", CACHE_URL=cache_url)
    done = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=PROJECT_DIR,  # noqa: S603
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    import json

    cache, shared, seconds = json.loads(done.stdout)
    return {"cache": cache, "shared": shared, "seconds": seconds}


def test_redis_and_rediss_urls_give_djangos_redis_cache_with_a_working_key_prefix() -> None:
    plain = settings_with("redis://127.0.0.1:6379/1?key_prefix=pantau")
    assert plain["cache"] == {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                              "LOCATION": "redis://127.0.0.1:6379/1", "KEY_PREFIX": "pantau", "OPTIONS": {}}
    assert plain["shared"] is True and plain["seconds"] == 60
    tls = settings_with("rediss://:secret@cache.internal:6380/2")
    assert tls["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert tls["cache"]["LOCATION"] == "rediss://:secret@cache.internal:6380/2"
    local = settings_with("locmemcache://pantau")
    assert local["shared"] is False and local["seconds"] == 5


@pytest.mark.redis
def test_a_generation_forgotten_in_one_process_makes_the_others_value_stale(
        two_processes: tuple[RedisCache, RedisCache], monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = two_processes
    monkeypatch.setattr(cachegen, "cache", second)
    _, generation = cachegen.get("stamp:x", "thing:1")  # the reader takes the token, then reads
    monkeypatch.setattr(cachegen, "cache", first)
    cachegen.forget(["thing:1"])  # the writer commits meanwhile
    monkeypatch.setattr(cachegen, "cache", second)
    cachegen.put("stamp:x", generation, "old", 60)  # the reader stores what it read
    assert cachegen.get("stamp:x", "thing:1")[0] is None
    _, generation = cachegen.get("stamp:x", "thing:1")
    cachegen.put("stamp:x", generation, "new", 60)
    monkeypatch.setattr(cachegen, "cache", first)
    assert cachegen.get("stamp:x", "thing:1")[0] == "new"


@pytest.mark.redis
def test_the_rate_limit_counts_the_hits_of_every_process(
        two_processes: tuple[RedisCache, RedisCache], monkeypatch: pytest.MonkeyPatch) -> None:
    answers = []
    for i in range(6):
        monkeypatch.setattr(ratelimit, "cache", two_processes[i % 2])
        answers.append(ratelimit.allow("test", "10.0.0.1", limit=4, window=3600))
    assert answers == [True, True, True, True, False, False]
