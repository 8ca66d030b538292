"""The staff screens: creating a campaign with its services, its page (progress toward the minimum
sample, the index), state changes, the A4 poster (a real PDF with the QR link), the CSV export
(values, formula-safe, audited), scope (outside it: 404)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pantau.core.models import AuditEvent
from pantau.surveys.models import Campaign, QuestionnaireVersion
from pantau.surveys.tests.helpers import answer, make_campaign
from tests.cast import client_for

pytestmark = pytest.mark.django_db


def test_creating_a_campaign_from_the_form(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    url = reverse("survey_manage:new", args=[cast.dukcapil.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Penerbitan KTP-el" in page.content.decode()
    version = QuestionnaireVersion.objects.get(questionnaire__slug="skm-2017")
    bad = client.post(url, {"title": "SKM", "version": version.pk, "period_start": "2026-02-01",
                            "period_end": "2026-01-01", f"svc_{cast.ktp.pk}": "on", f"vol_{cast.ktp.pk}": "banyak"})
    assert bad.status_code == 422 and not Campaign.objects.exists()
    assert "harus bilangan bulat" in bad.content.decode()
    good = client.post(url, {"title": "SKM 2026", "version": version.pk, "period_start": "2026-01-01",
                             "period_end": "2026-06-30", "population": "1000", f"svc_{cast.ktp.pk}": "on",
                             f"vol_{cast.ktp.pk}": "400"})
    campaign = Campaign.objects.get()
    assert good.status_code == 302 and good["Location"] == reverse("survey_manage:detail", args=[campaign.pk])
    assert campaign.services.get().volume == 400 and campaign.population == 1000
    html = client.get(good["Location"]).content.decode()
    assert "278" in html  # Krejcie & Morgan for N = 1 000
    assert "196" in html  # … and for the service's N = 400


def test_the_campaign_page_shows_progress_and_the_index(cast: Any) -> None:
    campaign = make_campaign(cast)
    for value in (4, 4, 3):
        answer(campaign, value, layanan=cast.ktp.pk, jenis_kelamin="Perempuan")
    html = client_for(cast.operator_dukcapil).get(reverse("survey_manage:detail", args=[campaign.pk])).content.decode()
    assert "IKM 91,67" in html and "3 jawaban lengkap" in html and "Perempuan" in html
    assert "data:image/svg+xml" in html and campaign.public_token in html


def test_state_changes_by_post_and_only_by_editors(cast: Any) -> None:
    campaign = make_campaign(cast)
    url = reverse("survey_manage:state", args=[campaign.pk])
    assert client_for(cast.assessor_kalsel).post(url, {"state": "closed"}).status_code == 404
    assert client_for(cast.admin_barsel).post(url, {"state": "closed"}).status_code == 404
    campaign.refresh_from_db()
    assert campaign.state == "open"
    assert client_for(cast.admin_tabalong).post(url, {"state": "closed"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == "closed"


def test_the_poster_is_an_a4_pdf_with_the_link(cast: Any) -> None:
    campaign = make_campaign(cast)
    response = client_for(cast.admin_tabalong).get(
        reverse("survey_manage:poster", args=[campaign.pk]) + f"?layanan={cast.ktp.pk}")
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    page = pdf.pages[0]
    assert len(pdf.pages) == 1
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    text = page.extract_text()
    assert campaign.public_token in text and "Penerbitan KTP-el" in text


def test_the_export_streams_values_formula_safe_and_is_audited(cast: Any) -> None:
    campaign = make_campaign(cast)
    answer(campaign, 2, layanan=cast.ktp.pk, usia=33)
    from pantau.surveys import services

    services.response_submit(campaign=campaign, client_token="c" * 32, answers={"persyaratan": 4},
                             suggestion="=HYPERLINK(\"http://x\")", complete=False)
    response = client_for(cast.operator_dukcapil).get(reverse("survey_manage:export", args=[campaign.pk]))
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["response_id", "submitted_at", "channel", "complete"] and "persyaratan" in rows[0]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["persyaratan"], first["age"], first["complete"], first["service_id"]) == ("2", "33", "1",
                                                                                            str(cast.ktp.pk))
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["suggestion"].startswith("'=") and second["complete"] == "0" and second["prosedur"] == ""
    assert AuditEvent.objects.filter(event_type="responses.exported", object_id=str(campaign.pk)).count() == 1


def test_outside_the_scope_every_campaign_page_is_404(cast: Any) -> None:
    campaign = make_campaign(cast)
    client = client_for(cast.admin_barsel)
    for name in ("detail", "edit", "poster", "export"):
        assert client.get(reverse(f"survey_manage:{name}", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("survey_manage:new", args=[cast.dukcapil.pk])).status_code == 404
    listing = client.get(reverse("survey_manage:list")).content.decode()
    assert campaign.title not in listing
    search = client_for(cast.admin_tabalong).get(reverse("survey_manage:list") + "?unit_q=kependudukan")
    assert reverse("survey_manage:new", args=[cast.dukcapil.pk]) in search.content.decode()


def test_the_skm_report_pdf(cast: Any) -> None:
    from pantau.surveys import services

    campaign = make_campaign(cast)
    for value in (4, 3, 4, 2):
        answer(campaign, value, layanan=cast.ktp.pk, jenis_kelamin="Perempuan", usia=35)
    client = client_for(cast.assessor_kalsel)
    live = client.get(reverse("survey_manage:report", args=[campaign.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(live.content)).pages)
    assert "81,25" in text or "81.25" in text  # IKM of 4, 3, 4, 2 on every element
    assert "Belum diterbitkan" in text and "Perempuan" in text and "Penerbitan KTP-el" in text
    public_url = reverse("surveys:unit_report", args=[cast.dukcapil.pk, campaign.pk])
    assert client.get(public_url).status_code == 404  # not published yet
    campaign = services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state="closed")
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state="published")
    first = client.get(public_url)
    again = client.get(public_url)
    assert first["Content-Type"] == "application/pdf" and (first["X-Pantau-Cache"], again["X-Pantau-Cache"]) == (
        "miss", "hit")
    assert "Diterbitkan" in PdfReader(io.BytesIO(first.content)).pages[0].extract_text()


def test_the_xlsx_export_job_writes_values_and_a_codebook(cast: Any) -> None:
    import openpyxl

    from pantau.core.jobs import storage
    from pantau.core.models import Job

    campaign = make_campaign(cast)
    answer(campaign, 3, layanan=cast.ktp.pk)
    answer(campaign, {"persyaratan": 1}, complete=False)
    client = client_for(cast.operator_dukcapil)
    assert client.get(reverse("survey_manage:export_xlsx", args=[campaign.pk])).status_code == 405
    reply = client.post(reverse("survey_manage:export_xlsx", args=[campaign.pk]))
    job = Job.objects.get(kind="surveys.export")
    assert reply.status_code == 302 and job.state == "done", job.message
    with storage().open(job.result_name, "rb") as fh:
        book = openpyxl.load_workbook(io.BytesIO(fh.read()), read_only=True)
    data = [list(r) for r in book["jawaban"].iter_rows(values_only=True)]
    assert data[0][:4] == ["response_id", "submitted_at", "channel", "complete"] and len(data) == 3
    assert dict(zip(data[0], data[1], strict=False))["persyaratan"] == 3
    codebook = [list(r) for r in book["kodebook"].iter_rows(values_only=True)]
    assert ["biaya", "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
            "1 = Sangat mahal; 2 = Cukup mahal; 3 = Murah; 4 = Gratis"] in codebook
    assert client_for(cast.admin_barsel).post(reverse("survey_manage:export_xlsx", args=[campaign.pk])
                                              ).status_code == 404
