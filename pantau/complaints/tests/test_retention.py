"""``pantau redact_closed_cases``: personal data of long-closed cases removed, statistics kept."""

from __future__ import annotations

import io
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.http import Http404
from PIL import Image

from pantau.complaints import files, retention, selectors, services
from pantau.complaints.models import Attachment, Case, Event, Reporter
from pantau.complaints.tests.helpers import CHRONOLOGY, REPORTER, add_staff, file_report
from pantau.core.models import AuditEvent

pytestmark = pytest.mark.django_db

STATISTICS = ("number", "kind", "state", "channel", "visibility", "office_id", "institution_id", "unit_id",
              "product_id", "province_id", "substance", "agency_group", "alleged", "complexity", "reporter_type",
              "received_on", "event_date", "closed_at", "closure_reason", "rule_set", "prior_complaint",
              "prior_complaint_date", "event_too_old")


def at(moment: str) -> Any:
    return time_machine.travel(f"{moment} +07:00", tick=False)


@pytest.fixture
def c(cast: Any) -> Iterator[Any]:
    with at("2026-11-02 09:00"):
        yield add_staff(cast)


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 30)).save(out, "PNG")
    return SimpleUploadedFile("KTP_Siti_Rahmawati.png", out.getvalue(), content_type="image/png")


def closed_case(c: Any, when: str) -> tuple[Case, str]:
    """A classified report with a photo and a message, closed (withdrawn) at ``when``; and its tracking token."""
    with at(when):
        opened = file_report(c, prior_complaint_answer="Petugas bilang hubungi 0812-9999-8888 saja.")
        case = services.case_classify(actor=c.intake_kalsel, case=opened.case, substance="Administrasi kependudukan",
                                      agency_group="Pemerintah Daerah", alleged=["PERMINTAAN_IMBALAN"],
                                      reporter_type="individual")
        with transaction.atomic():
            files.attach(case=case, uploads=[photo()], source="reporter")
        services.reporter_message(case=case, note="Nomor KK saya 6309012345678901, telepon 081234567890.")
        case = services.case_transition(actor=c.intake_kalsel, case=case, action="close", reason="DICABUT_PELAPOR")
    return case, opened.token


def redact(*args: str, when: str = "2032-01-05 09:00") -> str:
    out = StringIO()
    with at(when):
        call_command("redact_closed_cases", *args, stdout=out)
    return out.getvalue()


def test_an_old_closed_case_loses_identity_text_and_files_but_keeps_its_statistics(c: Any) -> None:
    case, token = closed_case(c, "2026-11-02 09:00")
    statistics = {name: getattr(case, name) for name in STATISTICS}
    attachment = Attachment.objects.get(case=case)
    storage = attachment.file.storage
    path = attachment.file.name
    assert storage.exists(path)
    out = redact()
    assert "1 laporan" in out and "1 berkas" in out
    case.refresh_from_db()
    assert {name: getattr(case, name) for name in STATISTICS} == statistics
    assert case.redacted_at is not None and case.state == "closed" and case.substance
    reporter = Reporter.objects.get(case=case)
    assert (reporter.full_name, reporter.nik, reporter.email, reporter.phone, reporter.address,
            reporter.occupation, reporter.birth_date) == ("", "", "", "", "", "", None)
    assert reporter.reporter_type == REPORTER.get("reporter_type", "")
    assert case.chronology == case.public_summary and case.chronology != CHRONOLOGY
    for secret in ("081234567890", REPORTER["email"], "0812-9999-8888", "6309012345678901"):
        assert secret not in case.chronology and secret not in case.prior_complaint_answer
        assert not Event.objects.filter(case=case, note__contains=secret).exists()
    assert "Rp 150.000" in case.chronology  # what is not personal stays readable
    assert not storage.exists(path)
    attachment.refresh_from_db()
    assert (attachment.file.name, attachment.name, attachment.sha256) == ("", "", "")
    assert (attachment.content_type, attachment.source) == ("image/png", "reporter") and attachment.size > 0
    with pytest.raises(Http404):
        selectors.case_by_token(token)
    audit = AuditEvent.objects.get(event_type="case.redacted", object_id=str(case.pk))
    assert audit.actor_name == "system:complaints" and audit.after == {"files_deleted": 1, "older_than_days": 1826}
    assert REPORTER["full_name"] not in str(audit.after) and "Siti" not in audit.object_repr


def test_a_recently_closed_case_and_an_open_case_are_untouched(c: Any) -> None:
    recent, _token = closed_case(c, "2027-06-01 09:00")
    with at("2027-06-02 09:00"):
        still_open = file_report(c).case
    redact()
    for case in (recent, still_open):
        case.refresh_from_db()
        assert case.redacted_at is None and case.chronology == CHRONOLOGY
        assert Reporter.objects.get(case=case).nik == REPORTER["nik"]
    assert Attachment.objects.get(case=recent).file.name


def test_running_twice_changes_nothing_the_second_time(c: Any) -> None:
    case, _token = closed_case(c, "2026-11-02 09:00")
    redact()
    case.refresh_from_db()
    first = (case.redacted_at, case.chronology)
    out = redact(when="2032-02-05 09:00")
    assert "0 laporan" in out
    case.refresh_from_db()
    assert (case.redacted_at, case.chronology) == first
    assert AuditEvent.objects.filter(event_type="case.redacted").count() == 1


def test_a_dry_run_counts_and_changes_nothing(c: Any) -> None:
    case, _token = closed_case(c, "2026-11-02 09:00")
    out = redact("--dry-run")
    assert "Uji coba: 1 laporan" in out and "1 berkas" in out
    case.refresh_from_db()
    assert case.redacted_at is None and Reporter.objects.get(case=case).nik == REPORTER["nik"]
    assert Attachment.objects.get(case=case).file.name


def test_the_period_comes_from_the_option_then_the_setting(c: Any, settings: Any) -> None:
    case, _token = closed_case(c, "2026-11-02 09:00")
    assert "0 laporan" in redact("--older-than-days", "400", when="2027-11-02 09:00")
    settings.COMPLAINTS_RETENTION_DAYS = 300
    assert retention.retention_days() == 300
    assert "1 laporan" in redact(when="2027-11-02 09:00")
    case.refresh_from_db()
    assert case.redacted_at is not None


def test_small_batches_reach_every_case(c: Any) -> None:
    cases = [closed_case(c, "2026-11-02 09:00")[0] for _ in range(3)]
    with at("2032-01-05 09:00"):
        result = retention.redact_closed_cases(batch=2)
    assert result.cases == 3 and result.files == 3
    assert Case.objects.filter(pk__in=[x.pk for x in cases], redacted_at__isnull=False).count() == 3


def test_bad_options_are_refused(c: Any) -> None:
    with pytest.raises(CommandError, match="negatif"):
        redact("--older-than-days", "-1")
    with pytest.raises(CommandError, match="positif"):
        redact("--batch", "0")
    with pytest.raises(CommandError):
        redact("--older-than-days", "lima")
