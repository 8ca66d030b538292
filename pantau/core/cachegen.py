"""Generation tokens: cached values that a write makes stale at once, even in a race with a reader.

A value read from the database and kept in the cache is tagged with the *generation* of what it
depends on: a random token kept in the cache under ``gen:<name>``. A write forgets the token
(``forget_after_commit``: now, and again once its transaction commits); the next reader creates a
new random token, so every value tagged with an older one is a miss from then on.

Why this closes the stale-set race (a reader that read the old row before the commit and stores
it after the write cleared the cache): a reader takes the token *before* it reads the database
(``get`` returns it) and stores its value tagged with that token (``put``). If its read saw the
state before a write's commit, it took the token before that write's after-commit ``forget``, so
the token it holds is one that ``forget`` removed; a removed token never comes back (tokens are
random, not counters, so an evicted or expired token cannot be recreated either), and the value
is never served. Conversely a value that is served carries the current token, which was created
after the last completed ``forget``, so its read saw every write completed before it.

With a per-process cache (the default ``locmem``) a token lives in one process only: the other
processes do not see the write's ``forget`` and rely on their values' expiry (the callers' TTLs).
With a shared cache (``CACHE_URL=redis://…``) a write is seen by every process at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

PREFIX = "gen:"
# A token lives at most this long (then values tagged with it are a miss); bounds the keys kept.
TOKEN_SECONDS = 24 * 3600


def _key(name: str) -> str:
    return PREFIX + name


def token(name: str) -> str:
    """The current generation of ``name`` (created when there is none). Take it before reading
    the database for a value to be cached."""
    return tokens([name])[0]


def tokens(names: Iterable[str]) -> list[str]:
    """The current generations of ``names``, in one cache round trip when they exist."""
    keys = [_key(n) for n in names]
    found = cache.get_many(keys)
    return [found.get(k) or _create(k) for k in keys]


def _create(key: str) -> str:
    new = secrets.token_hex(8)
    if cache.add(key, new, TOKEN_SECONDS):
        return new
    # Another process created one first; or a write removed it meanwhile, and then ours is as good
    # as any new one (no stored value carries it).
    current: str | None = cache.get(key)
    return current or new


def get(key: str, name: str) -> tuple[Any, str]:
    """The value stored under ``key`` if it was stored under the current generation of ``name``
    (else None), and that generation: one round trip."""
    gen_key = _key(name)
    found = cache.get_many([key, gen_key])
    current = found.get(gen_key) or _create(gen_key)
    stored = found.get(key)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == current:
        return stored[1], current
    return None, current


def put(key: str, generation: str, value: Any, seconds: int) -> None:
    """Keep ``value`` (read after ``generation`` was taken) under ``key`` for ``seconds``."""
    cache.set(key, (generation, value), seconds)


def kept(key: str, name: str, seconds: int, read: Callable[[], Any]) -> tuple[str, Any]:
    """``read()``, kept under ``key`` for ``seconds`` while ``name``'s generation stays, and that
    generation (taken before the read, so a value read before a write's commit is never kept as
    current after it). ``read()`` must not return ``None``."""
    cached, generation = get(key, name)
    if cached is not None:
        return generation, cached
    value = read()
    put(key, generation, value, seconds)
    return generation, value


def forget(names: Iterable[str]) -> None:
    cache.delete_many([_key(n) for n in names])


def forget_after_commit(names: Iterable[str]) -> None:
    """Forget the generations now (the writing request sees its own change inside its transaction)
    and again once the transaction commits (readers in between may have taken a new token before
    the commit made the change visible). Outside a transaction the second call runs at once."""
    keys = list(names)
    if not keys:
        return
    forget(keys)
    transaction.on_commit(lambda: forget(keys))
