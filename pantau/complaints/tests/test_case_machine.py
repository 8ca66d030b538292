"""Random sequences of actions by random people on stored cases, through the services (issue 10's acceptance):
no sequence reaches an invalid state, loses a report or its history, or shows a confidential identity to a
role that may not see it. The pure table has its own state machine (``test_workflow.py``); this one runs the
Django layer: the database rows, the timers on the working-day calendar, the guards fed from stored facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pantau.complaints import selectors, services, workflow
from pantau.complaints.models import Case, Demand, Event, Reporter, Timer
from pantau.complaints.tests.helpers import add_staff, file_report, to_examination, to_lahp
from pantau.complaints.vocab import CLOSURE_REASONS, Maladministration, State

pytestmark = pytest.mark.django_db

ACTIONS = sorted({t.action for t in workflow.TRANSITIONS})
REASONS = [None, *sorted(CLOSURE_REASONS)]
PEOPLE = ("intake_kalsel", "examiner_kalsel", "examiner2_kalsel", "head_kalsel", "admin_tabalong",
          "operator_dukcapil", "intake_kalteng", "national_admin", "outsider", "system")
CHECKS = ["formal_complete", "substantive_ok", "rco_criterion", "conclusion", "found"]


def decode(n: int) -> tuple[Any, ...]:
    """One step from one integer, spread evenly (Hypothesis draws small integers often; the digits of a
    large one spread the choice of step, person and action): mostly the actions a person is offered and
    the facts a blocked action waits for, sometimes time passing, a message, a forged or random action."""
    what, who, arg, flag = n % 20, (n // 20) % len(PEOPLE), n // 200, n // 7
    person = PEOPLE[who % 6]
    if what < 8:
        return ("next", person, arg, flag)
    if what < 14:
        return ("help", person, arg, bool(flag % 2))
    if what < 16:
        return ("wait", "", [1, 5, 20, 40, 100][arg % 5], False)
    if what == 16:
        return ("message", "reporter", "", False)
    if what == 17:
        return ("check", PEOPLE[who], CHECKS[arg % len(CHECKS)], bool(flag % 2))
    if what == 18:
        return ("demand", PEOPLE[who], ["answer", "implemented", "partly"][arg % 3], False)
    return ("act", PEOPLE[who], ACTIONS[arg % len(ACTIONS)], REASONS[flag % len(REASONS)])


def _step(c: Any, case: Case, step: tuple[Any, ...]) -> None:
    what, who, arg, flag = step
    actor = services.SYSTEM if who == "system" else (c.users.get(who) if who != "reporter" else None)
    if what == "next":  # one of the actions this person is offered now, a valid closing reason if it needs one
        offered = [(t, role) for t, role, problems in services.actions_for(actor, case) if not problems]
        moving = [(t, role) for t, role in offered if t.action != "close"]
        if arg % 40:  # closing is always offered: take it only now and then
            offered = moving
        if not offered:
            return
        transition, role = offered[arg % len(offered)]
        reason = None
        if transition.requires_reason:
            reasons = workflow.reasons_for(case.kind_enum, case.state_enum, role)
            if not reasons:
                return
            reason = reasons[flag % len(reasons)].code
        payload = {"examiner": c.examiner_kalsel, "demands": ["Perbaiki layanan."]}
        services.case_transition(actor=actor, case=case, action=transition.action, reason=reason, payload=payload)
    elif what == "help":  # the people responsible supply what a blocked action waits for
        blocked = [t for t, _role, problems in services.actions_for(actor, case) if problems]
        if blocked:
            _supply(c, case, blocked[arg % len(blocked)].guards)
    elif what == "act":
        payload = {"examiner": c.examiner_kalsel, "demands": ["Perbaiki layanan."]}
        services.case_transition(actor=actor, case=case, action=arg, reason=flag, payload=payload)
    elif what == "check":
        value: Any = flag
        if arg == "conclusion":
            value = "found" if flag else "not_found"
        elif arg == "found":
            value = [Maladministration.UNDUE_DELAY.value] if flag else []
        services.case_update_checks(actor=actor, case=case, **{arg: value})
    elif what == "classify":
        services.case_classify(actor=actor, case=case, complexity=arg, alleged=["PENUNDAAN_BERLARUT"] if flag else [])
    elif what == "message":
        services.reporter_message(case=case, note="Tambahan keterangan dari pelapor.")
    elif what == "demand":
        demand = Demand.objects.filter(case=case).order_by("id").first()
        if demand is None:
            return
        if arg == "answer":
            services.demand_answer(actor=actor, demand=demand, answer="Sudah dilaksanakan.")
        else:
            services.demand_assess(actor=actor, demand=demand, outcome=arg)


def _supply(c: Any, case: Case, guards: tuple[str, ...]) -> None:
    intake, head, examiner = c.intake_kalsel, c.head_kalsel, c.examiner_kalsel
    for guard in guards:
        if guard == "formal_requirements_met":
            services.case_update_checks(actor=intake, case=case, formal_complete=True)
        elif guard == "formal_requirements_missing":
            services.case_update_checks(actor=intake, case=case, formal_complete=False)
        elif guard == "substantive_requirements_met":
            services.case_update_checks(actor=intake, case=case, substantive_ok=True)
        elif guard == "rco_criteria_met":
            services.case_update_checks(actor=intake, case=case, rco_criterion=True)
        elif guard == "complexity_set":
            services.case_classify(actor=head, case=case, complexity="light")
        elif guard in ("documents_supplied", "reporter_answered"):
            services.reporter_message(case=case, note="Dokumen dan tanggapan pelapor.")
        elif guard == "activity_recorded":
            services.case_transition(actor=examiner, case=case, action="check_in_field")
        elif guard in ("conclusion_set", "maladministration_found"):
            services.case_update_checks(actor=examiner, case=case, conclusion="found",
                                        found=[Maladministration.SOLICITATION.value])
        elif guard == "corrective_actions_answered":
            for demand in Demand.objects.filter(case=case, kind="corrective"):
                services.demand_answer(actor=c.admin_tabalong, demand=demand, answer="Dilaksanakan.")
                services.demand_assess(actor=examiner, demand=demand, outcome="implemented")
        elif guard == "implementation_reported":
            for demand in Demand.objects.filter(case=case, kind="recommendation"):
                services.demand_answer(actor=c.admin_tabalong, demand=demand, answer="Rekomendasi dilaksanakan.")
        case.refresh_from_db()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(numbers=st.lists(st.integers(0, 10**9), min_size=10, max_size=60),
       visibility=st.sampled_from(["public", "anonymous", "confidential"]))
def test_no_sequence_of_actions_breaks_a_case(cast: Any, numbers: list[int], visibility: str) -> None:
    steps = [decode(n) for n in numbers]
    c = cast if "examiner2_kalsel" in cast.users else add_staff(cast)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=7))),
                             tick=False) as clock, transaction.atomic():
        case = file_report(c, visibility=visibility, event_date=dt.date(2026, 2, 1)).case
        start = numbers[0] % 4  # where the random steps begin: received, examination, LAHP issued, monitoring
        if start:
            case = to_examination(c, case)
        if start >= 2:
            case = to_lahp(c, case)
        if start == 3:
            case = services.case_transition(actor=c.examiner_kalsel, case=case, action="open_corrective_actions",
                                            payload={"demands": ["Terbitkan dokumen pelapor."]})
        history = 1
        for step in steps:
            if step[0] == "wait":
                clock.shift(dt.timedelta(days=step[2]))
                continue
            before = Case.objects.get(pk=case.pk)
            try:
                with transaction.atomic():
                    _step(c, before, step)
            except (workflow.TransitionRefused, ValidationError):
                after = Case.objects.get(pk=case.pk)
                assert (after.state, after.kind) == (before.state, before.kind)  # a refusal writes nothing
            case = Case.objects.get(pk=case.pk)
            # Invariants after every step.
            assert case.state in {s.value for s in State}
            assert Reporter.objects.filter(case=case).exists()  # the report and its reporter are never lost
            events = Event.objects.filter(case=case).count()
            assert events >= history
            history = events
            running = Timer.objects.filter(case=case, stopped_at__isnull=True)
            if case.state == State.CLOSED:
                assert not running.exists() and case.closure_reason in CLOSURE_REASONS and case.closed_at
            assert case.next_due_on == running.order_by("due_on").values_list("due_on", flat=True).first()
            for who in PEOPLE[:-1]:
                user = c.users[who]
                seen = selectors.may_see_identity(user, case)
                allowed_roles = {r for r in selectors.roles_on(user, case)}
                if visibility != "public" or case.visibility != "public":
                    assert not seen or "intake_officer" in allowed_roles or (
                        "examiner" in allowed_roles and case.examiner_id == user.pk)
                if who in ("admin_tabalong", "operator_dukcapil", "intake_kalteng", "national_admin", "outsider"):
                    assert not seen
        event(f"reached {case.state}")
        transaction.set_rollback(True)
