"""A small fixed-window rate limit on the shared cache (works across processes with a shared CACHE_URL).

``allow("password_reset:ip", ip, limit=20, window=3600)`` counts one hit and answers whether it is
within the limit. The identity is hashed, so no address or e-mail sits in the cache. If the cache
fails, the hit is allowed (and logged): a broken cache must not turn a form into a 500.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.core.cache import cache

log = logging.getLogger(__name__)


def allow(name: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one hit of ``identity`` for ``name``; False once there were more than ``limit`` hits in
    the current window of ``window`` seconds."""
    digest = hashlib.sha256(f"{name}\0{identity}".encode()).hexdigest()[:32]
    key = f"ratelimit:{name}:{digest}:{int(time.time() // window)}"
    try:
        cache.add(key, 0, window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window + 1)
            count = 1
    except Exception:  # noqa: BLE001 - any cache failure: allow rather than answer 500
        log.warning("rate limit %s: cache unavailable, hit allowed", name, exc_info=True)
        return True
    return int(count) <= limit
