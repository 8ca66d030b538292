"""``pantau load_holidays <file.csv> [--replace-year]``: later years for the working-day calendar, all or
nothing, never a year of the shipped file."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pantau.complaints import clock, deadlines
from pantau.complaints.models import Holiday
from pantau.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SOURCE = "https://example.go.id/skb-2028.pdf"
HEADER = "date,kind,name,source\n"
Y2028 = (HEADER
         + f"2028-01-01,libur_nasional,Tahun Baru 2028 Masehi,{SOURCE}\n"
         + f"2028-01-26,libur_nasional,Tahun Baru Imlek 2579 Kongzili,{SOURCE}\n"
         + f"2028-01-27,cuti_bersama,Cuti Bersama Tahun Baru Imlek,{SOURCE}\n"
         + "\n"
         + f"2028-12-25,libur_nasional,Kelahiran Yesus Kristus,{SOURCE}\n")


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Any:
    clock._cached = None  # ids of rolled-back rows come back in the next test: never reuse a stamp
    yield
    clock._cached = None


def write(tmp_path: Path, text: str | bytes, name: str = "libur-2028.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("load_holidays", str(path), *args, stdout=out)
    return out.getvalue()


def test_a_2028_file_loads_and_the_deadlines_count_working_days_over_2028(tmp_path: Path) -> None:
    with pytest.raises(deadlines.CalendarRangeError, match="2028"):
        clock.calendar().add_working_days(dt.date(2027, 12, 30), 5)
    out = load(write(tmp_path, Y2028))
    assert "4 hari libur dimuat untuk tahun 2028" in out
    calendar = clock.calendar()
    assert 2028 in calendar.years and 2027 in calendar.years
    # Monday 24 January 2028 + 3 working days skips Imlek (26) and its cuti bersama (27).
    assert calendar.add_working_days(dt.date(2028, 1, 24), 3) == dt.date(2028, 1, 31)
    # 2028 has 260 weekdays; Imlek and its cuti bersama fall on weekdays (1 January is a Saturday, 25
    # December a Monday): 257 working days.
    assert calendar.working_days_between(dt.date(2027, 12, 31), dt.date(2028, 12, 31)) == 257
    assert calendar.add_working_days(dt.date(2027, 12, 30), 5) == dt.date(2028, 1, 6)
    event = AuditEvent.objects.get(event_type="holidays.loaded")
    assert event.actor is None and event.actor_name == "system:complaints"
    assert event.after["years"] == [2028] and event.after["rows"] == 4


def test_a_bad_row_refuses_the_whole_file_naming_each_line(tmp_path: Path) -> None:
    text = (Y2028 + f"2028-02-30,libur_nasional,Tanggal salah,{SOURCE}\n"
            + f"2028-03-03,libur,Jenis salah,{SOURCE}\n" + "2028-03-04,cuti_bersama,Tanpa sumber,\n")
    with pytest.raises(CommandError) as refused:
        load(write(tmp_path, text))
    message = str(refused.value)
    assert "baris 7" in message and "tidak ada di kalender" in message
    assert "baris 8" in message and "jenis 'libur'" in message
    assert "baris 9" in message and "sumber kosong" in message
    assert Holiday.objects.count() == 0 and not AuditEvent.objects.filter(event_type="holidays.loaded").exists()


def test_loading_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, Y2028)
    load(path)
    before = list(Holiday.objects.values_list("pk", "date", "kind", "name"))
    out = load(path)
    assert "tidak ada perubahan" in out
    assert list(Holiday.objects.values_list("pk", "date", "kind", "name")) == before
    assert AuditEvent.objects.filter(event_type="holidays.loaded").count() == 1


def test_a_year_of_the_shipped_file_cannot_be_changed(tmp_path: Path) -> None:
    text = Y2028 + f"2027-06-01,libur_nasional,Hari Lahir Pancasila,{SOURCE}\n"
    with pytest.raises(CommandError, match="Tahun 2027 sudah diatur oleh berkas bawaan"):
        load(write(tmp_path, text))
    assert Holiday.objects.count() == 0


def test_a_loaded_year_is_replaced_only_when_asked(tmp_path: Path) -> None:
    load(write(tmp_path, Y2028))
    moved = Y2028.replace("2028-01-27,cuti_bersama", "2028-01-28,cuti_bersama")
    with pytest.raises(CommandError, match="--replace-year"):
        load(write(tmp_path, moved, "baru.csv"))
    assert Holiday.objects.filter(date=dt.date(2028, 1, 27)).exists()
    out = load(write(tmp_path, moved, "baru.csv"), "--replace-year")
    assert "Tahun yang diganti: 2028" in out
    assert set(Holiday.objects.values_list("date", flat=True)) == {
        dt.date(2028, 1, 1), dt.date(2028, 1, 26), dt.date(2028, 1, 28), dt.date(2028, 12, 25)}
    assert clock.calendar().is_working_day(dt.date(2028, 1, 27))
    assert AuditEvent.objects.get(event_type="holidays.loaded", after__replaced=[2028])


@pytest.mark.parametrize(("content", "message"), [
    ("", "berkas kosong"),
    ("tanggal,jenis\n2028-01-01,libur_nasional\n", "kolom date, kind, name, source tidak ada"),
    (HEADER, "tidak berisi satu pun"),
    ("date,kind,name,source\n2028-01-01,libur_nasional,Tahun Baru\n", "berisi 3 kolom"),
    ("date,kind,name,source\n01/01/2028,libur_nasional,Tahun Baru,x\n", "YYYY-MM-DD"),
])
def test_bad_files_get_a_message_a_person_can_act_on(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        load(write(tmp_path, content))
    assert Holiday.objects.count() == 0


def test_a_missing_or_non_utf8_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="tidak ditemukan"):
        load(tmp_path / "tidak-ada.csv")
    with pytest.raises(CommandError, match="UTF-8"):
        load(write(tmp_path, "date,kind,name,source\n2028-01-01,libur_nasional,Tahun Baru \xff,x\n"
                   .encode("latin-1")))
