"""A campaign of a whole institution (no unit): made by the institution's editors on a built-in
questionnaire, covering services of any of its units; its form, its published results page and
report; scope (another institution's staff: 404; a unit operator may not change it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from pantau.surveys import results, services
from pantau.surveys.models import Campaign, QuestionnaireVersion
from pantau.surveys.tests.helpers import answer
from tests.cast import client_for

pytestmark = pytest.mark.django_db


def _create(cast: Any) -> Campaign:
    client = client_for(cast.admin_tabalong)
    url = reverse("survey_manage:new_institution", args=[cast.tabalong.pk])
    page = client.get(url).content.decode()
    assert "Penerbitan KTP-el" in page and cast.dpmptsp.name in page  # products of every unit
    version = QuestionnaireVersion.objects.get(questionnaire__slug="skm-2017")
    done = client.post(url, {"title": "SKM Pemkab 2026", "version": version.pk, "period_start": "2026-01-01",
                             "period_end": "2026-12-31", "population": "5000", f"svc_{cast.ktp.pk}": "on",
                             f"vol_{cast.ktp.pk}": "3000", f"svc_{cast.pbg.pk}": "on", f"vol_{cast.pbg.pk}": "200"})
    assert done.status_code == 302
    campaign = Campaign.objects.get(unit=None)
    assert campaign.institution_id == cast.tabalong.pk
    assert sorted(campaign.services.values_list("product_id", flat=True)) == sorted([cast.ktp.pk, cast.pbg.pk])
    return services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.OPEN)


def test_an_institution_campaign_from_creation_to_its_published_page(cast: Any) -> None:
    campaign = _create(cast)
    form = Client().get(reverse("surveys:form", args=[campaign.public_token])).content.decode()
    assert cast.tabalong.name in form and f'value="{cast.pbg.pk}"' in form and f'value="{cast.ktp.pk}"' in form
    assert "membantu instansi ini" in form and "membantu unit ini" not in form
    for value in (3, 4):
        answer(campaign, value, layanan=cast.pbg.pk)
    answer(campaign, 2, layanan=cast.ktp.pk)
    result = results.campaign_result(campaign)
    by_service = {row["product_id"]: row["complete"] for row in result["services"]}
    assert by_service == {cast.ktp.pk: 1, cast.pbg.pk: 2} and result["complete"] == 3
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.CLOSED)
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.PUBLISHED)
    page = Client().get(reverse("surveys:institution_results", args=[cast.tabalong.pk])).content.decode()
    assert "SKM Pemkab 2026" in page and "IKM 75,00" in page.replace("75.00", "75,00")
    report = Client().get(reverse("surveys:institution_report", args=[cast.tabalong.pk, campaign.pk]))
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    unit_page = Client().get(reverse("surveys:unit_results", args=[cast.dukcapil.pk])).content.decode()
    assert "SKM Pemkab 2026" not in unit_page  # a unit's page lists its own campaigns only
    assert Client().get(reverse("surveys:unit_report", args=[cast.dukcapil.pk, campaign.pk])).status_code == 404
    thanks = Client().get(reverse("surveys:thanks", args=[campaign.public_token])).content.decode()
    assert reverse("surveys:institution_results", args=[cast.tabalong.pk]) in thanks


def test_only_the_institutions_editors_make_and_change_it(cast: Any) -> None:
    version = services.builtin_version("skm-2017")
    data = {"title": "x", "period_start": campaign_date(), "period_end": campaign_date()}
    for outsider in (cast.admin_barsel, cast.operator_dukcapil):
        with pytest.raises(ValidationError, match="instansi ini"):
            services.campaign_create(actor=outsider, institution=cast.tabalong, version=version, data=data)
        page = client_for(outsider).get(reverse("survey_manage:new_institution", args=[cast.tabalong.pk]))
        assert page.status_code == 404
    with pytest.raises(ValidationError, match="bukan milik"):  # another institution's service
        services.campaign_create(actor=cast.admin_tabalong, institution=cast.tabalong, version=version, data=data,
                                 services=[(cast.barsel_ktp.pk, None)])
    assert not Campaign.objects.exists()
    campaign = _create(cast)
    detail = client_for(cast.admin_tabalong).get(reverse("survey_manage:detail", args=[campaign.pk]))
    assert detail.status_code == 200 and "Seluruh instansi" in detail.content.decode()
    assert client_for(cast.admin_barsel).get(reverse("survey_manage:detail", args=[campaign.pk])).status_code == 404
    assert client_for(cast.operator_dukcapil).get(reverse("survey_manage:edit", args=[campaign.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.campaign_set_state(actor=cast.operator_dukcapil, campaign=campaign, state=Campaign.State.CLOSED)
    assert services.can_manage(cast.head_kalsel, campaign) and not services.can_manage(cast.admin_barsel, campaign)


def test_the_campaign_list_finds_the_institution_to_survey(cast: Any) -> None:
    html = client_for(cast.admin_tabalong).get(reverse("survey_manage:list") + "?unit_q=Tabalong").content.decode()
    assert reverse("survey_manage:new_institution", args=[cast.tabalong.pk]) in html
    html = client_for(cast.admin_barsel).get(reverse("survey_manage:list") + "?unit_q=Tabalong").content.decode()
    assert reverse("survey_manage:new_institution", args=[cast.tabalong.pk]) not in html


def campaign_date() -> Any:
    import datetime as dt

    return dt.date(2026, 1, 1)
