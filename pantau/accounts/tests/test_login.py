"""Signing in: lockout after repeated failures (django-axes), password reset by email, sessions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.cast import PASSWORD, in_english

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


def _reset_link() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/akun/sandi/atur/[^\s]+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_a_password_reset_mails_a_link_that_sets_a_new_password(cast: Any) -> None:
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "head_kalsel@uji.local"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox[0].to == ["head_kalsel@uji.local"]
    assert "Atur ulang kata sandi Pantau" in mail.outbox[0].subject
    form = client.get(_reset_link(), follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "teh-manis-di-sore-hari",
                                                    "new_password2": "teh-manis-di-sore-hari"})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    assert attempt(Client(), "head_kalsel", "teh-manis-di-sore-hari").status_code == 302
    assert attempt(Client(), "head_kalsel", PASSWORD).status_code == 200
    # The link works once.
    again = client.get(_reset_link(), follow=True)
    assert not again.context["validlink"]
    assert "Tautan ini tidak berlaku lagi" in again.content.decode()


def test_a_password_reset_does_not_reveal_whether_the_email_exists(cast: Any) -> None:
    known = Client().post(reverse("accounts:password_reset"), {"email": "head_kalsel@uji.local"})
    unknown = Client().post(reverse("accounts:password_reset"), {"email": "siapa@tidak.ada"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = Client().get(known["Location"]).content.decode()
    assert "Jika email itu terdaftar" in page


def test_a_malformed_email_for_a_reset_is_explained(cast: Any) -> None:
    response = in_english(Client()).post(reverse("accounts:password_reset"), {"email": "bukan-email"})
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(("password", "message"), [
    ("pendek", "too short"),
    ("password123", "too common"),
    ("1234567890123", "entirely numeric"),
    ("head_kalsel1", "too similar"),
])
def test_the_reset_form_refuses_a_weak_password_with_the_reason(cast: Any, password: str, message: str) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "head_kalsel@uji.local"})
    form = client.get(_reset_link(), follow=True)
    response = in_english(client).post(form.redirect_chain[-1][0],
                                       {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    cast.head_kalsel.refresh_from_db()
    assert cast.head_kalsel.check_password(PASSWORD)


def test_the_reset_form_refuses_two_different_passwords(cast: Any) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "head_kalsel@uji.local"})
    form = client.get(_reset_link(), follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "teh-manis-di-sore-hari",
                                                        "new_password2": "teh-manis-di-pagi-hari"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    cast.head_kalsel.refresh_from_db()
    assert cast.head_kalsel.check_password(PASSWORD)


def test_a_forged_reset_link_is_refused(cast: Any) -> None:
    response = Client().get(reverse("accounts:password_reset_confirm", args=["MQ", "bukan-token"]))
    assert response.status_code == 200 and not response.context["validlink"]
    assert reverse("accounts:password_reset") in response.content.decode()
