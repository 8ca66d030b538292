"""Password reset by email: the link sets a new password once; the answer never tells whether an
address exists (same work, mail sent after the answer by a task); requests are rate-limited per
client address and per e-mail address; the link is built from SITE_URL, never from the Host header."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pantau.accounts.tasks import send_password_reset
from tests.cast import PASSWORD, in_english

pytestmark = pytest.mark.django_db
RESET = "/akun/sandi/lupa/"
LOGIN = "/akun/masuk/"


def ask(capture: Any, email: str, client: Client | None = None, **extra: Any) -> Any:
    """Ask for a reset link and run what the request queued for after its commit (the mail task)."""
    with capture(execute=True):
        return (client or Client()).post(RESET, {"email": email}, **extra)


def reset_link() -> str:
    assert len(mail.outbox) == 1
    match = re.search(re.escape(settings.SITE_URL) + r"(/akun/sandi/atur/[^\s]+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def signs_in(password: str) -> bool:
    return bool(Client().post(LOGIN, {"username": "head_kalsel", "password": password}).status_code == 302)


def test_a_password_reset_mails_a_link_that_sets_a_new_password(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    response = ask(django_capture_on_commit_callbacks, "head_kalsel@uji.local", client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox[0].to == ["head_kalsel@uji.local"]
    assert "Atur ulang kata sandi Pantau" in mail.outbox[0].subject
    form = client.get(reset_link(), follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "teh-manis-di-sore-hari",
                                                    "new_password2": "teh-manis-di-sore-hari"})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    assert signs_in("teh-manis-di-sore-hari") and not signs_in(PASSWORD)
    # The link works once.
    again = client.get(reset_link(), follow=True)
    assert not again.context["validlink"]
    assert "Tautan ini tidak berlaku lagi" in again.content.decode()


def test_a_password_reset_does_not_reveal_whether_the_email_exists(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    known = ask(django_capture_on_commit_callbacks, "head_kalsel@uji.local")
    unknown = ask(django_capture_on_commit_callbacks, "siapa@tidak.ada")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = Client().get(known["Location"]).content.decode()
    assert "Jika email itu terdaftar" in page


def test_the_reset_mail_leaves_after_the_answer_and_both_answers_do_the_same_work(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    work, sent = [], []
    for email in ("head_kalsel@uji.local", "siapa@tidak.ada"):
        with django_capture_on_commit_callbacks() as queued, CaptureQueriesContext(connection) as queries:
            response = Client().post(RESET, {"email": email})
        assert response.status_code == 302
        assert mail.outbox == []  # nothing was sent while the visitor waited
        work.append((len(queued), len(queries)))
        for callback in queued:
            callback()  # the task, after the answer
        sent.append([m.to for m in mail.outbox])
        mail.outbox.clear()
    assert work[0] == work[1] and work[0][0] == 1
    assert sent == [[["head_kalsel@uji.local"]], []]


class SlowEmailBackend(EmailBackend):
    """A mail server that takes its time, as a real SMTP server does."""

    def send_messages(self, messages: Any) -> int:
        time.sleep(0.5)
        return int(super().send_messages(messages))


def test_a_slow_mail_server_does_not_make_a_known_address_answer_slower(
    cast: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.SlowEmailBackend"
    settings.PASSWORD_RESET_PER_EMAIL = settings.PASSWORD_RESET_PER_IP = 100  # timing, not the limits
    for email in ("siapa@tidak.ada", "head_kalsel@uji.local"):  # once each first: what a process does
        with django_capture_on_commit_callbacks(execute=True):  # once (templates, translations) is not timed
            Client().post(RESET, {"email": email})
    mail.outbox.clear()
    took: dict[str, float] = {}
    for _ in range(5):  # the fastest of five: a pause of the machine (load, GC) is not the view's time
        for email in ("siapa@tidak.ada", "head_kalsel@uji.local"):
            with django_capture_on_commit_callbacks(execute=True):  # the task runs after the answer
                start = time.perf_counter()
                assert Client().post(RESET, {"email": email}).status_code == 302
                spent = time.perf_counter() - start
            took[email] = min(took.get(email, spent), spent)
    assert len(mail.outbox) == 5
    assert abs(took["head_kalsel@uji.local"] - took["siapa@tidak.ada"]) < 0.25, took


def test_the_task_mails_only_active_accounts_with_that_address(cast: Any) -> None:
    send_password_reset.call("siapa@tidak.ada", "id")
    cast.head_kalsel.is_active = False
    cast.head_kalsel.save()
    send_password_reset.call("head_kalsel@uji.local", "id")
    assert mail.outbox == []
    send_password_reset.call("ADMIN_TABALONG@uji.local", "id")
    assert [m.to for m in mail.outbox] == [["admin_tabalong@uji.local"]]


def test_the_reset_link_comes_from_site_url_not_from_the_host_header(
    cast: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://pantau.ombudsman.example"
    settings.ALLOWED_HOSTS = ["*"]
    ask(django_capture_on_commit_callbacks, "head_kalsel@uji.local", HTTP_HOST="penyerang.example:6666")
    body = mail.outbox[0].body
    assert "https://pantau.ombudsman.example/akun/sandi/atur/" in body
    assert "penyerang" not in body and "6666" not in body


@pytest.mark.parametrize("email", ["head_kalsel@uji.local", "siapa@tidak.ada"])
@pytest.mark.cache
def test_requests_for_one_address_are_limited_whoever_asks_and_whether_or_not_it_exists(
    cast: Any, settings: Any, django_capture_on_commit_callbacks: Any, email: str
) -> None:
    settings.PASSWORD_RESET_PER_EMAIL = 3
    for i in range(3):
        assert ask(django_capture_on_commit_callbacks, email, REMOTE_ADDR=f"10.0.0.{i}").status_code == 302
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks() as queued:
        refused = Client().post(RESET, {"email": email.upper()}, REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429 and queued == [] and len(mail.outbox) == sent
    html = refused.content.decode()
    assert 'id="id_email_error"' in html and "Terlalu banyak permintaan atur ulang kata sandi" in html
    # Another address is not held up.
    assert ask(django_capture_on_commit_callbacks, "admin_tabalong@uji.local",
               REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.cache
def test_requests_from_one_client_address_are_limited(
    cast: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PASSWORD_RESET_PER_IP = 3
    for i in range(3):
        assert ask(django_capture_on_commit_callbacks, f"orang{i}@uji.local", REMOTE_ADDR="10.1.1.1").status_code == 302
    refused = ask(django_capture_on_commit_callbacks, "head_kalsel@uji.local", REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429 and mail.outbox == []
    assert "Coba lagi dalam satu jam" in refused.content.decode()
    assert ask(django_capture_on_commit_callbacks, "head_kalsel@uji.local", REMOTE_ADDR="10.1.1.2").status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.cache
def test_the_limit_ends_with_its_window(cast: Any, settings: Any, django_capture_on_commit_callbacks: Any,
                                        time_machine: Any) -> None:
    settings.PASSWORD_RESET_PER_IP = 1
    time_machine.move_to("2026-06-01 10:00:00+00:00")
    assert ask(django_capture_on_commit_callbacks, "a@uji.local").status_code == 302
    assert ask(django_capture_on_commit_callbacks, "b@uji.local").status_code == 429
    time_machine.move_to("2026-06-01 11:00:01+00:00")
    assert ask(django_capture_on_commit_callbacks, "b@uji.local").status_code == 302


def test_a_broken_cache_does_not_turn_the_reset_form_into_a_500(
    cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.cache import cache

    def down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", down)
    assert ask(django_capture_on_commit_callbacks, "head_kalsel@uji.local").status_code == 302
    assert len(mail.outbox) == 1


def test_a_malformed_email_for_a_reset_is_explained(cast: Any) -> None:
    response = in_english(Client()).post(RESET, {"email": "bukan-email"})
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(("password", "message"), [
    ("pendek", "too short"),
    ("password123", "too common"),
    ("1234567890123", "entirely numeric"),
    ("head_kalsel1", "too similar"),
])
def test_the_reset_form_refuses_a_weak_password_with_the_reason(
    cast: Any, django_capture_on_commit_callbacks: Any, password: str, message: str
) -> None:
    client = Client()
    ask(django_capture_on_commit_callbacks, "head_kalsel@uji.local", client)
    form = client.get(reset_link(), follow=True)
    response = in_english(client).post(form.redirect_chain[-1][0],
                                       {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    cast.head_kalsel.refresh_from_db()
    assert cast.head_kalsel.check_password(PASSWORD)


def test_the_reset_form_refuses_two_different_passwords(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    ask(django_capture_on_commit_callbacks, "head_kalsel@uji.local", client)
    form = client.get(reset_link(), follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "teh-manis-di-sore-hari",
                                                        "new_password2": "teh-manis-di-pagi-hari"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    cast.head_kalsel.refresh_from_db()
    assert cast.head_kalsel.check_password(PASSWORD)


def test_a_forged_reset_link_for_a_real_account_is_refused(cast: Any) -> None:
    uid = urlsafe_base64_encode(force_bytes(cast.head_kalsel.pk))  # a real user, whatever the database's ids
    client = Client()
    forged = "cdx1mm-0123456789abcdef0123456789abcdef"
    response = client.get(reverse("accounts:password_reset_confirm", args=[uid, forged]), follow=True)
    assert response.status_code == 200 and not response.context["validlink"]
    assert reverse("accounts:password_reset") in response.content.decode()
    # Nor can the forged link be used to set a password.
    url = reverse("accounts:password_reset_confirm", args=[uid, "set-password"])
    client.post(url, {"new_password1": "teh-manis-di-sore-hari", "new_password2": "teh-manis-di-sore-hari"})
    cast.head_kalsel.refresh_from_db()
    assert cast.head_kalsel.check_password(PASSWORD)
