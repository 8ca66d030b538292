"""Keys for template fragments cached with ``{% cache %}`` (Django's cache API).

A fragment key is built from everything the fragment shows (a cheap "stamp" read from the
database, the viewer's scope, the language …) plus a digest of the template's source, so that
a changed template or changed data is a cache miss, with any cache backend and any number of
processes. Nothing is ever invalidated by hand.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import get_template

# Fragments are keyed by what they show: this only bounds the memory they hold.
FRAGMENT_SECONDS = 6 * 3600

_digests: dict[str, str] = {}


def template_digest(name: str) -> str:
    """A digest of a template's source (computed once per process)."""
    if name not in _digests:
        template = getattr(get_template(name), "template", None)
        _digests[name] = hashlib.sha256(str(getattr(template, "source", name)).encode()).hexdigest()[:12]
    return _digests[name]


def fragment_key(*parts: Any) -> str:
    """A short key for the ``{% cache %}`` tag from the parts' ``repr``."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
