"""``{% triage_for case viewer as triage %}``: the case page's triage suggestion (``triage.py``) for the intake
officer and the head of office while the case is being verified or classified; None for anyone else, without
a query."""

from __future__ import annotations

from typing import Any

from django import template

from pantau.complaints import triage, workflow
from pantau.complaints.vocab import INTAKE_STATES, RecordKind, State

register = template.Library()
TRIAGE_ROLES = frozenset({workflow.INTAKE_OFFICER, workflow.HEAD_OF_OFFICE})
TRIAGE_STATES = INTAKE_STATES | {State.AWAITING_PLENARY}


def _percent(value: Any) -> int | None:
    return round(float(value) * 100) if isinstance(value, int | float) else None


def shown_to(case: Any, viewer: Any) -> bool:
    return (viewer is not None and not viewer.provider and bool(viewer.roles & TRIAGE_ROLES)
            and case.kind != RecordKind.PROVIDER_COMPLAINT and case.state in TRIAGE_STATES)


@register.simple_tag
def triage_for(case: Any, viewer: Any) -> dict[str, Any] | None:
    if not shown_to(case, viewer):
        return None
    suggestion = triage.suggest(case)
    if suggestion is None:
        return {"suggestion": None}
    accuracy = suggestion.stored.accuracy
    return {
        "suggestion": suggestion,
        "stored": suggestion.stored,
        "held_back": accuracy.get("held_back", suggestion.stored.held_back),
        "substance_top1": _percent(accuracy.get("substance", {}).get("top1")),
        "substance_top3": _percent(accuracy.get("substance", {}).get("top3")),
        "forms_f1": _percent(accuracy.get("forms", {}).get("micro_f1")),
        "forms_precision": _percent(accuracy.get("forms", {}).get("precision")),
        "institution_top1": _percent(accuracy.get("institution", {}).get("top1")),
        "may_apply": bool(viewer.classify),
        "apply_forms": suggestion.form_codes or list(case.alleged),
    }
