"""The assessments demo step: a published 2022 period and an open one with work in progress."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from pantau.assessments import demo
from pantau.assessments.models import Period, Result, ReturnedItem, SampledUnit
from pantau.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry_demo(db: Any) -> None:
    call_command("load_regions", verbosity=0)
    call_command("load_demo", verbosity=0)


def test_the_demo_publishes_2022_and_leaves_an_open_period_in_progress(registry_demo: None) -> None:
    message = demo.load()
    assert "Dipublikasikan".lower() in message, message
    published = Period.objects.get(title=demo.PUBLISHED_TITLE)
    assert published.status == Period.Status.PUBLISHED and published.year == 2022
    institutions = Result.objects.filter(period=published, level="institution", is_published=True)
    assert institutions.count() == len(demo.PUBLISHED_INSTITUTIONS)
    assert len({r.zone for r in institutions}) >= 2  # zones differ between the regions
    current = Period.objects.exclude(pk=published.pk).get()
    assert current.status == Period.Status.COLLECTION
    statuses = set(SampledUnit.objects.filter(period=current).values_list("status", flat=True))
    assert {"submitted", "returned", "open"} <= statuses
    assert ReturnedItem.objects.filter(sampled_unit__period=current).exists()
    assert AuditEvent.objects.filter(event_type="period.published").count() == 1
    assert demo.load() == message  # the second time: nothing done, the same words
    client = Client()
    assert client.get("/penilaian/2022/").status_code == 200
    tabalong = institutions.get(institution__name="Pemerintah Kabupaten Tabalong")
    assert client.get(f"/penilaian/2022/instansi/{tabalong.institution_id}/").status_code == 200
    assert client.get(f"/penilaian/2022/instansi/{tabalong.institution_id}/rapor.pdf").status_code == 200


def test_without_the_registry_demo_the_step_is_skipped(db: Any) -> None:
    assert "skipped" in demo.load()
    assert not Period.objects.exists()
