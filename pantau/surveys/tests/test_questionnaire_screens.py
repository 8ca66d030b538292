"""A unit adapts a questionnaire through XLSForm: download the built-in one, add an element and give
weights, upload; the new version is used by a campaign and its index uses the weights. A broken
or invalid file lists its problems and stores nothing."""

from __future__ import annotations

import io
from decimal import Decimal as D
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pantau.surveys import results, services
from pantau.surveys.models import Questionnaire, QuestionnaireVersion
from pantau.surveys.tests.helpers import SKM_CODES
from tests.cast import client_for

pytestmark = pytest.mark.django_db


def _adapted(original: bytes, weights: list[str], extra: bool = True) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(original))
    survey = book["survey"]
    header = [c.value for c in survey[1]]
    if "pantau_weight" not in header:
        survey.cell(row=1, column=len(header) + 1, value="pantau_weight")
        header.append("pantau_weight")
    weight_col = header.index("pantau_weight") + 1
    name_col = header.index("name") + 1
    scored = [row for row in range(2, survey.max_row + 1) if survey.cell(row=row, column=name_col).value in SKM_CODES]
    if extra:
        last = survey.max_row + 1
        for col, _value in enumerate(header, start=1):
            survey.cell(row=last, column=col, value=survey.cell(row=scored[-1], column=col).value)
        survey.cell(row=last, column=name_col, value="kebersihan")
        survey.cell(row=last, column=header.index("label") + 1 if "label" in header else 3,
                    value="Bagaimana kebersihan ruang pelayanan?")
        scored.append(last)
    for row, weight in zip(scored, weights, strict=True):
        survey.cell(row=row, column=weight_col, value=weight)
    settings = book["settings"]
    settings_header = [c.value for c in settings[1]]
    settings.cell(row=2, column=settings_header.index("form_id") + 1, value="skm-dukcapil")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_unit_adds_an_element_and_reweights_through_xlsform(cast: Any) -> None:
    client = client_for(cast.operator_dukcapil)
    page = reverse("survey_manage:questionnaires", args=[cast.dukcapil.pk])
    assert client.get(page).status_code == 200
    skm = services.builtin_version("skm-2017")
    original = client.get(reverse("survey_manage:version_xlsform", args=[skm.pk])).content
    weights = ["0.1"] * 9 + ["0.1"]
    upload = SimpleUploadedFile("skm.xlsx", _adapted(original, weights))
    reply = client.post(page, {"file": upload})
    assert reply.status_code == 302, reply.content.decode()[:2000]
    version = QuestionnaireVersion.objects.get(questionnaire__unit=cast.dukcapil)
    assert [q.code for q in version.parsed.elements][-1] == "kebersihan" and len(version.parsed.elements) == 10
    campaign = services.campaign_create(actor=cast.operator_dukcapil, unit=cast.dukcapil, version=version, data={
        "title": "SKM adaptasi", "period_start": cast.dukcapil.created_at.date(),
        "period_end": cast.dukcapil.created_at.date()})
    campaign = services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state="open")
    services.response_submit(campaign=campaign, client_token="adaptasi-001",
                             answers={**dict.fromkeys(SKM_CODES, 4), "kebersihan": 2})
    assert results.campaign_result(campaign)["index"]["value"] == D("95.00")  # 0.9 × 4 + 0.1 × 2 = 3.8
    again = client.post(page, {"file": SimpleUploadedFile("skm.xlsx", _adapted(original, weights))})
    assert again.status_code == 302 and QuestionnaireVersion.objects.filter(
        questionnaire__unit=cast.dukcapil).count() == 1  # the same form again: no new version


def test_bad_files_list_their_problems_and_store_nothing(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    page = reverse("survey_manage:questionnaires", args=[cast.dukcapil.pk])
    skm = services.builtin_version("skm-2017")
    original = client.get(reverse("survey_manage:version_xlsform", args=[skm.pk])).content
    wrong_weights = _adapted(original, ["0.2"] * 10)
    reply = client.post(page, {"file": SimpleUploadedFile("skm.xlsx", wrong_weights)})
    assert reply.status_code == 422 and "Jumlah bobot" in reply.content.decode()
    garbage = client.post(page, {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04 bukan xlsx")})
    assert garbage.status_code == 422 and "error-summary" in garbage.content.decode()
    assert not Questionnaire.objects.filter(unit=cast.dukcapil).exists()
    assert client_for(cast.admin_barsel).get(page).status_code == 404
    assert client_for(cast.assessor_kalsel).post(page, {"file": SimpleUploadedFile("skm.xlsx", original)}
                                                 ).status_code == 200  # reads, but has no upload form
    assert not Questionnaire.objects.filter(unit=cast.dukcapil).exists()
