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
