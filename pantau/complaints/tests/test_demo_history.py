"""The demo's archive of decided cases (``demo_history``): loaded with the demo, closed with reasons valid for
their stage, numbered from the same counters as new cases, without personal data in public text, found by
the staff search, and enough for the national triage model, which suggests the right substance."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from pantau.accounts.models import User
from pantau.complaints import demo, demo_history, search_docs, services, triage
from pantau.complaints.models import Case, Event, TriageModel
from pantau.complaints.redact import find_personal_data
from pantau.complaints.vocab import CLOSURE_REASONS, Maladministration, RecordKind, State
from pantau.core.search.query import find
from pantau.registry.models import Office

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The registry demo and the complaints demo (with its archive), built once for the module and rolled
    back after it (as in ``test_demo.py``)."""
    with time_machine.travel("2026-11-04 10:00 +07:00", tick=True), django_db_blocker.unblock(), \
            transaction.atomic():
        call_command("load_regions", verbosity=0)
        call_command("load_demo", verbosity=0)
        triage.forget()
        message = demo.load()
        yield message
        transaction.set_rollback(True)
    triage.forget()


@pytest.fixture
def loaded(built: str, db: Any) -> str:
    return built


def archive() -> Any:
    return Case.objects.filter(client_token__startswith=demo_history.ARCHIVE_MARK)


PERSONAL = (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), re.compile(r"(\+62|\b0)8\d{1,3}[- .]?\d{3,4}[- .]?\d{3,5}"),
            re.compile(r"\b\d{16}\b"))


def test_the_archive_is_closed_decided_and_numbered_apart(loaded: str) -> None:
    cases = list(archive())
    assert len(cases) >= 100
    assert all(c.state == State.CLOSED and c.substance and c.alleged and c.closed_at for c in cases)
    assert all(c.kind == RecordKind.PUBLIC_REPORT and c.next_due_on is None for c in cases)
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert {c.office.name for c in cases if c.office} == {demo.KALSEL, demo.KALTENG}
    assert len({c.substance for c in cases}) >= 5
    known = {m.value for m in Maladministration}
    assert all(set(c.alleged) <= known for c in cases)
    oldest_demo = min(Case.objects.filter(client_token__startswith=demo.DEMO_MARK).values_list("received_on",
                                                                                                 flat=True))
    assert max(c.received_on for c in cases) < oldest_demo
    assert len({c.title for c in cases}) >= 60 and len({c.chronology for c in cases}) == len(cases)
    # Not the demo's work: the demo's own cases and summary are as before.
    assert not Case.objects.filter(client_token__startswith=demo.DEMO_MARK, pk__in=[c.pk for c in cases]).exists()
    assert f"{len(cases)} archived decided cases; triage model v1" in loaded


def test_each_case_was_closed_with_a_reason_valid_where_it_was_closed(loaded: str) -> None:
    events = Event.objects.filter(case__in=archive()).select_related("case").order_by("case_id", "at", "pk")
    by_case: dict[int, list[Event]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    assert len(by_case) == archive().count()
    for history in by_case.values():
        opened, closed = history[0], history[-1]
        case = closed.case
        assert opened.action == "open" and opened.at.date() == case.received_on
        assert closed.action == "close" and closed.reason == case.closure_reason and closed.at == case.closed_at
        reason = CLOSURE_REASONS[case.closure_reason]
        assert State(closed.source_state) in reason.states and RecordKind(case.kind) in reason.kinds
        assert case.received_on < case.closed_at.date()


def test_no_personal_data_in_public_text_but_the_chronology_keeps_it(loaded: str) -> None:
    cases = list(archive())
    for case in cases:
        for text in (case.public_summary, case.title):
            assert not find_personal_data(text), case.number
            assert not [p.pattern for p in PERSONAL if p.search(text)], (case.number, text)
    assert sum("[disamarkan]" in c.public_summary for c in cases) >= 20
    assert sum("@example.org" in c.chronology for c in cases) >= 20


def test_staff_search_finds_archived_cases(loaded: str) -> None:
    found = find(search_docs.KIND, "sertifikat PTSL", where=None)  # staff scope: see search_docs
    ids = set(found.object_ids)
    assert ids & set(archive().filter(title__icontains="PTSL").values_list("pk", flat=True))


def test_a_national_model_suggests_the_substance_of_a_new_case(loaded: str) -> None:
    model = TriageModel.objects.get(office__isnull=True)
    assert model.cases >= triage.MIN_CASES and model.accuracy["substance"]["top1"] > 0.5
    triage.forget()
    office = Office.objects.get(name=demo.KALSEL)
    new = Case(office=office, title="Petugas Disdukcapil meminta uang Rp 200.000 agar KTP-el cepat dicetak",
               public_summary="Petugas Disdukcapil meminta uang Rp 200.000 agar KTP-el cepat dicetak.")
    suggestion = triage.suggest(new)
    assert suggestion is not None and suggestion.stored.national
    assert "Administrasi kependudukan" in [g.label for g in suggestion.substances]
    assert suggestion.substances[0].label == "Administrasi kependudukan"
    assert "PERMINTAAN_IMBALAN" in suggestion.form_codes


def test_a_case_opened_afterwards_gets_a_fresh_number(loaded: str) -> None:
    numbers = set(Case.objects.values_list("number", flat=True))
    for office_name in (demo.KALSEL, demo.KALTENG):
        for received in (None, min(archive().values_list("received_on", flat=True))):
            opened = services.case_open(
                actor=None, kind="public_report", channel="web", title="Antrean KTP-el tidak tertib",
                chronology="Antrean KTP-el di loket Disdukcapil tidak tertib dan nomor antrean dijual calo.",
                office=Office.objects.get(name=office_name), received_on=received)
            assert opened.created and opened.case.number not in numbers
            numbers.add(opened.case.number)


def test_loading_again_adds_nothing_and_prints_the_same(loaded: str) -> None:
    counts = (archive().count(), TriageModel.objects.count())
    assert demo_history.load_history(demo.clock.today()) == 0
    assert demo.load() == loaded
    assert counts == (archive().count(), TriageModel.objects.count())


def test_the_case_page_and_the_queue_show_an_archived_case(loaded: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username="pvl.kalsel"))
    case = archive().filter(office__name=demo.KALSEL).order_by("pk").first()
    assert case is not None
    page = client.get(reverse("complaint_manage:case", args=[case.pk]))
    assert page.status_code == 200 and case.number in page.content.decode()
    queue = client.get(reverse("complaint_manage:list"), {"q": case.number})
    assert queue.status_code == 200 and case.number in queue.content.decode()

