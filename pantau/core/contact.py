"""Contact details typed as text, as links a phone can follow: ``tel:``, WhatsApp, web, e-mail.

A standard's complaint channels are free text ("WhatsApp pengaduan 0811-5000-123",
"SP4N-LAPOR! (lapor.go.id)", "pengaduan@dukcapil.go.id"). ``linkify`` escapes the text and turns
the parts it recognises into links; everything else stays text. Indonesian numbers are written
as ``0…`` or ``+62…``/``62…``; links use the international form (``tel:+62…``, ``wa.me/62…``).
"""

from __future__ import annotations

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
_URL = r"(?:https?://)?(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:go\.id|id|com|org|net)(?:/[^\s<>()]*)?"
_PHONE = r"(?:\+62[\s.-]?|\(0|0)\d{2,4}\)?(?:[\s.-]?\d{2,5}){1,3}"
_TOKEN = re.compile(rf"(?P<email>{_EMAIL})|(?P<phone>{_PHONE})|(?P<url>{_URL})")
_WHATSAPP = re.compile(r"whats\s*app|\bwa\b", re.IGNORECASE)


def international(number: str) -> str | None:
    """``0811-5000-123`` → ``628115000123``; ``None`` if it is not a plausible Indonesian number."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    else:
        return None
    return f"62{digits}" if 7 <= len(digits) <= 12 else None


def _link(match: re.Match[str], whatsapp: bool) -> str:
    text = match.group(0)
    if match.group("email"):
        return format_html('<a href="mailto:{}">{}</a>', text, text)
    if match.group("phone"):
        number = international(text)
        if number is None:
            return escape(text)
        if whatsapp and number.startswith("628"):
            return format_html('<a href="https://wa.me/{}" rel="noopener">{}</a>', number, text)
        return format_html('<a href="tel:+{}">{}</a>', number, text)
    url = text if text.startswith(("http://", "https://")) else f"https://{text}"
    return format_html('<a href="{}" rel="noopener">{}</a>', url, text)


def linkify_line(line: str) -> SafeString:
    whatsapp = bool(_WHATSAPP.search(line))
    out: list[str] = []
    at = 0
    for match in _TOKEN.finditer(line):
        out.append(escape(line[at:match.start()]))
        out.append(_link(match, whatsapp))
        at = match.end()
    out.append(escape(line[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped or format_html


def phone_link(number: str) -> SafeString:
    """A phone number as a ``tel:`` link (the text as it was typed), or the escaped text."""
    target = international(number)
    if target is None:
        return escape(number)
    return format_html('<a href="tel:+{}">{}</a>', target, number)
