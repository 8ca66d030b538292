"""The XLSX export of a period as a background job, for who manages the period only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pantau.assessments import export
from pantau.assessments.models import Answer
from pantau.assessments.tests.results_helpers import published_now
from pantau.core.models import Job

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_manager_exports_every_answer_and_score_through_a_job(cast: Any) -> None:
    period = published_now(cast)
    client = _client(cast.head_kalsel)
    url = reverse("results:export", args=[period.pk])
    assert "Ekspor ke XLSX" in client.get(url).content.decode()
    job_page = client.post(url)["Location"]  # the job runs at once in the test suite
    job = Job.objects.get(kind="assessments.export")
    assert job.state == Job.State.DONE and job.rows_total == Answer.objects.filter(
        sampled_unit__period=period).count()
    assert "Ekspor selesai" in client.get(job_page).content.decode()
    body = b"".join(client.get(job_page + "unduh/").streaming_content)
    wb = load_workbook(io.BytesIO(body), read_only=True)
    assert wb.sheetnames == [export.NOTES, export.INSTITUTIONS, export.UNITS, export.PRODUCTS, export.ANSWERS]
    institutions = list(wb[export.INSTITUTIONS].iter_rows(values_only=True))
    assert institutions[1][:3] == (cast.tabalong.pk, cast.tabalong.name, "pemkab")
    assert institutions[1][4] == 95.45 and institutions[1][7] == 1  # score, national rank
    answers = list(wb[export.ANSWERS].iter_rows(values_only=True))
    assert len(answers) - 1 == job.rows_total
    assert any(r[3] == "sp_biaya" and r[7] == 0 for r in answers[1:])
    assert {r[9] for r in answers[1:]} == {"Disetujui"}
    units = list(wb[export.UNITS].iter_rows(values_only=True))
    assert {r[2] for r in units[1:]} == {cast.dukcapil.name, cast.dpmptsp.name}


@pytest.mark.parametrize("role", ["admin_tabalong", "assessor_kalsel", "assessor_kalteng", "outsider"])
def test_who_does_not_manage_the_period_gets_404(cast: Any, role: str) -> None:
    period = published_now(cast)
    client = _client(cast.users[role])
    url = reverse("results:export", args=[period.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Job.objects.filter(kind="assessments.export").exists()
    assert _client(cast.head_kalsel).get(reverse("results:export", args=[period.pk + 999])).status_code == 404
