"""The complaints demo step: cases in every state and of every kind for the demo offices, late ones among
them, built through the services, once, and without a reporter's identity on any public page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from pantau.accounts.models import User
from pantau.complaints import clock, deadlines, demo, services
from pantau.complaints.models import Case, Demand, Event, Notice, Outcome, Reporter, Timer
from pantau.complaints.selectors import case_by_token, cases_for, reporter_for
from pantau.complaints.vocab import RecordKind, State
from pantau.core.models import AuditEvent
from pantau.registry.demo import DEMO_PASSWORD
from pantau.registry.models import Office

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The registry demo and the complaints demo, built once for the module and rolled back after it."""
    # A fixed Wednesday, so how late each case is does not depend on the holidays near the day the test runs.
    with time_machine.travel("2026-11-04 10:00 +07:00", tick=True), django_db_blocker.unblock(), \
            transaction.atomic():
        call_command("load_regions", verbosity=0)
        call_command("load_demo", verbosity=0)
        started = time.perf_counter()
        message = demo.load()
        # A few seconds on an idle machine; generous here because tests run in parallel on shared CPUs.
        assert time.perf_counter() - started < 20, "the complaints demo step became slow"
        yield message
        transaction.set_rollback(True)


@pytest.fixture
def loaded(built: str, db: Any) -> str:
    return built  # the module's travel to 2026-11-04 lasts until its last test


def demo_cases() -> Any:
    return Case.objects.filter(client_token__startswith=demo.DEMO_MARK)


def flag(case: Case) -> str:
    assert case.next_due_on is not None
    rules = clock.rule_set(case.rule_set)
    return deadlines.status(case.next_due_on, clock.today(), clock.calendar(), due_soon_within=rules.due_soon_within,
                            very_overdue_after=rules.very_overdue_after)


def test_every_state_and_every_kind_appears_with_late_cases_among_them(loaded: str) -> None:
    cases = list(demo_cases())
    assert {c.state for c in cases} == {s.value for s in State}
    assert {c.kind for c in cases} == {k.value for k in RecordKind}
    assert {c.visibility for c in cases} == {"public", "anonymous", "confidential"}
    assert {c.office.name for c in cases if c.office} == {demo.KALSEL, demo.KALTENG}
    flags = [flag(c) for c in cases if c.is_open and c.next_due_on]
    assert flags.count("overdue") >= 2 and flags.count("very_overdue") >= 4 and "on_time" in flags
    assert "due_soon" in flags
    reasons = {c.closure_reason for c in cases if c.state == State.CLOSED}
    assert len(reasons) >= 10 and "TIDAK_MELENGKAPI_30_HARI" in reasons
    assert f"{len(cases)} cases in {len(State)} of {len(State)} states" in loaded


def test_the_history_is_dated_in_the_past_in_order_and_deadlines_follow_their_start(loaded: str) -> None:
    today = clock.today()
    for case in demo_cases().prefetch_related("events", "timers"):
        moments = [e.at for e in case.events.all()]
        assert moments == sorted(moments) and moments[0].date() == case.received_on, case.number
        assert all(m.date() <= today for m in moments)
        for timer in case.timers.all():
            rules = clock.rule_set(case.rule_set)
            assert timer.due_on == deadlines.due_date(rules, timer.step, timer.started_on, clock.calendar())
            assert timer.started_on >= case.received_on
        running = [t.due_on for t in case.timers.all() if t.stopped_at is None]
        assert case.next_due_on == (min(running) if running else None)
    assert not Notice.objects.filter(status=Notice.Status.QUEUED).exists()  # the worker mails no one


def test_the_awaiting_completeness_case_past_30_days_is_one_the_daily_command_would_close(loaded: str) -> None:
    waiting = demo_cases().filter(state=State.AWAITING_COMPLETENESS)
    expired = [c for c in waiting if services.facts_of(c).completeness_expired]
    assert len(expired) == 1 and len(waiting) == 2
    services.case_transition(actor=services.SYSTEM, case=expired[0], action="expire_completeness")
    assert Case.objects.get(pk=expired[0].pk).closure_reason == "TIDAK_MELENGKAPI_30_HARI"


def test_the_provider_answered_corrective_actions_and_one_is_overdue(loaded: str) -> None:
    monitored = demo_cases().filter(state=State.CORRECTIVE_MONITORING)
    assert Demand.objects.filter(case__in=monitored).exclude(answer="").exists()
    assert Demand.objects.filter(case__in=monitored, outcome=Outcome.IMPLEMENTED).exists()
    assert any(flag(c) == "very_overdue" for c in monitored)
    recommended = demo_cases().filter(state=State.RECOMMENDATION)
    assert Demand.objects.filter(case__in=recommended, kind=Demand.Kind.RECOMMENDATION).count() == 2
    assert {flag(c) for c in recommended} & {"on_time", "due_soon"} and "very_overdue" in {
        flag(c) for c in recommended}
    consultation = demo_cases().get(events__action="convert_to_report")
    assert consultation.kind == RecordKind.PUBLIC_REPORT


