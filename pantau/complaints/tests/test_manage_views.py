"""The staff and provider queue of complaints and the staff entry of a report (issue 10, task B)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.urls import reverse

from pantau.complaints import clock, deadlines, views_manage
from pantau.complaints import due as vm
from pantau.complaints.models import Case, Reporter
from pantau.complaints.tests.helpers import CHRONOLOGY, file_report, to_examination
from pantau.core.models import AuditEvent
from tests.cast import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]
LIST = "/kelola/laporan/"
NEW = "/kelola/laporan/baru/"




def numbers(response: Any) -> list[str]:
    return [row["case"].number for row in response.context["rows"]]


# --- deadline thresholds --------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", ["2026-11-02", "2026-03-17", "2026-12-24", "2026-01-05", "2026-05-29"])
def test_the_queue_thresholds_give_the_same_status_as_the_deadline_engine(today: str) -> None:
    day = dt.date.fromisoformat(today)
    calendar = deadlines.default_calendar()
    limits = vm.thresholds(day, calendar)
    for offset in range(-40, 40):
        due = day + dt.timedelta(days=offset)
        assert limits.status(due) == deadlines.status(due, day, calendar), due


def test_the_deadline_filter_names_only_statuses_the_engine_knows() -> None:
    from pantau.complaints.forms_manage import deadline_choices_valid

    assert deadline_choices_valid()


# --- the queue ------------------------------------------------------------------------------------------------


def test_intake_sees_the_cases_of_its_office_and_not_another_offices(c: Any) -> None:
    ours = file_report(c).case
    theirs = file_report(c, institution=c.barsel, unit=c.barsel_dukcapil, product=c.barsel_ktp).case
    response = client_for(c.intake_kalsel).get(LIST)
    assert response.status_code == 200
    assert numbers(response) == [ours.number]
    assert theirs.number not in response.content.decode()
    assert numbers(client_for(c.intake_kalteng).get(LIST)) == [theirs.number]


def test_people_without_a_complaint_role_get_404(c: Any) -> None:
    for user in (c.outsider, c.assessor_kalsel):
        assert client_for(user).get(LIST).status_code == 404
    assert client_for(c.intake_kalsel).post(LIST).status_code == 405


def test_the_nav_item_shows_to_complaint_staff_and_providers_only(c: Any) -> None:
    assert b'href="/kelola/laporan/"' in client_for(c.intake_kalsel).get("/").content
    assert b'href="/kelola/laporan/"' in client_for(c.admin_tabalong).get("/").content
    assert b'href="/kelola/laporan/"' not in client_for(c.assessor_kalsel).get("/").content


def test_my_tasks_for_an_examiner_are_the_cases_assigned_to_them(c: Any) -> None:
    mine = to_examination(c, file_report(c).case)
    file_report(c)
    response = client_for(c.examiner_kalsel).get(LIST, {"tab": "tugas"})
    assert numbers(response) == [mine.number]
    assert numbers(client_for(c.examiner2_kalsel).get(LIST, {"tab": "tugas"})) == []
    assert len(numbers(client_for(c.examiner_kalsel).get(LIST))) == 2


def test_a_provider_sees_only_the_notified_cases_of_its_institution(c: Any) -> None:
    notified = to_examination(c, file_report(c).case)
    file_report(c)  # not yet notified to the reported party
    response = client_for(c.admin_tabalong).get(LIST, {"tab": "tugas"})
    assert numbers(response) == [notified.number]
    assert numbers(client_for(c.operator_dukcapil).get(LIST)) == [notified.number]
    assert numbers(client_for(c.admin_barsel).get(LIST)) == []


def test_filters_by_stage_kind_and_text(c: Any) -> None:
    first = file_report(c, title="Sertifikat tanah tidak terbit").case
    second = to_examination(c, file_report(c).case)
    client = client_for(c.intake_kalsel)
    assert numbers(client.get(LIST, {"tahap": "examination"})) == [second.number]
    assert numbers(client.get(LIST, {"q": "sertifikat"})) == [first.number]
    assert numbers(client.get(LIST, {"q": first.number[:9]})) == [first.number]
    assert numbers(client.get(LIST, {"jenis": "consultation"})) == []


def test_unknown_filter_values_are_ignored_with_a_message(c: Any) -> None:
    case = file_report(c).case
    response = client_for(c.intake_kalsel).get(LIST, {"tahap": "bogus", "tenggat": "x", "q": "a" * 500,
                                                      "setelah": "99999999999999999999999"})
    assert response.status_code == 200
    assert numbers(response) == [case.number]
    assert "Sebagian saringan tidak dikenal" in response.content.decode()


def test_the_deadline_filter_uses_next_due_on(c: Any) -> None:
    today = clock.today()
    cases = {name: file_report(c).case for name in ("soon", "late", "very", "later")}
    limits = vm.thresholds(today, clock.calendar())
    dues = {"soon": today, "late": today - dt.timedelta(days=1), "very": limits.very_before - dt.timedelta(days=1),
            "later": today + dt.timedelta(days=30)}
    for name, due in dues.items():
        Case.objects.filter(pk=cases[name].pk).update(next_due_on=due)
    client = client_for(c.intake_kalsel)
    assert numbers(client.get(LIST, {"tenggat": "due_soon"})) == [cases["soon"].number]
    assert numbers(client.get(LIST, {"tenggat": "overdue"})) == [cases["late"].number]
    assert numbers(client.get(LIST, {"tenggat": "very_overdue"})) == [cases["very"].number]
    by_due = numbers(client.get(LIST, {"urut": "tenggat"}))
    assert by_due == [cases[n].number for n in ("very", "late", "soon", "later")]
    assert "sangat terlambat" in client.get(LIST).content.decode()


def test_pages_follow_by_key_both_ways(c: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views_manage, "PAGE_SIZE", 2)
    made = [file_report(c).case for _ in range(5)]
    client = client_for(c.intake_kalsel)
    first = client.get(LIST)
    assert numbers(first) == [made[4].number, made[3].number]
    second = client.get(LIST, {"setelah": first.context["page"].next_cursor})
    assert numbers(second) == [made[2].number, made[1].number]
    back = client.get(LIST, {"sebelum": second.context["page"].previous_cursor})
    assert numbers(back) == [made[4].number, made[3].number]
    third = client.get(LIST, {"setelah": second.context["page"].next_cursor})
    assert numbers(third) == [made[0].number] and third.context["page"].next_cursor is None


def test_the_queue_reads_a_flat_number_of_queries(c: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(3):
        to_examination(c, file_report(c).case)
    client = client_for(c.examiner_kalsel)
    client.get(LIST)
    with django_assert_max_num_queries(10):
        small = client.get(LIST, {"tenggat": "overdue"})
    for _ in range(25):
        file_report(c)
    with django_assert_max_num_queries(10):
        big = client.get(LIST)
    assert small.status_code == big.status_code == 200 and len(big.context["rows"]) == 28


# --- staff entry ----------------------------------------------------------------------------------------------


def entry(c: Any, **overrides: Any) -> dict[str, Any]:
    data = {"kind": "public_report", "channel": "walk_in", "office": c.kalsel.pk, "title": "Pungutan liar KTP-el",
            "chronology": CHRONOLOGY, "event_date": "2026-10-01", "prior_complaint": "silent",
            "prior_complaint_date": "2026-10-15", "visibility": "confidential", "full_name": "Budi Santoso",
            "nik": "6309014506900002", "phone": "0812 3456 7890", "address": "Jl. Tanjung 5",
            "place": f"p:{c.ktp.pk}", "client_token": uuid.uuid4().hex}
    data.update(overrides)
    return data


def test_intake_records_a_walk_in_report_and_gets_the_tracking_link_once(c: Any) -> None:
    client = client_for(c.intake_kalsel)
    assert client.get(NEW).status_code == 200
    data = entry(c)
    response = client.post(NEW, data)
    assert response.status_code == 200
    case = Case.objects.get()
    assert (case.channel, case.kind, case.institution, case.unit, case.product) == (
        "walk_in", "public_report", c.tabalong, c.dukcapil, c.ktp)
    assert case.intake_officer == c.intake_kalsel and case.office == c.kalsel
    assert Reporter.objects.get(case=case).phone == "081234567890"
    link = response.context["link"]
    assert "/lapor/" in link and len(link) > 40 and case.number in response.content.decode()
    again = client.post(NEW, data)  # a double tap: the same case, no second link
    assert Case.objects.count() == 1 and again.context["link"] == "" and not again.context["created"]
    for event in AuditEvent.objects.all():
        assert "Budi Santoso" not in f"{event.before} {event.after}"


def test_a_bad_entry_is_shown_again_with_what_was_typed(c: Any) -> None:
    client = client_for(c.intake_kalsel)
    response = client.post(NEW, entry(c, title="", nik="12345", event_date="2026-13-45",
                                      chronology="Kronologi yang saya ketik panjang sekali."))
    assert response.status_code == 422
    body = response.content.decode()
    assert "NIK terdiri atas 16 angka." in body and "Kronologi yang saya ketik panjang sekali." in body
    assert Case.objects.count() == 0
    future = client.post(NEW, entry(c, event_date="2026-12-30"))
    assert future.status_code == 422 and "tidak boleh sesudah hari ini" in future.content.decode()
    unknown = client.post(NEW, entry(c, place="p:999999"))
    assert unknown.status_code == 422 and "cari dan pilih lagi" in unknown.content.decode()
    assert Case.objects.count() == 0


def test_searching_the_registry_keeps_the_form_as_typed(c: Any) -> None:
    response = client_for(c.intake_kalsel).post(NEW, {**entry(c, place=""), "cari": "1", "cari_tempat": "ktp"})
    assert response.status_code == 200 and Case.objects.count() == 0
    values = [value for value, _label in response.context["results"]]
    assert f"p:{c.ktp.pk}" in values and f"p:{c.barsel_ktp.pk}" in values
    assert "Pungutan liar KTP-el" in response.content.decode()


def test_an_examiner_records_only_own_initiative_cases(c: Any) -> None:
    client = client_for(c.examiner_kalsel)
    refused = client.post(NEW, entry(c, kind="public_report"))
    assert refused.status_code == 422 and Case.objects.count() == 0
    opened = client.post(NEW, entry(c, kind="own_initiative", channel="social_media"))
    assert opened.status_code == 200
    case = Case.objects.get()
    assert case.kind == "own_initiative" and opened.context["link"] == ""
    assert not Reporter.objects.filter(case=case).exists()


def test_an_office_not_ones_own_is_refused(c: Any) -> None:
    response = client_for(c.intake_kalsel).post(NEW, entry(c, office=c.kalteng.pk))
    assert response.status_code == 422 and Case.objects.count() == 0


def test_a_provider_records_a_complaint_made_to_it(c: Any) -> None:
    client = client_for(c.admin_tabalong)
    opened = client.post(NEW, entry(c, kind="provider_complaint", channel="walk_in", office=""))
    assert opened.status_code == 200
    assert Case.objects.get().office is None and Case.objects.get().kind == "provider_complaint"
    other = client_for(c.admin_barsel).post(NEW, entry(c, kind="provider_complaint", office=""))
    assert other.status_code == 422 and Case.objects.count() == 1


def test_users_who_record_nothing_get_404_on_the_entry_page(c: Any) -> None:
    assert client_for(c.outsider).get(NEW).status_code == 404
    assert client_for(c.national_admin).get(NEW).status_code == 404
    assert reverse("complaint_manage:new") == NEW
