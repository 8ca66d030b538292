"""Small request helpers."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True for a request made by htmx (answer it with the partial, not the whole page)."""
    return request.headers.get("HX-Request") == "true"
