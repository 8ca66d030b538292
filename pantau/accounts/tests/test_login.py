"""Signing in: lockout after repeated failures (django-axes), sessions. Password reset: test_password_reset."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/akun/masuk/"


def attempt(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def test_a_correct_password_signs_in(cast: Any) -> None:
    client = Client()
    response = attempt(client, "head_kalsel", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("manage:dashboard")
    assert client.session["_auth_user_id"] == str(cast.head_kalsel.pk)


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(cast: Any) -> None:
    wrong_password = attempt(Client(), "head_kalsel", "salah")
    no_such_user = attempt(Client(), "tidak_ada", "salah")
    assert wrong_password.status_code == no_such_user.status_code == 200
    for response in (wrong_password, no_such_user):
        assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_five_failures_lock_the_account_with_a_page_that_says_what_to_do(cast: Any) -> None:
    client = Client()
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert attempt(client, "head_kalsel", "salah").status_code == 200
    locked = attempt(client, "head_kalsel", "salah")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert '<html lang="id">' in html
    assert "Akun dikunci sementara" in html and "Coba lagi dalam satu jam" in html
    assert reverse("accounts:password_reset") in html
    # Even the right password does not get through while the lock holds.
    assert attempt(client, "head_kalsel", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_applies_to_one_username_only(cast: Any) -> None:
    client = Client()
    for _ in range(5):
        attempt(client, "head_kalsel", "salah")
    assert attempt(client, "admin_tabalong", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count_of_failures(cast: Any) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, "head_kalsel", "salah")
    assert attempt(client, "head_kalsel", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert attempt(client, "head_kalsel", "salah").status_code == 200
    assert attempt(client, "head_kalsel", PASSWORD).status_code == 302


def test_the_lockout_does_not_reveal_whether_a_username_exists(cast: Any) -> None:
    known, unknown = Client(), Client()
    for _ in range(5):
        known_response = attempt(known, "head_kalsel", "salah")
        unknown_response = attempt(unknown, "belum_terdaftar", "salah")
        assert known_response.status_code == unknown_response.status_code
    assert known_response.status_code == 429

    def strip(html: str) -> str:  # the CSRF token differs between two clients
        return re.sub(r'value="[^"]{32,}"', "", html)

    assert strip(known_response.content.decode()) == strip(unknown_response.content.decode())


def test_the_session_cookie_is_guarded(cast: Any) -> None:
    response = attempt(Client(), "head_kalsel", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends when the browser closes
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_signing_out_asks_the_browser_to_forget_what_the_site_kept_on_the_device(cast: Any) -> None:
    client = Client()
    assert attempt(client, "assessor_kalsel", PASSWORD).status_code == 302
    page = client.get(reverse("manage:dashboard"))
    assert f'data-device-data="pantau-u{cast.assessor_kalsel.pk}-"' in page.content.decode()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
