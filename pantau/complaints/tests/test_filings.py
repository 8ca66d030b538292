"""The public form in two steps (``filings``): the request stores the answers and queues their registration;
the worker opens the case. These tests run the database task backend, as production does, and call the queued
task as ``db_worker`` would."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from pantau.complaints import daily, filings
from pantau.complaints.models import Case, Event, Filing, Reporter
from pantau.complaints.tests.helpers import REPORTER
from pantau.complaints.tests.test_public_intake import URL, form_data, link_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]
FILED = "/lapor/terkirim/"
TASK = "pantau.complaints.tasks.register_filing"


@pytest.fixture
def worker_backend(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the backends follow it


def run_queued(path: str = TASK) -> int:
    """Run the ready tasks of ``path`` as the worker does (its own loop would close the test's connection)."""
    from django_tasks_db.models import DBTaskResult

    ran = 0
    for row in DBTaskResult.objects.ready().filter(task_path=path).order_by("enqueued_at"):
        row.task.call(*row.task_result.args, **row.task_result.kwargs)
        row.delete()
        ran += 1
    return ran


@pytest.mark.usefixtures("worker_backend")
def test_the_form_stores_one_filing_and_the_worker_opens_its_case_behind_the_link_shown(
        cast: Any, client: Client, django_assert_max_num_queries: Any) -> None:
    data = form_data(cast)
    with django_assert_max_num_queries(6):  # the choice, the token check, the filing and its task, no session
        response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == FILED
    assert not Case.objects.exists() and not Session.objects.exists()
    filing = Filing.objects.get()
    assert filing.client_token == data["token"] and filing.received_on == dt.date(2026, 11, 2)
    assert filing.answers["reporter"]["full_name"] == REPORTER["full_name"]

    page = client.get(FILED).content.decode()  # the link at once, the number once registered
    token = link_token(page)
    assert "sedang dibuat" in page and REPORTER["full_name"] not in page
    pending = client.get(f"/lapor/lacak/{token}/")
    assert pending.status_code == 200 and "sedang didaftarkan" in pending.content.decode()
    assert pending["Cache-Control"] == "no-store"
    early = client.post(f"/lapor/lacak/{token}/", {"catatan": "Tambahan sebelum terdaftar."})
    assert early.status_code == 409 and "belum terkirim" in early.content.decode()
    assert client.get("/lapor/lacak/" + "x" * 32 + "/").status_code == 404

    assert run_queued() == 1
    case = Case.objects.get()
    assert not Filing.objects.exists() and case.client_token == data["token"]
    assert case.received_on == dt.date(2026, 11, 2) and case.product == cast.ktp and case.office == cast.kalsel
    assert Reporter.objects.get(case=case).full_name == REPORTER["full_name"]
    assert Event.objects.filter(case=case, action="open").count() == 1
    assert case.number in client.get(FILED).content.decode()
    track = client.get(f"/lapor/lacak/{token}/").content.decode()
    assert case.number in track and "sedang didaftarkan" not in track

    again = Client().post(URL, data)  # the same form sent again from another browser: nothing new
    assert again.status_code == 302 and Case.objects.count() == 1 and not Filing.objects.exists()
    assert run_queued() == 0


@pytest.mark.usefixtures("worker_backend")
def test_a_form_sent_twice_before_registration_is_stored_once(cast: Any) -> None:
    data = form_data(cast)
    first, second = Client(), Client()
    assert first.post(URL, data).status_code == 302 and second.post(URL, data).status_code == 302
    assert Filing.objects.count() == 1
    assert run_queued() == 1 and Case.objects.count() == 1
    assert link_token(first.get(FILED).content.decode())
    assert "sudah terkirim sebelumnya" in second.get(FILED).content.decode()


@pytest.mark.usefixtures("worker_backend")
def test_a_choice_that_no_longer_fits_is_kept_by_name_and_the_report_is_opened(cast: Any, client: Client) -> None:
    client.post(URL, form_data(cast, terlapor_lain="Petugas loket 3"))
    cast.ktp.unit = cast.dpmptsp  # moved to another unit between the form and the worker
    cast.ktp.save()
    filing = Filing.objects.get()
    filing.answers["unit"] = cast.dukcapil.pk  # as the form resolved it
    filing.save()
    assert run_queued() == 1
    case = Case.objects.get()
    assert case.product is None and case.institution is None and not Filing.objects.exists()
    assert "Penerbitan KTP-el" in case.reported_other and "Petugas loket 3" in case.reported_other


@pytest.mark.usefixtures("worker_backend")
def test_a_refused_filing_is_kept_with_its_reason_and_queued_again_by_the_daily_run(cast: Any, client: Client,
                                                                                   caplog: Any) -> None:
    client.post(URL, form_data(cast))
    filing = Filing.objects.get()
    filing.answers["visibility"] = "bogus"  # nothing the form lets through; a stand-in for any refusal
    filing.save()
    assert run_queued() == 1
    filing.refresh_from_db()
    assert not Case.objects.exists() and filing.attempts == 1 and filing.last_error
    assert REPORTER["full_name"] not in caplog.text and REPORTER["email"] not in caplog.text
    assert filings.requeue() == 0  # too fresh: its own task may still be running
    Filing.objects.filter(pk=filing.pk).update(created_at=timezone.now() - dt.timedelta(minutes=11))
    summary = daily.run(sweep=False)
    assert summary.filings == 1 and any("belum terdaftar, diantrekan ulang: 1" in line for line in summary.lines())
    filing.answers["visibility"] = "confidential"  # fixed (by an operator): the next run registers it
    filing.save()
    assert run_queued() == 1 and Case.objects.count() == 1 and not Filing.objects.exists()


def test_with_the_immediate_backend_the_case_exists_when_the_confirmation_shows(cast: Any, client: Client) -> None:
    client.post(URL, form_data(cast))
    case = Case.objects.get()
    page = client.get(FILED).content.decode()
    assert case.number in page and "sedang dibuat" not in page and not Filing.objects.exists()


def test_the_confirmation_cookie_is_signed_and_scoped_to_its_page(cast: Any, client: Client) -> None:
    response = client.post(URL, form_data(cast))
    cookie = response.cookies["pantau_filed"]
    assert cookie["path"] == FILED and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 30 * 60
    forged = Client()
    forged.cookies["pantau_filed"] = re.sub(r"^.", "x", cookie.value)
    page = forged.get(FILED).content.decode()
    assert "Tidak ada laporan baru di sini" in page
    client.post(FILED)  # "sudah saya simpan"
    assert "Tidak ada laporan baru di sini" in client.get(FILED).content.decode()
