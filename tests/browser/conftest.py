"""Browser fixtures: a live server with the test cast, a 360 px phone, login through the form, axe-core.

Every test here drives Debian's chromium through Playwright (``browser_type_launch_args`` in the
root ``conftest.py``). pytest-django's ``live_server`` runs in a thread of the same process and
needs ``transactional_db``: the cast is committed so the server thread sees it, and the tables are
flushed after each test. Under ``pytest -n 2`` each xdist worker has its own database and server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.cast import PASSWORD, Cast

# A small Android phone: the narrowest screen Pantau promises to serve well.
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}
TIMEOUT_MS = 15_000  # generous for a loaded CI machine; expect() returns as soon as the state holds
FAILING_IMPACTS = ("serious", "critical")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in this directory is a browser test, whether or not the module says so."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class Site:
    """The live server's address and the cast it serves."""

    url: str
    cast: Cast

    def at(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def site(live_server: Any, transactional_db: Any) -> Site:
    from tests.cast import build_cast

    return Site(url=live_server.url, cast=build_cast())


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's ``page`` and ``context`` are a 360 px phone."""
    return {**browser_context_args, **PHONE}


@pytest.fixture(autouse=True)
def _expect_timeout() -> None:
    expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def phone(page: Page) -> Iterator[Page]:
    """A page in a 360 × 740 touch-screen context (the ``browser_context_args`` above).

    The test fails afterwards if the page broke the CSP (an inline script or ``style=``) or threw
    a JavaScript error: both mean a page that works differently in production than it looks.
    """
    problems: list[str] = []
    page.on(
        "console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    assert not problems, "the browser reported:\n" + "\n".join(problems)


@pytest.fixture
def axe_context(browser: Browser) -> Iterator[BrowserContext]:
    """A phone context for axe-core runs ONLY, with the page's CSP switched off.

    Pantau's strict CSP (``script-src 'self'``) rightly blocks the inline ``<script>`` that
    ``page.add_script_tag(content=...)`` inserts, so axe could not load. ``bypass_csp`` is a
    test-only escape hatch; the other browser tests run with the real CSP in force.
    """
    context = browser.new_context(**PHONE, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def log_in(site: Site) -> Callable[..., None]:
    """``log_in(page, "operator_dukcapil")`` signs in through the form of the live server."""
    return lambda page, username, password=PASSWORD: log_in_through_form(page, site, username, password)


@pytest.fixture
def axe() -> Callable[[Page], None]:
    """``axe(page)`` fails the test on serious/critical axe-core violations (see ``assert_accessible``)."""
    return assert_accessible


def log_in_through_form(page: Page, site: Site, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form and wait for the dashboard's sign-out button."""
    page.goto(site.at("/akun/masuk/"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("main").get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


@cache
def axe_source() -> str:
    """axe-core as shipped inside the ``axe-playwright-python`` package (test extras)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return its violations (all impacts)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"- {v['id']} [{v['impact']}] on {targets}: {v['help']} ({v['helpUrl']})")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail on any axe-core violation of impact serious or critical; print the lesser ones."""
    violations = axe_violations(page)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    minor = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
    if minor:
        print(f"axe on {page.url}: minor/moderate findings\n{describe(minor)}")
    assert not failing, f"axe-core on {page.url} found serious/critical violations:\n{describe(failing)}"


def no_horizontal_scroll(page: Page, width: int = 360) -> int:
    """The document's scroll width (a page fits a ``width`` px phone when it is <= width)."""
    scroll_width: int = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url} scrolls sideways on a {width} px screen: {scroll_width} px wide"
    )
    return scroll_width
