"""Password reset requests. Not an audited write (nothing is stored): a request is counted against
the rate limits and the mail is queued as a task (``tasks.send_password_reset``)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.accounts.tasks import send_password_reset
from pantau.core import ratelimit


def request_reset(*, email: str, client_ip: str | None, language: str) -> None:
    """Ask for a reset link. Does the same work whether or not the address exists: counts the
    request against the limits (per client address and per e-mail address) and queues the mail.
    Raises ValidationError when a limit is reached."""
    email = email.strip().lower()
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    if not (ratelimit.allow("password_reset:ip", client_ip or "-", limit=settings.PASSWORD_RESET_PER_IP,
                            window=window)
            and ratelimit.allow("password_reset:email", email, limit=settings.PASSWORD_RESET_PER_EMAIL,
                                window=window)):
        raise ValidationError(_("Terlalu banyak permintaan atur ulang kata sandi. Coba lagi dalam satu jam."),
                              code="rate_limited")
    with transaction.atomic():
        transaction.on_commit(lambda: send_password_reset.enqueue(email, language))
