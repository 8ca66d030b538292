"""Issue 6 item 14: Indonesian unless the visitor chooses English; the browser's language does not count."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


def test_a_browser_set_up_in_english_gets_the_indonesian_page(cast: Any) -> None:
    for url in (reverse("public:home"), reverse("public:product", args=[cast.ktp.pk]), reverse("accounts:login")):
        response = Client().get(url, headers=ENGLISH_BROWSER)
        body = response.content.decode()
        assert '<html lang="id">' in body, url
        assert response["Content-Language"] == "id"
        assert "Accept-Language" not in response.get("Vary", "")


def test_after_choosing_english_the_site_is_english_and_stays_so(cast: Any) -> None:
    client, url = Client(), reverse("public:product", args=[cast.ktp.pk])
    switched = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert switched.status_code == 302
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 30 * 24 * 3600  # remembered, not per session
    body = client.get(url, headers={"Accept-Language": "id"}).content.decode()
    assert '<html lang="en">' in body and "Requirements" in body
    assert "Cookie" in client.get(url)["Vary"]


def test_an_unknown_language_in_the_cookie_falls_back_to_indonesian(cast: Any) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="id">' in client.get(reverse("public:home"), headers=ENGLISH_BROWSER).content.decode()
