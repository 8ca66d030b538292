"""Importing responses from other tools' exports (a background job): Kobo-style CSV with labels
and instance ids, semicolon CSV by position, XLSX; every row checked before anything is stored,
problems by row and column, the same file twice stores it once."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pantau.core.models import Job
from pantau.surveys import results
from pantau.surveys.models import Response
from pantau.surveys.tests.helpers import SKM_CODES, make_campaign
from tests.cast import client_for

pytestmark = pytest.mark.django_db


def _upload(cast: Any, campaign: Any, name: str, content: bytes) -> Job:
    client = client_for(cast.operator_dukcapil)
    reply = client.post(reverse("survey_manage:import", args=[campaign.pk]),
                        {"file": SimpleUploadedFile(name, content)})
    assert reply.status_code == 302, reply.content.decode()[:500]
    return Job.objects.get(pk=int(reply["Location"].rstrip("/").rsplit("/", 1)[1]))


def test_a_kobo_export_with_labels_and_instance_ids(cast: Any) -> None:
    campaign = make_campaign(cast)
    header = ["start", "end", "grup/layanan", "jenis_kelamin", "usia",
              *[f"grup_unsur/{c}" for c in SKM_CODES], "saran", "meta/instanceID", "_id", "catatan_petugas"]
    rows = [header]
    for i in range(3):
        rows.append(["2026-03-01", "2026-03-01", "Penerbitan KTP-el", "Perempuan", str(30 + i),
                     "Sangat sesuai", *["4"] * 8, f"Antrean {i}", f"uuid:0000-{i:04d}-abcd", str(i), "x"])
    content = "\n".join(",".join(r) for r in rows).encode()
    job = _upload(cast, campaign, "kobo.csv", content)
    assert job.state == "done", (job.message, job.problems)
    assert "catatan_petugas" in job.message  # a column not imported is named, not silently dropped
    stored = Response.objects.filter(campaign=campaign)
    assert stored.count() == 3 and {r.product_id for r in stored} == {cast.ktp.pk}
    assert {r.a1 for r in stored} == {4} and {r.channel for r in stored} == {"import"}
    assert results.campaign_result(campaign)["complete"] == 3
    again = _upload(cast, campaign, "kobo.csv", content)
    assert again.state == "done" and "3 sudah ada" in again.message
    assert stored.count() == 3


def test_one_bad_row_stores_nothing_and_names_row_and_column(cast: Any) -> None:
    campaign = make_campaign(cast)
    lines = ["U1;U2;U3;U4;U5;U6;U7;U8;U9;usia"] + ["4;4;3;3;4;4;3;3;4;40"] * 5 + ["4;4;9;3;4;4;3;3;4;40",
                                                                                    "4;4;3;3;4;4;3;3;4;300"]
    job = _upload(cast, campaign, "kertas.csv", "\n".join(lines).encode("cp1252"))
    assert job.state == "failed" and not Response.objects.exists()
    problems = [(p["row"], p["column"]) for p in job.problems]
    assert (7, "answers") in problems and (8, "profile") in problems
    assert "di luar pilihan" in " ".join(p["message"] for p in job.problems)


def test_xlsx_and_broken_files(cast: Any) -> None:
    campaign = make_campaign(cast)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*SKM_CODES, "client_token"])
    sheet.append([3] * 9 + ["lime-000001"])
    sheet.append([2] * 9 + ["lime-000002"])
    out = io.BytesIO()
    book.save(out)
    job = _upload(cast, campaign, "lime.xlsx", out.getvalue())
    assert job.state == "done" and Response.objects.count() == 2
    assert str(results.campaign_result(campaign)["index"]["value"]) == "62.50"
    missing = _upload(cast, campaign, "x.csv", b"U1,U2\n4,4\n")
    assert missing.state == "failed" and "waktu" in " ".join(p["message"] for p in missing.problems)
    garbage = _upload(cast, campaign, "x.xlsx", b"PK\x03\x04 rusak")
    assert garbage.state == "failed" and garbage.message
    assert Response.objects.count() == 2
