"""Whole pages served from Django's cache, keyed by what they show ("donut" caching).

``render_cached`` renders a page once and keeps the HTML in the cache under a key built from
everything the page depends on: the caller's parts (a cheap "stamp" of the data read from the
database, filters …), the language, the full path, who is looking (anonymous, or the user's id,
name and what the modules register as the viewer's key, ``hooks.viewer_key``: roles and scope)
and a digest of the templates. Changed data, another user or a new template is therefore a miss,
with any cache backend and any number of processes; nothing is invalidated by hand. The CSRF
token is the only per-request part: the page is rendered with a placeholder that each response
replaces with the request's own token. Pages with pending messages (shown once) are rendered
normally and not cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils.translation import get_language

from pantau.core import hooks

# Keys change with what the page shows, so this only bounds the memory cached pages hold.
PAGE_SECONDS = 6 * 3600
# Fixed (not per process: processes share a cache). Only ever replaced by the viewer's own token.
CSRF_PLACEHOLDER = "pantau-csrf-placeholder-0f6c2a9e"

# "hit" or "miss": whether the page came from the cache (the benchmark reports the share).
CACHE_HEADER = "X-Pantau-Cache"

_digests: dict[str, str] = {}


def template_digest(name: str) -> str:
    """A digest of a template's source (computed once per process)."""
    if name not in _digests:
        template = getattr(get_template(name), "template", None)
        _digests[name] = hashlib.sha256(str(getattr(template, "source", name)).encode()).hexdigest()[:12]
    return _digests[name]


def page_key(request: HttpRequest, parts: Iterable[Any], templates: Iterable[str]) -> str:
    user = request.user
    viewer: tuple[Any, ...] = ("anonymous",)
    if user.is_authenticated:  # the navigation and the account menu depend on the roles and name
        viewer = (user.pk, getattr(user, "display_name", lambda: "")(), *hooks.viewer_parts(user))
    raw = repr((tuple(parts), viewer, get_language(), request.get_full_path(),
                tuple(template_digest(t) for t in templates)))
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


@dataclass(frozen=True)
class Uncached:
    """What ``context`` returns for a page that must not be kept: an answer to bad input (a
    form's errors, with its status), rendered for this request only."""

    context: dict[str, Any]
    status: int


def _uncached(request: HttpRequest, template_name: str, values: dict[str, Any] | Uncached) -> HttpResponse:
    if isinstance(values, Uncached):
        return render(request, template_name, values.context, status=values.status)
    return render(request, template_name, values)


def render_cached(request: HttpRequest, template_name: str, context: Callable[[], dict[str, Any] | Uncached], *,
                  parts: Iterable[Any], templates: Iterable[str] = (), seconds: int = PAGE_SECONDS) -> HttpResponse:
    """The page ``template_name`` with ``context()``, from the cache when it is there.

    ``parts`` must capture everything the page shows besides the viewer, language and path;
    ``templates`` names the templates it includes or extends (``base.html`` is always counted).
    ``context`` is only called when the page is rendered; it returns ``Uncached`` for an answer
    that is not kept (a 400 for bad filters).
    """
    if len(get_messages(request)):
        return _uncached(request, template_name, context())
    key = page_key(request, parts, (template_name, "base.html", *templates))
    html = cache.get(key)
    state = "hit"
    if html is None:
        values = context()
        if isinstance(values, Uncached):
            return _uncached(request, template_name, values)
        html = render_to_string(template_name, {**values, "csrf_token": CSRF_PLACEHOLDER}, request)
        cache.set(key, html, seconds)
        state = "miss"
    response = HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
    response[CACHE_HEADER] = state  # counted by the benchmark (bench/load.lua)
    return response


def cached_bytes(parts: Iterable[Any], make: Callable[[], bytes], *, templates: Iterable[str] = (),
                 seconds: int = PAGE_SECONDS) -> tuple[bytes, str]:
    """A generated file (a PDF …) made once and kept under a key built from ``parts`` (everything it
    depends on, language included) and the digests of ``templates``; ("hit" | "miss") beside it."""
    raw = repr((tuple(parts), tuple(template_digest(t) for t in templates)))
    key = "file:" + hashlib.sha256(raw.encode()).hexdigest()[:40]
    data = cache.get(key)
    if data is not None:
        return data, "hit"
    data = make()
    cache.set(key, data, seconds)
    return data, "miss"
