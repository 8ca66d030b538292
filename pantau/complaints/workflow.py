"""The workflow of a complaint case as ONE transition table: pure, standard library only, no Django (issue 10;
``shared/docs/complaints.md`` §0.3, §1.3–§1.9, §2, §7.2).

**The path of a public report (LM)**, PO 26/2017 as amended by PO 48/2020 (PO 58/2023 replaced both; its
text was not read, §0.1): received → formal verification ⇄ awaiting completeness (30 days, then closed by the
``system`` actor as withdrawn) → substantive verification → plenary decision (*rapat pleno*; the plenary
also sets the complexity) → examination (written or oral clarification, summons, field check,
mediation/conciliation, each recorded on the case) → draft LAHP → the reporter's response (14 days; a reply
with solid arguments sends the case back to examination, PO 48/2020 Pasal 25 ayat (5)–(5b)) → LAHP issued by
the head of office after the case review (*bedah laporan*, Pasal 25 ayat (4)), concluding maladministration
found, not found or examination stopped (Pasal 25 ayat (2)) → corrective actions monitored (30 / 60–90 / 180
days by complexity, §1.4) → Recommendation when they are not carried out (signed by the Chair, §1.6; the
Terlapor reports within 60 days, UU 37/2008 Pasal 38 ayat (2)) → monitoring of the Recommendation (a
sanction recommendation when it runs out unimplemented) → closed.

- **RCO** (§1.8) takes the short path: received → fast response (direct coordination by phone or visit,
  no plenary, no LAHP) → closed. An LM that meets an RCO criterion (emergency, threat to life or safety, to
  the right to live) is fast-tracked and becomes an RCO; an RCO that coordination cannot settle goes back
  to formal verification as an LM, as does an RCO received that does not meet a criterion (the notes are
  silent: this keeps one case and its history).
- **IAPS** (own initiative, PO 38/2019) has no external reporter: it starts at the plenary, and its draft
  LAHP is issued without a reporter's response; ``notify_reporter`` is dropped from its effects.
- **Consultations and copy letters** (*tembusan*) are answered or filed and closed (a copy letter has no
  reporter to notify either); a consultation whose person files a report is converted into an LM by a
  transition: the same case (same id), its history continuing.
- **The provider-side path** (UU 25/2009 Pasal 36 and 42, §2): a complaint made to the service provider
  itself, handled by provider staff (institution admin, unit operator) on the same states: received →
  formal verification ⇄ awaiting completeness → handling (``examination``) → closed. No plenary, LAHP or
  Recommendation, and no timer: ``data/deadlines.toml`` holds only Ombudsman steps (Perpres 76/2013's 60
  days is [UNCERTAIN], §3.1); add a step there first, then its ``start_timer`` here.
- **Closing** is possible from every open state with a reason of :data:`CLOSURE_REASONS` (§1.5), each
  limited to the kinds and stages where it makes sense and sometimes guarded (corrective actions carried
  out needs every action answered). ``TIDAK_MELENGKAPI_30_HARI`` is recorded only by the ``system`` actor.
  **Closed is terminal**: no regulation read provides a reopening; a new matter is a new report.

**Rules of the table.** Each :class:`Transition` names its action, source states, target, the roles
allowed (the values of ``pantau.accounts.models.Role``, plus :data:`SYSTEM`), the record kinds it applies
to, its guards (named pure predicates over :class:`CaseFacts`, see :data:`GUARDS`) and its effects (named
strings the service layer implements: ``start_timer:<step>`` / ``stop_timer:<step>`` name a deadline step
of ``data/deadlines.toml``, ``corrective_{complexity}`` being expanded from the case's complexity;
``record_activity:<activity>``, ``set_kind:<kind>``, ``notify_reporter`` …). An (action, state, kind, role)
names at most one transition. The status is never set directly: only :func:`apply` moves a case, and it
refuses with :class:`TransitionRefused` whose ``code`` is ``not_found`` (the action is unknown, or not
offered in this state, to this kind or role: the web layer answers 404, so a forged action reveals
nothing) or one of ``guard_failed`` / ``reason_required`` / ``bad_reason`` (422). Which examiner is
assigned is an object-level check of the service layer, not of this table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from pantau.complaints.vocab import (
    CLOSURE_REASONS,
    IAPS,
    INTAKE_STATES,
    LM,
    OMBUDSMAN_KINDS,
    OPEN_STATES,
    RCO,
    WITHOUT_REPORTER,
    Activity,
    ClosureReason,
    Complexity,
    Conclusion,
    K,
    Maladministration,
    RecordKind,
    State,
    state_label,
)

# Roles: the values of pantau.accounts.models.Role (this module may not import Django), plus the system.
INTAKE_OFFICER = "intake_officer"
EXAMINER = "examiner"
HEAD_OF_OFFICE = "head_of_office"
INSTITUTION_ADMIN = "institution_admin"
UNIT_OPERATOR = "unit_operator"
SYSTEM = "system"  # the scheduler acting on an expired timer; not a person, never sees an identity
PROVIDER_STAFF = frozenset({INSTITUTION_ADMIN, UNIT_OPERATOR})
ROLES = frozenset({INTAKE_OFFICER, EXAMINER, HEAD_OF_OFFICE, INSTITUTION_ADMIN, UNIT_OPERATOR, SYSTEM})


@dataclass(frozen=True)
class CaseFacts:
    """What the guards may know of a case; the service layer fills the flags from its records and the
    deadline engine (``*_expired``: the step's due date has passed)."""

    kind: RecordKind
    state: State = State.RECEIVED
    complexity: Complexity | None = None
    formal_complete: bool = False  # identity, chronology, prior complaint to the Terlapor (UU 37/2008 Pasal 24)
    documents_supplied: bool = False  # the reporter answered the notice of incompleteness
    completeness_expired: bool = False
    substantive_ok: bool = False  # authority, not in court, not a duplicate, within two years (§1.2)
    rco_criterion: bool = False  # emergency, threat to life or safety, threat to the right to live (§1.8)
    activities: frozenset[Activity] = field(default_factory=frozenset)
    conclusion: Conclusion | None = None
    found_forms: frozenset[Maladministration] = field(default_factory=frozenset)
    reporter_answered: bool = False  # the reporter replied to the examination result with arguments
    response_expired: bool = False
    corrective_answered: bool = False  # every corrective action answered as carried out
    corrective_expired: bool = False
    implementation_reported: bool = False  # the Terlapor reported on the Recommendation
    implementation_report_expired: bool = False
    monitoring_expired: bool = False


# --- guards ----------------------------------------------------------------------------------------------------

Predicate = Callable[[CaseFacts], bool]
GUARDS: dict[str, tuple[Predicate, str]] = {}  # name → (predicate, the Indonesian refusal when it is false)


def _guard(message: str) -> Callable[[Predicate], Predicate]:
    def register(predicate: Predicate) -> Predicate:
        GUARDS[predicate.__name__] = (predicate, message)
        return predicate

    return register


@_guard("Syarat formil laporan belum lengkap (UU 37/2008 Pasal 24 ayat (1)).")
def formal_requirements_met(f: CaseFacts) -> bool:
    return f.formal_complete


@_guard("Syarat formil sudah lengkap; tidak ada yang perlu diminta kepada pelapor.")
def formal_requirements_missing(f: CaseFacts) -> bool:
    return not f.formal_complete


@_guard("Pelapor belum menyampaikan kelengkapan dokumen.")
def documents_supplied(f: CaseFacts) -> bool:
    return f.documents_supplied


@_guard("Batas 30 hari untuk melengkapi laporan belum lewat, atau kelengkapan sudah diterima.")
def completeness_lapsed(f: CaseFacts) -> bool:
    return f.completeness_expired and not f.documents_supplied


@_guard("Syarat materiil laporan belum terpenuhi.")
def substantive_requirements_met(f: CaseFacts) -> bool:
    return f.substantive_ok


@_guard("Klasifikasi laporan (ringan, sedang, berat) belum ditetapkan.")
def complexity_set(f: CaseFacts) -> bool:
    return f.complexity is not None


@_guard("Laporan tidak memenuhi kriteria Respons Cepat Ombudsman (kedaruratan, ancaman keselamatan, "
        "ancaman hak hidup).")
def rco_criteria_met(f: CaseFacts) -> bool:
    return f.rco_criterion


@_guard("Belum ada kegiatan pemeriksaan yang dicatat (klarifikasi, pemanggilan, pemeriksaan lapangan, mediasi).")
def activity_recorded(f: CaseFacts) -> bool:
    return bool(f.activities)


@_guard("Belum ada mediasi atau konsiliasi yang dicatat.")
def mediation_held(f: CaseFacts) -> bool:
    return Activity.MEDIATION in f.activities


@_guard("Kesimpulan hasil pemeriksaan belum ditetapkan.")
def conclusion_set(f: CaseFacts) -> bool:
    return f.conclusion is not None


@_guard("LAHP tidak menyimpulkan bahwa maladministrasi tidak ditemukan.")
def conclusion_not_found(f: CaseFacts) -> bool:
    return f.conclusion is Conclusion.NOT_FOUND


@_guard("LAHP tidak menyimpulkan bahwa pemeriksaan dihentikan.")
def conclusion_stopped(f: CaseFacts) -> bool:
    return f.conclusion is Conclusion.STOPPED


@_guard("LAHP tidak menyimpulkan maladministrasi ditemukan beserta bentuknya.")
def maladministration_found(f: CaseFacts) -> bool:
    return f.conclusion is Conclusion.FOUND and bool(f.found_forms)


@_guard("Pelapor belum menyampaikan tanggapan atas hasil pemeriksaan.")
def reporter_answered(f: CaseFacts) -> bool:
    return f.reporter_answered


@_guard("Pelapor belum menanggapi dan batas 14 hari untuk menanggapi belum lewat.")
def response_closed(f: CaseFacts) -> bool:
    return f.reporter_answered or f.response_expired


@_guard("Belum semua tindakan korektif dilaksanakan.")
def corrective_actions_answered(f: CaseFacts) -> bool:
    return f.corrective_answered


@_guard("Jangka waktu tindakan korektif belum lewat, atau semua tindakan korektif sudah dilaksanakan.")
def corrective_period_unmet(f: CaseFacts) -> bool:
    return f.corrective_expired and not f.corrective_answered


@_guard("Terlapor belum melaporkan pelaksanaan Rekomendasi dan batas 60 hari belum lewat.")
def implementation_report_due(f: CaseFacts) -> bool:
    return f.implementation_reported or f.implementation_report_expired


@_guard("Terlapor belum melaporkan pelaksanaan Rekomendasi.")
def implementation_reported(f: CaseFacts) -> bool:
    return f.implementation_reported


@_guard("Jangka waktu monitoring Rekomendasi belum lewat.")
def monitoring_expired(f: CaseFacts) -> bool:
    return f.monitoring_expired


# --- the transition table --------------------------------------------------------------------------------------

CORRECTIVE_STEP = "corrective_{complexity}"  # expanded to corrective_light / _medium / _heavy


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[State]
    target: State | None  # None: the case stays in its state (an activity or answer is recorded)
    roles: frozenset[str]
    kinds: frozenset[RecordKind]
    label: str  # Indonesian, for the button
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    requires_reason: bool = False  # a closure reason of CLOSURE_REASONS must be given
    fixed_reason: str | None = None  # the closure reason a system transition records itself
    converts_to: RecordKind | None = None  # the case keeps its id and history, its kind changes


def _t(action: str, sources: Iterable[State], target: State | None, roles: Iterable[str], kinds: Iterable[RecordKind],
       label: str, guards: tuple[str, ...] = (), effects: tuple[str, ...] = (), *, requires_reason: bool = False,
       fixed_reason: str | None = None, converts_to: RecordKind | None = None) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), frozenset(kinds), label, guards,
                      effects, requires_reason, fixed_reason, converts_to)


