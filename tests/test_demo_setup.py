"""``pantau demo_setup`` (what ``make demo`` runs before gunicorn): from an empty database to a
demo with logins, twice without change, and without claiming to serve anything."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from pantau.accounts.models import User
from pantau.assessments.models import MethodologyVersion
from pantau.core.models import AuditEvent
from pantau.registry.demo import DEMO_PASSWORD, KECAMATAN_BY_REGENCY
from pantau.registry.models import Institution, Office, Province, Regency, ServiceProduct, ServiceUnit

pytestmark = pytest.mark.django_db(transaction=False)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (
        Province, Regency, Office, Institution, ServiceUnit, ServiceProduct, User, AuditEvent, MethodologyVersion)}


def demo_setup() -> str:
    out = io.StringIO()
    call_command("demo_setup", stdout=out)
    return out.getvalue()


@pytest.fixture
def static_root(settings: Any, tmp_path: Path) -> Path:
    settings.STATIC_ROOT = tmp_path / "static"
    return settings.STATIC_ROOT


def test_demo_setup_builds_the_demo_on_an_empty_database_and_prints_working_logins(static_root: Path) -> None:
    assert Institution.objects.count() == 0 and User.objects.count() == 0
    output = demo_setup()
    made = counts()
    assert made["Province"] == 38 and made["Regency"] == 514
    assert made["Institution"] >= 10 and made["ServiceProduct"] >= 100 and made["User"] >= 5
    assert made["MethodologyVersion"] == 3  # the shipped methodologies, shown at /metodologi/
    assert "ombudsman-2022@1.0: stored" in output
    assert (static_root / "pantau" / "map.js").exists()  # collectstatic ran into STATIC_ROOT
    assert f"password for all: {DEMO_PASSWORD}" in output
    usernames = re.findall(r"^  (\S+)\s", output, re.MULTILINE)
    assert len(usernames) >= 5
    for username in usernames:
        signed_in = Client().post("/akun/masuk/", {"username": username, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302, username
    assert "Serving" not in output and "make demo" in output  # it prepares; make demo serves
    from pantau.surveys.models import Campaign

    assert "surveys demo:" in output
    published = Campaign.objects.filter(state="published").select_related("unit").first()
    open_ = Campaign.objects.filter(state="open").first()
    assert published is not None and open_ is not None and published.result["index"]["value"]
    page = Client().get(f"/survei/unit/{published.unit_id}/").content.decode()
    assert "IKM" in page and Client().get(f"/survei/{open_.public_token}/").status_code == 200
    whole = Campaign.objects.get(unit=None, state="published")  # a perception survey of a whole institution
    page = Client().get(f"/survei/instansi/{whole.institution_id}/").content.decode()
    assert whole.title in page and "persepsi" in page.lower() and whole.result["index"]["value"]


def test_demo_setup_run_twice_changes_nothing_the_second_time(static_root: Path) -> None:
    first = demo_setup()
    before = counts()
    second = demo_setup()
    assert counts() == before
    assert "regencies/cities: 514 new" in first and "new" not in second  # the regions are not loaded again
    assert first[first.index("Demo logins"):] == second[second.index("Demo logins"):]


def test_demo_kecamatan_sit_in_their_own_regency_and_offices_say_where_to_complain(static_root: Path) -> None:
    demo_setup()
    kecamatan = ServiceUnit.objects.filter(kind="kecamatan").select_related("institution__regency")
    assert kecamatan.exists()
    for unit in kecamatan:
        regency = unit.institution.regency
        assert regency is not None, f"{unit.name} belongs to a province government"
        assert unit.name.removeprefix("Kecamatan ") in KECAMATAN_BY_REGENCY[regency.code], (unit.name, regency.name)
    for office in Office.objects.filter(is_national=False):
        assert office.address and office.phone, office.name
