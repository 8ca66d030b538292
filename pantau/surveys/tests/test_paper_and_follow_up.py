"""Keying in paper questionnaires (all rows or none, row-level errors, a resent page stores nothing
twice) and the follow-up plan (validated, audited, public once published)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pantau.core.models import AuditEvent
from pantau.surveys import services
from pantau.surveys.models import FollowUp, Response
from pantau.surveys.tests.helpers import SKM_CODES, answer, make_campaign
from tests.cast import client_for

pytestmark = pytest.mark.django_db


def _grid(client: Client, url: str) -> dict[str, str]:
    html = client.get(url).content.decode()
    return dict(re.findall(r'name="(r\d+-token|rows|csrfmiddlewaretoken)" value="([^"]*)"', html))


def test_rows_are_stored_together_or_not_at_all(cast: Any) -> None:
    campaign = make_campaign(cast)
    client = client_for(cast.operator_dukcapil)
    url = reverse("survey_manage:paper", args=[campaign.pk])
    form = _grid(client, url)
    assert form["rows"] == "10"
    data = {**form, **{f"r0-{c}": "4" for c in SKM_CODES}, "r0-p-layanan": str(cast.ktp.pk), "r0-p-usia": "52",
            **{f"r1-{c}": "3" for c in SKM_CODES}, "r1-persyaratan": "7"}
    bad = client.post(url, data)
    html = bad.content.decode()
    assert bad.status_code == 422 and "Baris 2" in html and "Baris 1" not in html
    assert 'value="7"' in html and not Response.objects.exists()  # what was typed stays; nothing stored
    good = client.post(url, {**data, "r1-persyaratan": "2"})
    assert good.status_code == 302
    assert Response.objects.filter(channel="paper", complete=True).count() == 2
    assert client.post(url, {**data, "r1-persyaratan": "2"}).status_code == 302  # the same page again
    assert Response.objects.count() == 2
    row = Response.objects.get(age=52)
    assert (row.a1, row.product_id, row.entered_by_id) == (4, cast.ktp.pk, cast.operator_dukcapil.pk)
    assert AuditEvent.objects.filter(event_type="responses.keyed").count() == 1
    empty = client.post(url, _grid(client, url))
    assert empty.status_code == 422 and "kosong" in empty.content.decode()


def test_only_editors_of_the_unit_key_in(cast: Any) -> None:
    campaign = make_campaign(cast)
    url = reverse("survey_manage:paper", args=[campaign.pk])
    assert client_for(cast.assessor_kalsel).get(url).status_code == 404
    assert client_for(cast.admin_barsel).get(url).status_code == 404


def test_the_follow_up_plan(cast: Any) -> None:
    campaign = make_campaign(cast)
    answer(campaign, {**dict.fromkeys(SKM_CODES, 4), "waktu": 1})
    client = client_for(cast.admin_tabalong)
    url = reverse("survey_manage:follow_up_new", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert page.index('value="waktu"') < page.index('value="persyaratan"')  # the weakest element first
    bad = client.post(url, {"element": "waktu", "action": "", "owner": "", "due_date": "2026-06-30",
                            "status": "done"})
    assert bad.status_code == 422 and not FollowUp.objects.exists()
    assert client.post(url, {"element": "bukan", "action": "x", "owner": "y", "due_date": "2026-06-30",
                             "status": "planned"}).status_code == 422
    ok = client.post(url, {"element": "waktu", "action": "Tambah satu loket", "owner": "Kepala Bidang Pelayanan",
                           "due_date": "2026-06-30", "status": "planned"})
    assert ok.status_code == 302
    item = FollowUp.objects.get()
    done = client.post(reverse("survey_manage:follow_up", args=[campaign.pk, item.pk]), {
        "element": "waktu", "action": "Tambah satu loket", "owner": "Kepala Bidang Pelayanan",
        "due_date": "2026-06-30", "status": "done"})
    assert done.status_code == 422  # done needs a note of what was done
    client.post(reverse("survey_manage:follow_up", args=[campaign.pk, item.pk]), {
        "element": "waktu", "action": "Tambah satu loket", "owner": "Kepala Bidang Pelayanan",
        "due_date": "2026-06-30", "status": "done", "note": "Loket 4 dibuka 2 Juni"})
    item.refresh_from_db()
    assert item.status == "done" and list(AuditEvent.objects.filter(object_type="surveys.followup")
                                          .values_list("event_type", flat=True).order_by("pk")) == [
        "follow_up.created", "follow_up.saved"]
    public = reverse("surveys:unit_results", args=[cast.dukcapil.pk])
    assert "Tambah satu loket" not in Client().get(public).content.decode()  # not published yet
    campaign = services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state="closed")
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state="published")
    html = Client().get(public).content.decode()
    assert "Tambah satu loket" in html and "Loket 4 dibuka" in html
    assert client_for(cast.admin_barsel).get(url).status_code == 404
