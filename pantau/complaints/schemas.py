"""Request and answer schemas of the complaints API (``pantau.complaints.api``).

String limits are read from the model fields, so the API refuses (422) exactly what the database could
not hold. No answer schema has a field for the reporter's identity (name, NIK, address, e-mail, phone):
the API never exposes it; text shown anywhere is the redacted ``public_summary`` or passes ``redact``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import Model
from ninja import Field, Schema
from pydantic import StrictBool, StrictInt, field_validator

from pantau.complaints.models import NOTE_LIMIT, TEXT_LIMIT, Case, Reporter
from pantau.core.apitools import MAX_ID, NUL_MESSAGE, StrictIn


def limit(model: type[Model], name: str) -> int:
    """The ``max_length`` of a model field."""
    size = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    assert size is not None
    return int(size)


StateCode = Literal["received", "formal_verification", "awaiting_completeness", "substantive_verification",
                    "awaiting_plenary", "rapid_response", "examination", "draft_lahp",
                    "awaiting_reporter_response", "lahp_issued", "corrective_monitoring", "recommendation",
                    "recommendation_monitoring", "closed"]
KindCode = Literal["consultation", "copy_letter", "public_report", "fast_response", "own_initiative",
                   "provider_complaint"]
DueStatus = Literal["on_time", "due_soon", "overdue", "very_overdue"]
Visibility = Literal["public", "anonymous", "confidential"]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
CLIENT_TOKEN = r"^[A-Za-z0-9_-]+$"  # noqa: S105 - a pattern, not a secret


def _read(obj: Any, name: str, *default: Any) -> Any:
    """A field of a model object or of a dict (ninja hands resolvers either)."""
    if isinstance(obj, dict):
        return obj.get(name, *default) if default else obj[name]
    return getattr(obj, name, *default)


# --- public intake ---------------------------------------------------------------------------------------------


class ReporterIn(StrictIn):
    """The reporter's identity (UU 37/2008 Pasal 24 ayat (1) huruf a). Stored apart from the case and never
    answered by the API. Missing parts are reported back as guidance, not refused."""

    full_name: str = Field("", max_length=limit(Reporter, "full_name"))
    nik: str = Field("", pattern=r"^([1-9][0-9]{15})?$", description="NIK: 16 digits (or empty)")
    birth_place: str = Field("", max_length=limit(Reporter, "birth_place"))
    birth_date: dt.date | None = None
    occupation: str = Field("", max_length=limit(Reporter, "occupation"))
    address: str = Field("", max_length=limit(Reporter, "address"))
    email: str = Field("", max_length=limit(Reporter, "email"))
    phone: str = Field("", max_length=limit(Reporter, "phone"), pattern=r"^[0-9+() .-]*$")
    reporter_type: Literal["", "individual", "organisation", "legal_counsel", "family", "community_group"] = ""
    acting_for: str = Field("", max_length=limit(Reporter, "acting_for"),
                            description="Whom the reporter acts for (power of attorney)")


class ReportIn(StrictIn):
    client_token: str = Field(min_length=8, max_length=64, pattern=CLIENT_TOKEN, description=(
        "Your id of this submission: sending it again files nothing new (200 with the same number)"))
    kind: Literal["public_report", "provider_complaint"] = Field(
        "public_report", description="public_report: to the Ombudsman; provider_complaint: to the provider itself")
    title: str = Field(min_length=1, max_length=limit(Case, "title"), description="What the report is about")
    chronology: str = Field(min_length=1, max_length=TEXT_LIMIT, description="What happened, when, who")
    visibility: Visibility = Field("confidential", description=(
        "public; anonymous (text public, identity hidden); confidential (nothing public)"))
    reporter: ReporterIn = Field(default_factory=lambda: ReporterIn.model_validate({}))
    event_date: dt.date | None = Field(None, description="When it happened (not after today)")
    remedy: str = Field("", max_length=TEXT_LIMIT, description="What the reporter asks for")
    prior_complaint: Literal["", "answered", "silent", "not_yet"] = Field(
        "", description="The complaint to the provider first: answered, silent (no answer) or not_yet")
    prior_complaint_date: dt.date | None = None
    prior_complaint_channel: str = Field("", max_length=limit(Case, "prior_complaint_channel"))
    prior_complaint_answer: str = Field("", max_length=NOTE_LIMIT)
    institution_id: Id | None = Field(None, description="The reported institution (GET /api/registry/institutions)")
    unit_id: Id | None = Field(None, description="The reported unit")
    product_id: Id | None = Field(None, description="The service concerned")
    reported_other: str = Field("", max_length=limit(Case, "reported_other"),
                                description="The reported institution when it is not listed")
    in_court: StrictBool = Field(False, description="The matter is before a court")


class OpenedOut(Schema):
    number: str = Field(description="The tracking number, e.g. 0179/LM/VI/2026/KAL (reveals nothing alone)")
    token: str = Field(description=(
        "The secret tracking token, given ONCE (keep it: it is not stored and cannot be sent again); empty "
        "when this client_token was already stored"))
    track_url: str = Field(description="GET it for the progress (empty with an empty token)")
    created: bool = Field(description="False when this client_token was already stored")
    state: str
    state_label: str
    missing: list[str] = Field(description="What UU 37/2008 Pasal 24 asks for and the report lacks (guidance)")


# --- what the reporter and the staff read --------------------------------------------------------------------


class DeadlineOut(Schema):
    step: str
    title: str
    started_on: dt.date
    due_on: dt.date
    status: DueStatus | None = Field(description="null when the due date lies outside the loaded calendar")
    status_label: str


class TrackEventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    by: str = Field(description="pelapor, petugas or sistem")
    note: str = Field(description="Redacted: e-mail addresses, phone numbers and NIK removed")


class TrackOut(Schema):
    number: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    received_on: dt.date
    closed: bool
    closure_reason: str
    events: list[TrackEventOut]
    deadlines: list[DeadlineOut]


class MessageIn(StrictIn):
    note: str = Field(min_length=1, max_length=TEXT_LIMIT, description="Information to add (answers a request)")


class MessageOut(Schema):
    at: dt.datetime
    state: str
    state_label: str


class CaseOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    title: str
    visibility: str
    received_on: dt.date
    next_due_on: dt.date | None
    due_status: DueStatus | None = Field(description="Of the earliest running deadline; null when none")
    office_id: int | None
    institution_id: int | None
    unit_id: int | None
    product_id: int | None
    examiner_id: int | None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        from django.utils.translation import gettext

        from pantau.complaints.messages import translate
        from pantau.complaints.vocab import RecordKind

        return translate(RecordKind(_read(obj, "kind")).label, gettext)

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        from django.utils.translation import gettext

        from pantau.complaints.messages import translate
        from pantau.complaints.vocab import RecordKind, State, state_label

        return translate(state_label(State(_read(obj, "state")), RecordKind(_read(obj, "kind"))), gettext)

    @staticmethod
    def resolve_due_status(obj: Any) -> str | None:
        value = _read(obj, "due_status", None)
        return None if value is None else str(value)


class StaffEventOut(TrackEventOut):
    id: int
    audience: str = Field(description="staff, reporter or provider: who the step is shown to")
    source_state: str
    target_state: str
    reason: str


class DemandOut(Schema):
    id: int
    case_id: int
    kind: Literal["corrective", "recommendation"]
    institution_id: int
    text: str
    issued_on: dt.date
    due_on: dt.date
    answer: str
    answered_at: dt.datetime | None
    outcome: Literal["pending", "implemented", "partly", "not_implemented"]
    assessed_on: dt.date | None


class CaseDetailOut(CaseOut):
    summary: str = Field(description="The chronology as published: e-mail, phone and NIK redacted")
    remedy: str = Field(description="Redacted; empty for the reported party's staff")
    event_date: dt.date | None
    prior_complaint: str
    prior_complaint_date: dt.date | None
    reported_other: str
    institution_name: str
    unit_name: str
    product_name: str
    event_too_old: bool
    in_court: bool
    outside_authority: bool
    substance: str
    agency_group: str
    alleged: list[str]
    found: list[str]
    complexity: str
    conclusion: str
    closure_reason: str
    deadlines: list[DeadlineOut]
    events: list[StaffEventOut] = Field(description="The reported party's staff see only the steps meant for them")
    demands: list[DemandOut]


class ReasonOut(Schema):
    code: str
    label: str


class ActionOut(Schema):
    action: str
    label: str
    role: str = Field(description="The role the action is taken in")
    target_state: str | None = Field(description="null: the case stays in its state (an activity is recorded)")
    available: bool = Field(description="True when every guard holds now")
    refusals: list[str] = Field(description="Why it cannot be taken now (the failed guards)")
    requires_reason: bool
    reasons: list[ReasonOut] = Field(description="The closure reasons that may be given")
    needs: list[str] = Field(description="Body fields the action reads: examiner_id, demands")


class TransitionIn(StrictIn):
    action: str = Field(min_length=1, max_length=40, pattern=r"^[a-z_]+$",
                        description="An action of GET …/actions")
    reason: str | None = Field(None, min_length=1, max_length=40, pattern=r"^[A-Z0-9_]+$",
                               description="The closure reason (actions that close)")
    note: str = Field("", max_length=NOTE_LIMIT)
    examiner_id: Id | None = Field(None, description="The examiner to assign (plenary decision, fast track)")
    demands: list[Annotated[str, Field(min_length=1, max_length=TEXT_LIMIT)]] = Field(
        default_factory=list, max_length=20, description="Corrective actions or recommendation texts to issue")

    @field_validator("demands", mode="after")
    @classmethod
    def _no_nul_in_demands(cls, value: list[str]) -> list[str]:
        """``StrictIn`` checks text fields; the texts inside this list are checked here."""
        if any("\x00" in text for text in value):
            raise ValueError(NUL_MESSAGE)
        return value


class TransitionOut(Schema):
    id: int
    number: str
    kind: str
    state: str
    state_label: str
    closure_reason: str


class AnswerIn(StrictIn):
    answer: str = Field(min_length=1, max_length=TEXT_LIMIT, description="What was carried out, with evidence")


class AssessmentIn(StrictIn):
    outcome: Literal["implemented", "partly", "not_implemented"]
