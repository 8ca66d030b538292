"""English for the complaints module: the labels and messages of the pure modules (``vocab``, ``workflow``,
``deadlines``) reach the screens through ``complaints.messages``; with the English cookie every page, form
error and API answer shows English, while codes stay codes and Indonesian stays the default."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from pantau.complaints import deadlines, messages, services, vocab, workflow
from pantau.complaints.tests.helpers import file_report
from pantau.complaints.tests.test_public_intake import form_data
from pantau.registry.tests.api_helpers import Api
from tests.cast import client_for, in_english

pytestmark = pytest.mark.usefixtures("november_2nd")
QUEUE = "/kelola/laporan/"


def english(user: Any | None = None) -> Client:
    return in_english(client_for(user) if user is not None else Client())


def assert_english(body: str, english_text: list[str], indonesian: list[str]) -> None:
    assert '<html lang="en">' in body
    missing = [s for s in english_text if s not in body]
    left = [s for s in indonesian if s in body]
    assert not missing and not left, f"English missing: {missing}; Indonesian left: {left}"


# --- the catalogue of the pure modules ------------------------------------------------------------------------


def test_every_label_and_refusal_of_the_pure_modules_is_listed_for_translation() -> None:
    texts = {k.label for k in vocab.RecordKind} | {s.label for s in vocab.State} | {c.label for c in vocab.Complexity}
    texts |= {m.label for m in vocab.Maladministration} | {r.label for r in vocab.ReporterType}
    texts |= set(vocab.DEFAULT_SUBSTANCES) | set(vocab.DEFAULT_AGENCY_GROUPS)
    texts |= {r.label for r in vocab.CLOSURE_REASONS.values()} | {t.label for t in workflow.TRANSITIONS}
    texts |= {message for _predicate, message in workflow.GUARDS.values()} | set(deadlines.HOLIDAY_KINDS.values())
    texts |= {vocab.state_label(s, k) for s in vocab.State for k in vocab.RecordKind}
    for rule_set in deadlines.default_rules():
        texts |= {rule_set.title} | {step.title for step in rule_set.steps}
    assert texts - messages.LITERALS == set(), "add these to pantau/complaints/messages.py"


@pytest.mark.parametrize("language", ["en", "id"])
def test_each_listed_text_has_a_translation_that_keeps_its_placeholders(language: str) -> None:
    with translation.override(language):
        for text in messages.LITERALS:
            assert messages.translate(text).strip(), text
            if language == "en":
                assert messages.translate(text) != text or text in {"WhatsApp", "TNI", "DPR", "Internal"}, text
        for template in messages.TEMPLATES:
            assert translation.gettext(template) != template or language == "id", template


def refusal(facts: workflow.CaseFacts, action: str, role: str, reason: str | None = None) -> str:
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.apply(facts, action, role, reason)
    return refused.value.message


def test_refusals_with_variable_parts_are_translated_part_by_part() -> None:
    facts = workflow.CaseFacts(kind=vocab.RecordKind.PUBLIC_REPORT, state=vocab.State.AWAITING_REPORTER_RESPONSE)
    guards = refusal(facts, "issue_lahp", workflow.HEAD_OF_OFFICE)  # two guards fail: joined by a space
    reason = refusal(facts, "close", workflow.HEAD_OF_OFFICE, "KONSULTASI_SELESAI")
    unknown = refusal(facts, "teleport", workflow.HEAD_OF_OFFICE)
    with translation.override("en"):
        assert messages.translate(guards) == (
            "The reporter has not responded and the 14 days to respond have not yet passed. "
            "The conclusion of the examination has not been set.")
        assert messages.translate(reason) == ("The reason for closing 'KONSULTASI_SELESAI' cannot be used for Public "
                                              "report (LM) at the stage Awaiting the reporter's response to the "
                                              "examination result.")
        assert messages.translate(unknown) == "The action 'teleport' is unknown."  # the code stays a code
        assert messages.translate("Pilih alasan penutupan.") == "Choose a reason for closing."
    with translation.override("id"):
        assert messages.translate(guards) == guards and messages.translate(reason) == reason


def test_deadline_errors_are_translated_with_their_dates_in_english() -> None:
    with pytest.raises(deadlines.DeadlineError) as error:
        deadlines.rules_for(dt.date(2001, 3, 17))
    with translation.override("en"):
        text = messages.translate(str(error.value))
    assert text.startswith("There are no deadline rules for a report received on 17 March 2001: the earliest rules")
    assert "Maret" not in text and "berlaku" not in text


def test_unknown_text_and_broken_translations_fall_back_to_the_indonesian() -> None:
    with translation.override("en"):
        assert messages.translate("Teks dari kantor yang tidak ada di katalog") == \
            "Teks dari kantor yang tidak ada di katalog"
        assert messages.translate("") == ""
        assert messages.translate("Diterima Diterima") == "Diterima Diterima"  # only whole sentences are runs
    text = "Tindakan 'x' tidak dikenal."
    assert messages.translate(text, lambda t: "The action is unknown: %(wrong)s") == text
    assert messages.conclusion_label("found", lambda t: t.upper()) == "MALADMINISTRASI DITEMUKAN"
    assert messages.conclusion_label("nonsense") == "nonsense"


# --- the citizen's pages ----------------------------------------------------------------------------------------


def test_the_public_form_and_its_errors_are_english(c: Any) -> None:
    client = english()
    body = client.get(reverse("complaints:report")).content.decode()
    assert_english(body, ["Report a problem with a public service", "Send the report", "Confidentiality"],
                   ["Kirim laporan", "Kerahasiaan"])
    response = client.post(reverse("complaints:report"), form_data(c, nik="123", telepon="12"))
    body = response.content.decode()
    assert response.status_code == 422
    assert_english(body, ["Something needs fixing", "An NIK has 16 digits (you wrote 3).",
                          "A phone number has 8–15 digits"], ["Ada yang perlu diperbaiki", "terdiri atas"])
    assert "Pungutan liar KTP-el" in body  # what the citizen typed stays


def test_the_confirmation_and_the_tracking_page_are_english(c: Any) -> None:
    client = english()
    assert client.post(reverse("complaints:report"), form_data(c)).status_code == 302
    body = client.get(reverse("complaints:filed")).content.decode()
    assert_english(body, ["Your report has been sent", "Public report (LM)"], ["Laporan Masyarakat (LM)"])
    opened = file_report(c)
    services.case_transition(actor=c.intake_kalsel, case=opened.case, action="start_formal_verification")
    body = english().get(reverse("complaints:track", args=[opened.token])).content.decode()
    assert_english(body, ["Public report (LM)", "Formal verification", "Report received",
                          "Initial processing of the report", "Current stage"],
                   ["Laporan Masyarakat (LM)", "Verifikasi formil", "Proses awal laporan", "Tahap sekarang"])


def test_without_the_cookie_the_tracking_page_stays_indonesian(c: Any) -> None:
    opened = file_report(c)
    body = Client().get(reverse("complaints:track", args=[opened.token])).content.decode()
    assert "Laporan Masyarakat (LM)" in body and "Proses awal laporan" in body and "Public report" not in body


# --- the staff's pages ----------------------------------------------------------------------------------------


def queue_queries(user: Any, django_assert_max_num_queries: Any, limit: int) -> str:
    with django_assert_max_num_queries(limit):
        response = english(user).get(QUEUE)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_staff_queue_is_english_and_its_queries_stay_flat(c: Any, django_assert_max_num_queries: Any) -> None:
    file_report(c)
    with CaptureQueriesContext(connection) as one:
        assert english(c.intake_kalsel).get(QUEUE).status_code == 200
    for n in range(6):
        file_report(c, client_token=f"tok-{n}")
    body = queue_queries(c.intake_kalsel, django_assert_max_num_queries, len(one.captured_queries))
    assert_english(body, ["Public reports", "Received", "Public report (LM)", "Formal verification",
                          "Own-initiative investigation (IAPS)", "Due soon"],
                   ["Laporan Masyarakat (LM)", "Verifikasi formil", "Hampir jatuh tempo"])
    assert 'value="received"' in body  # the filter's codes stay codes


def test_the_case_page_shows_english_buttons_guards_and_reasons(c: Any) -> None:
    case = file_report(c).case
    case = services.case_transition(actor=c.intake_kalsel, case=case, action="start_formal_verification")
    services.case_classify(actor=c.intake_kalsel, case=case, substance="Administrasi kependudukan",
                           agency_group="Pemerintah Daerah", alleged=["PERMINTAAN_IMBALAN"], complexity="light",
                           reporter_type="individual")
    body = english(c.intake_kalsel).get(reverse("complaint_manage:case", args=[case.pk])).content.decode()
    assert_english(body, [
        "Formal verification", "Public report (LM)", "Ask the reporter to complete the report", "Close the report",
        "The formal requirements are complete; nothing needs to be asked of the reporter.", "Received",
        "Withdrawn at the reporter&#x27;s request", "Civil registration", "Regional government",
        "Solicitation of money, goods or services", "Light", "Individual", "Report received",
        "Initial processing of the report", "Start formal verification"],
        ["Verifikasi formil", "Syarat formil sudah lengkap", "Tutup laporan", ">Administrasi kependudukan<",
         "Permintaan imbalan", "Diterima"])


def test_a_refused_action_answers_422_with_an_english_message_and_keeps_the_note(c: Any) -> None:
    case = file_report(c).case
    case = services.case_transition(actor=c.intake_kalsel, case=case, action="start_formal_verification")
    client = english(c.intake_kalsel)
    response = client.post(reverse("complaint_manage:act", args=[case.pk, "request_completeness"]),
                           {"note": "Catatan saya tetap ada"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "The formal requirements are complete; nothing needs to be asked" in body
    assert "Catatan saya tetap ada" in body and "Syarat formil sudah lengkap" not in body
    closing = client.post(reverse("complaint_manage:act", args=[case.pk, "close"]), {"reason": "", "note": "x"})
    assert closing.status_code == 422 and "Close the report" in closing.content.decode()
    done = client.post(reverse("complaint_manage:act", args=[case.pk, "pass_formal_verification"]), {"note": ""},
                       follow=True)
    assert "Saved: Formal requirements complete." in done.content.decode()


# --- the API follows the cookie ---------------------------------------------------------------------------------


def test_the_api_answers_labels_and_refusals_in_english_with_the_cookie(c: Any) -> None:
    case = file_report(c).case
    api = Api.as_user(c.intake_kalsel)
    api.prefix = "/api/complaints"
    in_english(api.client)
    actions = {a["action"]: a for a in api.get(f"/cases/{case.pk}/actions").json()}
    assert actions["start_formal_verification"]["label"] == "Start formal verification"
    assert actions["fast_track"]["refusals"] == [
        "The report does not meet the Ombudsman Rapid Response criteria (emergency, threat to safety, threat to the "
        "right to life)."]
    assert "Withdrawn at the reporter's request" in {r["label"] for r in actions["close"]["reasons"]}
    refused = api.post(f"/cases/{case.pk}/transitions", {"action": "fast_track"})
    assert refused.status_code == 422 and refused.json()["detail"].startswith("The report does not meet")
    detail = api.get(f"/cases/{case.pk}").json()
    assert detail["deadlines"][0]["title"] == "Initial processing of the report"
    assert detail["deadlines"][0]["status_label"] == "On time"
    assert detail["events"][0]["label"] == "Report received"
    moved = api.post(f"/cases/{case.pk}/transitions", {"action": "start_formal_verification"}).json()
    assert moved["state_label"] == "Formal verification"
    indonesian = Api.as_user(c.intake_kalsel)
    indonesian.prefix = "/api/complaints"
    assert indonesian.get(f"/cases/{case.pk}").json()["events"][0]["label"] == "Laporan diterima"
