"""The oversight numbers (issue 11): the SLA dashboard, the statistics of a year, their export and API. Cases
are built through the services at known moments (``time_machine``), so every count, median and 90th
percentile below is worked out by hand; each dashboard number is checked against the queue it links to."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pantau.complaints import services, stats
from pantau.complaints.models import Case
from pantau.complaints.tests.helpers import file_report, to_examination, to_lahp
from tests.cast import client_for

pytestmark = pytest.mark.django_db
T = TypeVar("T")
SLA, STATS = "complaint_manage:sla", "complaint_manage:stats"


def at(when: str, call: Callable[[], T]) -> T:
    """``call()`` at ``when`` (local time of the tests, +07:00)."""
    with time_machine.travel(f"{when} +07:00", tick=False):
        return call()


def report(c: Any, client_token: str, **extra: Any) -> Any:
    """``helpers.file_report`` with an event and a prior complaint early enough for reports of 2025."""
    return file_report(c, client_token=client_token, **{
        "event_date": dt.date(2025, 1, 6), "prior_complaint_date": dt.date(2025, 1, 20), **extra})


def opened(c: Any, when: str, token: str, **extra: Any) -> Case:
    return at(when, lambda: report(c, token, **extra).case)


def move(actor: Any, case: Case, when: str, action: str, **kw: Any) -> Case:
    return at(when, lambda: services.case_transition(actor=actor, case=case, action=action, **kw))


def formal(c: Any, case: Case, when: str) -> Case:
    """Formal verification passed at ``when``."""
    case = at(when, lambda: services.case_update_checks(actor=c.intake_kalsel, case=case, formal_complete=True))
    return move(c.intake_kalsel, case, when, "pass_formal_verification")


# --- time in stage -----------------------------------------------------------------------------------------------


def test_time_in_stage_counts_finished_stays_in_days_with_nearest_rank_median_and_p90(c: Any) -> None:
    # received: 1, 3, 2, 10 days -> sorted 1 2 3 10: median (2nd of 4) 2, p90 (4th) 10
    # formal verification: 10, 2, 2 days -> 2 2 10: median (2nd of 3) 2, p90 (3rd) 10; the rest still runs
    plan = [("03-03", "03-13"), ("03-05", "03-07"), ("03-04", "03-06"), ("03-12", None)]
    for i, (started, passed) in enumerate(plan):
        case = opened(c, "2026-03-02 09:00", f"stay-{i}")
        case = move(c.intake_kalsel, case, f"2026-{started} 09:00", "start_formal_verification")
        if passed:
            formal(c, case, f"2026-{passed} 09:00")
    with time_machine.travel("2026-11-02 09:00 +07:00", tick=False):
        where = stats.where_for(c.head_kalsel)
        times = {t.state: t for t in stats.statistics(where, 2026, dt.date(2026, 11, 2)).stage_times}
    assert (times["received"].stays, times["received"].median, times["received"].p90) == (4, 2, 10)
    assert (times["formal_verification"].stays, times["formal_verification"].median,
            times["formal_verification"].p90) == (3, 2, 10)
    assert "substantive_verification" not in times  # still running everywhere: nothing finished to count


def test_nearest_rank_percentiles() -> None:
    assert stats.nearest_rank({}, 0.5) is None
    assert stats.nearest_rank({7: 1}, 0.9) == 7
    assert stats.nearest_rank({1: 1, 2: 1, 3: 1, 10: 1}, 0.5) == 2
    assert stats.nearest_rank({1: 9, 50: 1}, 0.9) == 1
    assert stats.nearest_rank({1: 8, 50: 2}, 0.9) == 50


# --- counts by kind, classification, closure ------------------------------------------------------------------


@pytest.fixture
def year_2026(c: Any) -> dict[str, Any]:
    """Kalsel: two LMs examined (one to an LAHP that found solicitation), one closed at intake (withdrawn), one
    consultation; Kalteng: one LM; one Kalsel LM received in 2025."""
    made: dict[str, Any] = {}
    with time_machine.travel("2026-04-06 09:00 +07:00", tick=False):
        made["examined"] = to_examination(c, report(c, "y-1").case)
        made["lahp"] = to_lahp(c, to_examination(c, report(c, "y-2").case))
        withdrawn = report(c, "y-3").case
        made["closed"] = services.case_transition(actor=c.intake_kalsel, case=withdrawn, action="close",
                                                  reason="DICABUT_PELAPOR")
        report(c, "y-4", kind="consultation")
        report(c, "y-5", institution=c.barsel, unit=c.barsel_dukcapil, product=c.barsel_ktp)
    with time_machine.travel("2025-06-02 09:00 +07:00", tick=False):
        report(c, "y-old")
    return made


def test_statistics_count_the_offices_cases_of_the_year_exactly(c: Any, year_2026: Any) -> None:
    data = stats.statistics(stats.where_for(c.head_kalsel), 2026, dt.date(2026, 11, 2))
    assert data.received == 4 and data.closed == 1
    assert {t.code: t.count for t in data.by_kind} == {"public_report": 3, "consultation": 1}
    assert {t.code: t.count for t in data.by_substance} == {"Administrasi kependudukan": 2, "": 2}
    assert {t.code: t.count for t in data.by_group} == {"Pemerintah Daerah": 2, "": 2}
    forms = {m.code: (m.alleged, m.found) for m in data.maladministration}
    assert forms["PERMINTAAN_IMBALAN"] == (2, 1)
    assert sum(a + f for a, f in forms.values()) == 3
    assert {t.code: t.count for t in data.closure_reasons} == {"DICABUT_PELAPOR": 1}
    assert {t.code: t.count for t in data.closure_stages} == {"pvl": 1, "examination": 0, "resolution": 0}
    national = stats.statistics(stats.where_for(c.national_admin), 2026, dt.date(2026, 11, 2))
    assert national.received == 5
    assert stats.statistics(stats.where_for(c.national_admin), 2025, dt.date(2026, 11, 2)).received == 1
    kalteng = stats.where_for(c.national_admin, str(c.kalteng.pk))
    assert stats.statistics(kalteng, 2026, dt.date(2026, 11, 2)).received == 1


def test_the_ranking_shows_only_institutions_with_enough_reports(c: Any, settings: Any) -> None:
    with time_machine.travel("2026-04-06 09:00 +07:00", tick=False):
        cases = [to_lahp(c, to_examination(c, report(c, f"r-{i}").case)) for i in range(2)]
        for case in cases:
            services.case_transition(actor=c.examiner_kalsel, case=case, action="open_corrective_actions",
                                     payload={"demands": ["Kembalikan pungutan.", "Tegur petugas."]})
    demands = list(cases[0].demands.order_by("pk")) + list(cases[1].demands.order_by("pk"))
    due = demands[0].due_on
    # answered after 3 days, after 10 days, on the due date + 1 (late), one left unanswered past its due date
    for demand, day in zip(demands[:3], [dt.date(2026, 4, 9), dt.date(2026, 4, 16), due + dt.timedelta(days=1)],
                           strict=True):
        at(f"{day.isoformat()} 10:00",
           lambda d=demand: services.demand_answer(actor=c.admin_tabalong, demand=d, answer="Sudah."))
    today = due + dt.timedelta(days=5)
    settings.COMPLAINT_RANKING_MIN_REPORTS = 3
    assert stats.statistics(stats.where_for(c.head_kalsel), 2026, today).ranking == []
    settings.COMPLAINT_RANKING_MIN_REPORTS = 2
    [row] = stats.statistics(stats.where_for(c.head_kalsel), 2026, today).ranking
    issued = demands[0].issued_on
    answer_days = sorted([(dt.date(2026, 4, 9) - issued).days, (dt.date(2026, 4, 16) - issued).days,
                          (due + dt.timedelta(days=1) - issued).days])
    assert (row.institution_id, row.reports, row.demands, row.due, row.on_time) == (c.tabalong.pk, 2, 4, 4, 2)
    assert row.share == 50.0 and row.median_days == answer_days[1]


# --- the SLA dashboard ------------------------------------------------------------------------------------------


def _links(html: str) -> list[tuple[str, int]]:
    """The (queue URL, number) pairs of a dashboard page."""
    base = re.escape(reverse("complaint_manage:list"))
    return [(href.replace("&amp;", "&"), int(n)) for href, n in re.findall(rf'href="({base}\?[^"]*)">(\d+)</a>', html)]


@pytest.fixture
def sla_cases(c: Any) -> None:
    """Kalsel: three LMs at examination received on 6 April (their deadlines long past on 2 November), one
    received on 26 October (at intake), one closed; a Kalteng LM."""
    with time_machine.travel("2026-04-06 09:00 +07:00", tick=False):
        to_examination(c, report(c, "s-1").case)
        to_examination(c, report(c, "s-2").case)
        to_examination(c, report(c, "s-3").case)
        closing = report(c, "s-4").case
        services.case_transition(actor=c.intake_kalsel, case=closing, action="close", reason="DICABUT_PELAPOR")
    with time_machine.travel("2026-09-01 09:00 +07:00", tick=False):
        report(c, "s-7")  # left at intake: its first deadline long past
    with time_machine.travel("2026-10-14 09:00 +07:00", tick=False):
        report(c, "s-8")  # due on 28 October: a few working days late
    with time_machine.travel("2026-10-26 09:00 +07:00", tick=False):
        report(c, "s-5")
        report(c, "s-6", institution=c.barsel, unit=c.barsel_dukcapil, product=c.barsel_ktp)


@pytest.mark.usefixtures("november_2nd", "sla_cases")
def test_every_number_of_the_dashboard_is_the_length_of_the_queue_it_links_to(c: Any) -> None:
    for user in (c.head_kalsel, c.national_admin):
        client = client_for(user)
        response = client.get(reverse(SLA))
        assert response.status_code == 200
        links = _links(response.content.decode())
        assert len(links) > 20
        for url, number in links:
            listed = client.get(url)
            assert listed.status_code == 200 and len(listed.context["rows"]) == number, (url, number)
    data = sla_of(c.head_kalsel)
    assert (data.total.total, {r.key: r.total for r in data.stages}) == (6, {"examination": 3, "received": 3})
    assert (data.total.overdue, data.total.very_overdue) == (1, 1)
    assert [(r.key, r.overdue, r.very_overdue) for r in data.stages] == [("received", 1, 1), ("examination", 0, 0)]
    assert [(r.label, r.total) for r in data.examiners] == [(c.examiner_kalsel.full_name, 3)]
    assert {b.code: b.count for b in data.ageing} == {"0-30": 2, "31-90": 1, "91-180": 0, "181-365": 3, "365+": 0}
    assert {m.month: (m.received, m.closed) for m in data.months}[dt.date(2026, 4, 1)] == (4, 1)
    national = sla_of(c.national_admin)
    assert national.total.total == 7


@pytest.mark.usefixtures("november_2nd", "sla_cases")
def test_an_examiner_sees_only_their_own_cases_and_office_staff_only_their_office(c: Any) -> None:
    own = client_for(c.examiner2_kalsel).get(reverse(SLA))
    assert own.status_code == 200 and own.context["sla"].total.total == 0 and own.context["own"]
    mine = sla_of(c.examiner_kalsel)
    assert mine.total.total == 3 and mine.where.examiner_id == c.examiner_kalsel.pk
    kalteng = sla_of(c.intake_kalteng)
    assert kalteng.total.total == 1
    assert client_for(c.intake_kalteng).get(reverse(SLA), {"kantor": c.kalsel.pk}).status_code == 400


@pytest.mark.parametrize("name", [SLA, STATS, "complaint_manage:stats_csv", "complaint_manage:stats_xlsx"])
def test_providers_and_outsiders_do_not_see_the_oversight_pages(c: Any, name: str) -> None:
    for user in (c.admin_tabalong, c.operator_dukcapil, c.outsider, c.national_assessor):
        assert client_for(user).get(reverse(name)).status_code == 404
    assert Client().get(reverse(name)).status_code == 302


@pytest.mark.parametrize(("params", "says"), [
    ({"tahun": "dua ribu"}, "Tahun tidak dikenal"), ({"tahun": "1850"}, "Tahun tidak dikenal"),
    ({"kantor": "999999"}, "Kantor tidak dikenal"), ({"kantor": "x1"}, "Kantor tidak dikenal"),
])
def test_a_bad_year_or_office_answers_a_clear_message(c: Any, params: dict[str, str], says: str) -> None:
    for name in (STATS, "complaint_manage:stats_csv"):
        response = client_for(c.national_admin).get(reverse(name), params)
        assert response.status_code == 400 and says in response.content.decode()
    if "kantor" in params:
        assert client_for(c.head_kalsel).get(reverse(SLA), params).status_code == 400


def test_office_staff_cannot_pick_another_office(c: Any) -> None:
    response = client_for(c.head_kalsel).get(reverse(STATS), {"kantor": c.kalteng.pk})
    assert response.status_code == 400 and "Kantor tidak dikenal" in response.content.decode()


# --- page, export and API agree ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("november_2nd", "year_2026")
def test_the_export_and_the_api_hold_the_numbers_of_the_page(c: Any) -> None:
    client = client_for(c.head_kalsel)
    page = client.get(reverse(STATS), {"tahun": "2026"})
    assert page.status_code == 200
    expected = [(t, r, m, "" if v is None else str(v)) for t, r, m, v in stats.table_rows(page.context["stats"])]
    assert ("Jenis catatan", "Laporan Masyarakat (LM)", "Jumlah", "3") in expected
    exported = client.get(reverse("complaint_manage:stats_csv"), {"tahun": "2026"})
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["Tabel", "Baris", "Ukuran", "Nilai"]
    assert [tuple(r) for r in rows[1:]] == expected
    book = load_workbook(io.BytesIO(client.get(reverse("complaint_manage:stats_xlsx"), {"tahun": "2026"}).content))
    sheet = [tuple("" if v is None else str(v) for v in row) for row in book["statistik"].iter_rows(values_only=True)]
    assert [(t, r, m, str(int(float(v))) if v else "") for t, r, m, v in sheet[1:]] == expected
    from pantau.complaints.tests.test_api import staff

    answered = staff(c.head_kalsel).get("/stats/year?year=2026").json()
    assert answered["received"] == page.context["stats"].received == 4
    assert {r["code"]: r["count"] for r in answered["by_kind"]} == {"public_report": 3, "consultation": 1}
    assert staff(c.head_kalsel).get("/stats/year?year=abc").status_code == 422
    assert staff(c.head_kalsel).get(f"/stats/sla?office={c.kalteng.pk}").status_code == 422
    assert staff(c.admin_tabalong).get("/stats/year").status_code == 404
    sla = staff(c.head_kalsel).get("/stats/sla").json()
    assert sla["total"]["open"] == sla_of(c.head_kalsel).total.total


def sla_of(user: Any) -> Any:
    """The dashboard's numbers as the page computes them (the cache emptied first: a cached page has no
    context)."""
    cache.clear()
    return client_for(user).get(reverse(SLA)).context["sla"]


@pytest.mark.usefixtures("november_2nd", "sla_cases")
def test_the_dashboard_is_served_from_the_cache_until_a_case_or_the_date_changes(c: Any) -> None:
    cache.clear()
    client = client_for(c.head_kalsel)
    first = client.get(reverse(SLA))
    assert first["X-Pantau-Cache"] == "miss" and first.context["sla"].total.total == 6
    assert client.get(reverse(SLA))["X-Pantau-Cache"] == "hit"
    assert client_for(c.intake_kalsel).get(reverse(SLA))["X-Pantau-Cache"] == "miss"  # kept per viewer
    file_report(c)
    changed = client.get(reverse(SLA))
    assert changed["X-Pantau-Cache"] == "miss" and changed.context["sla"].total.total == 7
    with time_machine.travel("2026-11-03 09:00 +07:00", tick=False):  # ages and deadlines move with the date
        assert client_for(c.head_kalsel).get(reverse(SLA))["X-Pantau-Cache"] == "miss"  # (a new sign-in: 8 h)


def test_the_statistics_page_is_served_from_the_cache_until_a_case_changes(c: Any, year_2026: Any) -> None:
    client = client_for(c.head_kalsel)
    with time_machine.travel("2026-11-02 09:00 +07:00", tick=False):
        assert client.get(reverse(STATS))["X-Pantau-Cache"] == "miss"
        assert client.get(reverse(STATS))["X-Pantau-Cache"] == "hit"
        report(c, "y-new")
        changed = client.get(reverse(STATS))
    assert changed["X-Pantau-Cache"] == "miss" and changed.context["stats"].received == 5


# --- query counts ---------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("november_2nd")
def test_the_oversight_pages_read_a_fixed_number_of_queries(c: Any, django_assert_max_num_queries: Any,
                                                            settings: Any) -> None:
    from django.core.cache import cache

    client = client_for(c.head_kalsel)
    counts = []
    settings.COMPLAINT_RANKING_MIN_REPORTS = 1
    for n in (2, 8):
        with time_machine.travel("2026-04-06 09:00 +07:00", tick=False):
            while Case.objects.count() < n:
                to_examination(c, report(c, f"q-{Case.objects.count()}").case)
        cache.clear()
        with django_assert_max_num_queries(30) as sla_queries:
            assert client.get(reverse(SLA)).status_code == 200
        cache.clear()
        with django_assert_max_num_queries(40) as stats_queries:
            assert client.get(reverse(STATS)).status_code == 200
        counts.append((len(sla_queries), len(stats_queries)))
    assert counts[0] == counts[1]
