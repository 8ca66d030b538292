"""The form renderer (``FORM_RENDERER``): Django's template renderer, with its most common widget templates
written out in Python.

A staff page with several forms spends much of its time rendering widgets through Django's template
engine: a select or a group of checkboxes renders one template per option, each through includes. The
templates below are simple, so this renderer produces their exact output (the same bytes, checked for
every widget kind by ``pantau/core/tests/test_formrender.py`` against Django's own templates) without the
engine. Any other template — a widget of another kind, or the form and field templates — goes to Django's
renderer as before, so a project or Django override of one of these templates must be added to ``SKIP``
(the test fails first when Django's templates change).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString

Widget = Mapping[str, Any]
WIDGETS = "django/forms/widgets/"
# Template names whose file is only ``{% include "django/forms/widgets/input.html" %}``.
INPUTS = frozenset(f"{WIDGETS}{name}.html" for name in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
    "color", "checkbox"))
SKIP: frozenset[str] = frozenset()  # widget templates overridden by the project (rendered by Django)
_CONTEXT = Context()  # autoescape on, localisation as configured: what the widget templates render with


def _text(value: Any) -> str:
    """``{{ value }}``: localised and escaped like the template engine does."""
    return str(render_value_in_context(value, _CONTEXT))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (a safe string stays safe: ``str`` of it is itself)."""
    return _text(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(w: Widget) -> str:
    value = f' value="{_formatted(w["value"])}"' if w["value"] is not None else ""
    return f'<input type="{_text(w["type"])}" name="{_text(w["name"])}"{value}{_attrs(w["attrs"])}>\n'


def _input_option(w: Widget) -> str:
    """``input_option.html`` as included by ``checkbox_option.html`` and ``radio_option.html``."""
    if not w["wrap_label"]:
        return _input(w) + "\n\n"
    label_for = f' for="{_text(w["attrs"]["id"])}"' if w["attrs"].get("id") else ""
    return f'<label{label_for}>{_input(w)} {_text(w["label"])}</label>\n\n'


def _select_option(w: Widget) -> str:
    return f'<option value="{_formatted(w["value"])}"{_attrs(w["attrs"])}>{_text(w["label"])}</option>\n'


OPTIONS: dict[str, Callable[[Widget], str]] = {
    f"{WIDGETS}select_option.html": _select_option,
    f"{WIDGETS}checkbox_option.html": _input_option,
    f"{WIDGETS}radio_option.html": _input_option,
}


def _option(option: Widget) -> str | None:
    render = OPTIONS.get(option["template_name"])
    return None if render is None or option["template_name"] in SKIP else render(option)


def _textarea(w: Widget) -> str:
    text = _text(w["value"]) if w["value"] else ""
    return f'<textarea name="{_text(w["name"])}"{_attrs(w["attrs"])}>\n{text}</textarea>\n'


def _select(w: Widget) -> str | None:
    parts = [f'<select name="{_text(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, group_choices, _index in w["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            html = _option(option)
            if html is None:
                return None
            parts.append(f"\n  {html}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple(w: Widget) -> str | None:
    """``multiple_input.html`` as included by ``checkbox_select.html`` and ``radio.html``."""
    attrs = w["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_text(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_text(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in w["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            html = _option(option)
            if html is None:
                return None
            parts.append(f"<div>\n    {html}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n\n")
    return "".join(parts)


TOP: dict[str, Callable[[Widget], str | None]] = {
    **dict.fromkeys(INPUTS, _input),
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}checkbox_select.html": _multiple,
    f"{WIDGETS}radio.html": _multiple,
}


class FormRenderer(DjangoTemplates):
    """Django's template renderer; the widget templates of ``TOP`` are rendered in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        render = TOP.get(template_name)
        widget = context.get("widget") if render is not None and template_name not in SKIP else None
        if render is not None and isinstance(widget, Mapping):
            html = render(widget)
            if html is not None:
                return SafeString(html.strip())
        return super().render(template_name, context, request=request)
