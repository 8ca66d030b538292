"""Small request helpers."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True for a request made by htmx (answer it with the partial, not the whole page)."""
    return request.headers.get("HX-Request") == "true"


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def query_text(request: HttpRequest, name: str, max_length: int = 100) -> str:
    """A query-string parameter as plain text: trimmed, at most ``max_length`` characters, without
    NUL or other control characters (PostgreSQL refuses NUL in text, which would answer 500)."""
    value = str(request.GET.get(name) or "").translate(_CONTROL)
    return value.strip()[:max_length]


def query_id(request: HttpRequest, name: str) -> int | None:
    """A query-string parameter that names a database id (``?instansi=12``): the id, or ``None``
    when it is missing, not a plain number, or larger than the database holds (never a 500)."""
    from pantau.core.converters import parse_id

    return parse_id(request.GET.get(name))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for login lockouts (django-axes' ``AXES_CLIENT_IP_CALLABLE``).

    Without a proxy (``PROXY_COUNT=0``) it is ``REMOTE_ADDR``. Behind N proxies it is the address
    the outermost of them saw: the N-th entry of ``X-Forwarded-For`` counted from the right, the
    part the proxies wrote themselves, so a client cannot choose it by sending its own header.
    """
    remote: str | None = request.META.get("REMOTE_ADDR")
    count = int(getattr(settings, "PROXY_COUNT", 0))
    if count <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
