"""Private answers carry ``Cache-Control: private, no-store``; public ones stay cacheable.

One middleware decides it for every view (``pantau.core.middleware.is_private``), from the view's
access rule, the API credentials and the signed-in user: no view has to remember it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pantau.registry.tests.api_helpers import Api

PRIVATE_PAGES = [
    "/kelola/", "/kelola/instansi/", "/kelola/impor/", "/kelola/ekspor.xlsx", "/kelola/impor/templat.xlsx",
    "/kelola/audit/", "/kelola/audit/csv/", "/akun/pengguna/", "/akun/token/",
]


def no_store(response: Any) -> bool:
    return response.get("Cache-Control") == "private, no-store"


@pytest.mark.parametrize("path", PRIVATE_PAGES)
def test_private_pages_and_exports_are_not_stored_by_any_cache(cast: Any, path: str) -> None:
    client = Client()
    client.force_login(cast.users["national_admin"])
    response = client.get(path)
    response.close()  # a file download (FileResponse) closes its file here
    assert response.status_code == 200, path
    assert no_store(response), (path, response.get("Cache-Control"))


def test_a_page_outside_the_users_scope_is_not_stored_either(cast: Any) -> None:
    client = Client()
    client.force_login(cast.users["admin_tabalong"])
    response = client.get(f"/kelola/instansi/{cast.barsel.pk}/")
    assert response.status_code == 404 and no_store(response)


@pytest.mark.parametrize("path", ["/my/institutions", "/my/units", "/my/products"])
def test_the_api_answers_for_a_token_are_not_stored(cast: Any, path: str) -> None:
    response = Api.as_user(cast.users["admin_tabalong"]).get(path)
    assert response.status_code == 200 and no_store(response), response.get("Cache-Control")


def test_a_public_page_seen_by_a_signed_in_user_is_private_because_it_shows_who_they_are(cast: Any) -> None:
    client = Client()
    client.force_login(cast.users["head_kalsel"])
    response = client.get(f"/layanan/{cast.ktp.pk}/")
    assert response.status_code == 200 and no_store(response)


def test_public_pages_for_visitors_stay_cacheable(cast: Any) -> None:
    for path in (f"/layanan/{cast.ktp.pk}/", "/layanan/", "/", "/api/registry/products"):
        response = Client().get(path)
        assert response.status_code == 200, path
        assert "no-store" not in response.get("Cache-Control", ""), path


def test_data_the_same_for_everyone_keeps_its_public_cache_header_for_a_signed_in_user(cast: Any) -> None:
    client = Client()
    client.force_login(cast.users["head_kalsel"])
    response = client.get("/peta/provinsi.json")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
