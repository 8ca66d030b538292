"""The deadline arithmetic against the real 2024–2027 Indonesian holidays, a naive day-by-day reference,
hand-counted examples and hypothesis properties; the rule file, the status thresholds and the two-year rule."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.complaints import deadlines as dl
from pantau.complaints.deadlines import (
    Calendar,
    CalendarRangeError,
    DeadlineError,
    HolidayFileError,
    RuleFileError,
    due_date,
    event_too_old,
    last_day_to_report,
    load_holidays,
    load_rules,
    rules_for,
    status,
    step_status,
)

SETTINGS = settings(max_examples=150, deadline=None, database=None)
CAL = dl.default_calendar()
ONE = timedelta(days=1)

# The reference reads the CSV with nothing but the csv module: every listed date is a day off.
with dl.HOLIDAYS_FILE.open(encoding="utf-8", newline="") as _f:
    CSV_ROWS = list(csv.DictReader(_f))
DAYS_OFF = {date.fromisoformat(r["date"]) for r in CSV_ROWS}


def naive_working(d: date) -> bool:
    return d.weekday() < 5 and d not in DAYS_OFF


def naive_add(start: date, n: int) -> date:
    d = start
    while n:
        d += ONE
        n -= naive_working(d)
    return d


def naive_between(a: date, b: date) -> int:
    return sum(naive_working(a + ONE * i) for i in range(1, (b - a).days + 1))


def d(text: str) -> date:
    return date.fromisoformat(text)


PLAIN_2025 = Calendar((), years=[2025])  # weekends only
starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 6, 30))


# --- the shipped holiday file --------------------------------------------------------------------------------


def test_the_holiday_file_has_every_row_of_the_decrees_per_year_and_kind() -> None:
    counts: dict[tuple[int, str], int] = {}
    for h in load_holidays(dl.HOLIDAYS_FILE):
        counts[h.date.year, h.kind] = counts.get((h.date.year, h.kind), 0) + 1
    # holidays-id.md: 2024 17 + 2 election days by Keppres and 10 cuti bersama, 2025 17 + 11 (amended),
    # 2026 17 + 8, 2027 18 + 8.
    assert counts == {(2024, "libur_nasional"): 19, (2024, "cuti_bersama"): 10,
                      (2025, "libur_nasional"): 17, (2025, "cuti_bersama"): 11,
                      (2026, "libur_nasional"): 17, (2026, "cuti_bersama"): 8,
                      (2027, "libur_nasional"): 18, (2027, "cuti_bersama"): 8}
    assert CAL.years == (2024, 2025, 2026, 2027)


def test_the_holiday_file_is_the_shared_copy_unchanged() -> None:
    shared = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "holidays-id.csv"
    if not shared.exists():
        pytest.skip(f"{shared} is not here")
    assert dl.HOLIDAYS_FILE.read_bytes() == shared.read_bytes()


def test_every_holiday_and_cuti_bersama_of_the_file_is_a_day_off_and_is_skipped() -> None:
    assert len(CSV_ROWS) == 108
    for row in CSV_ROWS:
        day = d(row["date"])
        assert not CAL.is_working_day(day), row
        assert CAL.holiday(day) is not None and CAL.holiday(day).name == row["name"]  # type: ignore[union-attr]
        assert CAL.add_working_days(day - ONE, 1) != day
        assert CAL.working_days_between(day - ONE, day) == 0


def test_ordinary_weekdays_are_working_days_and_weekends_are_not() -> None:
    assert CAL.is_working_day(d("2025-04-08"))  # Tuesday after the Idul Fitri block
    assert CAL.holiday(d("2025-04-08")) is None
    assert not CAL.is_working_day(d("2025-04-12")) and not CAL.is_working_day(d("2025-04-13"))
    assert CAL.holiday(d("2025-08-18")).kind_label == "Cuti bersama"  # type: ignore[union-attr]


# --- the counting convention ---------------------------------------------------------------------------------


def test_a_report_received_on_friday_with_three_working_days_is_due_on_wednesday() -> None:
    assert PLAIN_2025.add_working_days(d("2025-07-04"), 3) == d("2025-07-09")  # Fri → Wed
    assert PLAIN_2025.add_working_days(d("2025-07-05"), 3) == d("2025-07-09")  # Sat → Wed
    assert PLAIN_2025.add_working_days(d("2025-07-06"), 3) == d("2025-07-09")  # Sun → Wed
    assert PLAIN_2025.add_working_days(d("2025-07-07"), 3) == d("2025-07-10")  # Mon → Thu
    assert PLAIN_2025.add_working_days(d("2025-07-04"), 1) == d("2025-07-07")
    assert PLAIN_2025.add_working_days(d("2025-07-05"), 0) == d("2025-07-05")


def test_idul_fitri_2025_with_its_cuti_bersama_is_skipped() -> None:
    # Thu 27 Mar 2025: 28 cuti Nyepi, 29 Nyepi, 31 Mar–1 Apr Idul Fitri, 2–4 and 7 Apr cuti bersama.
    assert CAL.add_working_days(d("2025-03-27"), 1) == d("2025-04-08")
    assert CAL.add_working_days(d("2025-03-27"), 3) == d("2025-04-10")
    assert CAL.working_days_between(d("2025-03-27"), d("2025-04-10")) == 3
    assert CAL.working_days_between(d("2025-03-27"), d("2025-04-07")) == 0


def test_nyepi_and_idul_fitri_2026_are_skipped() -> None:
    # Tue 17 Mar 2026: 18 cuti Nyepi, 19 Nyepi, 20 cuti, 21–22 Idul Fitri, 23–24 cuti bersama.
    assert CAL.add_working_days(d("2026-03-17"), 3) == d("2026-03-27")
    assert CAL.next_working_day(d("2026-03-17")) == d("2026-03-25")


def test_other_real_holidays() -> None:
    assert CAL.add_working_days(d("2025-08-15"), 1) == d("2025-08-19")  # 18 Aug 2025 cuti by the amendment
    assert CAL.add_working_days(d("2024-02-13"), 1) == d("2024-02-15")  # 14 Feb 2024 election day (Keppres)
    assert CAL.add_working_days(d("2026-12-23"), 1) == d("2026-12-28")  # 24 cuti, 25 Natal, weekend


def test_working_days_cross_the_year_end() -> None:
    # Thu 31 Dec 2026 → Fri 1 Jan 2027 New Year, weekend, Mon 4 Jan, Tue 5 Jan Isra Mikraj, Wed 6 Jan.
    assert CAL.add_working_days(d("2026-12-31"), 1) == d("2027-01-04")
    assert CAL.add_working_days(d("2026-12-31"), 2) == d("2027-01-06")
    # Tue 24 Dec 2024 → 25 Natal, 26 cuti, Fri 27, Mon 30, Tue 31, Wed 1 Jan 2025 New Year, Thu 2 Jan.
    assert CAL.add_working_days(d("2024-12-24"), 4) == d("2025-01-02")
    assert CAL.working_days_between(d("2024-12-24"), d("2025-01-02")) == 4


@SETTINGS
@given(starts, st.integers(0, 100))
def test_adding_working_days_agrees_with_counting_day_by_day(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n)
    assert due == naive_add(start, n)
    assert CAL.working_days_between(start, due) == n
    if n >= 1:
        assert due > start and CAL.is_working_day(due)
        assert naive_between(start, due - ONE) == n - 1  # the n-th working day, not a later one
        assert CAL.add_working_days(start, n - 1) < due


@SETTINGS
@given(starts, st.integers(0, 50), st.integers(0, 50))
def test_adding_working_days_is_monotone_and_additive(start: date, m: int, n: int) -> None:
    low, high = sorted((m, n))
    assert CAL.add_working_days(start, low) <= CAL.add_working_days(start, high)
    assert CAL.add_working_days(CAL.add_working_days(start, m), n) == CAL.add_working_days(start, m + n)


@SETTINGS
@given(st.integers(2024, 2026), st.integers(20, 31), st.integers(1, 25))
def test_periods_started_in_late_december_cross_into_the_next_year(year: int, day: int, n: int) -> None:
    start, new_year_eve = date(year, 12, day), date(year, 12, 31)
    due = CAL.add_working_days(start, n)
    assert due == naive_add(start, n)
    assert CAL.working_days_between(start, due) == n
    left_this_year = naive_between(start, new_year_eve)
    assert (due.year == year + 1) == (n > left_this_year)
    if due.year > year:
        assert CAL.working_days_between(new_year_eve, due) == n - left_this_year
        assert CAL.add_working_days(new_year_eve, n - left_this_year) == due


@SETTINGS
@given(starts, starts, starts)
def test_working_days_between_is_a_signed_count(a: date, b: date, c: date) -> None:
    low, high = sorted((a, b))
    assert CAL.working_days_between(low, high) == naive_between(low, high)
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)
    assert CAL.working_days_between(a, b) + CAL.working_days_between(b, c) == CAL.working_days_between(a, c)


@SETTINGS
@given(starts)
def test_roll_forward_gives_the_first_working_day_on_or_after(day: date) -> None:
    rolled = CAL.roll_forward(day)
    assert rolled >= day and CAL.is_working_day(rolled)
    assert all(not naive_working(day + ONE * i) for i in range((rolled - day).days))


def test_calendar_days_are_counted_from_the_day_after_the_start() -> None:
    assert CAL.add_calendar_days(d("2025-03-01"), 30) == d("2025-03-31")  # Idul Fitri
    assert CAL.add_calendar_days(d("2025-03-01"), 30, roll_forward=True) == d("2025-04-08")
    assert CAL.add_calendar_days(d("2025-06-02"), 0, roll_forward=True) == d("2025-06-02")


def test_negative_counts_are_refused() -> None:
    with pytest.raises(DeadlineError, match="negatif"):
        CAL.add_working_days(d("2025-01-02"), -1)
    with pytest.raises(DeadlineError, match="negatif"):
        CAL.add_calendar_days(d("2025-01-02"), -1)


def test_a_datetime_is_refused_so_a_utc_timestamp_is_never_taken_for_the_local_day() -> None:
    with pytest.raises(DeadlineError, match="tanggal"):
        CAL.add_working_days(datetime(2025, 1, 2, 23, 0), 1)  # type: ignore[arg-type]
    with pytest.raises(DeadlineError):
        CAL.is_working_day(datetime(2025, 1, 2))  # type: ignore[arg-type]


def test_cuti_bersama_can_be_counted_as_working_days_for_another_calendar() -> None:
    public_only = Calendar(CAL.holidays, non_working_kinds=["libur_nasional"])
    assert public_only.is_working_day(d("2025-04-02")) and not CAL.is_working_day(d("2025-04-02"))
    assert not public_only.is_working_day(d("2025-03-31"))
    with pytest.raises(DeadlineError, match="tidak dikenal"):
        Calendar(CAL.holidays, non_working_kinds=["libur"])


# --- years the calendar has not loaded -----------------------------------------------------------------------


def test_a_date_beyond_the_loaded_years_raises_a_clear_error() -> None:
    with pytest.raises(CalendarRangeError) as caught:
        CAL.add_working_days(d("2027-12-20"), 10)
    assert caught.value.year == 2028
    assert "Kalender hari libur belum memuat tahun 2028" in str(caught.value)
    assert dl.LOAD_COMMAND in str(caught.value) and "2024–2027" in str(caught.value)
    with pytest.raises(CalendarRangeError, match="tahun 2029"):
        CAL.is_working_day(d("2029-01-02"))
    with pytest.raises(CalendarRangeError, match="tahun 2028"):
        CAL.add_calendar_days(d("2027-12-20"), 30)
    with pytest.raises(CalendarRangeError, match="tahun 2023"):
        CAL.working_days_between(d("2023-12-01"), d("2024-01-10"))
    assert CAL.covers(d("2027-12-31")) and not CAL.covers(d("2028-01-01")) and not CAL.covers(d("2023-12-31"))


def test_the_last_loaded_day_still_answers_and_the_first_unloaded_one_does_not() -> None:
    assert CAL.add_working_days(d("2027-12-29"), 2) == d("2027-12-31")
    with pytest.raises(CalendarRangeError, match="2028"):
        CAL.add_working_days(d("2027-12-29"), 3)


def test_days_counted_before_the_first_loaded_year_raise_even_if_the_due_date_is_loaded() -> None:
    with pytest.raises(CalendarRangeError, match="tahun 2023"):
        CAL.add_working_days(d("2023-12-29"), 1)  # 30 and 31 Dec 2023 would be counted
    assert CAL.add_working_days(d("2023-12-31"), 1) == d("2024-01-02")  # the start itself is not counted


def test_a_year_missing_between_two_loaded_years_is_not_skipped() -> None:
    gap = Calendar([h for h in CAL.holidays if h.date.year != 2025])
    assert gap.years == (2024, 2026, 2027)
    with pytest.raises(CalendarRangeError, match="tahun 2025") as caught:
        gap.add_working_days(d("2024-12-20"), 20)
    assert "2024, 2026–2027" in str(caught.value)
    with pytest.raises(CalendarRangeError, match="tahun 2025"):
        gap.working_days_between(d("2024-12-20"), d("2026-01-10"))


def test_a_holiday_outside_the_declared_years_is_refused() -> None:
    with pytest.raises(DeadlineError, match="di luar tahun kalender"):
        Calendar(CAL.holidays, years=[2024, 2025])


# --- the holiday file parser ---------------------------------------------------------------------------------

HEADER = "date,kind,name,source\n"
GOOD = "2025-01-01,libur_nasional,Tahun Baru 2025 Masehi,https://example.org/a\n"


def test_bad_rows_are_reported_with_their_line_numbers() -> None:
    text = (HEADER + GOOD
            + "2025-02-30,libur_nasional,Tanggal mustahil,https://example.org/b\n"  # line 3
            + "2025-03-31,libur,Idul Fitri,https://example.org/c\n"  # line 4
            + "\n"  # line 5: blank, skipped
            + "20250401,cuti_bersama,,https://example.org/d\n"  # line 6: two problems
            + "2025-01-01,cuti_bersama,Ganda,https://example.org/e\n"  # line 7: duplicate of line 2
            + "2025-05-01,libur_nasional\n")  # line 8: too few columns
    with pytest.raises(HolidayFileError) as caught:
        load_holidays(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert [line for line, _ in error.problems] == [3, 4, 6, 7, 8]
    reasons = dict(error.problems)
    assert "'2025-02-30' tidak ada di kalender" in reasons[3]
    assert "jenis 'libur' tidak dikenal" in reasons[4]
    assert "YYYY-MM-DD" in reasons[6] and "nama hari libur kosong" in reasons[6]
    assert "sudah ada di baris 2" in reasons[7]
    assert "berisi 2 kolom, seharusnya 4" in reasons[8]
    assert "baris 3:" in str(error) and "baris 8:" in str(error)


def test_a_file_without_the_columns_is_reported_on_line_one(tmp_path: Path) -> None:
    path = tmp_path / "libur.csv"
    path.write_text("tanggal,jenis,nama\n2025-01-01,libur_nasional,Tahun Baru\n", encoding="utf-8")
    with pytest.raises(HolidayFileError) as caught:
        load_holidays(path)
    assert caught.value.problems[0][0] == 1 and "date, kind, name, source" in caught.value.problems[0][1]
    assert str(path) in str(caught.value)
    empty = tmp_path / "kosong.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(HolidayFileError, match="baris 1: berkas kosong"):
        load_holidays(empty)


def test_a_good_file_loads_in_date_order_with_quoted_names_and_extra_columns() -> None:
    text = ("kind,date,name,source,catatan\n"
            'cuti_bersama,2025-01-28,"Cuti Bersama Tahun Baru Imlek, 2576",https://example.org/a,\n'
            "libur_nasional,2025-01-01,Tahun Baru 2025 Masehi,https://example.org/b,sementara\n")
    rows = load_holidays(text)
    assert [h.date for h in rows] == [d("2025-01-01"), d("2025-01-28")]
    assert rows[1].name == "Cuti Bersama Tahun Baru Imlek, 2576" and rows[1].kind == "cuti_bersama"


# --- rules as data -------------------------------------------------------------------------------------------


def test_the_rule_set_is_chosen_by_the_date_the_report_was_received() -> None:
    assert rules_for(d("2018-01-01")).version == "po-26-2017"
    assert rules_for(d("2023-12-31")).version == "po-26-2017"
    assert rules_for(d("2024-01-01")).version == "po-58-2023"
    assert rules_for(d("2026-07-01")).version == "po-58-2023"
    with pytest.raises(DeadlineError, match="berlaku sejak 1 Januari 2018"):
        rules_for(d("2017-12-31"))


def test_the_shipped_steps_say_what_complaints_md_says() -> None:
    old, new = dl.default_rules()
    assert (old.version, new.version) == ("po-26-2017", "po-58-2023")
    assert [s.code for s in old.steps] == [s.code for s in new.steps]
    for rule_set in (old, new):
        completeness = rule_set.step("completeness")
        assert (completeness.days, completeness.unit) == (30, "calendar") and "dicabut" in completeness.on_expiry
        assert rule_set.step("lahp_response").days == 14
        assert rule_set.step("initial_processing").days == 14
        assert rule_set.step("recommendation_report").describe() == "60 hari kalender"
        assert rule_set.step("recommendation_monitoring").describe() == "60 hari kerja"
        assert rule_set.step("event_age_limit").describe() == "2 tahun"
        assert "Pasal 24 ayat (3)" in rule_set.step("event_age_limit").legal_basis
        assert (rule_set.due_soon_within, rule_set.very_overdue_after) == (3, 10)
        for step in rule_set.steps:
            assert step.sources and all(s.startswith("http") for s in step.sources)
            assert step.confidence != "uncertain" or "[UNCERTAIN]" in step.note
    assert [old.step(f"corrective_{k}").days for k in ("light", "medium", "heavy")] == [60, 60, 60]
    assert [new.step(f"corrective_{k}").days for k in ("light", "medium", "heavy")] == [30, 90, 180]
    assert "60–90" in new.step("corrective_medium").note
    with pytest.raises(DeadlineError, match="tidak mengenal tahap 'rco'"):
        new.step("rco")


RULES = """
[[rule_sets]]
version = "{version}"
title = "Uji"
valid_from = {valid_from}
{extra}
[[rule_sets.steps]]
code = "completeness"
title = "Kelengkapan"
{length}
unit = "{unit}"
starts = "pemberitahuan"
on_expiry = "ditutup"
legal_basis = "uji"
sources = ["https://example.org"]
confidence = "high"
"""


def rules_text(version: str = "a", valid_from: str = "2020-01-01", extra: str = "", length: str = "days = 30",
               unit: str = "calendar") -> str:
    return RULES.format(version=version, valid_from=valid_from, extra=extra, length=length, unit=unit)


def test_rule_sets_from_text_are_chosen_by_the_latest_valid_from_on_or_before_the_date() -> None:
    sets = load_rules(rules_text("c", "2030-06-01") + rules_text("a", "2020-01-01") + rules_text("b", "2025-03-15"))
    assert [s.version for s in sets] == ["a", "b", "c"]
    assert rules_for(d("2025-03-14"), sets).version == "a"
    assert rules_for(d("2025-03-15"), sets).version == "b"
    assert rules_for(d("2030-05-31"), sets).version == "b"
    assert rules_for(d("2030-06-01"), sets).version == "c"


@pytest.mark.parametrize("text, where, reason", [
    (rules_text(unit="hari"), "rule_sets[1].steps[1].unit", "satuan 'hari' tidak dikenal"),
    (rules_text(length="days = 30\nyears = 2"), "rule_sets[1].steps[1]", "tepat satu dari days atau years"),
    (rules_text(length="years = 2", unit="working"), "rule_sets[1].steps[1].unit", "bersatuan calendar"),
    (rules_text(length="days = 0"), "rule_sets[1].steps[1].days", "bilangan bulat ≥ 1"),
    (rules_text(length="days = true"), "rule_sets[1].steps[1].days", "bilangan bulat ≥ 1"),
    (rules_text(valid_from='"2020-01-01"'), "rule_sets[1].valid_from", "tanggal TOML"),
    (rules_text(extra="due_soon_within = -1"), "rule_sets[1].due_soon_within", "bilangan bulat ≥ 0"),
    (rules_text(extra="warna = 1"), "rule_sets[1]", "kunci tidak dikenal: warna"),
    (rules_text() + rules_text("b"), "(berkas).rule_sets", "valid_from ganda: 2020-01-01"),
    (rules_text() + rules_text(valid_from="2021-01-01"), "(berkas).rule_sets", "version ganda: a"),
    (rules_text() + rules_text("b", "2021-01-01").replace('"completeness"', '"lengkap"'), "(berkas).rule_sets",
     "tidak memuat tahap yang sama"),
    (rules_text() + "[[rule_sets.steps]]" + rules_text().split("[[rule_sets.steps]]")[1], "rule_sets[1].steps",
     "kode tahap ganda: completeness"),
    ("rule_sets = [\n", "TOML", ""),
])
def test_a_bad_rule_file_is_refused_with_the_entry_and_the_reason(text: str, where: str, reason: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        load_rules(text)
    assert caught.value.where == where
    assert reason in caught.value.reason


def test_due_dates_follow_the_unit_and_roll_calendar_days_off_holidays() -> None:
    rules = rules_for(d("2025-03-01"))
    # 30 calendar days from 1 Mar 2025 end on Idul Fitri (31 Mar): moved to Tue 8 Apr.
    assert due_date(rules, "completeness", d("2025-03-01"), CAL) == d("2025-04-08")
    fixed = dataclasses.replace(rules, calendar_days_roll_forward=False)
    assert due_date(fixed, "completeness", d("2025-03-01"), CAL) == d("2025-03-31")
    # 14 days from Fri 6 Mar 2026 end on 20 Mar (cuti bersama): moved past Idul Fitri to Wed 25 Mar.
    assert due_date(rules_for(d("2026-03-06")), "lahp_response", d("2026-03-06"), CAL) == d("2026-03-25")
    monitoring = due_date(rules, "recommendation_monitoring", d("2025-03-01"), CAL)
    assert CAL.working_days_between(d("2025-03-01"), monitoring) == 60 and CAL.is_working_day(monitoring)
    assert monitoring == naive_add(d("2025-03-01"), 60)
    assert due_date(rules, "event_age_limit", d("2024-02-29"), CAL) == d("2026-02-28")


# --- status flags --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("today, expected", [
    ("2025-07-04", "on_time"),  # Fri: Mon–Thu, 4 working days left
    ("2025-07-06", "on_time"),  # Sun: still 4
    ("2025-07-07", "due_soon"),  # Mon: 3 left
    ("2025-07-10", "due_soon"),  # the due day itself
    ("2025-07-11", "overdue"),  # the day after
    ("2025-07-24", "overdue"),  # 10 working days after the due date
    ("2025-07-25", "very_overdue"),  # 11
])
def test_status_at_the_boundaries(today: str, expected: str) -> None:
    assert status(d("2025-07-10"), d(today), PLAIN_2025) == expected


def test_a_saturday_after_a_friday_due_date_is_overdue_with_no_working_day_past() -> None:
    assert status(d("2025-07-11"), d("2025-07-12"), PLAIN_2025) == "overdue"
    assert status(d("2025-07-11"), d("2025-07-12"), PLAIN_2025, very_overdue_after=0) == "overdue"
    assert status(d("2025-07-11"), d("2025-07-14"), PLAIN_2025, very_overdue_after=0) == "very_overdue"


def test_status_counts_working_days_around_idul_fitri() -> None:
    due = d("2025-04-10")
    assert status(due, d("2025-03-27"), CAL) == "due_soon"  # 14 calendar days away, 3 working days
    assert status(due, d("2025-03-26"), CAL) == "on_time"
    assert status(d("2025-03-27"), d("2025-04-14"), CAL) == "overdue"  # 8–11, 14 Apr: 5 working days late
    # 8–11, 14–17, 21, 22 Apr (18 Apr is Good Friday): 10 working days late, still only overdue.
    assert status(d("2025-03-27"), d("2025-04-22"), CAL) == "overdue"
    assert status(d("2025-03-27"), d("2025-04-23"), CAL) == "very_overdue"  # 11


def test_step_status_uses_the_thresholds_of_the_rule_set() -> None:
    rules = rules_for(d("2025-07-01"))
    strict = dataclasses.replace(rules, due_soon_within=0, very_overdue_after=0)
    start = d("2025-06-10")  # completeness due 10 Jul 2025 (Thu, 30 days)
    assert due_date(rules, "completeness", start, CAL) == d("2025-07-10")
    assert step_status(rules, "completeness", start, d("2025-07-08"), CAL) == "due_soon"
    assert step_status(strict, "completeness", start, d("2025-07-08"), CAL) == "on_time"
    assert step_status(rules, "completeness", start, d("2025-07-14"), CAL) == "overdue"
    assert step_status(strict, "completeness", start, d("2025-07-14"), CAL) == "very_overdue"


def test_negative_thresholds_are_refused() -> None:
    with pytest.raises(DeadlineError, match="tidak boleh negatif"):
        status(d("2025-07-10"), d("2025-07-01"), PLAIN_2025, due_soon_within=-1)


@SETTINGS
@given(st.dates(min_value=date(2024, 3, 1), max_value=date(2027, 6, 30)), st.integers(0, 40), st.integers(-60, 60))
def test_status_moves_only_forward_as_days_pass(start: date, n: int, offset: int) -> None:
    due = CAL.add_working_days(start, n)
    today = due + timedelta(days=offset)
    order = {s: i for i, s in enumerate(dl.STATUSES)}
    now = status(due, today, CAL)
    later = status(due, today + ONE, CAL)
    assert order[now] <= order[later]
    assert (now in ("overdue", "very_overdue")) == (today > due)


# --- the two-year rule ---------------------------------------------------------------------------------------


def test_a_report_on_the_second_anniversary_is_in_time_and_the_next_day_too_old() -> None:
    assert last_day_to_report(d("2023-05-10")) == d("2025-05-10")
    assert not event_too_old(d("2023-05-10"), d("2025-05-10"))
    assert event_too_old(d("2023-05-10"), d("2025-05-11"))
    assert not event_too_old(d("2025-05-10"), d("2025-05-10"))


def test_an_event_on_29_february_may_be_reported_until_28_february() -> None:
    assert last_day_to_report(d("2024-02-29")) == d("2026-02-28")
    assert not event_too_old(d("2024-02-29"), d("2026-02-28"))
    assert event_too_old(d("2024-02-29"), d("2026-03-01"))
    # 28 Feb 2026 → 28 Feb 2028, a leap year: 29 Feb 2028 is already too late.
    assert not event_too_old(d("2026-02-28"), d("2028-02-28"))
    assert event_too_old(d("2026-02-28"), d("2028-02-29"))
    assert last_day_to_report(d("2024-02-29"), years=4) == d("2028-02-29")


def test_the_two_year_rule_does_not_move_off_weekends() -> None:
    assert d("2025-05-10").weekday() == 5  # a Saturday
    assert event_too_old(d("2023-05-10"), d("2025-05-12"))


def test_an_event_after_the_report_is_refused_and_years_can_be_given() -> None:
    with pytest.raises(DeadlineError, match="sesudah tanggal laporan diterima"):
        event_too_old(d("2025-05-11"), d("2025-05-10"))
    assert event_too_old(d("2024-05-09"), d("2025-05-10"), years=1)
    assert not event_too_old(d("2024-05-09"), d("2025-05-10"))


@SETTINGS
@given(st.dates(min_value=date(2016, 1, 1), max_value=date(2026, 12, 31)), st.integers(0, 1200))
def test_too_old_exactly_when_received_after_the_anniversary(event: date, days: int) -> None:
    received = event + timedelta(days=days)
    anniversary = event.replace(year=event.year + 2, day=28) if (event.month, event.day) == (2, 29) \
        else event.replace(year=event.year + 2)
    if received < date(2018, 1, 1):
        return  # no rule set before 2018
    assert event_too_old(event, received) == (received > anniversary)
    assert event_too_old(event, received) == (days > (anniversary - event).days)
