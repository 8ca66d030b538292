"""Open311 answers in XML (required by the spec) and JSON (the "Spark convention" mapping of the XML): a
list is the repeated child element in XML and an array in JSON, ``None`` an empty element and ``null``.
Errors are the spec's array of ``{code, description}`` in both formats, never an HTML page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# The element of each item of a list, by the list's element (the spec's XML shapes).
ITEMS = {"services": "service", "attributes": "attribute", "values": "value", "endpoints": "endpoint",
         "formats": "format", "service_requests": "request", "errors": "error"}
# Characters XML 1.0 cannot carry at all (control characters except tab, newline, carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    text = _NOT_XML.sub("", str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _element(out: list[str], name: str, value: Any) -> None:
    if value is None or value == "" or value == [] or value == {}:
        out.append(f"<{name}></{name}>")
    elif isinstance(value, dict):
        out.append(f"<{name}>")
        for key, item in value.items():
            _element(out, key, item)
        out.append(f"</{name}>")
    elif isinstance(value, list | tuple):
        out.append(f"<{name}>")
        child = ITEMS.get(name, "item")
        for item in value:
            _element(out, child, item)
        out.append(f"</{name}>")
    else:
        out.append(f"<{name}>{_text(value)}</{name}>")


def to_xml(root: str, data: Any) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    _element(out, root, data)
    return "".join(out)


def body(fmt: str, root: str, data: Any) -> bytes:
    """``data`` (a list or a dict) as ``fmt`` (XML unless ``json``); ``root`` names the XML root element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) if fmt == "json" else to_xml(root, data)
    return text.encode("utf-8", "replace")


def answer(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    return respond(fmt, body(fmt, root, data), status)


def respond(fmt: str, content: bytes, status: int = 200) -> HttpResponse:
    return HttpResponse(content, status=status, content_type=FORMATS["json" if fmt == "json" else "xml"])


def errors(fmt: str, status: int, problems: Iterable[tuple[int, str]] | str) -> HttpResponse:
    """The spec's error array: each ``(code, description)``; a plain string is one error with the HTTP code."""
    rows = [(status, problems)] if isinstance(problems, str) else list(problems)
    data = [{"code": code, "description": str(description)} for code, description in rows]
    response = answer(fmt if fmt in FORMATS else "xml", "errors", data, status=status)
    response["Cache-Control"] = "no-store"
    return response
