"""The survey's part of the public product page (``core.hooks.page_panel``): the unit's open
survey (link and QR code, the product preselected) and its latest published IKM. One indexed
query gives both the page's cache key and, on a miss, what the panel shows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.urls import reverse

from pantau.core import cachegen
from pantau.registry.models import ServiceProduct
from pantau.reports.qr import qr_svg_data_uri
from pantau.surveys import selectors
from pantau.surveys.models import Campaign

SHOWN = 4
PUBLIC_GENERATION = selectors.PUBLIC_GENERATION


def _rows(product_id: int) -> list[tuple[Any, ...]]:
    campaign, product = Campaign._meta.db_table, ServiceProduct._meta.db_table
    sql = (f"SELECT c.id, c.state, c.updated_at FROM {campaign} c WHERE c.unit_id = "  # noqa: S608
           f"(SELECT unit_id FROM {product} WHERE id = %s) AND c.state IN (%s, %s) ORDER BY c.id DESC LIMIT {SHOWN}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [product_id, Campaign.State.OPEN, Campaign.State.PUBLISHED])
        return list(cursor.fetchall())


def _read(product_id: int) -> tuple[Any, ...]:
    return tuple((pk, state, str(changed)) for pk, state, changed in _rows(product_id))


def product_stamp(product_id: int) -> tuple[Any, ...]:
    """The unit's open and published campaigns, kept in the cache like the product's own stamp
    (``PUBLIC_STAMP_SECONDS``) under the surveys' public generation, which every change of a
    campaign the public sees forgets after it commits: a visit from the page cache reads nothing."""
    seconds = settings.PUBLIC_STAMP_SECONDS
    if seconds <= 0:
        return _read(product_id)
    _generation, kept = cachegen.kept(f"survey:product:{product_id}", PUBLIC_GENERATION, seconds,
                                      lambda: _read(product_id))
    return tuple(kept)


def forget_public() -> None:
    cachegen.forget_after_commit([PUBLIC_GENERATION])


def product_context(product_id: int) -> dict[str, Any] | None:
    ids = [row[0] for row in product_stamp(product_id)]
    if not ids:
        return None
    campaigns = list(Campaign.objects.filter(pk__in=ids).select_related("version__questionnaire").order_by("-pk"))
    open_ = next((c for c in campaigns if c.state == Campaign.State.OPEN), None)
    published = max((c for c in campaigns if c.state == Campaign.State.PUBLISHED and c.result),
                    key=lambda c: (c.period_end, c.pk), default=None)
    context: dict[str, Any] = {"published": published, "open": open_}
    if open_ is not None:
        link = selectors.public_link(open_, "qr", product_id)
        context |= {"link": link, "qr": qr_svg_data_uri(link)}
    if published is not None:
        context["results_url"] = reverse("surveys:unit_results", args=[published.unit_id])
    return context
