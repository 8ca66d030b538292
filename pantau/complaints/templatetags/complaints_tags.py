"""``{% load complaints_tags %}``: ``{{ text|tr }}`` shows a label or message of the pure complaint modules
(``vocab``, ``workflow``, ``deadlines``) in the language of the request (``complaints.messages.translate``);
a list gives a list (``{{ forms|tr|join:", " }}``). ``{{ code|conclusion }}`` is the label of an LAHP
conclusion code."""

from __future__ import annotations

from typing import Any

from django import template

from pantau.complaints import messages

register = template.Library()


@register.filter
def tr(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [messages.translate(v) for v in value]
    return messages.translate(value)


@register.filter
def conclusion(value: Any) -> str:
    return messages.conclusion_label(str(value or ""))
