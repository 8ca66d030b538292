"""A unit's questionnaire with XLSForm logic: ``relevant`` drops answers to questions that do not
apply (and never counts them), ``required`` and ``constraint`` refuse a response with the reason,
on the service path every channel uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pantau.surveys import questionnaires, results, services
from pantau.surveys.models import Response
from pantau.surveys.tests.helpers import SKM_CODES

pytestmark = pytest.mark.django_db


def _campaign(cast: Any) -> Any:
    document = questionnaires.to_document(questionnaires.shipped()["skm-2017"])
    document["id"] = "skm-logika"
    fields = document["profile_fields"]
    usia = next(f for f in fields if f["code"] == "usia")
    usia.update({"required": True, "constraint": ". >= 17 and . <= 100", "constraint_message": "Usia 17–100 tahun."})
    fields.append({"code": "pernah_bayar", "text": "Pernah membayar di luar tarif?", "type": "choice",
                   "choices": ["ya", "tidak"]})
    fields.append({"code": "berapa", "text": "Berapa rupiah?", "type": "integer", "relevant": "${pernah_bayar} = 'ya'"})
    document["elements"][3]["relevant"] = "${pernah_bayar} = 'tidak'"  # biaya: only when nothing extra was paid
    version = services.version_save(actor=cast.admin_tabalong, unit=cast.dukcapil, document=document)
    campaign = services.campaign_create(actor=cast.admin_tabalong, unit=cast.dukcapil, version=version, data={
        "title": "SKM dengan logika", "period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31)})
    return services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state="open")


def _send(campaign: Any, token: str, profile: dict[str, Any], **answers: int) -> Any:
    values = {**dict.fromkeys(SKM_CODES, 4), **answers}
    return services.response_submit(campaign=campaign, client_token=token, answers=values, profile=profile)[0]


def test_relevant_required_and_constraint(cast: Any) -> None:
    campaign = _campaign(cast)
    with pytest.raises(ValidationError, match="wajib diisi"):
        _send(campaign, "logika-0001", {"pernah_bayar": "tidak"})
    with pytest.raises(ValidationError, match="Usia 17–100 tahun"):
        _send(campaign, "logika-0002", {"usia": 15, "pernah_bayar": "tidak"})
    assert not Response.objects.exists()
    paid = _send(campaign, "logika-0003", {"usia": 30, "pernah_bayar": "ya", "berapa": 50000}, biaya=1)
    assert paid.extra == {"pernah_bayar": "ya", "berapa": 50000}
    assert paid.a4 is None  # biaya does not apply when something extra was paid: not counted
    clean = _send(campaign, "logika-0004", {"usia": 40, "pernah_bayar": "tidak", "berapa": 999}, biaya=2)
    assert clean.a4 == 2 and "berapa" not in clean.extra  # an answer to a question that does not apply is dropped
    biaya = next(e for e in results.campaign_result(campaign)["index"]["elements"] if e["code"] == "biaya")
    assert biaya["n"] == 1 and biaya["nrr"] == 2
