"""The complaint services: opening a case, moving it by the table, who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from pantau.complaints import selectors, services, workflow
from pantau.complaints.models import Case, Demand, Event, Notice, Reporter, Timer
from pantau.complaints.tests.helpers import CHRONOLOGY, REPORTER, file_report, to_examination, to_lahp
from pantau.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]




def test_a_web_report_gets_a_number_a_secret_link_and_its_first_deadline(c: Any) -> None:
    opened = file_report(c)
    case = opened.case
    assert case.number == "0001/LM/XI/2026/KS"  # Kalimantan Selatan: the office has no code of its own
    assert case.next_due_on == Timer.objects.get(case=case).due_on
    assert file_report(c).case.number.startswith("0002/LM/XI/2026/")
    assert len(opened.token) >= 30 and selectors.case_by_token(opened.token) == case
    assert case.tracking_hash != opened.token and opened.token not in case.number
    assert case.office == c.kalsel and case.state == "received" and case.formal_complete
    timer = Timer.objects.get(case=case)
    assert (timer.step, timer.due_on.isoformat()) == ("initial_processing", "2026-11-16")
    assert Notice.objects.filter(case=case).count() == 1
    assert Reporter.objects.get(case=case).nik == REPORTER["nik"]


def test_public_text_is_redacted_and_no_audit_event_holds_the_identity(c: Any) -> None:
    case = file_report(c).case
    assert "081234567890" not in case.public_summary and "siti.rahma@contoh.id" not in case.public_summary
    assert "081234567890" in case.chronology
    for event in AuditEvent.objects.all():
        text = f"{event.before} {event.after} {event.reason}"
        for secret in (REPORTER["full_name"], REPORTER["nik"], REPORTER["email"], REPORTER["phone"]):
            assert secret not in text


def test_a_double_tap_files_once(c: Any) -> None:
    first = file_report(c, client_token="tok-1")
    second = file_report(c, client_token="tok-1")
    assert second.case == first.case and not second.created and second.token == ""
    assert Case.objects.count() == 1


def test_an_incomplete_report_is_accepted_and_marked_for_completion(c: Any) -> None:
    case = file_report(c, reporter={}, chronology="KTP belum jadi.", event_date=None, prior_complaint="").case
    assert not case.formal_complete
    assert case.pk and case.state == "received"


def test_an_old_event_is_flagged_not_refused(c: Any) -> None:
    import datetime as dt

    case = file_report(c, event_date=dt.date(2024, 10, 1)).case
    assert case.event_too_old
    with pytest.raises(ValidationError):
        file_report(c, event_date=dt.date(2027, 1, 1))


def test_a_unit_of_another_institution_is_refused(c: Any) -> None:
    with pytest.raises(ValidationError):
        file_report(c, institution=c.barsel, unit=c.dukcapil, product=None)
    assert not Case.objects.exists()


def test_the_public_cannot_record_staff_channels(c: Any) -> None:
    with pytest.raises(ValidationError):
        file_report(c, channel="walk_in")
    with pytest.raises(ValidationError):
        file_report(c, kind="own_initiative")


def test_staff_entry_needs_an_intake_officer_of_the_office(c: Any) -> None:
    case = file_report(c, actor=c.intake_kalsel, channel="walk_in").case
    assert case.channel == "walk_in" and case.intake_officer == c.intake_kalsel
    with pytest.raises(ValidationError):
        file_report(c, actor=c.intake_kalteng, channel="walk_in")


def test_a_report_goes_through_to_a_closed_case_with_corrective_actions_carried_out(c: Any) -> None:
    case = to_lahp(c, to_examination(c, file_report(c).case))
    assert case.state == "lahp_issued" and case.provider_notified
    case = services.case_transition(actor=c.examiner_kalsel, case=case, action="open_corrective_actions",
                                    payload={"demands": ["Terbitkan KTP-el pelapor tanpa biaya.",
                                                         "Tegur petugas yang meminta imbalan."]})
    assert case.state == "corrective_monitoring"
    demands = list(Demand.objects.filter(case=case))
    assert len(demands) == 2 and all(d.institution == c.tabalong for d in demands)
    assert demands[0].due_on.isoformat() == "2026-12-02"  # 30 calendar days, corrective_light
    for demand in demands:
        services.demand_answer(actor=c.admin_tabalong, demand=demand, answer="Sudah dilaksanakan, bukti terlampir.")
    with pytest.raises(workflow.TransitionRefused) as refused:
        services.case_transition(actor=c.head_kalsel, case=case, action="close",
                                 reason="TINDAKAN_KOREKTIF_DILAKSANAKAN")
    assert refused.value.code == "guard_failed"
    for demand in demands:
        services.demand_assess(actor=c.examiner_kalsel, demand=demand, outcome="implemented")
    case = services.case_transition(actor=c.head_kalsel, case=case, action="close",
                                    reason="TINDAKAN_KOREKTIF_DILAKSANAKAN")
    assert case.state == "closed" and case.closed_at and case.closure_reason == "TINDAKAN_KOREKTIF_DILAKSANAKAN"
    assert not Timer.objects.filter(case=case, stopped_at__isnull=True).exists()
    assert case.next_due_on is None
    actions = list(Event.objects.filter(case=case).values_list("action", flat=True))
    assert actions[0] == "open" and actions[-1] == "close" and "issue_lahp" in actions


def test_a_forged_or_foreign_action_is_refused_as_not_found(c: Any) -> None:
    case = file_report(c).case
    for actor, action in ((c.intake_kalsel, "decide_examination"), (c.intake_kalteng, "start_formal_verification"),
                          (c.admin_tabalong, "start_formal_verification"), (c.intake_kalsel, "no_such_action"),
                          (c.examiner_kalsel, "close")):
        with pytest.raises(workflow.TransitionRefused) as refused:
            services.case_transition(actor=actor, case=case, action=action)
        assert refused.value.code == "not_found"
    case.refresh_from_db()
    assert case.state == "received" and Event.objects.filter(case=case).count() == 1


def test_only_the_assigned_examiner_acts_as_examiner(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    with pytest.raises(workflow.TransitionRefused):
        services.case_transition(actor=c.examiner2_kalsel, case=case, action="summon")
    services.case_transition(actor=c.examiner_kalsel, case=case, action="summon")
    assert Case.objects.get(pk=case.pk).activities == ["summons"]


def test_a_closing_reason_is_required_and_checked(c: Any) -> None:
    case = file_report(c).case
    with pytest.raises(workflow.TransitionRefused) as refused:
        services.case_transition(actor=c.intake_kalsel, case=case, action="close")
    assert refused.value.code == "reason_required"
    with pytest.raises(workflow.TransitionRefused) as refused:
        services.case_transition(actor=c.intake_kalsel, case=case, action="close", reason="REKOMENDASI_DILAKSANAKAN")
    assert refused.value.code == "bad_reason"
    case = services.case_transition(actor=c.intake_kalsel, case=case, action="close", reason="DICABUT_PELAPOR")
    assert case.state == "closed"


def test_the_reporter_supplies_missing_documents_through_the_link(c: Any) -> None:
    case = file_report(c, reporter={}, chronology="KTP belum jadi.").case
    case = services.case_transition(actor=c.intake_kalsel, case=case, action="start_formal_verification")
    case = services.case_transition(actor=c.intake_kalsel, case=case, action="request_completeness")
    assert Timer.objects.get(case=case, step="completeness", stopped_at__isnull=True)
    services.reporter_message(case=case, note="Saya lampirkan fotokopi KTP dan bukti pengaduan ke dinas.")
    case.refresh_from_db()
    case = services.case_transition(actor=c.intake_kalsel, case=case, action="receive_completeness")
    assert case.state == "formal_verification"
    assert not Timer.objects.filter(case=case, step="completeness", stopped_at__isnull=True).exists()


def test_identity_is_seen_by_intake_and_the_assigned_examiner_only_and_each_view_is_audited(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    case.refresh_from_db()
    assert selectors.reporter_for(c.intake_kalsel, case).full_name == REPORTER["full_name"]
    assert selectors.reporter_for(c.examiner_kalsel, case) is not None
    for user in (c.head_kalsel, c.examiner2_kalsel, c.admin_tabalong, c.intake_kalteng, c.national_admin):
        assert selectors.reporter_for(user, case) is None
    assert AuditEvent.objects.filter(event_type="case.identity_viewed").count() == 2


def test_a_public_report_shows_its_identity_to_the_head_too(c: Any) -> None:
    case = file_report(c, visibility="public").case
    assert selectors.reporter_for(c.head_kalsel, case) is not None
    assert selectors.reporter_for(c.admin_tabalong, case) is None


def test_staff_make_a_case_more_private_but_less_private_only_with_consent(c: Any) -> None:
    case = file_report(c, visibility="anonymous").case
    services.case_set_visibility(actor=c.intake_kalsel, case=case, visibility="confidential")
    with pytest.raises(ValidationError):
        services.case_set_visibility(actor=c.intake_kalsel, case=case, visibility="public")
    case = services.case_set_visibility(actor=c.intake_kalsel, case=case, visibility="public", consent=True)
    assert case.visibility == "public" and Reporter.objects.get(case=case).visibility_consent_at


def test_scope_offices_and_providers(c: Any) -> None:
    case = file_report(c).case
    assert selectors.case_for(c.intake_kalsel, case.pk) == case
    assert selectors.case_for(c.national_admin, case.pk) == case
    for user in (c.intake_kalteng, c.admin_tabalong, c.operator_dukcapil, c.admin_barsel, c.outsider,
                 c.assessor_kalteng):
        with pytest.raises(Http404):
            selectors.case_for(user, case.pk)
    case = to_examination(c, case)
    assert selectors.case_for(c.admin_tabalong, case.pk) == case  # notified by the plenary decision
    assert selectors.case_for(c.operator_dukcapil, case.pk) == case
    with pytest.raises(Http404):
        selectors.case_for(c.admin_barsel, case.pk)


def test_a_tampered_token_opens_nothing(c: Any) -> None:
    opened = file_report(c)
    for token in (opened.token[:-1] + ("A" if opened.token[-1] != "A" else "B"), "", "x" * 500, opened.case.number):
        with pytest.raises(Http404):
            selectors.case_by_token(token)


def test_hand_over_moves_the_case_to_another_office(c: Any) -> None:
    case = file_report(c).case
    case = services.case_hand_over(actor=c.intake_kalsel, case=case, office=c.kalteng, note="Wilayah Kalteng.")
    assert selectors.case_for(c.intake_kalteng, case.pk) == case
    with pytest.raises(Http404):
        selectors.case_for(c.intake_kalsel, case.pk)


def test_a_provider_complaint_is_handled_by_the_provider(c: Any) -> None:
    case = file_report(c, kind="provider_complaint").case
    assert case.office is None and "/PGD/" in case.number
    assert selectors.case_for(c.admin_tabalong, case.pk) == case
    with pytest.raises(Http404):
        selectors.case_for(c.intake_kalsel, case.pk)
    case = services.case_transition(actor=c.operator_dukcapil, case=case, action="start_formal_verification")
    case = services.case_update_checks(actor=c.operator_dukcapil, case=case, formal_complete=True)
    case = services.case_transition(actor=c.operator_dukcapil, case=case, action="accept_complaint")
    assert case.examiner == c.operator_dukcapil
    case = services.case_transition(actor=c.admin_tabalong, case=case, action="close",
                                    reason="PENGADUAN_DITINDAKLANJUTI")
    assert case.state == "closed"


def test_chronology_is_bounded(c: Any) -> None:
    with pytest.raises(ValidationError):
        file_report(c, chronology=CHRONOLOGY * 100)
    assert not Case.objects.exists()


def test_numbers_count_up_per_office_year_and_kind_with_or_without_returning(c: Any, monkeypatch: Any) -> None:
    first = file_report(c).case.number
    monkeypatch.setattr(services, "sqlite_returning", lambda: False)
    second = file_report(c).case.number
    consultation = file_report(c, kind="consultation").case.number
    assert [first[:4], second[:4], consultation[:8]] == ["0001", "0002", "0001/KNS"]