S = State
INTAKE, HEAD = (INTAKE_OFFICER,), (HEAD_OF_OFFICE,)
CLOSING = ("stop_all_timers", "record_closure", "notify_reporter")
_ACTIVITIES = (  # (action, activity, label, kinds)
    ("request_written_clarification", Activity.WRITTEN_CLARIFICATION, "Permintaan klarifikasi tertulis",
     (LM, RCO, IAPS)),
    ("hold_oral_clarification", Activity.ORAL_CLARIFICATION, "Klarifikasi lisan / koordinasi langsung",
     (LM, RCO, IAPS)),
    ("summon", Activity.SUMMONS, "Pemanggilan", (LM, IAPS)),
    ("check_in_field", Activity.FIELD_CHECK, "Pemeriksaan lapangan", (LM, RCO, IAPS)),
    ("mediate", Activity.MEDIATION, "Mediasi / konsiliasi", (LM, RCO)),  # between parties: not IAPS
)
TRANSITIONS: tuple[Transition, ...] = (
    # Intake and verification (PVL): §1.2, §1.3, §1.4.
    _t("start_formal_verification", [S.RECEIVED], S.FORMAL_VERIFICATION, INTAKE, [LM], "Mulai verifikasi formil"),
    _t("request_completeness", [S.FORMAL_VERIFICATION], S.AWAITING_COMPLETENESS, INTAKE, [LM],
       "Minta kelengkapan kepada pelapor", ("formal_requirements_missing",),
       ("start_timer:completeness", "notify_reporter")),
    _t("receive_completeness", [S.AWAITING_COMPLETENESS], S.FORMAL_VERIFICATION, INTAKE, [LM],
       "Kelengkapan diterima", ("documents_supplied",), ("stop_timer:completeness",)),
    _t("expire_completeness", [S.AWAITING_COMPLETENESS], S.CLOSED, [SYSTEM], [LM],
       "Tutup: tidak dilengkapi dalam 30 hari", ("completeness_lapsed",), CLOSING,
       fixed_reason="TIDAK_MELENGKAPI_30_HARI"),
    _t("pass_formal_verification", [S.FORMAL_VERIFICATION], S.SUBSTANTIVE_VERIFICATION, INTAKE, [LM],
       "Syarat formil lengkap", ("formal_requirements_met",)),
    _t("submit_to_plenary", [S.SUBSTANTIVE_VERIFICATION], S.AWAITING_PLENARY, INTAKE, [LM], "Ajukan ke rapat pleno",
       ("substantive_requirements_met",), ("stop_timer:initial_processing",)),
    _t("submit_to_plenary", [S.RECEIVED], S.AWAITING_PLENARY, (EXAMINER, HEAD_OF_OFFICE), [IAPS],
       "Ajukan investigasi prakarsa sendiri ke rapat pleno"),
    _t("decide_examination", [S.AWAITING_PLENARY], S.EXAMINATION, HEAD, [LM, IAPS],
       "Putusan pleno: lanjut ke pemeriksaan", ("complexity_set",),
       ("record_plenary_decision", "assign_examiner", "notify_reporter", "notify_reported_party")),
    # Consultation → report (§7.1): the same case continues as an LM.
    _t("convert_to_report", [S.RECEIVED], S.RECEIVED, INTAKE, [K.CONSULTATION], "Jadikan laporan masyarakat", (),
       ("record_conversion", "start_timer:initial_processing", "notify_reporter"), converts_to=LM),
    # Respons Cepat Ombudsman (§1.8): no plenary, no LAHP.
    _t("fast_track", [S.RECEIVED], S.RAPID_RESPONSE, (INTAKE_OFFICER, HEAD_OF_OFFICE), [LM, RCO],
       "Tangani sebagai Respons Cepat", ("rco_criteria_met",),
       ("stop_timer:initial_processing", "assign_examiner", "notify_reporter", "notify_reported_party"),
       converts_to=RCO),
    _t("return_to_regular", [S.RECEIVED, S.RAPID_RESPONSE], S.FORMAL_VERIFICATION,
       (INTAKE_OFFICER, EXAMINER, HEAD_OF_OFFICE), [RCO], "Lanjutkan sebagai laporan reguler", (),
       ("notify_reporter",), converts_to=LM),
    # Examination (§1.3): each activity is recorded on the case, the state does not change.
    *(_t(action, [S.EXAMINATION, S.RAPID_RESPONSE], None, (EXAMINER,), kinds, label, (),
         (f"record_activity:{activity}",)) for action, activity, label, kinds in _ACTIVITIES),
    _t("draft_lahp", [S.EXAMINATION], S.DRAFT_LAHP, (EXAMINER,), [LM, IAPS], "Susun draf LAHP",
       ("activity_recorded", "conclusion_set")),
    _t("return_to_examination", [S.DRAFT_LAHP], S.EXAMINATION, (EXAMINER, HEAD_OF_OFFICE), [LM, IAPS],
       "Kembalikan ke pemeriksaan (bedah laporan)"),
    _t("send_draft_to_reporter", [S.DRAFT_LAHP], S.AWAITING_REPORTER_RESPONSE, (EXAMINER,), [LM],
       "Sampaikan hasil pemeriksaan kepada pelapor", ("conclusion_set",),
       ("start_timer:lahp_response", "notify_reporter")),
    _t("reexamine", [S.AWAITING_REPORTER_RESPONSE], S.EXAMINATION, (EXAMINER, HEAD_OF_OFFICE), [LM],
       "Periksa ulang atas tanggapan pelapor", ("reporter_answered",), ("stop_timer:lahp_response",)),
    _t("issue_lahp", [S.AWAITING_REPORTER_RESPONSE], S.LAHP_ISSUED, HEAD, [LM], "Terbitkan LAHP",
       ("response_closed", "conclusion_set"),
       ("stop_timer:lahp_response", "send_lahp", "notify_reporter", "notify_reported_party")),
    _t("issue_lahp", [S.DRAFT_LAHP], S.LAHP_ISSUED, HEAD, [IAPS], "Terbitkan LAHP", ("conclusion_set",),
       ("send_lahp", "notify_reported_party")),
    # Resolution and monitoring (§1.4, §1.6).
    _t("open_corrective_actions", [S.LAHP_ISSUED], S.CORRECTIVE_MONITORING, (EXAMINER, HEAD_OF_OFFICE), [LM, IAPS],
       "Mulai monitoring tindakan korektif", ("maladministration_found", "complexity_set"),
       ("open_corrective_actions", f"start_timer:{CORRECTIVE_STEP}", "notify_reported_party")),
    _t("answer_corrective_action", [S.CORRECTIVE_MONITORING], S.CORRECTIVE_MONITORING,
       (EXAMINER, INSTITUTION_ADMIN, UNIT_OPERATOR), [LM, IAPS], "Catat pelaksanaan tindakan korektif", (),
       ("record_corrective_answer",)),
    _t("issue_recommendation", [S.CORRECTIVE_MONITORING], S.RECOMMENDATION, HEAD, [LM, IAPS], "Ajukan Rekomendasi",
       ("complexity_set", "corrective_period_unmet"),
       (f"stop_timer:{CORRECTIVE_STEP}", "request_chair_signature", "send_recommendation",
        "start_timer:recommendation_report", "notify_reporter")),
    _t("report_implementation", [S.RECOMMENDATION, S.RECOMMENDATION_MONITORING], None,
       (EXAMINER, INSTITUTION_ADMIN, UNIT_OPERATOR), [LM, IAPS], "Catat laporan pelaksanaan Rekomendasi", (),
       ("record_implementation_report",)),
    _t("start_recommendation_monitoring", [S.RECOMMENDATION], S.RECOMMENDATION_MONITORING, (EXAMINER,), [LM, IAPS],
       "Mulai monitoring Rekomendasi", ("implementation_report_due",),
       ("stop_timer:recommendation_report", "start_timer:recommendation_monitoring")),
    _t("recommend_sanction", [S.RECOMMENDATION_MONITORING], S.RECOMMENDATION_MONITORING, HEAD, [LM, IAPS],
       "Ajukan Rekomendasi Penjatuhan Sanksi", ("monitoring_expired",),
       ("request_chair_signature", "send_sanction_recommendation")),
    # Closing from every open state, with a reason (§1.5), by the unit that holds the case.
    _t("close", INTAKE_STATES, S.CLOSED, (INTAKE_OFFICER, HEAD_OF_OFFICE), OMBUDSMAN_KINDS, "Tutup laporan", (),
       CLOSING, requires_reason=True),
    _t("close", [S.AWAITING_PLENARY], S.CLOSED, HEAD, OMBUDSMAN_KINDS, "Putusan pleno: tidak dilanjutkan", (),
       CLOSING, requires_reason=True),
    _t("close", OPEN_STATES - INTAKE_STATES - {S.AWAITING_PLENARY}, S.CLOSED, (EXAMINER, HEAD_OF_OFFICE),
       OMBUDSMAN_KINDS, "Tutup laporan", (), CLOSING, requires_reason=True),
    # The provider-side path (UU 25/2009 Pasal 36, 42): the same states, handled by provider staff.
    _t("start_formal_verification", [S.RECEIVED], S.FORMAL_VERIFICATION, PROVIDER_STAFF, [K.PROVIDER_COMPLAINT],
       "Periksa kelengkapan pengaduan"),
    _t("request_completeness", [S.FORMAL_VERIFICATION], S.AWAITING_COMPLETENESS, PROVIDER_STAFF,
       [K.PROVIDER_COMPLAINT], "Minta kelengkapan kepada pengadu", ("formal_requirements_missing",),
       ("notify_reporter",)),
    _t("receive_completeness", [S.AWAITING_COMPLETENESS], S.FORMAL_VERIFICATION, PROVIDER_STAFF,
       [K.PROVIDER_COMPLAINT], "Kelengkapan diterima", ("documents_supplied",)),
    _t("accept_complaint", [S.FORMAL_VERIFICATION], S.EXAMINATION, PROVIDER_STAFF, [K.PROVIDER_COMPLAINT],
       "Tangani pengaduan", ("formal_requirements_met",), ("assign_handler", "notify_reporter")),
    _t("close", [S.RECEIVED, S.FORMAL_VERIFICATION, S.AWAITING_COMPLETENESS, S.EXAMINATION], S.CLOSED,
       PROVIDER_STAFF, [K.PROVIDER_COMPLAINT], "Tutup pengaduan", (), CLOSING, requires_reason=True),
)


