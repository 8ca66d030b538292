"""Logging helpers: every line carries the request id and the user id, never personal data."""

from __future__ import annotations

import logging

from pantau.core import requestid


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = requestid.get_request_id()
        record.user_id = requestid.get_user_id()
        return True
