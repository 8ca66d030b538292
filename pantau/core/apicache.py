"""Public API answers from Django's cache, keyed by what they show (the API's ``render_cached``).

An operation opts in with ``@cached_answer(stamp)`` (under its ``@get`` and ``@paginate``):
``stamp()`` is a cheap key of everything the answer reads (a generation token taken first, the
latest ``updated_at`` …, see ``pantau.core.cachegen``). The key adds the language, the scheme and
host (answers hold absolute URLs) and the full path with its query. Only anonymous GETs without a
token are served from or kept in the cache, and only 200 answers are kept: errors, staff and
token reads are answered every time. The answer carries ``X-Pantau-Cache: hit|miss`` like a page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from pantau.core.pagecache import CACHE_HEADER

STAMP_ATTR = "pantau_answer_stamp"
# Keys change with what the answer shows; this bounds the memory and what a stamp cannot see
# (a deletion seen by another process with its own cache).
ANSWER_SECONDS = 300

F = TypeVar("F", bound=Callable[..., Any])


def cached_answer(stamp: Callable[[], Any]) -> Callable[[F], F]:
    """Mark an API operation's function as served from the cache under ``stamp()``."""
    def mark(func: F) -> F:
        setattr(func, STAMP_ATTR, stamp)
        return func
    return mark


def stamp_of(func: Callable[..., Any]) -> Callable[[], Any] | None:
    found: Callable[[], Any] | None = getattr(func, STAMP_ATTR, None)
    return found


def _cacheable(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (request.method == "GET" and "HTTP_AUTHORIZATION" not in request.META
            and not (user is not None and user.is_authenticated))


def serve(request: HttpRequest, stamp: Callable[[], Any], answer: Callable[[], HttpResponse]) -> HttpResponse:
    """``answer()``, or the same answer kept earlier under the same stamp."""
    if not _cacheable(request):
        return answer()
    raw = repr((stamp(), get_language(), request.scheme, request.get_host(), request.get_full_path()))
    key = "api:" + hashlib.sha256(raw.encode()).hexdigest()[:40]
    kept = cache.get(key)
    if isinstance(kept, tuple) and len(kept) == 2:
        response = HttpResponse(kept[0], content_type=kept[1])
        response[CACHE_HEADER] = "hit"
        return response
    response = answer()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (response.content, response["Content-Type"]), ANSWER_SECONDS)
        response[CACHE_HEADER] = "miss"
    return response
