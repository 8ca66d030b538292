"""One generation token (``pantau.core.cachegen``) for what the complaint numbers are computed from: every
save or deletion of a case or a demand forgets it, so a page or file cached under it (the SLA dashboard,
the yearly statistics and their exports) is recomputed after any change. Bulk updates that bypass the
model's ``save`` (a duplicate link, retention) change nothing these numbers show; the caches keep their
values at most ``SLA_SECONDS`` (the dashboard) or the page cache's lifetime anyway.
"""

from __future__ import annotations

from typing import Any

from pantau.core import cachegen

GENERATION = "complaints.numbers"
SLA_SECONDS = 300


def forget(**_signal: Any) -> None:
    cachegen.forget_after_commit([GENERATION])


def token() -> str:
    """Take it before reading the cases for a value kept under it."""
    return cachegen.token(GENERATION)


def connect() -> None:
    """From ``complaints.hooks.register``: cases and demands saved or deleted forget the generation."""
    from django.db.models.signals import post_delete, post_save

    for model in ("complaints.Case", "complaints.Demand"):
        post_save.connect(forget, sender=model, dispatch_uid=f"complaint-numbers-saved-{model}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"complaint-numbers-deleted-{model}")
