"""PDF documents from Django templates, rendered by WeasyPrint without touching the network.

``render_pdf("some/template.html", context)`` renders the template and lays it out as PDF. The
document's relative URLs resolve against ``settings.SITE_URL``; the only resources WeasyPrint may
load are the project's static files (read from disk through the staticfiles finders or the
collected ``STATIC_ROOT``) and ``data:`` URIs (e.g. a QR code). Anything else — an ``http(s)``
address, a ``file:`` path outside the static files — is refused, so a template (or text typed
by a provider) can never make the server fetch a remote or local file. Fonts are the system's
(Debian ``fonts-dejavu-core`` and ``fonts-noto-core``), found through fontconfig.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


def base_url() -> str:
    """The address relative URLs in a PDF template resolve against (the public site)."""
    return f"{settings.SITE_URL}/"


def static_path(url: str) -> Path | None:
    """The file on disk behind a static URL of this site (``/static/...``), or None."""
    parts = urlsplit(url)
    site = urlsplit(base_url())
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    if not parts.path.startswith(prefix):
        return None
    name = unquote(parts.path[len(prefix):])
    if not name or ".." in Path(name).parts:
        return None
    found = finders.find(name)
    if isinstance(found, str):
        return Path(found)
    if settings.STATIC_ROOT and staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    return None


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serve static files from disk and ``data:`` URIs; refuse every other URL."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path(url)
        if path is None:
            raise ValueError(f"PDF resources come from static files only, not {url[:80]}")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": mime or "application/octet-stream"}
        )


def render_pdf(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF document's bytes."""
    html = render_to_string(template_name, context, request=request)
    document = HTML(string=html, base_url=base_url(), url_fetcher=StaticOnlyFetcher())
    pdf: bytes = document.write_pdf()
    return pdf
