"""``pantau complaints_daily``: automatic closure, reminders once per status, notices queued again; twice
on one day changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from pantau.complaints import daily, services, tasks
from pantau.complaints.models import Case, Event, Notice, Timer
from pantau.complaints.tests.helpers import REPORTER, add_staff, file_report, to_examination
from pantau.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def at(day: str, time: str = "06:00") -> Any:
    return time_machine.travel(f"{day} {time} +07:00", tick=False)


@pytest.fixture
def c(cast: Any) -> Iterator[Any]:
    with at("2026-11-02"):
        yield add_staff(cast)


def awaiting_completeness(c: Any) -> Case:
    """An incomplete LM whose reporter was asked on 2 November 2026 to complete it (due 2 December)."""
    case = file_report(c, chronology="KTP belum jadi.", event_date=None).case
    case = services.case_transition(actor=c.intake_kalsel, case=case, action="start_formal_verification")
    return services.case_transition(actor=c.intake_kalsel, case=case, action="request_completeness")


def run(day: str, *args: str) -> str:
    out = StringIO()
    with at(day):
        call_command("complaints_daily", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def reminders() -> list[Any]:
    return [m for m in mail.outbox if "Pengingat tenggat" in m.subject]


def test_a_lapsed_completeness_period_closes_the_case_once(c: Any) -> None:
    case = awaiting_completeness(c)
    assert Timer.objects.get(case=case, step="completeness").due_on == dt.date(2026, 12, 2)
    run("2026-12-02")
    case.refresh_from_db()
    assert case.state == "awaiting_completeness"  # the due day itself is still in time
    out = run("2026-12-03")
    case.refresh_from_db()
    assert (case.state, case.closure_reason) == ("closed", "TIDAK_MELENGKAPI_30_HARI")
    assert "Ditutup otomatis (tidak dilengkapi): 1" in out
    event = Event.objects.get(case=case, action="expire_completeness")
    assert event.actor is None and event.actor_label == "sistem"
    assert not Timer.objects.filter(case=case, stopped_at__isnull=True).exists()
    assert "Ditutup otomatis (tidak dilengkapi): 0" in run("2026-12-03")
    assert Event.objects.filter(case=case, action="expire_completeness").count() == 1
    assert AuditEvent.objects.filter(event_type="case.transition", object_id=str(case.pk),
                                     after__action="expire_completeness").count() == 1


def test_a_case_whose_reporter_supplied_documents_is_not_closed(c: Any) -> None:
    case = awaiting_completeness(c)
    services.reporter_message(case=case, note="Berikut fotokopi KTP dan bukti pengaduan ke Dukcapil.")
    run("2026-12-10")
    case.refresh_from_db()
    assert case.state == "awaiting_completeness"


def test_an_unassigned_case_reminds_the_intake_officers_once_per_status(c: Any) -> None:
    case = file_report(c).case  # initial processing: 14 days, due Monday 16 November 2026
    run("2026-11-10")
    assert reminders() == []  # four working days left: on time
    run("2026-11-11")
    run("2026-11-11")
    sent = reminders()
    assert len(sent) == 1 and sent[0].to == ["intake_kalsel@uji.local"]
    assert case.number in sent[0].body and "segera jatuh tempo" in sent[0].body
    run("2026-11-12")
    assert len(reminders()) == 1  # still due soon: no new reminder
    run("2026-11-17")
    assert len(reminders()) == 2 and "terlambat" in reminders()[1].body
    run("2026-11-30")
    assert len(reminders()) == 2  # ten working days late: still "overdue"
    run("2026-12-01")
    assert len(reminders()) == 3 and "sangat terlambat" in reminders()[2].body
    assert Timer.objects.get(case=case, step="initial_processing").reminded_on == dt.date(2026, 12, 1)


def test_the_assigned_examiner_is_reminded_and_the_reporter_never(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    Timer.objects.create(case=case, step="lahp_response", started_on=dt.date(2026, 11, 2),
                         due_on=dt.date(2026, 11, 20))
    Notice.objects.update(status=Notice.Status.SENT)  # the case's own notices went out when written
    notices = Notice.objects.count()
    run("2026-11-23")
    sent = reminders()
    assert [m.to for m in sent] == [["examiner_kalsel@uji.local"]]
    assert all(REPORTER["email"] not in m.to for m in mail.outbox)
    assert REPORTER["full_name"] not in sent[0].body and REPORTER["nik"] not in sent[0].body
    assert Notice.objects.count() == notices


def test_one_email_per_recipient_lists_all_their_cases(c: Any) -> None:
    numbers = {file_report(c).case.number for _ in range(3)}
    run("2026-11-17")
    sent = reminders()
    assert len(sent) == 1 and all(n in sent[0].body for n in numbers)
    assert "3 laporan" in sent[0].subject


def test_stopped_timers_and_closed_cases_are_not_reminded(c: Any) -> None:
    case = file_report(c).case
    Timer.objects.filter(case=case).update(stopped_at=timezone.now())
    run("2026-11-17")
    assert reminders() == []


def test_the_query_count_does_not_grow_with_the_number_of_cases(c: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(12):
        file_report(c)
    Notice.objects.update(status=Notice.Status.SENT)  # sending a notice is the task's work, not the run's
    with at("2026-11-17"), django_assert_max_num_queries(12):
        summary = daily.run(sweep=False)
    assert summary.reminded == 12 and summary.emails == 1


def test_a_stale_queued_notice_is_sent_again_and_a_spent_one_is_not(c: Any) -> None:
    case = file_report(c).case
    queued = Notice.objects.get(case=case)
    spent = Notice.objects.create(case=case, subject="x", attempts=tasks.MAX_ATTEMPTS, status=Notice.Status.FAILED)
    fresh = Notice.objects.create(case=case, subject="y")
    Notice.objects.filter(pk__in=[queued.pk, spent.pk]).update(created_at=timezone.now() - dt.timedelta(hours=2))
    with at("2026-11-02", "06:30"):
        summary = daily.run(sweep=False)
    assert summary.requeued == 1
    queued.refresh_from_db()
    assert queued.status == Notice.Status.SENT
    assert [m.to for m in mail.outbox] == [[REPORTER["email"]]]
    fresh.refresh_from_db()
    spent.refresh_from_db()
    assert (fresh.status, spent.status) == (Notice.Status.QUEUED, Notice.Status.FAILED)
    with at("2026-11-02", "07:00"):
        assert daily.run(sweep=False).requeued == 0


def test_a_day_in_the_future_or_a_bad_date_is_refused(c: Any) -> None:
    with pytest.raises(CommandError, match="belum tiba"):
        run("2026-11-02", "--date", "2026-11-03")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("2026-11-02", "--date", "3/11/2026")
    with pytest.raises(CommandError, match="positif"):
        run("2026-11-02", "--batch", "0")


def test_a_past_date_runs_for_that_day(c: Any) -> None:
    file_report(c)
    out = run("2026-11-20", "--date", "2026-11-11")
    assert "Tenggat yang diingatkan: 1" in out
    assert Timer.objects.get(step="initial_processing").reminded_on == dt.date(2026, 11, 11)


def test_small_batches_reach_every_row(c: Any) -> None:
    for _ in range(5):
        awaiting_completeness(c)
    with at("2026-12-03"):
        summary = daily.run(batch=2, sweep=False)
    assert summary.closed == 5 and Case.objects.filter(state="closed").count() == 5
