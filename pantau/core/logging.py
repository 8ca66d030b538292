"""Logging helpers: every line carries the request id and the user id, never personal data."""

from __future__ import annotations

import logging

from pantau.core import requestid


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` to each record, and keeps URL paths out of the log.

    Django logs failed responses (``django.request``, ``django.security.csrf``) with the path,
    which can hold a one-time token or an email: the path is replaced by the view's name.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = requestid.get_request_id()
        record.user_id = requestid.get_user_id()
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple) and path in record.args:
            match = getattr(request, "resolver_match", None)
            name = getattr(match, "view_name", None) or "-"
            record.args = tuple(name if arg == path else arg for arg in record.args)
        return True
