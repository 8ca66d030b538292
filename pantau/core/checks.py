"""Pantau's own deployment checks (``pantau check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


@register(Tags.security, deploy=True)
def email_is_not_printed_to_the_log(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.EMAIL_BACKEND != CONSOLE_EMAIL:
        return []
    return [Warning(
        "EMAIL_URL is not set, so emails are printed to the console: invitation and password-reset "
        "messages, with their addresses and links, would end up in the log.",
        hint="Set EMAIL_URL, e.g. smtp+tls://user:password@mail.example.go.id:587 (see docs/operations.md).",
        id="pantau.W001",
    )]


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "SITE_URL_SET", True):
        return []
    return [Warning(
        f"SITE_URL is not set, so QR codes on the printed boards and links in invitation and "
        f"password-reset e-mails point to {settings.SITE_URL}, not to where Pantau is served.",
        hint="Set SITE_URL to the public address, e.g. SITE_URL='https://pantau.ombudsman.go.id' "
             "(see docs/operations.md).",
        id="pantau.W002",
    )]
