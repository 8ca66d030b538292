"""The 500 page and the CSRF failure page: usable on a phone, in Indonesian, with a way on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.cast import PASSWORD


def test_the_500_page_fits_a_phone_and_shows_the_request_id_to_quote(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(request: Any) -> Any:
        raise RuntimeError("deliberately broken for the test")

    monkeypatch.setattr("pantau.core.views.django_set_language", broken)
    response = Client(raise_request_exception=False).post("/bahasa/", {"language": "en"})
    assert response.status_code == 500
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    rid = response["X-Request-ID"]
    assert re.fullmatch(r"[A-Za-z0-9-]{8,64}", rid)
    assert f"<code>{rid}</code>" in html
    assert "deliberately broken" not in html


def test_a_form_sent_without_a_valid_csrf_token_gets_a_friendly_indonesian_page_with_a_way_back(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/akun/masuk/", {"username": "national_admin", "password": PASSWORD},
                           HTTP_REFERER="http://testserver/akun/masuk/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulir ini sudah kedaluwarsa" in html and "Tidak ada yang tersimpan" in html
    assert 'href="http://testserver/akun/masuk/"' in html and 'href="/"' in html
    assert "CSRF verification failed" not in html and "CSRF_FAILURE_VIEW" not in html
    assert '<meta name="viewport"' in html
    assert response["X-Request-ID"] in html


def test_the_csrf_page_does_not_link_back_to_another_site(cast: Any) -> None:
    response = Client(enforce_csrf_checks=True).post("/akun/masuk/", {}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()
