"""``{% load contact %}``: ``{{ text|contact_lines }}`` (one ``<li>`` per line, links made) and
``{{ phone|tel }}`` (see ``pantau.core.contact``)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from pantau.core.contact import linkify_line, phone_link

register = template.Library()


@register.filter
def contact_lines(text: str) -> SafeString:
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    return format_html_join("", "<li>{}</li>", ((linkify_line(line),) for line in lines))


@register.filter
def tel(number: str) -> SafeString:
    return phone_link(str(number or ""))
