"""Issue 6 item 15: forms like GOV.UK's, on the server (they work without JavaScript): an error
summary linking to each field, the title prefixed, fields marked; a replayed create POST is
saved once; work typed before the session expired is shown again after signing in."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from pantau.registry.models import ServiceProduct
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, name
    return found.group(1)


def test_a_bad_submit_shows_an_error_summary_linking_to_each_field_and_marks_them(cast: Any) -> None:
    response = client_for(cast.operator_dukcapil).post(
        reverse("manage:product_new", args=[cast.dukcapil.pk]), {"name": "", "category": "bukan"})
    assert response.status_code == 422
    page = response.content.decode()
    assert re.search(r"<title>Kesalahan: Produk layanan baru", page)
    summary = page[page.index('id="error-summary"'):page.index("</div>", page.index('id="error-summary"'))]
    assert 'role="alert"' in page and "Ada masalah" in summary
    assert 'href="#id_name"' in summary and 'href="#id_category"' in summary
    assert re.search(r'<input[^>]*name="name"[^>]*aria-invalid="true"[^>]*aria-describedby="id_name_error"', page) \
        or re.search(r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_name_error"[^>]*name="name"', page)
    assert 'id="id_name_error"' in page


def test_the_publish_check_links_each_missing_component_to_its_field(cast: Any) -> None:
    product = ServiceProduct.objects.create(unit=cast.dukcapil, name="Akta Kematian")
    url = reverse("manage:standard_edit", args=[product.pk])
    response = client_for(cast.operator_dukcapil).post(url, {
        "requirements": "KTP-el", "procedure": "Daftar", "action": "publish"})
    assert response.status_code == 422
    page = response.content.decode()
    for field in ("completion_time", "cost", "output"):
        assert f'href="#id_{field}"' in page
    assert 'href="#id_requirements"' not in page


def test_a_page_without_errors_has_no_summary_and_a_plain_title(cast: Any) -> None:
    page = client_for(cast.operator_dukcapil).get(reverse("manage:product_new", args=[cast.dukcapil.pk]))
    text = page.content.decode()
    assert "error-summary" not in text and "Kesalahan:" not in text


def test_a_replayed_create_post_makes_one_product_and_lands_on_it(cast: Any) -> None:
    client = client_for(cast.operator_dukcapil)
    url = reverse("manage:product_new", args=[cast.dukcapil.pk])
    data = {"name": "Legalisir Akta", "category": "adminduk", "is_active": "on",
            "once": _hidden(client.get(url).content.decode(), "once")}
    first, second = client.post(url, data), client.post(url, data)  # a double tap on "Simpan"
    product = ServiceProduct.objects.get(unit=cast.dukcapil, name="Legalisir Akta")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("manage:product", args=[product.pk])
    assert ServiceProduct.objects.filter(unit=cast.dukcapil, name="Legalisir Akta").count() == 1


def test_a_new_form_with_the_same_name_is_still_refused_as_a_duplicate(cast: Any) -> None:
    client = client_for(cast.operator_dukcapil)
    url = reverse("manage:product_new", args=[cast.dukcapil.pk])
    for _ in range(2):
        data = {"name": "Legalisir Akta", "category": "adminduk",
                "once": _hidden(client.get(url).content.decode(), "once")}
        response = client.post(url, data)
    assert response.status_code == 422
    assert ServiceProduct.objects.filter(unit=cast.dukcapil, name="Legalisir Akta").count() == 1


def test_work_typed_before_the_session_expired_comes_back_after_signing_in(cast: Any) -> None:
    client = client_for(cast.operator_dukcapil)
    url = reverse("manage:product_new", args=[cast.dukcapil.pk])
    once = _hidden(client.get(url).content.decode(), "once")
    Session.objects.all().delete()  # the session expires while the form is open
    typed = {"name": "Surat Pindah Datang", "category": "adminduk", "description": "Untuk warga pindahan",
             "once": once}
    response = client.post(url, typed)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    after_login = unquote(response["Location"].split("next=", 1)[1])
    assert after_login.startswith(url + "?pulihkan=")
    assert not ServiceProduct.objects.filter(name="Surat Pindah Datang").exists()
    signed_in = client.post(reverse("accounts:login"), {
        "username": "operator_dukcapil", "password": PASSWORD, "next": after_login})
    assert signed_in.status_code == 302 and signed_in["Location"] == after_login
    page = client.get(after_login).content.decode()
    assert 'value="Surat Pindah Datang"' in page and "Untuk warga pindahan" in page
    assert "Isian Anda dipulihkan" in page
    assert not ServiceProduct.objects.filter(name="Surat Pindah Datang").exists()  # shown, not saved
    assert client.post(url, typed).status_code == 302
    assert ServiceProduct.objects.filter(name="Surat Pindah Datang").count() == 1


def test_a_kept_form_is_not_shown_to_another_page_or_an_anonymous_visitor(cast: Any) -> None:
    client = Client()
    url = reverse("manage:product_new", args=[cast.dukcapil.pk])
    response = client.post(url, {"name": "Rahasia", "category": "adminduk"})
    after_login = unquote(response["Location"].split("next=", 1)[1])
    token = after_login.split("pulihkan=", 1)[1]
    other = reverse("manage:product_new", args=[cast.dpmptsp.pk])
    client.force_login(cast.admin_tabalong)
    assert "Rahasia" not in client.get(f"{other}?pulihkan={token}").content.decode()


def test_a_password_is_never_kept(cast: Any) -> None:
    client = Client()
    client.post(reverse("manage:product_new", args=[cast.dukcapil.pk]),
                {"name": "X", "category": "adminduk", "new_password": "rahasia-sekali"})
    session = Session.objects.get()
    assert "rahasia-sekali" not in str(session.get_decoded())
