"""Background work of accounts (the tasks API; ``pantau db_worker`` runs it in production)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task


@task()
def send_password_reset(email: str, language: str) -> None:
    """Mail a reset link to each active account with this address (none if there is none).

    Runs off the request path, so the answer to the form takes as long whether or not the address
    exists. The link is built from ``SITE_URL``, never from the request's Host header.
    """
    form = PasswordResetForm()
    with translation.override(language or settings.LANGUAGE_CODE):
        for user in form.get_users(email):
            context = {
                "email": user.email, "user": user, "site_url": settings.SITE_URL,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            }
            form.send_mail("accounts/password_reset_subject.txt", "accounts/password_reset_email.txt",
                           context, None, user.email)
