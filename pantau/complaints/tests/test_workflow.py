"""The complaint workflow table: its integrity (reachability, closure, roles of the accounts app, timers of the
deadline rules), the refusals the web layer maps to 404/422, the example paths (LM to closure, RCO, the
completeness timer, a consultation converted, IAPS, the provider-side path) and a hypothesis state machine
driving random actions by random roles over random record kinds."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from pantau.accounts.models import Role
from pantau.complaints import deadlines as dl
from pantau.complaints import vocab
from pantau.complaints import workflow as wf
from pantau.complaints.vocab import (
    CLOSURE_REASONS,
    Activity,
    Complexity,
    Conclusion,
    Maladministration,
    RecordKind,
    State,
)
from pantau.complaints.workflow import CaseFacts, Outcome, Transition, TransitionRefused

LM, RCO, IAPS = RecordKind.PUBLIC_REPORT, RecordKind.FAST_RESPONSE, RecordKind.OWN_INITIATIVE
CONSULTATION, COPY, PROVIDER = RecordKind.CONSULTATION, RecordKind.COPY_LETTER, RecordKind.PROVIDER_COMPLAINT
INTAKE, EXAMINER, HEAD, SYSTEM = wf.INTAKE_OFFICER, wf.EXAMINER, wf.HEAD_OF_OFFICE, wf.SYSTEM
INST, UNIT = wf.INSTITUTION_ADMIN, wf.UNIT_OPERATOR
ALL_ROLES = sorted({r.value for r in Role} | {SYSTEM})
Node = tuple[State, RecordKind]


# --- helpers -------------------------------------------------------------------------------------------------


def edges(node: Node) -> Iterator[tuple[Transition, Node]]:
    """The transitions out of (state, kind), a closing one only when some role of it has a reason there."""
    state, kind = node
    for t in wf.TRANSITIONS:
        if state not in t.sources or kind not in t.kinds:
            continue
        if t.requires_reason and not any(wf.reasons_for(kind, state, r) for r in t.roles):
            continue
        yield t, (t.target or state, t.converts_to or kind)


def reachable(start: Node) -> set[Node]:
    seen, todo = {start}, [start]
    while todo:
        for _, nxt in edges(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


ALL_NODES = set().union(*(reachable((State.RECEIVED, k)) for k in RecordKind))


@dataclass
class Case:
    """A case as the service layer will hold it: an id, the facts, the history (only ever appended)."""

    id: int
    facts: CaseFacts
    history: list[tuple[str, str, State | None, State, RecordKind, str | None]] = field(default_factory=list)
    effects: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, kind: RecordKind, id: int = 1) -> Case:
        case = cls(id, CaseFacts(kind=kind))
        case.record(wf.opening(kind), "open", INTAKE)
        return case

    def record(self, outcome: Outcome, action: str, role: str) -> None:
        self.history.append((action, role, outcome.source, outcome.target, outcome.kind, outcome.reason))
        self.effects += outcome.effects
        self.facts = wf.advance(self.facts, outcome)

    def do(self, action: str, role: str, reason: str | None = None, **world: Any) -> Outcome:
        if world:
            self.facts = replace(self.facts, **world)
        outcome = wf.apply(self.facts, action, role, reason)
        self.record(outcome, action, role)
        return outcome

    @property
    def states(self) -> list[State]:
        return [entry[3] for entry in self.history]


def refused(facts: CaseFacts, action: str, role: str, reason: str | None = None) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as caught:
        wf.apply(facts, action, role, reason)
    return caught.value


# --- integrity of the table ----------------------------------------------------------------------------------


def test_table_has_no_problems() -> None:
    assert wf.table_problems() == []


@pytest.mark.parametrize("broken, problem", [
    (Transition("x", frozenset({State.CLOSED}), State.RECEIVED, frozenset({HEAD}), frozenset({LM}), "x"),
     "leaves closed"),
    (Transition("x", frozenset({State.RECEIVED}), State.CLOSED, frozenset({HEAD}), frozenset({LM}), "x"),
     "closes without a reason"),
    (Transition("x", frozenset({State.RECEIVED}), None, frozenset({"assessor"}), frozenset({LM}), "x"),
     "role assessor unknown"),
    (Transition("x", frozenset({State.RECEIVED}), None, frozenset({HEAD}), frozenset({LM}), "x", ("nope",)),
     "guard nope unknown"),
    (Transition("x", frozenset({State.RECEIVED}), None, frozenset({HEAD}), frozenset({LM}), "x", (),
                ("start_timer:corrective_{complexity}",)), "without the complexity_set guard"),
    (Transition("x", frozenset({State.RECEIVED}), None, frozenset({HEAD}), frozenset({LM}), "x", (), ("set_state",)),
     "effect set_state unknown"),
    (Transition("close", frozenset({State.RECEIVED}), State.CLOSED, frozenset({HEAD}), frozenset({LM}), "x",
                requires_reason=True), "names two transitions"),
])
def test_table_problems_finds_a_broken_transition(broken: Transition, problem: str) -> None:
    problems = wf.table_problems((*wf.TRANSITIONS, broken))
    assert any(problem in p for p in problems), problems


def test_every_role_named_is_a_role_of_the_accounts_app() -> None:
    roles = {r.value for r in Role}
    named = {r for t in wf.TRANSITIONS for r in t.roles}
    assert named - {SYSTEM} <= roles
    assert SYSTEM not in roles  # the scheduler is not a role a user can hold
    constants = (wf.INTAKE_OFFICER, wf.EXAMINER, wf.HEAD_OF_OFFICE, wf.INSTITUTION_ADMIN, wf.UNIT_OPERATOR)
    assert constants == (Role.INTAKE_OFFICER.value, Role.EXAMINER.value, Role.HEAD_OF_OFFICE.value,
                         Role.INSTITUTION_ADMIN.value, Role.UNIT_OPERATOR.value)
    assert {INTAKE, EXAMINER, HEAD} <= named  # the issue: intake officer, examiner and head of office


def test_every_timer_is_a_step_of_every_rule_set() -> None:
    steps = wf.timer_steps()
    assert {"completeness", "lahp_response", "corrective_light", "corrective_medium", "corrective_heavy",
            "recommendation_report", "recommendation_monitoring"} <= steps
    for rule_set in dl.default_rules():
        assert steps <= {s.code for s in rule_set.steps}, rule_set.version
    started = {e.split(":", 1)[1] for t in wf.TRANSITIONS for e in t.effects if e.startswith("start_timer:")}
    started |= {e.split(":", 1)[1] for k in RecordKind for e in wf.opening(k).effects if e.startswith("start_timer:")}
    stopped = {e.split(":", 1)[1] for t in wf.TRANSITIONS for e in t.effects if e.startswith("stop_timer:")}
    assert stopped <= started  # no timer is stopped that nothing starts


def test_every_state_is_reachable_from_received_for_a_public_report() -> None:
    assert {state for state, _ in reachable((State.RECEIVED, LM))} == set(State)


def test_each_kind_stays_on_its_own_path() -> None:
    rco = {s for s, k in reachable((State.RECEIVED, RCO)) if k is RCO}
    assert rco == {State.RECEIVED, State.RAPID_RESPONSE, State.CLOSED}  # no plenary, no long examination
    iaps = {s for s, _ in reachable((State.RECEIVED, IAPS))}
    assert iaps.isdisjoint({State.FORMAL_VERIFICATION, State.AWAITING_COMPLETENESS, State.SUBSTANTIVE_VERIFICATION,
                            State.AWAITING_REPORTER_RESPONSE, State.RAPID_RESPONSE})
    assert {State.AWAITING_PLENARY, State.LAHP_ISSUED, State.RECOMMENDATION_MONITORING} <= iaps
    assert reachable((State.RECEIVED, COPY)) == {(State.RECEIVED, COPY), (State.CLOSED, COPY)}
    assert {k for _, k in reachable((State.RECEIVED, CONSULTATION))} == {CONSULTATION, LM, RCO}
    provider = reachable((State.RECEIVED, PROVIDER))
    assert {k for _, k in provider} == {PROVIDER}
    assert {s for s, _ in provider} == {State.RECEIVED, State.FORMAL_VERIFICATION, State.AWAITING_COMPLETENESS,
                                        State.EXAMINATION, State.CLOSED}


def test_every_open_state_can_be_closed_directly_with_a_reason() -> None:
    for state, kind in ALL_NODES - {(State.CLOSED, k) for k in RecordKind}:
        choices = [(t, r) for r in ALL_ROLES for t in wf.allowed(state, kind, r)
                   if t.requires_reason and wf.reasons_for(kind, state, r)]
        assert choices, (state, kind)
        assert all(t.target is State.CLOSED for t, _ in choices)


def test_every_open_state_reaches_closed() -> None:
    for node in ALL_NODES:
        assert State.CLOSED in {s for s, _ in reachable(node)}, node


def test_nothing_leaves_closed() -> None:
    for kind in RecordKind:
        for role in ALL_ROLES:
            assert wf.allowed(State.CLOSED, kind, role) == []
        for action in sorted({t.action for t in wf.TRANSITIONS}):
            assert refused(CaseFacts(kind, State.CLOSED), action, HEAD, "DICABUT_PELAPOR").code == "not_found"


def test_one_transition_per_action_state_kind_and_role() -> None:
    keys = [(t.action, s, k, r) for t in wf.TRANSITIONS for s in t.sources for k in t.kinds for r in t.roles]
    assert len(keys) == len(set(keys))


def test_every_guard_and_reason_is_used() -> None:
    used = {g for t in wf.TRANSITIONS for g in t.guards} | {g for r in CLOSURE_REASONS.values() for g in r.guards}
    assert used == set(wf.GUARDS)
    closable = {(s, k) for s, k in ALL_NODES if s is not State.CLOSED}
    for reason in CLOSURE_REASONS.values():
        assert any(s in reason.states and k in reason.kinds for s, k in closable), reason.code


def test_provider_staff_act_on_ombudsman_cases_only_to_answer() -> None:
    for t in wf.TRANSITIONS:
        if t.kinds == {PROVIDER}:
            assert t.roles <= wf.PROVIDER_STAFF
        elif t.roles & wf.PROVIDER_STAFF:
            assert PROVIDER not in t.kinds
            assert t.action in {"answer_corrective_action", "report_implementation"}
            assert t.target is None or t.target in t.sources  # recording, never moving the case


def test_vocabularies() -> None:
    assert len(Maladministration) == 10
    assert all(f.label for f in Maladministration) and all(k.label for k in RecordKind)
    assert all(s.label for s in State) and [c.label for c in Complexity] == ["Ringan", "Sedang", "Berat"]
    assert {c.value for c in Complexity} == {"light", "medium", "heavy"}  # suffixes of the corrective steps
    assert len(vocab.ReporterType) == 5
    assert all(r.label and r.source and r.kinds for r in CLOSURE_REASONS.values())
    assert {"DICABUT_PELAPOR", "TIDAK_MELENGKAPI_30_HARI", "BUKAN_KEWENANGAN", "SEDANG_PROSES_PERADILAN",
            "SEDANG_DITANGANI_INSTANSI", "DUPLIKAT_LAPORAN", "KADALUARSA_2_TAHUN", "TIDAK_DITEMUKAN_MALADMINISTRASI",
            "DISELESAIKAN_KLARIFIKASI", "DISELESAIKAN_MEDIASI_KONSILIASI", "TINDAKAN_KOREKTIF_DILAKSANAKAN",
            "REKOMENDASI_DILAKSANAKAN", "REKOMENDASI_DILAKSANAKAN_SEBAGIAN", "REKOMENDASI_TIDAK_DILAKSANAKAN",
            "PEMERIKSAAN_DIHENTIKAN"} <= set(CLOSURE_REASONS)  # the list of §1.5
    assert wf.state_label(State.EXAMINATION, PROVIDER) == "Penanganan pengaduan"
    ok = vocab.Classification("Pendidikan", "Pemerintah Daerah", frozenset({Maladministration.UNDUE_DELAY}))
    assert vocab.check(ok) == []
    assert len(vocab.check(replace(ok, substance="Sepak bola", agency_group="Klub"))) == 2
    assert vocab.check(replace(ok, substance="Sepak bola"), substances=["Sepak bola"]) == []


# --- refusals ------------------------------------------------------------------------------------------------


def test_a_forged_or_misplaced_action_is_not_found() -> None:
    facts = CaseFacts(LM, State.RECEIVED)
    forged = refused(facts, "set_state", HEAD)
    assert (forged.code, forged.http_status) == ("not_found", 404) and "tidak dikenal" in forged.message
    elsewhere = refused(facts, "issue_lahp", HEAD)  # exists, but not from received
    assert elsewhere.code == "not_found" and "tidak tersedia" in elsewhere.message
    assert refused(facts, "start_formal_verification", EXAMINER).code == "not_found"  # wrong role
    assert refused(facts, "start_formal_verification", UNIT).code == "not_found"  # provider staff on an LM
    assert refused(facts, "start_formal_verification", "assessor").code == "not_found"
    assert refused(CaseFacts(PROVIDER), "start_formal_verification", INTAKE).code == "not_found"
    assert refused(CaseFacts(COPY), "convert_to_report", INTAKE).code == "not_found"
    assert isinstance(forged, ValueError)


def test_guards_and_reasons_are_unprocessable() -> None:
    guard = refused(CaseFacts(LM, State.FORMAL_VERIFICATION), "pass_formal_verification", INTAKE)
    assert (guard.code, guard.http_status) == ("guard_failed", 422) and "Syarat formil" in guard.message
    facts = CaseFacts(LM, State.FORMAL_VERIFICATION)
    assert refused(facts, "close", INTAKE).code == "reason_required"
    assert refused(facts, "close", INTAKE, "ALASAN_KARANGAN").code == "bad_reason"
    assert refused(facts, "close", INTAKE, "REKOMENDASI_DILAKSANAKAN").code == "bad_reason"  # wrong stage
    assert refused(facts, "close", INTAKE, "KONSULTASI_SELESAI").code == "bad_reason"  # wrong kind
    assert refused(facts, "pass_formal_verification", INTAKE, "DICABUT_PELAPOR").code == "bad_reason"
    waiting = CaseFacts(LM, State.AWAITING_COMPLETENESS, completeness_expired=True)
    assert refused(waiting, "close", INTAKE, "TIDAK_MELENGKAPI_30_HARI").code == "bad_reason"  # the system's
    monitoring = CaseFacts(LM, State.CORRECTIVE_MONITORING, complexity=Complexity.LIGHT)
    assert refused(monitoring, "close", EXAMINER, "TINDAKAN_KOREKTIF_DILAKSANAKAN").code == "guard_failed"


def test_identity_is_seen_only_by_intake_and_the_assigned_examiner() -> None:
    seen = {(r, a) for r in ALL_ROLES for a in (False, True) if wf.may_see_identity(r, assigned=a)}
    assert seen == {(INTAKE, False), (INTAKE, True), (EXAMINER, True)}
    open_identity = {(r, a) for r in ALL_ROLES for a in (False, True)
                     if wf.may_see_identity(r, assigned=a, confidential=False)}
    assert open_identity == {(INTAKE, False), (INTAKE, True), (EXAMINER, True), (HEAD, False), (HEAD, True),
                             (INST, True), (UNIT, True)}


# --- example paths -------------------------------------------------------------------------------------------

FOUND = {"conclusion": Conclusion.FOUND, "found_forms": frozenset({Maladministration.UNDUE_DELAY})}


def examine_lm(case: Case, complexity: Complexity = Complexity.MEDIUM, **conclusion: Any) -> None:
    """An LM from received to the issued LAHP, with one round of incompleteness."""
    case.do("start_formal_verification", INTAKE)
    case.do("request_completeness", INTAKE)
    case.do("receive_completeness", INTAKE, documents_supplied=True)
    case.do("pass_formal_verification", INTAKE, formal_complete=True)
    case.do("submit_to_plenary", INTAKE, substantive_ok=True)
    case.do("decide_examination", HEAD, complexity=complexity)
    case.do("request_written_clarification", EXAMINER)
    case.do("summon", EXAMINER)
    case.do("draft_lahp", EXAMINER, **(conclusion or FOUND))
    case.do("send_draft_to_reporter", EXAMINER)
    case.do("issue_lahp", HEAD, response_expired=True)


def test_a_public_report_to_closure_through_a_recommendation() -> None:
    case = Case.open(LM)
    assert case.effects == ["start_timer:initial_processing", "notify_reporter"]
    examine_lm(case, Complexity.HEAVY)
    assert case.facts.activities == {Activity.WRITTEN_CLARIFICATION, Activity.SUMMONS}
    opened = case.do("open_corrective_actions", EXAMINER)
    assert "start_timer:corrective_heavy" in opened.effects
    case.do("answer_corrective_action", INST)
    assert refused(case.facts, "issue_recommendation", HEAD).code == "guard_failed"  # 180 days not over
    recommendation = case.do("issue_recommendation", HEAD, corrective_expired=True)
    assert recommendation.effects[:2] == ("stop_timer:corrective_heavy", "request_chair_signature")
    case.do("report_implementation", INST, implementation_reported=True)
    case.do("start_recommendation_monitoring", EXAMINER)
    case.do("report_implementation", UNIT)
    case.do("recommend_sanction", HEAD, monitoring_expired=True)
    closed = case.do("close", HEAD, "REKOMENDASI_DILAKSANAKAN_SEBAGIAN")
    assert (closed.target, closed.reason) == (State.CLOSED, "REKOMENDASI_DILAKSANAKAN_SEBAGIAN")
    assert "stop_all_timers" in closed.effects
    assert case.states == [State.RECEIVED, State.FORMAL_VERIFICATION, State.AWAITING_COMPLETENESS,
                           State.FORMAL_VERIFICATION, State.SUBSTANTIVE_VERIFICATION, State.AWAITING_PLENARY,
                           State.EXAMINATION, State.EXAMINATION, State.EXAMINATION, State.DRAFT_LAHP,
                           State.AWAITING_REPORTER_RESPONSE, State.LAHP_ISSUED, State.CORRECTIVE_MONITORING,
                           State.CORRECTIVE_MONITORING, State.RECOMMENDATION, State.RECOMMENDATION,
                           State.RECOMMENDATION_MONITORING, State.RECOMMENDATION_MONITORING,
                           State.RECOMMENDATION_MONITORING, State.CLOSED]
    started = [e for e in case.effects if e.startswith("start_timer:")]
    assert started == ["start_timer:initial_processing", "start_timer:completeness", "start_timer:lahp_response",
                       "start_timer:corrective_heavy", "start_timer:recommendation_report",
                       "start_timer:recommendation_monitoring"]


def test_reporter_response_reopens_examination_then_no_maladministration() -> None:
    case = Case.open(LM)
    examine_lm(case, conclusion=Conclusion.NOT_FOUND)
    assert refused(case.facts, "open_corrective_actions", EXAMINER).code == "guard_failed"
    assert refused(case.facts, "close", HEAD, "PEMERIKSAAN_DIHENTIKAN").code == "guard_failed"
    case.do("close", HEAD, "TIDAK_DITEMUKAN_MALADMINISTRASI")
    again = Case.open(LM)
    examine_lm(again)
    assert again.facts.state is State.LAHP_ISSUED
    second = Case.open(LM)
    for action, role, world in [("start_formal_verification", INTAKE, {}),
                                ("pass_formal_verification", INTAKE, {"formal_complete": True}),
                                ("submit_to_plenary", INTAKE, {"substantive_ok": True}),
                                ("decide_examination", HEAD, {"complexity": Complexity.LIGHT}),
                                ("hold_oral_clarification", EXAMINER, {}), ("draft_lahp", EXAMINER, FOUND),
                                ("send_draft_to_reporter", EXAMINER, {})]:
        second.do(action, role, **world)
    assert refused(second.facts, "issue_lahp", HEAD).code == "guard_failed"  # 14 days not over, no reply
    second.do("reexamine", EXAMINER, reporter_answered=True)
    assert second.facts.state is State.EXAMINATION and "stop_timer:lahp_response" in second.effects
    second.do("mediate", EXAMINER)
    second.do("close", EXAMINER, "DISELESAIKAN_MEDIASI_KONSILIASI")
    corrective = Case.open(LM)
    examine_lm(corrective, Complexity.LIGHT)
    assert "start_timer:corrective_light" in corrective.do("open_corrective_actions", HEAD).effects
    corrective.do("close", EXAMINER, "TINDAKAN_KOREKTIF_DILAKSANAKAN", corrective_answered=True)


def test_fast_response_takes_the_short_path() -> None:
    case = Case.open(RCO)
    assert refused(case.facts, "fast_track", INTAKE).code == "guard_failed"
    case.do("fast_track", INTAKE, rco_criterion=True)
    assert refused(case.facts, "summon", EXAMINER).code == "not_found"  # no long examination
    assert refused(case.facts, "draft_lahp", EXAMINER).code == "not_found"
    case.do("hold_oral_clarification", EXAMINER)
    case.do("check_in_field", EXAMINER)
    case.do("close", EXAMINER, "DISELESAIKAN_KLARIFIKASI")
    assert case.states == [State.RECEIVED, State.RAPID_RESPONSE, State.RAPID_RESPONSE, State.RAPID_RESPONSE,
                           State.CLOSED]
    lm = Case.open(LM)  # an LM meeting a criterion becomes an RCO, and back to an LM if coordination fails
    assert lm.do("fast_track", HEAD, rco_criterion=True).effects[0] == "set_kind:fast_response"
    assert lm.facts.kind is RCO
    assert lm.do("return_to_regular", EXAMINER).effects[0] == "set_kind:public_report"
    assert (lm.facts.state, lm.facts.kind, len(lm.history)) == (State.FORMAL_VERIFICATION, LM, 3)


def test_the_completeness_timer_closes_a_report_as_withdrawn() -> None:
    case = Case.open(LM)
    case.do("start_formal_verification", INTAKE)
    started = case.do("request_completeness", INTAKE)
    assert started.effects == ("start_timer:completeness", "notify_reporter")
    assert refused(case.facts, "expire_completeness", SYSTEM).code == "guard_failed"  # 30 days not over
    expired = replace(case.facts, completeness_expired=True)
    assert refused(expired, "expire_completeness", INTAKE).code == "not_found"  # only the system
    assert refused(expired, "expire_completeness", SYSTEM, "TIDAK_MELENGKAPI_30_HARI").code == "bad_reason"
    assert refused(replace(case.facts, completeness_expired=True, documents_supplied=True),
                   "expire_completeness", SYSTEM).code == "guard_failed"  # the documents came in time
    closed = case.do("expire_completeness", SYSTEM, completeness_expired=True)
    assert (closed.target, closed.reason) == (State.CLOSED, "TIDAK_MELENGKAPI_30_HARI")
    assert refused(replace(case.facts, documents_supplied=True), "receive_completeness", INTAKE).code == "not_found"


def test_a_consultation_becomes_a_report_keeping_its_history() -> None:
    case = Case.open(CONSULTATION, id=42)
    assert case.effects == []
    before = list(case.history)
    converted = case.do("convert_to_report", INTAKE)
    assert converted.effects[0] == "set_kind:public_report" and "start_timer:initial_processing" in converted.effects
    assert (case.id, case.facts.kind, case.facts.state) == (42, LM, State.RECEIVED)
    assert case.history[:1] == before and len(case.history) == 2
    case.do("start_formal_verification", INTAKE)
    case.do("close", INTAKE, "DICABUT_PELAPOR")
    answered = Case.open(CONSULTATION)
    answered.do("close", INTAKE, "KONSULTASI_SELESAI")
    copy = Case.open(COPY)
    assert refused(copy.facts, "close", INTAKE, "DICABUT_PELAPOR").code == "bad_reason"
    assert copy.do("close", INTAKE, "HANYA_TEMBUSAN").effects == ("stop_all_timers", "record_closure")


def test_own_initiative_has_no_reporter() -> None:
    case = Case.open(IAPS)
    case.do("submit_to_plenary", EXAMINER)
    case.do("decide_examination", HEAD, complexity=Complexity.MEDIUM)
    assert refused(case.facts, "mediate", EXAMINER).code == "not_found"
    case.do("check_in_field", EXAMINER)
    case.do("draft_lahp", EXAMINER, conclusion=Conclusion.STOPPED)
    assert refused(case.facts, "send_draft_to_reporter", EXAMINER).code == "not_found"
    case.do("issue_lahp", HEAD)
    case.do("close", HEAD, "PEMERIKSAAN_DIHENTIKAN")
    assert "notify_reporter" not in case.effects and "assign_examiner" in case.effects


def test_the_provider_side_path() -> None:
    case = Case.open(PROVIDER)
    case.do("start_formal_verification", UNIT)
    case.do("request_completeness", UNIT)
    case.do("receive_completeness", INST, documents_supplied=True)
    assert refused(case.facts, "accept_complaint", UNIT).code == "guard_failed"
    case.do("accept_complaint", UNIT, formal_complete=True)
    assert refused(case.facts, "draft_lahp", UNIT).code == "not_found"
    assert refused(case.facts, "close", EXAMINER, "PENGADUAN_DITINDAKLANJUTI").code == "not_found"
    case.do("close", UNIT, "PENGADUAN_DITINDAKLANJUTI")
    assert not any(e.startswith("start_timer:") for e in case.effects)


# --- the state machine ---------------------------------------------------------------------------------------

ACTORS = [(0, SYSTEM), (1, INTAKE), (2, EXAMINER), (3, EXAMINER), (4, HEAD), (5, INST), (6, UNIT),
          (7, "assessor"), (8, "national_admin")]
ACTIONS = sorted({t.action for t in wf.TRANSITIONS}) + ["set_state", "reopen", "delete"]
REASONS = sorted(CLOSURE_REASONS) + ["ALASAN_KARANGAN"]
FLAGS = [f.name for f in dataclasses.fields(CaseFacts) if f.type == "bool"]
STEPS = {s.code for s in dl.default_rules()[0].steps}
# The least change to the facts that makes each guard hold (contradictory guards on one transition fail).
SATISFY: dict[str, dict[str, Any]] = {
    "formal_requirements_met": {"formal_complete": True}, "formal_requirements_missing": {"formal_complete": False},
    "documents_supplied": {"documents_supplied": True},
    "completeness_lapsed": {"completeness_expired": True, "documents_supplied": False},
    "substantive_requirements_met": {"substantive_ok": True}, "complexity_set": {"complexity": Complexity.MEDIUM},
    "rco_criteria_met": {"rco_criterion": True}, "activity_recorded": {"activities": frozenset({Activity.SUMMONS})},
    "mediation_held": {"activities": frozenset({Activity.MEDIATION})}, "conclusion_set": FOUND,
    "conclusion_not_found": {"conclusion": Conclusion.NOT_FOUND},
    "conclusion_stopped": {"conclusion": Conclusion.STOPPED},
    "maladministration_found": FOUND, "reporter_answered": {"reporter_answered": True},
    "response_closed": {"response_expired": True}, "corrective_actions_answered": {"corrective_answered": True},
    "corrective_period_unmet": {"corrective_expired": True, "corrective_answered": False},
    "implementation_report_due": {"implementation_report_expired": True},
    "implementation_reported": {"implementation_reported": True}, "monitoring_expired": {"monitoring_expired": True},
}


class WorkflowMachine(RuleBasedStateMachine):
    """One case, random world facts, random actions by random actors (the offered ones with their guards
    made true, and any action at all); the invariants hold after every step."""

    @initialize(kind=st.sampled_from(list(RecordKind)), confidential=st.booleans())
    def open_case(self, kind: RecordKind, confidential: bool) -> None:
        self.case = Case.open(kind, id=7)
        self.confidential = confidential
        self.assigned: set[int] = set()
        self.seen_history: list[Any] = []
        self.was_closed = False

    @rule(flag=st.sampled_from(FLAGS), value=st.booleans())
    def world_flag(self, flag: str, value: bool) -> None:
        self.case.facts = replace(self.case.facts, **{flag: value})

    @rule(complexity=st.none() | st.sampled_from(list(Complexity)),
          conclusion=st.none() | st.sampled_from(list(Conclusion)),
          forms=st.frozensets(st.sampled_from(list(Maladministration)), max_size=2))
    def world_classification(self, complexity: Complexity | None, conclusion: Conclusion | None,
                             forms: frozenset[Maladministration]) -> None:
        self.case.facts = replace(self.case.facts, complexity=complexity, conclusion=conclusion, found_forms=forms)

    @rule(action=st.sampled_from(ACTIONS), actor=st.sampled_from(ACTORS),
          reason=st.none() | st.sampled_from(REASONS), assignee=st.sampled_from([2, 3]))
    def anything(self, action: str, actor: tuple[int, str], reason: str | None, assignee: int) -> None:
        self.attempt(action, actor, reason, assignee)

    @rule(data=st.data(), assignee=st.sampled_from([2, 3]))
    def offered(self, data: st.DataObject, assignee: int) -> None:
        self.take_offered(data, assignee, closing=True)

    @rule(data=st.data(), assignee=st.sampled_from([2, 3]), steps=st.integers(1, 6))
    def progress(self, data: st.DataObject, assignee: int, steps: int) -> None:
        for _ in range(steps):  # goes deeper: several offered steps, never closing
            self.take_offered(data, assignee, closing=False)

    def take_offered(self, data: st.DataObject, assignee: int, closing: bool) -> None:
        facts = self.case.facts

        def choices(role: str) -> list[Transition]:  # progress: only transitions that move, never closing
            return [t for t in wf.allowed(facts.state, facts.kind, role)
                    if closing or t.target not in (None, State.CLOSED, facts.state)]

        actors = [a for a in ACTORS if choices(a[1])]
        if not actors:
            assert facts.state is State.CLOSED or not closing
            return
        actor = data.draw(st.sampled_from(actors))
        transition = data.draw(st.sampled_from(choices(actor[1])))
        guards, reason = list(transition.guards), None
        if transition.requires_reason:
            reasons = wf.reasons_for(facts.kind, facts.state, actor[1])
            if not reasons:
                return
            chosen = data.draw(st.sampled_from(reasons))
            reason, guards = chosen.code, guards + list(chosen.guards)
        if closing and data.draw(st.booleans()):  # as the world stands: done exactly when the guards hold
            holds = wf.failed_guards(guards, facts) == []
            assert self.attempt(transition.action, actor, reason, assignee) == holds, transition
            return
        for guard in guards:
            self.case.facts = replace(self.case.facts, **SATISFY[guard])
        assert wf.failed_guards(guards, self.case.facts) == [], transition  # the guards can hold together
        assert self.attempt(transition.action, actor, reason, assignee), transition

    def attempt(self, action: str, actor: tuple[int, str], reason: str | None, assignee: int) -> bool:
        facts, length = self.case.facts, len(self.case.history)
        offered = {t.action for t in wf.allowed(facts.state, facts.kind, actor[1])}
        try:
            outcome = wf.apply(facts, action, actor[1], reason)
        except TransitionRefused as refusal:
            assert refusal.code in wf.HTTP_STATUS and refusal.message
            assert (refusal.code == "not_found") == (action not in offered)
            assert self.case.facts == facts and len(self.case.history) == length  # nothing changed
            return False
        assert action in offered and outcome.source is facts.state
        # Checked against the table directly, not through allowed(): one row, its guards and reason hold.
        [transition] = [t for t in wf.TRANSITIONS if t.action == action and facts.state in t.sources
                        and facts.kind in t.kinds and actor[1] in t.roles]
        assert wf.failed_guards(transition.guards, facts) == []
        assert outcome.target is (transition.target or facts.state)
        assert outcome.kind is (transition.converts_to or facts.kind)
        if outcome.kind is not facts.kind:
            assert f"set_kind:{outcome.kind}" in outcome.effects
        if outcome.reason is not None:
            closure = CLOSURE_REASONS[outcome.reason]
            assert facts.kind in closure.kinds and facts.state in closure.states
            assert closure.by_system == (actor[1] == SYSTEM) and wf.failed_guards(closure.guards, facts) == []
        for effect in outcome.effects:
            if effect.startswith(("start_timer:", "stop_timer:")):
                assert effect.split(":", 1)[1] in STEPS
        assert (outcome.target is State.CLOSED) == (outcome.reason is not None)
        self.case.record(outcome, action, actor[1])
        event(f"reached {outcome.kind}/{outcome.target}")
        if "assign_examiner" in outcome.effects:
            self.assigned.add(assignee)
        if "assign_handler" in outcome.effects:
            self.assigned.add(5 if actor[1] == INST else 6)
        return True

    @invariant()
    def state_is_defined(self) -> None:
        assert self.case.facts.state in set(State) and self.case.facts.kind in set(RecordKind)

    @invariant()
    def history_only_grows(self) -> None:
        history = self.case.history
        assert history[: len(self.seen_history)] == self.seen_history and self.case.id == 7
        for before, after in zip(history, history[1:], strict=False):
            assert after[2] is before[3]  # each step starts where the last one ended
        assert history[-1][3] is self.case.facts.state
        self.seen_history = list(history)

    @invariant()
    def closed_stays_closed(self) -> None:
        if self.was_closed:
            assert self.case.facts.state is State.CLOSED
        self.was_closed = self.case.facts.state is State.CLOSED

    @invariant()
    def identity_stays_hidden(self) -> None:
        for user, role in ACTORS:
            mine = user in self.assigned
            if wf.may_see_identity(role, assigned=mine, confidential=self.confidential):
                if self.confidential:
                    assert role == INTAKE or (role == EXAMINER and mine)
                else:
                    assert role in (INTAKE, HEAD) or (mine and role in (EXAMINER, INST, UNIT))


WorkflowMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=60, deadline=None,
                                             database=None, suppress_health_check=[HealthCheck.too_slow])
TestWorkflowMachine = WorkflowMachine.TestCase