# --- moving a case ---------------------------------------------------------------------------------------------

HTTP_STATUS = {"not_found": 404, "guard_failed": 422, "reason_required": 422, "bad_reason": 422}


class TransitionRefused(ValueError):
    """An action :func:`apply` will not perform; ``code`` (a :data:`HTTP_STATUS` key) tells the web layer
    what to answer: ``not_found`` (404) when the action is unknown or not offered here, the others 422."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]


@dataclass(frozen=True)
class Outcome:
    action: str
    source: State | None  # None for the opening of a case
    target: State
    kind: RecordKind  # the kind after the transition (changed by a conversion)
    effects: tuple[str, ...]
    reason: str | None = None  # the closure reason recorded


def allowed(state: State, kind: RecordKind, role: str) -> list[Transition]:
    """The transitions offered to ``role`` on a case of ``kind`` in ``state``, before their guards."""
    return [t for t in TRANSITIONS if state in t.sources and kind in t.kinds and role in t.roles]


def available(facts: CaseFacts, role: str) -> list[Transition]:
    """:func:`allowed` transitions whose guards all hold (a closing one still needs a valid reason)."""
    return [t for t in allowed(facts.state, facts.kind, role) if not failed_guards(t.guards, facts)]


def failed_guards(names: Iterable[str], facts: CaseFacts) -> list[str]:
    """The Indonesian messages of the named guards that do not hold for ``facts``."""
    return [GUARDS[name][1] for name in names if not GUARDS[name][0](facts)]


def reasons_for(kind: RecordKind, state: State, role: str = HEAD_OF_OFFICE) -> list[ClosureReason]:
    """The closure reasons ``role`` may choose for a case of ``kind`` in ``state`` (before their guards)."""
    return [r for r in CLOSURE_REASONS.values()
            if kind in r.kinds and state in r.states and (role == SYSTEM) == r.by_system]


def _effects(transition: Transition, facts: CaseFacts, kind: RecordKind) -> tuple[str, ...]:
    effects = [f"set_kind:{kind}"] if kind is not facts.kind else []
    for effect in transition.effects:
        if "{complexity}" in effect:
            assert facts.complexity is not None  # every such transition is guarded by complexity_set
            effect = effect.format(complexity=facts.complexity.value)
        if effect == "notify_reporter" and kind in WITHOUT_REPORTER:
            continue
        effects.append(effect)
    return tuple(effects)


def apply(facts: CaseFacts, action: str, role: str, reason: str | None = None) -> Outcome:
    """Perform ``action`` by ``role`` on the case described by ``facts``: the target state, the kind after
    it, the effects the service layer must carry out and the closure reason. Raises
    :class:`TransitionRefused` (nothing changes) when the action is not in the table for this state, kind
    and role (``not_found``), when a guard fails, or when the closure reason is missing, unknown or not
    valid for this kind, stage or actor."""
    matches = allowed(facts.state, facts.kind, role)
    transition = next((t for t in matches if t.action == action), None)
    if transition is None:
        known = any(t.action == action for t in TRANSITIONS)
        message = (f"Tindakan '{action}' tidak tersedia untuk {facts.kind.label} pada tahap "
                   f"{state_label(facts.state, facts.kind)}." if known else f"Tindakan '{action}' tidak dikenal.")
        raise TransitionRefused("not_found", message)
    guards, recorded = list(transition.guards), transition.fixed_reason
    if transition.requires_reason:
        if not reason:
            raise TransitionRefused("reason_required", "Pilih alasan penutupan.")
        closure = CLOSURE_REASONS.get(reason)
        if closure is None or closure not in reasons_for(facts.kind, facts.state, role):
            raise TransitionRefused("bad_reason", f"Alasan penutupan '{reason}' tidak dapat dipakai untuk "
                                                  f"{facts.kind.label} pada tahap "
                                                  f"{state_label(facts.state, facts.kind)}.")
        guards += closure.guards
        recorded = reason
    elif reason is not None:
        raise TransitionRefused("bad_reason", "Tindakan ini tidak memakai alasan penutupan.")
    if problems := failed_guards(guards, facts):
        raise TransitionRefused("guard_failed", " ".join(problems))
    kind = transition.converts_to or facts.kind
    target = facts.state if transition.target is None else transition.target
    return Outcome(action, facts.state, target, kind, _effects(transition, facts, kind), recorded)


def opening(kind: RecordKind) -> Outcome:
    """A new case of ``kind``: state ``received``, and its opening effects (a report starts the 14-day
    initial processing step and acknowledges receipt to the reporter)."""
    effects: tuple[str, ...] = {
        LM: ("start_timer:initial_processing", "notify_reporter"),
        RCO: ("start_timer:initial_processing", "notify_reporter"),
        K.PROVIDER_COMPLAINT: ("notify_reporter",),
    }.get(kind, ())
    return Outcome("open", None, State.RECEIVED, kind, effects)


def advance(facts: CaseFacts, outcome: Outcome) -> CaseFacts:
    """``facts`` after ``outcome``: its state and kind, and the examination activities it recorded."""
    recorded = {Activity(e.split(":", 1)[1]) for e in outcome.effects if e.startswith("record_activity:")}
    return replace(facts, state=outcome.target, kind=outcome.kind, activities=facts.activities | recorded)


# --- identity of the reporter ----------------------------------------------------------------------------------


def may_see_identity(role: str, *, assigned: bool, confidential: bool = True) -> bool:
    """Whether a user of ``role`` may see the reporter's identity (``assigned``: the user is assigned to
    the case). A confidential identity (UU 37/2008 Pasal 24 ayat (2); §1.9) is seen only by the intake
    officer who received it and the assigned examiner (§7.6); not the head of office, who signs letters and
    the LAHP, which omit it (PO 48/2020 Pasal 25 ayat (3)); never the provider's staff (the Terlapor) nor
    the system. An identity that is not confidential is also seen by the head of office and, on the
    provider-side path, by the provider staff assigned to the complaint."""
    if role == INTAKE_OFFICER:
        return True
    if role == EXAMINER:
        return assigned
    if confidential:
        return False
    return role == HEAD_OF_OFFICE or (role in PROVIDER_STAFF and assigned)


# --- integrity of the table ------------------------------------------------------------------------------------

_PLAIN_EFFECTS = frozenset({
    "notify_reporter", "notify_reported_party", "assign_examiner", "assign_handler", "record_plenary_decision",
    "record_conversion", "open_corrective_actions", "record_corrective_answer", "request_chair_signature",
    "send_recommendation", "record_implementation_report", "send_sanction_recommendation", "send_lahp",
    "stop_all_timers", "record_closure",
})
_PREFIXED_EFFECTS = ("start_timer:", "stop_timer:", "record_activity:")


def timer_steps(transitions: Iterable[Transition] = TRANSITIONS) -> set[str]:
    """Every deadline step a ``start_timer`` / ``stop_timer`` effect of the table or of :func:`opening`
    names, ``corrective_{complexity}`` expanded to the three complexities."""
    effects = [e for t in transitions for e in t.effects] + [e for k in RecordKind for e in opening(k).effects]
    steps: set[str] = set()
    for effect in effects:
        if effect.startswith(("start_timer:", "stop_timer:")):
            step = effect.split(":", 1)[1]
            steps |= {step.format(complexity=c.value) for c in Complexity} if "{" in step else {step}
    return steps


def table_problems(transitions: Iterable[Transition] = TRANSITIONS) -> list[str]:
    """What is wrong with a transition table (empty for the shipped one): unknown guards, effects, roles or
    reasons, a transition out of ``closed``, an (action, state, kind, role) naming two transitions, a
    complexity timer without the ``complexity_set`` guard, a closing transition without a reason."""
    problems: list[str] = []
    seen: set[tuple[str, State, RecordKind, str]] = set()
    for t in transitions:
        where = f"{t.action} {sorted(t.sources)} → {t.target}"
        problems += [f"{where}: guard {g} unknown" for g in t.guards if g not in GUARDS]
        problems += [f"{where}: role {r} unknown" for r in t.roles if r not in ROLES]
        for effect in t.effects:
            if effect not in _PLAIN_EFFECTS and not effect.startswith(_PREFIXED_EFFECTS):
                problems.append(f"{where}: effect {effect} unknown")
            if "{complexity}" in effect and "complexity_set" not in t.guards:
                problems.append(f"{where}: {effect} without the complexity_set guard")
            if effect.startswith("record_activity:") and effect.split(":", 1)[1] not in set(Activity):
                problems.append(f"{where}: activity {effect} unknown")
        if State.CLOSED in t.sources:
            problems.append(f"{where}: leaves closed")
        if t.target is State.CLOSED and not (t.requires_reason or t.fixed_reason in CLOSURE_REASONS):
            problems.append(f"{where}: closes without a reason")
        if t.requires_reason and t.fixed_reason:
            problems.append(f"{where}: both a chosen and a fixed reason")
        if not t.sources or not t.roles or not t.kinds:
            problems.append(f"{where}: no source, role or kind")
        for key in ((t.action, s, k, r) for s in t.sources for k in t.kinds for r in t.roles):
            if key in seen:
                problems.append(f"{where}: {key} names two transitions")
            seen.add(key)
    for reason in CLOSURE_REASONS.values():
        problems += [f"reason {reason.code}: guard {g} unknown" for g in reason.guards if g not in GUARDS]
        if State.CLOSED in reason.states:
            problems.append(f"reason {reason.code}: closes a closed case")
    return problems
