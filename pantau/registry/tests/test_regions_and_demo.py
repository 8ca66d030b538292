from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from pantau.accounts.models import Membership, Role
from pantau.core.models import AuditEvent
from pantau.registry.demo import load_demo
from pantau.registry.models import (
    Institution,
    Province,
    ProvinceBoundary,
    Regency,
    RegencyBoundary,
    ServiceProduct,
    UnitEvent,
)
from pantau.registry.regionmap import province_stats
from pantau.registry.regions import load_regions
from pantau.registry.tests.test_summaries import assert_kept_equals_rebuild

pytestmark = pytest.mark.django_db


def test_it_loads_38_provinces_and_514_regencies_once() -> None:
    first = load_regions()
    assert (first.provinces_created, first.regencies_created) == (38, 514)
    again = load_regions()
    assert again == type(again)(0, 0, 0, 0)
    assert Province.objects.count() == 38 and Regency.objects.count() == 514
    tabalong = Regency.objects.get(code="63.09")
    assert tabalong.name == "Kabupaten Tabalong" and tabalong.province.code == "63"
    assert Regency.objects.get(code="63.71").kind == Regency.Kind.KOTA
    assert json.loads(RegencyBoundary.objects.get(regency=tabalong).geometry)["type"] in ("Polygon", "MultiPolygon")
    assert ProvinceBoundary.objects.count() == 38 and RegencyBoundary.objects.count() == 514


def test_the_demo_has_every_role_and_uneven_standards_and_loads_once() -> None:
    call_command("load_regions", verbosity=0)
    logins = load_demo()
    assert {m.role for m in Membership.objects.all()} == set(Role.values)
    assert len(logins) == Membership.objects.count()
    assert Institution.objects.filter(name="Pemerintah Kabupaten Balangan").exists()
    published = ServiceProduct.objects.filter(current_standard__isnull=False).count()
    assert 0 < published < ServiceProduct.objects.count()
    assert UnitEvent.objects.filter(kind="merge").exists()
    assert AuditEvent.objects.filter(event_type="standard.published").count() == published
    # The summary rows the services kept while the demo was written equal a rebuild (ADR 0014).
    assert_kept_equals_rebuild()
    assert len(province_stats()) == 3
    count = Institution.objects.count()
    load_demo()
    assert Institution.objects.count() == count
