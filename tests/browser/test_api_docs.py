"""The API docs (/api/docs) work offline under the strict CSP: Swagger UI from our own static files."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site

pytestmark = pytest.mark.browser


def test_the_api_docs_render_every_operation_from_our_own_server_only(phone: Page, site: Site) -> None:
    hosts: set[str] = set()
    phone.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    response = phone.goto(site.at("/api/docs"))
    assert response is not None and response.status == 200
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")

    expect(phone.get_by_role("heading", name="Pantau API")).to_be_visible()
    operations = phone.locator(".opblock")
    expect(operations.first).to_be_visible()
    spec = phone.request.get(site.at("/api/openapi.json")).json()
    expected = sum(len(methods) for methods in spec["paths"].values())
    expect(operations).to_have_count(expected)
    standard = phone.locator(".opblock-summary-path", has_text="/api/registry/products/{pk}/standard")
    expect(standard.first).to_be_visible()

    assert hosts == {urlsplit(site.url).netloc}, f"the docs page loaded from other hosts: {hosts}"
    close_connections(phone)


def test_a_visitor_can_try_a_public_read_from_the_docs(phone: Page, site: Site) -> None:
    phone.goto(site.at("/api/docs"))
    block = phone.locator(".opblock", has=phone.locator(".opblock-summary-path", has_text="/api/registry/provinces"))
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    expect(block.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(block.locator(".live-responses-table")).to_contain_text("Kalimantan Selatan")
    close_connections(phone)


def close_connections(page: Page) -> None:
    """Swagger UI keeps several keep-alive connections open; close them while the live server
    and its database are still there (otherwise its threads fail at teardown)."""
    page.context.close()
