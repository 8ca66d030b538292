"""Public pages of the methodologies: the stored versions, and one version in full."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from pantau.assessments import selectors, services
from pantau.assessments.methodology import Item, Methodology
from pantau.core.access import PUBLIC, access
from pantau.core.pagecache import render_cached

ANSWERS = {"yes-no": _("ya/tidak"), "partial": _("sebagian"), "ordinal": _("skala bertingkat"), "numeric": _("angka")}
METHODS = {"observation": _("observasi"), "document": _("dokumen"), "interview": _("wawancara")}
EVIDENCE = {"photo": _("foto"), "document": _("dokumen"), "url": _("tautan"), "note": _("catatan")}
LEVELS = {"institution": _("instansi"), "unit": _("unit layanan"), "product": _("produk layanan")}


@access(PUBLIC)
def methodologies(request: HttpRequest) -> HttpResponse:
    """The stored methodology versions; from the page cache, keyed by the versions' stamp."""
    return render_cached(request, "assessments/public/methodologies.html",
                         lambda: {"versions": list(selectors.public_versions())},
                         parts=("methodologies", selectors.list_stamp()))


@access(PUBLIC)
def methodology_version(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    """One version in full, from the page cache keyed by its content hash (and whether it is frozen)."""
    stamp = selectors.version_stamp(slug, version)
    if stamp is None:
        raise Http404
    return render_cached(request, "assessments/public/methodology_version.html",
                         lambda: _version_context(slug, version),
                         parts=("methodology-version", *stamp))


def _item(item: Item) -> dict[str, Any]:
    """What the page shows of an item, the codes of the file as Indonesian words."""
    if item.answer == "numeric":
        scale: list[tuple[Any, str]] = []
    elif item.labels:
        scale = list(zip(item.points, item.labels, strict=False))
    else:
        scale = [(p, "") for p in item.points]
    return {"item": item, "answer": ANSWERS.get(item.answer, item.answer), "scale": scale,
            "level": LEVELS.get(item.level, item.level), "methods": [METHODS.get(m, m) for m in item.methods],
            "evidence": [EVIDENCE.get(e, e) for e in item.evidence]}


def _version_context(slug: str, version: str) -> dict[str, Any]:
    stored = selectors.public_version(slug, version)
    if stored is None:
        raise Http404
    document: Methodology = services.document_of(stored)
    dimensions = [{"dimension": d, "variables": [{"variable": v, "items": [_item(i) for i in v.items]}
                                                 for v in d.variables]}
                  for d in document.dimensions]
    items = document.items.values()
    return {"stored": stored, "document": document, "dimensions": dimensions, "item_count": len(items),
            "derived_count": sum(1 for i in items if i.derived), "levels": [LEVELS.get(x, x) for x in document.levels]}
