"""Errors that services raise and views/API turn into answers a person can act on."""

from __future__ import annotations

from django.http import Http404


class NotInScope(Http404):
    """The object is outside the actor's scope: answered as 404, never 403."""