def test_running_it_again_changes_nothing_and_prints_the_same(loaded: str) -> None:
    counts = (Case.objects.count(), Event.objects.count(), Timer.objects.count(), User.objects.count(),
              AuditEvent.objects.count())
    assert demo.load() == loaded
    assert counts == (Case.objects.count(), Event.objects.count(), Timer.objects.count(), User.objects.count(),
                      AuditEvent.objects.count())


def test_the_complaint_staff_logins_are_printed_and_work(loaded: str) -> None:
    printed = [line.split()[0] for line in loaded.splitlines() if line.startswith("  ")]
    assert set(printed) == set(demo.LOGINS)
    assert f"password for all: {DEMO_PASSWORD}" in loaded
    for username in ("pvl.kalteng", "pemeriksa2.kalsel", "admin.barsel"):
        response = Client().post("/akun/masuk/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
    kalteng = User.objects.get(username="pemeriksa.kalteng")
    seen = set(cases_for(kalteng).values_list("office__name", flat=True))
    assert seen == {demo.KALTENG}  # another office's cases are out of reach
    provider = User.objects.get(username="operator.dukcapil.tabalong")
    assert cases_for(provider).filter(kind=RecordKind.PROVIDER_COMPLAINT, state=State.EXAMINATION).exists()


def test_the_printed_tracking_tokens_open_their_cases(loaded: str) -> None:
    states = {case_by_token(token).state for _label, token in demo.TRACKING}
    assert states == {State.RECEIVED, State.AWAITING_COMPLETENESS, State.AWAITING_REPORTER_RESPONSE}


def _public_paths() -> list[str]:
    """Every public URL without arguments of the complaints module, and the registry's public pages of
    the services the demo cases name."""
    paths = ["/", "/layanan/?q=KTP-el"]
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "complaints":
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and not pattern.pattern.regex.groups:
                    paths.append("/lapor/" + str(pattern.pattern))
    product_ids = set(demo_cases().exclude(product=None).values_list("product_id", flat=True))
    paths += [f"/layanan/{pk}/" for pk in sorted(product_ids)]
    institution_ids = set(demo_cases().exclude(institution=None).values_list("institution_id", flat=True))
    return paths + [f"/instansi/{pk}/" for pk in sorted(institution_ids)]


def test_identities_are_stored_but_no_public_page_audit_event_or_public_text_shows_them(loaded: str) -> None:
    reporters = list(Reporter.objects.filter(case__in=demo_cases()))
    assert len(reporters) >= 30 and all(r.full_name.endswith("Contoh") for r in reporters)
    assert all(r.email.endswith("@example.org") and r.phone.startswith("0812-0000-") for r in reporters)
    secrets = [value for r in reporters for value in (r.full_name, r.nik, r.email, r.phone, r.address)]
    client, shown = Client(), 0
    for path in _public_paths():
        response = client.get(path)
        assert response.status_code in (200, 302, 404), path  # 404: a product without a published standard
        page = response.content.decode()
        leaked = [s for s in secrets if s in page]
        assert not leaked, (path, leaked)
        shown += response.status_code == 200
    assert shown >= 10
    for event in AuditEvent.objects.all():
        text = f"{event.before} {event.after} {event.reason}"
        assert not [s for s in secrets if s in text]
    for case in demo_cases():
        assert not [s for s in secrets if s in case.public_summary or s in case.title], case.number
    first = demo_cases().filter(chronology__contains="0812-0000-0001").get()  # the reporter's own phone
    assert "0812-0000-0001" not in first.public_summary and "[disamarkan]" in first.public_summary


def test_the_identity_is_disclosed_to_the_intake_officer_and_not_to_the_provider(loaded: str) -> None:
    case = demo_cases().filter(state=State.CORRECTIVE_MONITORING, visibility="confidential").first()
    assert case is not None
    assert reporter_for(User.objects.get(username="admin.tabalong"), case) is None
    assert reporter_for(User.objects.get(username="kepala.kalsel"), case) is None  # confidential: not the head
    assert reporter_for(User.objects.get(username="pvl.kalsel"), case) is not None


def test_without_the_registry_demo_the_step_is_skipped(loaded: str) -> None:
    Office.objects.filter(name=demo.KALSEL).update(name="Kantor lain")
    cases = Case.objects.count()
    assert "skipped" in demo.load()
    assert Case.objects.count() == cases
