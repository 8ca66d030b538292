"""The classification lists an installation may set (``vocab`` holds the shipped ones, pure).

``COMPLAINT_SUBSTANCES`` (environment, comma-separated): the substances staff classify reports by, in
the order shown; empty means the shipped list (``vocab.DEFAULT_SUBSTANCES``, from ORI's published
statistics). A substance taken off the list stays on the cases that have it and is still accepted when a
classification keeps it; it is no longer offered for new ones.
"""

from __future__ import annotations

from django.conf import settings

from pantau.complaints.vocab import DEFAULT_SUBSTANCES

LIMIT = 100  # the length of Case.substance


def substances() -> tuple[str, ...]:
    configured = tuple(str(s).strip()[:LIMIT] for s in getattr(settings, "COMPLAINT_SUBSTANCES", ()) or ())
    return tuple(dict.fromkeys(s for s in configured if s)) or DEFAULT_SUBSTANCES
