"""/api/surveys/: a response posted twice is stored once (201, then 200), bad answers are refused
with the reason and nothing written, the live result of a campaign, the published results of a
unit for everyone."""

from __future__ import annotations

from typing import Any

import pytest

from pantau.registry.tests.api_helpers import Api
from pantau.surveys import services
from pantau.surveys.models import Response
from pantau.surveys.tests.helpers import SKM_CODES, answer, make_campaign

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Api:
    api = Api.as_user(user)
    api.prefix = "/api/surveys"
    return api


def test_a_response_posted_twice_is_stored_once(cast: Any) -> None:
    campaign = make_campaign(cast)
    api = _api(cast.operator_dukcapil)
    body = {"client_token": "kertas-0001", "answers": dict.fromkeys(SKM_CODES, 3),
            "profile": {"layanan": cast.ktp.pk, "usia": 30}}
    first = api.post(f"/my/campaigns/{campaign.pk}/responses", body)
    assert first.status_code == 201 and first.json()["created"] is True
    again = api.post(f"/my/campaigns/{campaign.pk}/responses", {**body, "answers": dict.fromkeys(SKM_CODES, 1)})
    assert again.status_code == 200 and again.json() == {**first.json(), "created": False}
    response = Response.objects.get()
    assert (response.a1, response.channel, response.entered_by_id) == (3, "api", cast.operator_dukcapil.pk)


@pytest.mark.parametrize(("change", "needle"), [
    ({"answers": {"persyaratan": 7}}, "di luar pilihan"),
    ({"answers": {"bukan_unsur": 3}}, "tidak dikenal"),
    ({"client_token": "x"}, "client_token"),
    ({"extra": 1}, "extra"),
    ({"profile": {"layanan": 999999}}, "Layanan"),
])
def test_bad_input_is_refused_with_its_reason_and_nothing_written(cast: Any, change: dict[str, Any],
                                                                  needle: str) -> None:
    campaign = make_campaign(cast)
    body = {"client_token": "kertas-0002", "answers": dict.fromkeys(SKM_CODES, 3), **change}
    reply = _api(cast.admin_tabalong).post(f"/my/campaigns/{campaign.pk}/responses", body)
    assert reply.status_code == 422 and needle in reply.json()["detail"]
    assert not Response.objects.exists()


def test_a_closed_campaign_refuses_and_an_outsider_gets_404(cast: Any) -> None:
    campaign = make_campaign(cast)
    body = {"client_token": "kertas-0003", "answers": dict.fromkeys(SKM_CODES, 3)}
    assert _api(cast.admin_barsel).post(f"/my/campaigns/{campaign.pk}/responses", body).status_code == 404
    assert _api(cast.assessor_kalsel).post(f"/my/campaigns/{campaign.pk}/responses", body).status_code == 404
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state="closed")
    reply = _api(cast.admin_tabalong).post(f"/my/campaigns/{campaign.pk}/responses", body)
    assert reply.status_code == 422 and "tidak sedang menerima" in reply.json()["detail"]
    assert not Response.objects.exists()


def test_live_and_published_results(cast: Any) -> None:
    campaign = make_campaign(cast)
    for value in (4, 3):
        answer(campaign, value)
    listed = _api(cast.assessor_kalsel).get("/my/campaigns", {"state": "open"}).json()
    assert [c["id"] for c in listed["items"]] == [campaign.pk]
    assert _api(cast.assessor_kalsel).get("/my/campaigns", {"state": "closed"}).json()["items"] == []
    assert _api(cast.assessor_kalteng).get("/my/campaigns").json()["items"] == []  # outside their office
    live = _api(cast.assessor_kalsel).get(f"/my/campaigns/{campaign.pk}").json()
    assert live["questionnaire"] == "skm-2017@1" and live["result"]["index"]["value"] == "87.50"
    assert live["result"]["complete"] == 2 and live["public_url"].endswith(f"/survei/{campaign.public_token}/")
    public = Api(prefix="/api/surveys")
    assert public.get(f"/units/{cast.dukcapil.pk}/results").json() == []
    campaign = services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state="closed")
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state="published")
    published = public.get(f"/units/{cast.dukcapil.pk}/results").json()
    assert [p["result"]["index"]["value"] for p in published] == ["87.50"]
    assert public.get("/units/999999/results").status_code == 404
