"""Duplicate reports: suggestions (same reporter, or same institution and similar text, within the office)
and staff linking into one group, audited and in the history; other offices' cases answer 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pantau.complaints import duplicates, workflow
from pantau.complaints.models import Case, DuplicateGroup, Event
from pantau.complaints.tests.helpers import REPORTER, file_report
from pantau.core.models import AuditEvent
from tests.cast import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]
OTHER_PERSON = {"full_name": "Budi Contoh", "nik": "6309010101900003", "email": "budi@contoh.id",
                "phone": "081299990000"}


def case_url(case: Case) -> str:
    return f"/kelola/laporan/{case.pk}/"


def test_similar_text_about_the_same_institution_is_suggested(c: Any) -> None:
    first = file_report(c, reporter=OTHER_PERSON).case
    again = file_report(c, reporter={"full_name": "Ani Contoh"}, title="Pungli pembuatan KTP elektronik").case
    unrelated = file_report(c, reporter={"full_name": "Ani Contoh"}, title="Antrean panjang",
                            chronology="Antrean di loket sangat panjang dan kursi tunggu kurang sekali.").case
    found = duplicates.suggestions(c.head_kalsel, again)
    assert [s.pk for s in found] == [first.pk]
    assert not found[0].same_reporter and 0.25 <= found[0].score <= 1
    assert unrelated.pk not in [s.pk for s in duplicates.suggestions(c.head_kalsel, first)]


def test_the_same_reporter_is_suggested_only_to_who_may_see_the_identity(c: Any) -> None:
    first = file_report(c).case
    other = file_report(c, title="Jalan rusak", chronology="Jalan desa rusak berat sejak lama sekali, tidak ada "
                        "perbaikan.", institution=c.banjarmasin, unit=None, product=None,
                        reporter={**REPORTER, "phone": "+6281234567890", "nik": "", "email": ""}).case
    found = duplicates.suggestions(c.intake_kalsel, other)  # intake may see the identity
    assert [(s.pk, s.same_reporter) for s in found] == [(first.pk, True)]
    # The head may not see a confidential reporter's identity: no same-reporter suggestion.
    assert duplicates.suggestions(c.head_kalsel, other) == []
    page = client_for(c.intake_kalsel).get(case_url(other)).content.decode()
    assert "pelapor yang sama" in page and REPORTER["nik"] not in page and REPORTER["email"] not in page


def test_cases_of_another_office_are_never_suggested(c: Any) -> None:
    theirs = file_report(c, institution=c.barsel, unit=c.barsel_dukcapil, product=c.barsel_ktp).case
    ours = file_report(c).case
    assert duplicates.suggestions(c.intake_kalsel, ours) == []
    assert duplicates.suggestions(c.intake_kalteng, theirs) == []


def test_linking_and_unlinking_are_audited_and_in_the_history(c: Any) -> None:
    a, b, d = (file_report(c).case for _ in range(3))
    client = client_for(c.intake_kalsel)
    response = client.post(f"{case_url(a)}ganda/", {"other": b.pk})
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.duplicate_group_id is not None and a.duplicate_group_id == b.duplicate_group_id
    assert Event.objects.filter(case=a, action="duplicate_link").count() == 1
    assert AuditEvent.objects.filter(event_type="case.duplicate_linked").count() == 2
    page = client.get(case_url(a)).content.decode()
    assert b.number in page and "Lepaskan laporan ini" in page
    group = duplicates.link(actor=c.intake_kalsel, case=d, other=b)  # joins the group
    assert set(Case.objects.filter(duplicate_group=group).values_list("pk", flat=True)) == {a.pk, b.pk, d.pk}
    assert client.post(f"{case_url(a)}ganda/lepas/").status_code == 302
    a.refresh_from_db()
    assert a.duplicate_group_id is None
    duplicates.unlink(actor=c.intake_kalsel, case=b)  # a group of one is removed
    assert not DuplicateGroup.objects.exists()
    assert not Case.objects.filter(duplicate_group__isnull=False).exists()
    assert AuditEvent.objects.filter(event_type="case.duplicate_unlinked").count() == 2


def test_two_groups_merge(c: Any) -> None:
    a, b, d, e = (file_report(c).case for _ in range(4))
    duplicates.link(actor=c.intake_kalsel, case=a, other=b)
    duplicates.link(actor=c.intake_kalsel, case=d, other=e)
    duplicates.link(actor=c.intake_kalsel, case=a, other=e)
    assert DuplicateGroup.objects.count() == 1
    assert Case.objects.filter(duplicate_group__isnull=False).count() == 4


def test_bad_links_are_refused_with_a_message_and_nothing_written(c: Any) -> None:
    a, b = file_report(c).case, file_report(c).case
    theirs = file_report(c, institution=c.barsel, unit=c.barsel_dukcapil, product=c.barsel_ktp).case
    client = client_for(c.intake_kalsel)
    assert client.post(f"{case_url(a)}ganda/", {"other": theirs.pk}).status_code == 404  # out of scope
    assert client.post(f"{case_url(a)}ganda/", {"other": "x"}).status_code == 404
    assert client.post(f"{case_url(a)}ganda/", {"other": "²"}).status_code == 404
    response = client.post(f"{case_url(a)}ganda/", {"other": a.pk}, follow=True)
    assert "Pilih laporan lain" in response.content.decode()
    response = client.post(f"{case_url(a)}ganda/lepas/", follow=True)
    assert "tidak ditautkan" in response.content.decode()
    with pytest.raises(ValidationError):
        duplicates.link(actor=c.national_admin, case=a, other=theirs)  # another office
    with pytest.raises(workflow.TransitionRefused):
        duplicates.link(actor=c.examiner_kalsel, case=a, other=b)  # not intake or head
    assert not DuplicateGroup.objects.exists() and not Event.objects.filter(action="duplicate_link").exists()
    # Provider staff and other offices cannot link: 404.
    assert client_for(c.admin_tabalong).post(f"{case_url(a)}ganda/", {"other": b.pk}).status_code == 404
    assert client_for(c.intake_kalteng).post(f"{case_url(a)}ganda/", {"other": b.pk}).status_code == 404


def test_anonymous_visitors_cannot_link(client: Any, c: Any) -> None:
    a, b = file_report(c).case, file_report(c).case
    assert client.post(f"{case_url(a)}ganda/", {"other": b.pk}).status_code in (302, 403)
    assert not DuplicateGroup.objects.exists()
