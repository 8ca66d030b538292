"""Background jobs (``pantau.core.jobs``) and their page: owner only, progress, reload-safe, dead jobs."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pantau.core import jobs
from pantau.core.models import Job
from pantau.registry import bulk, exporter
from pantau.registry.tests.workbooks import table_counts, xlsx_bytes
from pantau.reports.xlsx import XLSX_CONTENT_TYPE
from tests.cast import client_for

pytestmark = pytest.mark.django_db

TABALONG = "Pemerintah Kabupaten Tabalong"


def running_job(owner: Any, **fields: Any) -> Job:
    now = timezone.now()
    values: dict[str, Any] = {"kind": "registry.import", "owner": owner, "state": Job.State.RUNNING,
                              "started_at": now, "heartbeat": now, "input_filename": "besar.xlsx"}
    return Job.objects.create(**(values | fields))


def test_the_job_page_is_its_owners_only(cast: Any) -> None:
    job = running_job(cast.admin_tabalong)
    assert client_for(cast.admin_tabalong).get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    for other in (cast.admin_barsel, cast.national_admin, cast.outsider):
        client = client_for(other)
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
        assert "besar.xlsx" not in client.get(reverse("jobs:list")).content.decode()
    assert client_for(cast.admin_tabalong).get(reverse("jobs:detail", args=[job.pk + 1000])).status_code == 404


def test_a_running_job_shows_its_progress_and_reloads_itself_the_same(cast: Any) -> None:
    job = running_job(cast.admin_tabalong, rows_total=1000, rows_checked=400, error_count=3, message="Memeriksa baris…")
    client = client_for(cast.admin_tabalong)
    pages = [client.get(reverse("jobs:detail", args=[job.pk])).content.decode() for _ in range(2)]
    assert pages[0] == pages[1].replace(pages[1], pages[0])  # the same page on reload
    for html in pages:
        assert '<meta http-equiv="refresh" content="2">' in html
        assert "<strong>Berjalan</strong> — Memeriksa baris…" in html
        assert "<dt>Baris diperiksa</dt><dd>400 (40%)</dd>" in html
        assert "<dt>Kesalahan sejauh ini</dt><dd>3</dd>" in html
        assert "besar.xlsx" in html  # in the list of my recent jobs too
    job.rows_checked = 1000
    job.state = Job.State.DONE
    job.save()
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "http-equiv" not in html and "<strong>Selesai</strong>" in html


def test_a_job_whose_worker_died_is_marked_interrupted_and_says_nothing_was_saved(cast: Any, settings: Any) -> None:
    settings.JOB_STALE_SECONDS = 60
    old = timezone.now() - dt.timedelta(seconds=61)
    dead = running_job(cast.admin_tabalong, heartbeat=old, rows_checked=5000)
    alive = running_job(cast.admin_tabalong, heartbeat=timezone.now() - dt.timedelta(seconds=30))
    html = client_for(cast.admin_tabalong).get(reverse("jobs:detail", args=[dead.pk])).content.decode()
    assert "<strong>Terhenti</strong> — Impor terhenti; tidak ada data yang disimpan." in html
    assert "http-equiv" not in html
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == Job.State.INTERRUPTED and dead.finished_at is not None
    assert alive.state == Job.State.RUNNING


def test_a_stale_job_the_database_is_too_busy_to_mark_still_shows_as_running(
        cast: Any, settings: Any, monkeypatch: Any) -> None:
    """On SQLite a long import's own transaction keeps its heartbeat from being saved and keeps
    others from writing: its page must not say it stopped (nor delete its input) meanwhile."""
    from django.db import OperationalError
    from django.db.models.query import QuerySet

    settings.JOB_STALE_SECONDS = 60
    job = running_job(cast.admin_tabalong, heartbeat=timezone.now() - dt.timedelta(seconds=61),
                      input_name="input/besar.xlsx")
    jobs.storage().save("input/besar.xlsx", io.BytesIO(b"data"))
    real = QuerySet.update

    def busy(self: Any, **kwargs: Any) -> Any:
        if self.model is Job:
            raise OperationalError("database is locked")
        return real(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", busy)
    html = client_for(cast.admin_tabalong).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Terhenti" not in html and "<strong>Berjalan</strong>" in html
    assert jobs.storage().exists("input/besar.xlsx")
    monkeypatch.setattr(QuerySet, "update", real)
    html = client_for(cast.admin_tabalong).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "<strong>Terhenti</strong>" in html and not jobs.storage().exists("input/besar.xlsx")


def test_a_job_that_ended_while_it_looked_stale_shows_how_it_ended(cast: Any, settings: Any) -> None:
    settings.JOB_STALE_SECONDS = 60
    job = running_job(cast.admin_tabalong, heartbeat=timezone.now() - dt.timedelta(seconds=61))
    Job.objects.filter(pk=job.pk).update(state=Job.State.DONE, message="Selesai: 5 baris.")
    shown = jobs.refresh(job)  # the row read before the worker's last save
    assert shown.state == Job.State.DONE and shown.message == "Selesai: 5 baris."


def import_upload(rows: int) -> SimpleUploadedFile:
    data = xlsx_bytes({"Produk": [
        {"Instansi": TABALONG, "Unit": "DPMPTSP", "Nama produk": f"Layanan {i}"}
        for i in range(rows)]})
    return SimpleUploadedFile("produk.xlsx", data, content_type=XLSX_CONTENT_TYPE)


def test_an_import_that_stops_halfway_writes_nothing_and_says_so(cast: Any, monkeypatch: Any) -> None:
    calls = {"n": 0}
    real = bulk.Writer.product_save

    def fails_on_the_third(self: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the worker dies here")
        return real(self, **kwargs)

    monkeypatch.setattr(bulk.Writer, "product_save", fails_on_the_third)
    before = table_counts()
    client = client_for(cast.admin_tabalong)
    response = client.post(reverse("manage:import"), {"file": import_upload(5), "action": "import"})
    assert response.status_code == 302
    assert calls["n"] == 3
    assert table_counts() == before
    job = Job.objects.get(owner=cast.admin_tabalong)
    assert job.state == Job.State.FAILED and job.input_name == ""
    html = client.get(response["Location"]).content.decode()
    assert "Impor terhenti; tidak ada data yang disimpan." in html


def test_the_input_file_is_deleted_when_the_job_ends(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    client.post(reverse("manage:import"), {"file": import_upload(2), "action": "import"})
    job = Job.objects.get(owner=cast.admin_tabalong)
    assert job.state == Job.State.DONE and job.rows_written == 2 and job.input_name == ""
    assert not jobs.storage().listdir("input")[1]


def test_the_export_runs_as_a_job_with_a_download_for_its_owner_only(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    assert "Ekspor data saya" in client.get(reverse("manage:export")).content.decode()
    response = client.post(reverse("manage:export"))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    job = Job.objects.get(owner=cast.admin_tabalong)
    assert job.state == Job.State.DONE and job.rows_written > 0
    assert reverse("jobs:download", args=[job.pk]) in html
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="pantau-registri-')
    got = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    expected = io.BytesIO()
    exporter.write_registry(cast.admin_tabalong, expected)
    want = load_workbook(expected, read_only=True)
    assert got.sheetnames == want.sheetnames
    for name in want.sheetnames:
        assert list(got[name].values) == list(want[name].values)
    assert client_for(cast.admin_barsel).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_old_finished_jobs_and_their_files_are_pruned(cast: Any, settings: Any) -> None:
    settings.JOB_KEEP_DAYS = 7
    client_for(cast.admin_tabalong).post(reverse("manage:export"))
    job = Job.objects.get()
    assert jobs.storage().exists(job.result_name)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
    jobs.prune()
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not jobs.storage().exists(job.result_name)
