"""Template helpers for ``core/fields.html`` and ``core/error_summary.html``."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def conflict_of(form: Any, name: str) -> str | None:
    """The text someone else saved in this field meanwhile (``core.forms.show_conflict``)."""
    conflicts = getattr(form, "conflicts", None) or {}
    value = conflicts.get(name)
    return None if value is None else str(value)
