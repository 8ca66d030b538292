"""The complaints API: public intake and tracking, the staff's scoped cases, actions and transitions,
the provider's answers; never the reporter's identity; every bad input a clear 4xx that writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client
from openapi_spec_validator import validate

from pantau.complaints import api as complaints_api
from pantau.complaints import clock, deadlines, services
from pantau.complaints.due import thresholds
from pantau.complaints.models import Case, Demand, Event
from pantau.complaints.tests.helpers import CHRONOLOGY, REPORTER, file_report, to_examination, to_lahp
from pantau.core.apitools import MAX_ID
from pantau.core.models import AuditEvent
from pantau.registry.tests.api_helpers import Api
from tests.test_access_walk import PUBLIC, SIGNED_IN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]
SECRETS = (REPORTER["full_name"], REPORTER["nik"], REPORTER["email"], REPORTER["phone"], REPORTER["address"])




def public() -> Api:
    return Api(prefix="/api/complaints")


def staff(user: Any) -> Api:
    api = Api.as_user(user)
    api.prefix = "/api/complaints"
    return api


def body(c: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client_token": "client-0001", "title": "Pungutan liar pembuatan KTP-el", "chronology": CHRONOLOGY,
        "visibility": "confidential", "reporter": REPORTER, "institution_id": c.tabalong.pk,
        "unit_id": c.dukcapil.pk, "product_id": c.ktp.pk, "event_date": "2026-10-01",
        "remedy": "KTP-el segera diterbitkan tanpa biaya.", "prior_complaint": "silent",
        "prior_complaint_date": "2026-10-15", "prior_complaint_channel": "Loket pengaduan",
    }
    data.update(overrides)
    return data


def without_identity(response: Any) -> Any:
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text, secret
    return response.json()


# --- the spec -------------------------------------------------------------------------------------------------


def test_the_openapi_spec_validates_and_holds_every_complaint_operation(cast: Any) -> None:
    spec = Client().get("/api/openapi.json").json()
    validate(spec)
    ops = {op["operationId"] for path, methods in spec["paths"].items() if path.startswith("/api/complaints/")
           for op in methods.values()}
    assert ops == {"report_file", "track", "track_message", "my_cases", "my_case", "my_case_actions",
                   "case_transition", "demand_answer", "demand_assessment", "my_stats_sla", "my_stats_year"}
    for path, methods in spec["paths"].items():
        for op in methods.values() if path.startswith("/api/complaints/") else ():
            public = op["operationId"] in ("report_file", "track", "track_message")
            assert ("security" not in op) == public, op["operationId"]
            assert {"404", "422"} <= set(op["responses"]) and (public or "401" in op["responses"])
    for name in ("ReportIn", "ReporterIn", "MessageIn", "TransitionIn", "AnswerIn", "AssessmentIn"):
        assert spec["components"]["schemas"][name]["additionalProperties"] is False, name


# --- intake ---------------------------------------------------------------------------------------------------


def test_a_report_filed_through_the_api_answers_its_number_and_secret_token_once(c: Any) -> None:
    response = public().post("/reports", body(c))
    assert response.status_code == 201, response.content
    first = without_identity(response)
    assert first["created"] and len(first["token"]) >= 30 and first["missing"] == []
    case = Case.objects.get()
    assert (case.number, case.channel, case.kind, case.office) == (first["number"], "api", "public_report", c.kalsel)
    assert case.reporter.nik == REPORTER["nik"]
    assert public().get(first["track_url"].removeprefix("/api/complaints")).status_code == 200
    again = public().post("/reports", body(c, title="Ketukan kedua"))
    assert again.status_code == 200
    assert again.json() | {"created": True} == first | {"token": "", "track_url": "", "missing": []}
    assert Case.objects.count() == 1


def test_what_the_law_asks_and_is_missing_guides_the_reporter_instead_of_refusing(c: Any) -> None:
    response = public().post("/reports", body(c, reporter={}, chronology="KTP belum jadi.", event_date=None,
                                              prior_complaint="", prior_complaint_date=None))
    assert response.status_code == 201, response.content
    missing = " ".join(response.json()["missing"])
    for part in ("nama lengkap", "kontak", "kronologi", "mengadu", "tanggal peristiwa"):
        assert part in missing
    assert not Case.objects.get().formal_complete


def test_a_provider_complaint_and_an_unlisted_institution_are_accepted(c: Any) -> None:
    provider = public().post("/reports", body(c, kind="provider_complaint", client_token="client-0002"))
    assert provider.status_code == 201 and Case.objects.get().office is None
    other = public().post("/reports", body(c, client_token="client-0003", institution_id=None, unit_id=None,
                                           product_id=None, reported_other="Kantor Desa Maju"))
    assert other.status_code == 201, other.content


BAD_REPORTS: dict[str, tuple[dict[str, Any], str]] = {
    "empty body": ({"__replace__": {}}, "client_token"),
    "empty title": ({"title": ""}, "title"),
    "blank title": ({"title": "   "}, "title"),
    "huge title": ({"title": "x" * 201}, "title"),
    "huge chronology": ({"chronology": "x" * 10_001}, "chronology"),
    "huge reporter name": ({"reporter": {**REPORTER, "full_name": "x" * 151}}, "reporter.full_name"),
    "wrong date": ({"event_date": "2026-13-45"}, "event_date"),
    "future event": ({"event_date": "2027-01-01", "prior_complaint_date": None}, "event_date"),
    "complaint before event": ({"prior_complaint_date": "2026-09-01"}, "prior_complaint_date"),
    "future birth": ({"reporter": {**REPORTER, "birth_date": "2030-01-01"}}, "reporter.birth_date"),
    "unknown institution": ({"institution_id": 999_999, "unit_id": None, "product_id": None}, "institution_id"),
    "id beyond the database": ({"product_id": MAX_ID + 1}, "product_id"),
    "no institution at all": ({"institution_id": None, "unit_id": None, "product_id": None}, "institution_id"),
    "unit of another institution": ({"institution_id": None, "product_id": None, "unit_id": -1}, "unit_id"),
    "product of another unit": ({"product_id": "barsel_ktp"}, "product"),
    "staff-only kind": ({"kind": "own_initiative"}, "kind"),
    "unknown visibility": ({"visibility": "secret"}, "visibility"),
    "bad NIK": ({"reporter": {**REPORTER, "nik": "12345"}}, "reporter.nik"),
    "bad e-mail": ({"reporter": {**REPORTER, "email": "siti@"}}, "email"),
    "unknown field": ({"status": "closed"}, "status"),
    "NUL character": ({"title": "KTP\x00"}, "title"),
    "short client token": ({"client_token": "abc"}, "client_token"),
    "string id": ({"institution_id": "12"}, "institution_id"),
}


@pytest.mark.parametrize("case_name", sorted(BAD_REPORTS))
def test_a_bad_report_answers_422_naming_the_field_and_files_nothing(c: Any, case_name: str) -> None:
    change, field = BAD_REPORTS[case_name]
    if change.get("unit_id") == -1:
        change = {**change, "unit_id": c.barsel_dukcapil.pk, "institution_id": c.tabalong.pk}
    if change.get("product_id") == "barsel_ktp":
        change = {**change, "product_id": c.barsel_ktp.pk}
    data = change["__replace__"] if "__replace__" in change else body(c, **change)
    response = public().post("/reports", data)
    assert response.status_code == 422, response.content
    detail = without_identity(response)["detail"]
    assert field.split(".")[-1] in detail or field.split("_")[0] in detail, detail
    assert Case.objects.count() == 0 and Event.objects.count() == 0


def test_a_body_that_is_not_json_answers_400(c: Any) -> None:
    response = public().client.post("/api/complaints/reports", "title=x", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["detail"]


def test_intake_is_rate_limited_per_address(c: Any, settings: Any) -> None:
    settings.COMPLAINT_SUBMIT_LIMIT = 2
    for n in (1, 2):
        assert public().post("/reports", body(c, client_token=f"client-000{n}")).status_code == 201
    refused = public().post("/reports", body(c, client_token="client-0009"))
    assert refused.status_code == 429 and "Coba lagi" in refused.json()["detail"]
    assert Case.objects.count() == 2


# --- tracking -------------------------------------------------------------------------------------------------


def test_the_tracking_token_shows_the_reporters_steps_and_running_deadlines(c: Any) -> None:
    opened = file_report(c)
    services.case_transition(actor=c.intake_kalsel, case=opened.case, action="start_formal_verification",
                             note="Catatan internal petugas")
    data = without_identity(public().get(f"/track/{opened.token}"))
    assert data["number"] == opened.case.number and data["state"] == "formal_verification"
    assert [e["action"] for e in data["events"]] == ["open"]  # the internal step is not shown
    assert "Catatan internal" not in json.dumps(data)
    (deadline,) = data["deadlines"]
    assert (deadline["step"], deadline["due_on"], deadline["status"]) == ("initial_processing", "2026-11-16",
                                                                          "on_time")


@pytest.mark.parametrize("tamper", ["flip", "short", "long", "number", "spaces"])
def test_a_tampered_tracking_token_answers_404(c: Any, tamper: str) -> None:
    opened = file_report(c)
    token = {"flip": opened.token[:-1] + ("A" if opened.token[-1] != "A" else "B"), "short": opened.token[:10],
             "long": opened.token * 5, "number": opened.case.number.replace("/", "-"), "spaces": "%20%20"}[tamper]
    assert public().get(f"/track/{token}").status_code == 404
    assert public().post(f"/track/{token}/messages", {"note": "Tambahan"}).status_code == 404
    assert Event.objects.filter(action="reporter_message").count() == 0


def test_a_message_through_the_tracking_token_answers_a_request_for_completeness(c: Any) -> None:
    opened = file_report(c, reporter={"full_name": "Siti"})  # no contact: formally incomplete
    case = services.case_transition(actor=c.intake_kalsel, case=opened.case, action="start_formal_verification")
    services.case_transition(actor=c.intake_kalsel, case=case, action="request_completeness")
    response = public().post(f"/track/{opened.token}/messages", {"note": "Fotokopi KTP saya kirim lewat pos."})
    assert response.status_code == 201 and response.json()["state"] == "awaiting_completeness"
    assert Case.objects.get().documents_supplied
    assert public().post(f"/track/{opened.token}/messages", {"note": ""}).status_code == 422
    assert public().post(f"/track/{opened.token}/messages", {"note": "x" * 10_001}).status_code == 422


def test_a_closed_case_takes_no_more_messages(c: Any) -> None:
    opened = file_report(c)
    services.case_transition(actor=c.intake_kalsel, case=opened.case, action="close", reason="DICABUT_PELAPOR")
    response = public().post(f"/track/{opened.token}/messages", {"note": "Masih ada yang ingin saya tambahkan."})
    assert response.status_code == 422 and "ditutup" in response.json()["detail"]


# --- staff: lists and detail ----------------------------------------------------------------------------------


def test_staff_operations_need_a_token(c: Any) -> None:
    case = file_report(c).case
    for path in ("/cases", f"/cases/{case.pk}", f"/cases/{case.pk}/actions"):
        assert "Authorization" in public().get(path).json()["detail"]
        assert public().get(path).status_code == 401
    assert public().post(f"/cases/{case.pk}/transitions", {"action": "close"}).status_code == 401
    signed_in = Client()
    signed_in.force_login(c.intake_kalsel)
    assert signed_in.get("/api/complaints/cases").status_code == 401


def test_another_offices_case_does_not_exist_for_its_staff(c: Any) -> None:
    case = file_report(c).case
    api = staff(c.intake_kalteng)
    assert api.get("/cases").json()["items"] == []
    for path in (f"/cases/{case.pk}", f"/cases/{case.pk}/actions", f"/cases/{MAX_ID}"):
        assert api.get(path).status_code == 404
    events = AuditEvent.objects.count()
    assert api.post(f"/cases/{case.pk}/transitions", {"action": "start_formal_verification"}).status_code == 404
    assert AuditEvent.objects.count() == events and Case.objects.get().state == "received"


def test_the_case_list_filters_and_pages_by_cursor(c: Any) -> None:
    first = file_report(c).case
    file_report(c, kind="provider_complaint")
    second = file_report(c).case
    services.case_transition(actor=c.intake_kalsel, case=second, action="start_formal_verification")
    api = staff(c.intake_kalsel)
    page = api.get("/cases", {"limit": 1}).json()
    assert [i["id"] for i in page["items"]] == [second.pk] and page["count"] == 2
    rest = api.get("/cases", {"limit": 1, "cursor": page["next"]}).json()
    assert [i["id"] for i in rest["items"]] == [first.pk] and rest["next"] is None
    assert [i["id"] for i in api.get("/cases", {"state": "received"}).json()["items"]] == [first.pk]
    assert api.get("/cases", {"kind": "provider_complaint"}).json()["items"] == []  # the provider's own
    assert api.get("/cases", {"mine": "true"}).json()["items"] == []
    assert {i["due_status"] for i in api.get("/cases", {"due": "on_time"}).json()["items"]} == {"on_time"}
    with time_machine.travel("2026-12-10 09:00 +07:00", tick=False):
        late = api.get("/cases", {"due": "very_overdue"}).json()["items"]
    assert {i["id"] for i in late} == {first.pk, second.pk}
    for bad in ({"state": "teleported"}, {"due": "late"}, {"cursor": "forged"}, {"statee": "received"},
                {"limit": 0}):
        assert api.get("/cases", bad).status_code == 422, bad
    provider = staff(c.admin_tabalong).get("/cases", {"kind": "provider_complaint"}).json()["items"]
    assert len(provider) == 1


def test_the_due_status_of_the_list_agrees_with_the_deadline_engine(c: Any) -> None:
    today, calendar = clock.today(), clock.calendar()
    limits = thresholds(today, calendar)
    case = file_report(c).case
    for offset in range(-40, 40):
        due = today + dt.timedelta(days=offset)
        Case.objects.filter(pk=case.pk).update(next_due_on=due)
        listed = complaints_api._with_due(Case.objects.filter(pk=case.pk), limits).get().due_status
        assert listed == deadlines.status(due, today, calendar), due


def test_the_case_list_reads_a_fixed_number_of_queries(c: Any, django_assert_max_num_queries: Any) -> None:
    api = staff(c.intake_kalsel)
    file_report(c)
    api.get("/cases")
    with django_assert_max_num_queries(12) as few:
        assert len(api.get("/cases").json()["items"]) == 1
    for _n in range(8):
        file_report(c)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/cases").json()["items"]) == 9


def test_the_case_detail_never_shows_the_identity(c: Any) -> None:
    case = file_report(c).case
    for user in (c.intake_kalsel, c.head_kalsel, c.national_admin):
        data = without_identity(staff(user).get(f"/cases/{case.pk}"))
        assert data["summary"] == case.public_summary and "[disamarkan]" in data["summary"]
        assert data["institution_name"] == c.tabalong.name and data["deadlines"][0]["step"] == "initial_processing"


def test_the_reported_provider_sees_the_case_only_once_notified_and_only_its_steps(c: Any) -> None:
    case = file_report(c).case
    provider = staff(c.admin_tabalong)
    assert provider.get(f"/cases/{case.pk}").status_code == 404
    to_examination(c, case)
    data = without_identity(provider.get(f"/cases/{case.pk}"))
    assert data["remedy"] == "" and data["state"] == "examination"
    assert data["events"] and {e["audience"] for e in data["events"]} <= {"provider", "both"}
    assert provider.get(f"/cases/{case.pk}/actions").json() == []
    assert provider.post(f"/cases/{case.pk}/transitions", {"action": "draft_lahp"}).status_code == 404


# --- actions and transitions ----------------------------------------------------------------------------------


def test_actions_list_what_the_user_may_do_with_the_guards_refusals(c: Any) -> None:
    case = file_report(c).case
    actions = {a["action"]: a for a in staff(c.intake_kalsel).get(f"/cases/{case.pk}/actions").json()}
    assert actions["start_formal_verification"]["available"]
    assert actions["close"]["requires_reason"] and "DICABUT_PELAPOR" in {
        r["code"] for r in actions["close"]["reasons"]}
    assert actions["fast_track"]["refusals"] and not actions["fast_track"]["available"]
    assert staff(c.examiner_kalsel).get(f"/cases/{case.pk}/actions").json() == []  # not assigned


def test_a_transition_through_the_api_moves_the_case_and_records_it(c: Any) -> None:
    case = file_report(c).case
    api = staff(c.intake_kalsel)
    response = api.post(f"/cases/{case.pk}/transitions", {"action": "start_formal_verification", "note": "Mulai"})
    assert response.status_code == 200 and response.json()["state"] == "formal_verification"
    assert AuditEvent.objects.filter(event_type="case.transition").count() == 1
    closed = api.post(f"/cases/{case.pk}/transitions", {"action": "close", "reason": "DICABUT_PELAPOR"})
    assert closed.json()["closure_reason"] == "DICABUT_PELAPOR" and closed.json()["state"] == "closed"


REFUSED: dict[str, tuple[dict[str, Any], int]] = {
    "forged action": ({"action": "teleport_to_closed"}, 404),
    "action of another stage": ({"action": "issue_lahp"}, 404),
    "action of another role": ({"action": "decide_examination"}, 404),
    "guard fails": ({"action": "fast_track"}, 422),
    "close without reason": ({"action": "close"}, 422),
    "unknown reason": ({"action": "close", "reason": "BOSAN"}, 422),
    "reason of another stage": ({"action": "close", "reason": "TIDAK_DITEMUKAN_MALADMINISTRASI"}, 422),
    "reason on a non-closing action": ({"action": "start_formal_verification", "reason": "DICABUT_PELAPOR"}, 422),
    "huge note": ({"action": "start_formal_verification", "note": "x" * 4001}, 422),
    "action with capitals": ({"action": "Close"}, 422),
    "empty body": ({}, 422),
    "unknown field": ({"action": "close", "state": "closed"}, 422),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_transition_answers_with_a_message_and_changes_nothing(c: Any, name: str) -> None:
    case = file_report(c).case
    payload, status = REFUSED[name]
    api = staff(c.intake_kalsel)
    events, history = AuditEvent.objects.count(), Event.objects.count()
    response = api.post(f"/cases/{case.pk}/transitions", payload)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert AuditEvent.objects.count() == events and Event.objects.count() == history
    assert Case.objects.get().state == "received"


def test_the_plenary_assigns_the_examiner_named_in_the_body(c: Any) -> None:
    other = file_report(c).case
    services.case_transition(actor=c.intake_kalsel, case=other, action="start_formal_verification")
    services.case_update_checks(actor=c.intake_kalsel, case=other, formal_complete=True)
    services.case_transition(actor=c.intake_kalsel, case=other, action="pass_formal_verification")
    services.case_update_checks(actor=c.intake_kalsel, case=other, substantive_ok=True)
    services.case_transition(actor=c.intake_kalsel, case=other, action="submit_to_plenary")
    services.case_classify(actor=c.head_kalsel, case=other, complexity="light")
    head = staff(c.head_kalsel)
    path = f"/cases/{other.pk}/transitions"
    assert head.post(path, {"action": "decide_examination", "examiner_id": MAX_ID}).status_code == 422
    wrong = head.post(path, {"action": "decide_examination", "examiner_id": c.examiner_kalteng.pk})
    assert wrong.status_code == 422 and "pemeriksa" in wrong.json()["detail"]
    assert Case.objects.get(pk=other.pk).state == "awaiting_plenary"
    ok = head.post(path, {"action": "decide_examination", "examiner_id": c.examiner2_kalsel.pk})
    assert ok.status_code == 200 and Case.objects.get(pk=other.pk).examiner == c.examiner2_kalsel


# --- corrective actions ---------------------------------------------------------------------------------------


def test_corrective_actions_are_issued_answered_by_the_provider_and_assessed(c: Any) -> None:
    case = to_lahp(c, to_examination(c, file_report(c).case))
    examiner = staff(c.examiner_kalsel)
    path = f"/cases/{case.pk}/transitions"
    assert examiner.post(path, {"action": "open_corrective_actions"}).status_code == 422  # no demand written
    assert examiner.post(path, {"action": "open_corrective_actions", "demands": [""]}).status_code == 422
    issued = examiner.post(path, {"action": "open_corrective_actions",
                                  "demands": ["Kembalikan pungutan kepada pelapor."]})
    assert issued.status_code == 200 and issued.json()["state"] == "corrective_monitoring"
    demand = Demand.objects.get()
    assert staff(c.outsider).post(f"/demands/{demand.pk}/answer", {"answer": "Sudah"}).status_code in (401, 404)
    assert staff(c.intake_kalteng).post(f"/demands/{demand.pk}/answer", {"answer": "Sudah"}).status_code == 404
    assert examiner.post(f"/demands/{demand.pk}/answer", {"answer": "Sudah"}).status_code == 404  # not the provider
    provider = staff(c.admin_tabalong)
    assert provider.post(f"/demands/{demand.pk}/answer", {"answer": ""}).status_code == 422
    answered = provider.post(f"/demands/{demand.pk}/answer", {"answer": "Uang dikembalikan, kuitansi terlampir."})
    assert answered.status_code == 200 and answered.json()["answer"].startswith("Uang")
    assert provider.post(f"/demands/{demand.pk}/assessment", {"outcome": "implemented"}).status_code == 404
    assert examiner.post(f"/demands/{demand.pk}/assessment", {"outcome": "done"}).status_code == 422
    assessed = examiner.post(f"/demands/{demand.pk}/assessment", {"outcome": "implemented"})
    assert assessed.status_code == 200 and assessed.json()["outcome"] == "implemented"
    assert examiner.post(f"/demands/{MAX_ID}/assessment", {"outcome": "implemented"}).status_code == 404
    detail = without_identity(examiner.get(f"/cases/{case.pk}"))
    assert detail["demands"][0]["outcome"] == "implemented"


# --- the API walk: every complaint operation as every role ---------------------------------------------------
# Shaped like ``OPERATIONS`` of pantau/registry/tests/test_api_walk.py (operationId -> (path parameters from
# the cast, body by role, roles with a 2xx answer)), so the central walk can take it over as it is.


def walk_cases(c: Any) -> dict[str, Any]:
    """A report in examination (with its tracking token) and one with a corrective action (once per cast)."""
    made: dict[str, Any] | None = c.__dict__.get("_complaints_walk")
    if made is None:
        opened = file_report(c, client_token="walk-examination")
        examined = to_examination(c, opened.case)
        monitored = to_lahp(c, to_examination(c, file_report(c, client_token="walk-corrective").case))
        services.case_transition(actor=c.examiner_kalsel, case=monitored, action="open_corrective_actions",
                                 payload={"demands": ["Kembalikan pungutan kepada pelapor."]})
        made = {"token": opened.token, "case": examined.pk, "demand": Demand.objects.get(case=monitored).pk}
        c.__dict__["_complaints_walk"] = made
    return made


SEES_KALSEL_CASE = {"national_admin", "head_kalsel", "intake_kalsel", "examiner_kalsel", "admin_tabalong",
                    "operator_dukcapil"}  # a Tabalong/Disdukcapil report, the reported party notified
COMPLAINT_OPERATIONS: dict[str, tuple[Any, Any, set[str]]] = {
    "report_file": (lambda c: {}, lambda c, role: body(c, client_token=f"walk-{role}"), PUBLIC),
    "track": (lambda c: {"token": walk_cases(c)["token"]}, None, PUBLIC),
    "track_message": (lambda c: {"token": walk_cases(c)["token"]}, lambda c, role: {"note": f"Tambahan {role}"},
                      PUBLIC),
    "my_cases": (lambda c: {}, None, SIGNED_IN),
    "my_case": (lambda c: {"pk": walk_cases(c)["case"]}, None, SEES_KALSEL_CASE),
    "my_case_actions": (lambda c: {"pk": walk_cases(c)["case"]}, None, SEES_KALSEL_CASE),
    "case_transition": (lambda c: {"pk": walk_cases(c)["case"]}, lambda c, role: (
        {"action": "close", "reason": "DICABUT_PELAPOR"} if role == "head_kalsel"
        else {"action": "request_written_clarification", "note": f"Oleh {role}"}), {"examiner_kalsel", "head_kalsel"}),
    "demand_answer": (lambda c: {"pk": walk_cases(c)["demand"]}, lambda c, role: {"answer": f"Dilaksanakan ({role})"},
                      {"admin_tabalong", "operator_dukcapil"}),
    "demand_assessment": (lambda c: {"pk": walk_cases(c)["demand"]}, lambda c, role: {"outcome": "partly"},
                          {"examiner_kalsel", "head_kalsel"}),
    "my_stats_sla": (lambda c: {}, None, {"national_admin", "head_kalsel", "intake_kalsel", "examiner_kalsel"}),
    "my_stats_year": (lambda c: {}, None, {"national_admin", "head_kalsel", "intake_kalsel", "examiner_kalsel"}),
}


@pytest.mark.parametrize("role", sorted(PUBLIC))
def test_every_complaint_operation_answers_only_the_roles_listed(cast: Any, role: str) -> None:
    spec = Client().get("/api/openapi.json").json()
    ops = [(op["operationId"], method.upper(), path) for path, methods in spec["paths"].items()
           if path.startswith("/api/complaints/") for method, op in methods.items()]
    assert sorted(op for op, _m, _p in ops) == sorted(COMPLAINT_OPERATIONS)
    walk_cases(cast)
    api = Api(prefix="") if role == "anonymous" else Api.as_user(cast.users[role])
    api.prefix = ""
    for op_id, method, template in ops:
        params, make_body, allowed = COMPLAINT_OPERATIONS[op_id]
        events = AuditEvent.objects.count()
        path = template.format(**params(cast))
        response = api.send(method, path, make_body(cast, role)) if make_body else api.get(path)
        assert response["Content-Type"].startswith("application/json"), op_id
        if role in allowed:
            assert response.status_code in (200, 201), (op_id, response.content)
            without_identity(response)
            continue
        assert response.status_code == (401 if role == "anonymous" else 404), (op_id, response.content)
        assert AuditEvent.objects.count() == events, f"{role} wrote an audit event through {op_id}"
