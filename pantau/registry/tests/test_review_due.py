"""“Perlu ditinjau” (review due): a present item whose standard in force, or whose maklumat, is older
than ``STANDARD_REVIEW_MONTHS``. Only those are due; a recent standard is not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pantau.registry import completeness
from pantau.registry.models import ServiceProduct
from tests.cast import publish

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 1, 10)


@pytest.fixture
def today(cast: Any, time_machine: Any, settings: Any) -> dt.date:
    """Cast: KTP-el (Disdukcapil, maklumat of 2 Jan 2025) in force since 2 Jan 2025; PBG (DPMPTSP, no
    maklumat) republished with effect from 1 Jun 2026. Reviews are due after 24 months."""
    settings.STANDARD_REVIEW_MONTHS = 24
    time_machine.move_to(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=dt.UTC))
    publish(cast.national_admin, cast.pbg, effective=dt.date(2026, 6, 1))
    return TODAY


def test_the_review_date_is_the_review_period_before_today(today: dt.date) -> None:
    assert completeness.review_cutoff(today) == dt.date(2025, 1, 10)
    assert completeness.review_cutoff(dt.date(2027, 3, 31)) == dt.date(2025, 3, 28)


def test_only_the_items_of_an_old_standard_or_maklumat_are_due(cast: Any, today: dt.date) -> None:
    old = ServiceProduct.objects.select_related("unit", "current_standard").get(pk=cast.ktp.pk)
    recent = ServiceProduct.objects.select_related("unit", "current_standard").get(pk=cast.pbg.pk)

    old_items = dict((c.code, status) for c, status in completeness.product_items(old))
    recent_items = dict((c.code, status) for c, status in completeness.product_items(recent))

    assert old_items["persyaratan"] == completeness.STALE
    assert old_items["maklumat"] == completeness.STALE
    assert completeness.STALE not in recent_items.values()
    assert recent_items["persyaratan"] == completeness.PRESENT
    assert recent_items["maklumat"] == completeness.MISSING  # missing is not "due": there is nothing to review


def test_the_institution_counts_due_items_of_old_standards_only(cast: Any, today: dt.date) -> None:
    products = ServiceProduct.objects.filter(unit__institution=cast.tabalong)
    counts = {s.component.code: s for s in completeness.component_counts(products)}
    assert (counts["persyaratan"].present, counts["persyaratan"].stale) == (2, 1)
    assert (counts["maklumat"].present, counts["maklumat"].stale) == (1, 1)


def test_a_standard_in_force_for_less_than_the_review_period_is_not_due(cast: Any, today: dt.date) -> None:
    publish(cast.national_admin, cast.ktp, effective=today - dt.timedelta(days=700))  # 23 months
    product = ServiceProduct.objects.select_related("unit", "current_standard").get(pk=cast.ktp.pk)
    items = dict((c.code, status) for c, status in completeness.product_items(product))
    assert items["persyaratan"] == completeness.PRESENT


def test_the_product_page_marks_review_due_only_on_the_old_standard(cast: Any, today: dt.date) -> None:
    client = Client()
    client.force_login(cast.head_kalsel)
    assert "perlu ditinjau" in client.get(reverse("manage:product", args=[cast.ktp.pk])).content.decode()
    assert "perlu ditinjau" not in client.get(reverse("manage:product", args=[cast.pbg.pk])).content.decode()


def test_a_review_due_count_leads_to_the_products_with_the_old_standard(cast: Any, today: dt.date) -> None:
    client = Client()
    client.force_login(cast.assessor_kalsel)
    url = reverse("manage:institution_component", args=[cast.tabalong.pk, "persyaratan"])
    detail = client.get(reverse("manage:institution", args=[cast.tabalong.pk])).content.decode()
    assert f'href="{url}?status=tinjau"' in detail
    html = client.get(url, {"status": "tinjau"}).content.decode()
    assert "Penerbitan KTP-el" in html and "Persetujuan Bangunan Gedung" not in html
    assert "Penerbitan KTP-el" not in client.get(url).content.decode()  # it is present, not missing
