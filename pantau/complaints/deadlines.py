"""Deadlines of a public report (laporan masyarakat), as data on a working-day calendar: pure, standard
library only, no Django (issue 10; ``shared/docs/complaints.md`` §1.4, §5.2, §7.3).

**The calendar.** A working day (*hari kerja*) is a Monday to Friday that is neither a national holiday
(*libur nasional*) nor a collective leave day (*cuti bersama*) of that year's joint decree (SKB) of the
Ministers of Religious Affairs, Manpower and PANRB, as listed in ``data/holidays-id.csv`` (2024–2027, one
row per date: ``date, kind, name, source``; the decrees, the two 2024 election days declared by Keppres, the
provisional 2027 rows and the Islamic dates that a sidang isbat may still move are described in
``shared/data/holidays-id.md``). A holiday on a weekend changes nothing (Indonesia has no substitute days).
A calendar knows only the years it has loaded: any question about a date in another year raises
:class:`CalendarRangeError` ("Kalender hari libur belum memuat tahun 2029; …") instead of treating the date
as an ordinary day. Later years are loaded with the command named in ``LOAD_COMMAND``.

**Counting.** The day a period starts from (the report received, the notice received …) is never
counted, whatever day it is:

- *n working days* after ``start`` end on the n-th working day after ``start``; the first counted day is
  the first working day after ``start``. Received on a Friday (or on the Saturday), 3 working days are
  Monday, Tuesday, Wednesday: due on Wednesday when there are no holidays. Received on Tuesday
  17 March 2026, 3 working days skip Nyepi (18–19 March) and Idul Fitri (20–24 March, holidays and cuti
  bersama): Wednesday 25, Thursday 26, due on Friday 27 March. ``n = 0`` is ``start`` itself.
  ``working_days_between(a, b)`` counts the working days ``d`` with ``a < d ≤ b`` (negative when
  ``b < a``), so ``working_days_between(start, add_working_days(start, n)) == n``.
- *n calendar days* after ``start`` end on ``start + n`` (30 days from 1 March end on 31 March). When the
  rule set says ``calendar_days_roll_forward`` (both shipped sets do, as Alaveteli does for calendar-day
  deadlines; no Indonesian text was found either way), an end on a weekend, holiday or cuti bersama moves
  to the next working day.
- *years* (only the two-year rule) end on the anniversary: see :func:`last_day_to_report`.

Every day that is counted or examined (``start`` excluded) must lie in a loaded year.

**Rules as data.** ``data/deadlines.toml`` holds rule sets (PO 26/2017 + PO 48/2020, PO 58/2023), each
with a ``version``, the date it takes effect (``valid_from``), its status thresholds and its steps (code,
days or years, unit ``calendar`` | ``working``, legal basis, source URLs, confidence). A report keeps the
set in force on the day it was received: the one with the latest ``valid_from`` on or before that day
(:func:`rules_for`). Every set defines the same step codes.

**Status** of a deadline on a given day (:func:`status`), thresholds in working days and set per rule set:

- ``on_time``: more than ``due_soon_within`` (3) working days remain before the due date;
- ``due_soon``: the due date is today or at most ``due_soon_within`` working days away (due on Thursday:
  due soon from Monday);
- ``overdue``: the due date has passed (the day after it, even a Saturday);
- ``very_overdue``: more than ``very_overdue_after`` (10, two working weeks) working days have passed
  since the due date. One fixed number for every step, not a share of the step's length: staff read
  "two weeks late" the same way on every case. (Alaveteli's "long overdue" is likewise a fixed count.)

**The two-year rule** (UU 37/2008 Pasal 24 ayat (3): the event reported must not be older than two years):
the last day to report is the second anniversary of the event, the same day and month two years later;
an event on 29 February has its anniversary on 28 February of a common year (a convention: the statute
does not say; 28 February keeps the period inside the month, as most codes do). A report received on that
day is in time; from the next day it is too old. The anniversary does not move off weekends or holidays:
reports are received every day through the online channels.

Dates are ``datetime.date`` in local (WIB/WITA/WIT) time; a ``datetime`` is refused, so a UTC timestamp is
never silently taken for the local day.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

DATA = Path(__file__).resolve().parent / "data"
HOLIDAYS_FILE = DATA / "holidays-id.csv"
RULES_FILE = DATA / "deadlines.toml"
LOAD_COMMAND = "pantau load_holidays <berkas.csv>"  # the command that loads later years (issue 10)

HOLIDAY_KINDS = {"libur_nasional": "Libur nasional", "cuti_bersama": "Cuti bersama"}
HOLIDAY_COLUMNS = ("date", "kind", "name", "source")
UNITS = ("calendar", "working")
CONFIDENCE = ("high", "medium", "uncertain")
Status = Literal["on_time", "due_soon", "overdue", "very_overdue"]
STATUSES: tuple[Status, ...] = ("on_time", "due_soon", "overdue", "very_overdue")
DUE_SOON_WITHIN = 3  # working days (the shipped rule sets say the same)
VERY_OVERDUE_AFTER = 10  # working days past the due date
EVENT_AGE_STEP = "event_age_limit"

ONE_DAY = timedelta(days=1)
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STEP_CODE = re.compile(r"[a-z][a-z0-9_]*")


class DeadlineError(ValueError):
    """A date, rule or step the deadline arithmetic cannot take (the message, in Indonesian, says which)."""


class CalendarRangeError(DeadlineError):
    """A date in a year whose holidays the calendar has not loaded."""

    def __init__(self, year: int, loaded: Sequence[int]) -> None:
        super().__init__(f"Kalender hari libur belum memuat tahun {year}; muat dengan perintah "
                         f"`{LOAD_COMMAND}` (tahun yang sudah dimuat: {_year_ranges(loaded)}).")
        self.year = year


class HolidayFileError(DeadlineError):
    """A holiday CSV with bad rows: ``problems`` lists (line number, reason), the header being line 1."""

    def __init__(self, label: str, problems: Sequence[tuple[int, str]]) -> None:
        detail = "; ".join(f"baris {line}: {reason}" for line, reason in problems)
        super().__init__(f"Berkas hari libur {label} tidak dapat dimuat: {detail}.")
        self.label, self.problems = label, tuple(problems)


class RuleFileError(DeadlineError):
    """A deadline rule file that does not say what this module needs (``where`` names the entry)."""

    def __init__(self, label: str, where: str, reason: str) -> None:
        super().__init__(f"Berkas aturan tenggat {label}: {where}: {reason}.")
        self.label, self.where, self.reason = label, where, reason


def _tanggal(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _year_ranges(years: Sequence[int]) -> str:
    """2024, 2025, 2027 → "2024–2025, 2027"."""
    if not years:
        return "tidak ada"
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def _day(value: date, what: str = "tanggal") -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise DeadlineError(f"{what.capitalize()} harus berupa tanggal (date) setempat, bukan {type(value).__name__}.")
    return value


def _read(source: str | Path) -> tuple[str, str]:
    """(label, text): a Path, or a str without a line break, names a file; any other str is the text."""
    if isinstance(source, Path) or "\n" not in source:
        path = Path(source)
        return str(path), path.read_text(encoding="utf-8-sig")
    return "(teks)", source


# --- holidays ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Holiday:
    date: date
    kind: str  # a HOLIDAY_KINDS key: libur_nasional or cuti_bersama
    name: str  # as worded in the year's decree
    source: str  # a page listing that date

    @property
    def kind_label(self) -> str:
        return HOLIDAY_KINDS[self.kind]


def load_holidays(source: str | Path) -> tuple[Holiday, ...]:
    """The rows of a holiday CSV (a path, or the CSV text), sorted by date.

    The header names the columns ``date, kind, name, source`` (any order; other columns are ignored);
    each row has a date as YYYY-MM-DD, a kind (``libur_nasional`` or ``cuti_bersama``), a name and a
    source, one row per date; blank lines are skipped. Every bad row is reported, by line number, in one
    :class:`HolidayFileError`."""
    label, text = _read(source)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise HolidayFileError(label, [(1, f"berkas kosong; baris pertama harus berisi kolom "
                                           f"{','.join(HOLIDAY_COLUMNS)}")])
    columns = [cell.strip() for cell in header]
    missing = [c for c in HOLIDAY_COLUMNS if c not in columns]
    if missing:
        raise HolidayFileError(label, [(1, f"kolom {', '.join(missing)} tidak ada (kolom yang dibutuhkan: "
                                           f"{','.join(HOLIDAY_COLUMNS)})")])
    index = {c: columns.index(c) for c in HOLIDAY_COLUMNS}
    problems: list[tuple[int, str]] = []
    seen: dict[date, int] = {}
    rows: list[Holiday] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(columns):
            problems.append((line, f"berisi {len(record)} kolom, seharusnya {len(columns)}"))
            continue
        raw_date, kind, name, url = (record[index[c]].strip() for c in HOLIDAY_COLUMNS)
        reasons: list[str] = []
        day: date | None = None
        if not _ISO_DATE.fullmatch(raw_date):
            reasons.append(f"tanggal '{raw_date}' tidak berformat YYYY-MM-DD")
        else:
            try:
                day = date.fromisoformat(raw_date)
            except ValueError:
                reasons.append(f"tanggal '{raw_date}' tidak ada di kalender")
        if kind not in HOLIDAY_KINDS:
            reasons.append(f"jenis '{kind}' tidak dikenal (pilih {' atau '.join(HOLIDAY_KINDS)})")
        if not name:
            reasons.append("nama hari libur kosong")
        if not url:
            reasons.append("sumber kosong")
        if day is not None and day in seen:
            reasons.append(f"tanggal {raw_date} sudah ada di baris {seen[day]}")
        if reasons:
            problems.append((line, "; ".join(reasons)))
            continue
        assert day is not None
        seen[day] = line
        rows.append(Holiday(day, kind, name, url))
    if problems:
        raise HolidayFileError(label, problems)
    return tuple(sorted(rows, key=lambda h: h.date))


# --- the calendar --------------------------------------------------------------------------------------------


class Calendar:
    """Working days of the years loaded: weekdays that are not a holiday of a non-working kind.

    ``years`` defaults to the years that have at least one holiday row (every Indonesian year has several);
    give it to build a calendar for a year without rows, e.g. in tests. ``non_working_kinds`` defaults to
    both kinds: cuti bersama are days off for the civil service (ASN), so Ombudsman deadlines skip them."""

    def __init__(self, holidays: Iterable[Holiday] = (), years: Iterable[int] | None = None,
                 non_working_kinds: Iterable[str] = tuple(HOLIDAY_KINDS)) -> None:
        self.holidays = tuple(sorted(holidays, key=lambda h: h.date))
        by_date = {h.date: h for h in self.holidays}
        if len(by_date) != len(self.holidays):
            raise DeadlineError("Setiap tanggal hanya boleh muncul sekali di daftar hari libur.")
        kinds = frozenset(non_working_kinds)
        if unknown := sorted(kinds - HOLIDAY_KINDS.keys()):
            raise DeadlineError(f"Jenis hari libur tidak dikenal: {', '.join(unknown)}.")
        row_years = {h.date.year for h in self.holidays}
        covered = frozenset(years) if years is not None else frozenset(row_years)
        if outside := sorted(row_years - covered):
            raise DeadlineError(f"Ada hari libur pada tahun {_year_ranges(outside)}, di luar tahun kalender "
                                f"({_year_ranges(sorted(covered))}).")
        self.years: tuple[int, ...] = tuple(sorted(covered))
        self._years = covered
        self._by_date = by_date
        self._closed = frozenset(h.date for h in self.holidays if h.kind in kinds)
        working: list[int] = []
        for year in self.years:
            day = date(year, 1, 1)
            while day.year == year:
                if day.weekday() < 5 and day not in self._closed:
                    working.append(day.toordinal())
                day += ONE_DAY
        self._working = working  # ordinals of every working day of the loaded years, ascending

    def __repr__(self) -> str:
        return f"Calendar(years={_year_ranges(self.years)}, holidays={len(self.holidays)})"

    def covers(self, day: date) -> bool:
        """Whether ``day`` lies in a year whose holidays are loaded."""
        return _day(day).year in self._years

    def require(self, day: date) -> None:
        """Raise :class:`CalendarRangeError` unless the calendar covers ``day``."""
        if not self.covers(day):
            raise CalendarRangeError(day.year, self.years)

    def _require_span(self, first: date, last: date) -> None:
        for year in range(first.year, last.year + 1):
            if year not in self._years:
                raise CalendarRangeError(year, self.years)

    def _first_missing_year_from(self, day: date) -> CalendarRangeError:
        year = day.year
        while year in self._years:
            year += 1
        return CalendarRangeError(year, self.years)

    def holiday(self, day: date) -> Holiday | None:
        """The holiday or cuti bersama on ``day``, if any."""
        self.require(day)
        return self._by_date.get(day)

    def is_working_day(self, day: date) -> bool:
        self.require(day)
        return day.weekday() < 5 and day not in self._closed

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day`` (``day`` itself excluded)."""
        return self.add_working_days(day, 1)

    def roll_forward(self, day: date) -> date:
        """``day`` when it is a working day, else the next working day."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` is not counted, whatever day it is; n = 0 gives
        ``start``). Friday + 3 working days, no holidays: Wednesday."""
        _day(start, "tanggal awal")
        if n < 0:
            raise DeadlineError(f"Jumlah hari kerja tidak boleh negatif ({n}).")
        if n == 0:
            return start
        first = start + ONE_DAY
        self.require(first)
        index = bisect_right(self._working, start.toordinal()) + n - 1
        if index >= len(self._working):
            raise self._first_missing_year_from(first)
        due = date.fromordinal(self._working[index])
        self._require_span(first, due)  # a year missing between two loaded ones
        return due

    def add_calendar_days(self, start: date, n: int, *, roll_forward: bool = False) -> date:
        """``start + n`` days (``start`` not counted: 30 days from 1 March end on 31 March); with
        ``roll_forward``, moved to the next working day when that is not one. The end day must be in a
        loaded year either way."""
        _day(start, "tanggal awal")
        if n < 0:
            raise DeadlineError(f"Jumlah hari tidak boleh negatif ({n}).")
        end = start + timedelta(days=n)
        self.require(end)
        return self.roll_forward(end) if roll_forward else end

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days d with a < d ≤ b; negative (the same count) when b < a."""
        _day(a), _day(b)
        if a == b:
            return 0
        if b < a:
            return -self.working_days_between(b, a)
        self._require_span(a + ONE_DAY, b)
        return bisect_right(self._working, b.toordinal()) - bisect_right(self._working, a.toordinal())


@cache
def default_calendar() -> Calendar:
    """The calendar of the shipped ``data/holidays-id.csv``."""
    return Calendar(load_holidays(HOLIDAYS_FILE))


# --- rules as data -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    code: str
    title: str  # Indonesian, for the screens
    unit: str  # calendar or working
    days: int | None  # exactly one of days and years
    years: int | None
    starts: str  # what starts the clock
    on_expiry: str  # what happens when it runs out
    legal_basis: str
    sources: tuple[str, ...]
    confidence: str  # high, medium or uncertain
    note: str = ""

    def describe(self) -> str:
        """"30 hari kalender", "60 hari kerja", "2 tahun"."""
        if self.years is not None:
            return f"{self.years} tahun"
        return f"{self.days} hari {'kerja' if self.unit == 'working' else 'kalender'}"


@dataclass(frozen=True)
class RuleSet:
    version: str
    title: str
    valid_from: date
    steps: tuple[Step, ...]
    due_soon_within: int = DUE_SOON_WITHIN
    very_overdue_after: int = VERY_OVERDUE_AFTER
    calendar_days_roll_forward: bool = True
    valid_from_note: str = ""

    def step(self, code: str) -> Step:
        for step in self.steps:
            if step.code == code:
                return step
        known = ", ".join(s.code for s in self.steps)
        raise DeadlineError(f"Aturan tenggat {self.version} tidak mengenal tahap '{code}' (tahap yang ada: {known}).")


_SET_KEYS = {"version", "title", "valid_from", "valid_from_note", "due_soon_within", "very_overdue_after",
             "calendar_days_roll_forward", "steps"}
_STEP_KEYS = {"code", "title", "days", "years", "unit", "starts", "on_expiry", "legal_basis", "sources",
              "confidence", "note"}


class _Reader:
    """Typed access to one TOML table, each failure a :class:`RuleFileError` naming the entry."""

    def __init__(self, label: str, where: str, table: Any, allowed: set[str]) -> None:
        self.label, self.where = label, where
        if not isinstance(table, dict):
            self.fail("harus berupa tabel")
        if unknown := sorted(set(table) - allowed):
            self.fail(f"kunci tidak dikenal: {', '.join(unknown)}")
        self.table: dict[str, Any] = table

    def fail(self, reason: str, key: str = "") -> None:
        raise RuleFileError(self.label, f"{self.where}.{key}" if key else self.where, reason)

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.table.get(key, None if required else "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail("harus diisi teks" if required else "harus berupa teks", key)
        assert isinstance(value, str)
        return value.strip()

    def count(self, key: str, default: int | None = None, minimum: int = 0) -> int | None:
        value = self.table.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(f"harus bilangan bulat ≥ {minimum}", key)
        assert isinstance(value, int)
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            self.fail("harus true atau false", key)
        return bool(value)

    def day(self, key: str) -> date:
        value = self.table.get(key)
        if isinstance(value, datetime) or not isinstance(value, date):
            self.fail("harus tanggal TOML (YYYY-MM-DD, tanpa tanda kutip)", key)
        assert isinstance(value, date)
        return value

    def tables(self, key: str) -> list[Any]:
        value = self.table.get(key)
        if not isinstance(value, list) or not value:
            self.fail("harus berisi minimal satu entri", key)
        assert isinstance(value, list)
        return value


def _step(label: str, where: str, table: Any) -> Step:
    r = _Reader(label, where, table, _STEP_KEYS)
    code = r.text("code")
    if not _STEP_CODE.fullmatch(code):
        r.fail(f"kode '{code}' harus huruf kecil, angka dan garis bawah", "code")
    unit = r.text("unit")
    if unit not in UNITS:
        r.fail(f"satuan '{unit}' tidak dikenal (pilih {' atau '.join(UNITS)})", "unit")
    days, years = r.count("days", minimum=1), r.count("years", minimum=1)
    if (days is None) == (years is None):
        r.fail("isi tepat satu dari days atau years")
    if years is not None and unit != "calendar":
        r.fail("tenggat dalam tahun harus bersatuan calendar", "unit")
    sources = r.table.get("sources")
    if (not isinstance(sources, list) or not sources
            or not all(isinstance(s, str) and s.startswith(("https://", "http://")) for s in sources)):
        r.fail("harus daftar URL sumber (minimal satu)", "sources")
    assert isinstance(sources, list)
    confidence = r.text("confidence")
    if confidence not in CONFIDENCE:
        r.fail(f"tingkat keyakinan '{confidence}' tidak dikenal (pilih {', '.join(CONFIDENCE)})", "confidence")
    return Step(code=code, title=r.text("title"), unit=unit, days=days, years=years, starts=r.text("starts"),
                on_expiry=r.text("on_expiry"), legal_basis=r.text("legal_basis"), sources=tuple(sources),
                confidence=confidence, note=r.text("note", required=False))


def _rule_set(label: str, where: str, table: Any) -> RuleSet:
    r = _Reader(label, where, table, _SET_KEYS)
    steps = tuple(_step(label, f"{where}.steps[{i}]", t) for i, t in enumerate(r.tables("steps"), start=1))
    codes = [s.code for s in steps]
    if doubled := sorted({c for c in codes if codes.count(c) > 1}):
        r.fail(f"kode tahap ganda: {', '.join(doubled)}", "steps")
    due_soon, very_overdue = r.count("due_soon_within", DUE_SOON_WITHIN), r.count("very_overdue_after",
                                                                                  VERY_OVERDUE_AFTER)
    assert due_soon is not None and very_overdue is not None
    return RuleSet(version=r.text("version"), title=r.text("title"), valid_from=r.day("valid_from"), steps=steps,
                   due_soon_within=due_soon, very_overdue_after=very_overdue,
                   calendar_days_roll_forward=r.flag("calendar_days_roll_forward", True),
                   valid_from_note=r.text("valid_from_note", required=False))


def load_rules(source: str | Path = RULES_FILE) -> tuple[RuleSet, ...]:
    """The rule sets of a TOML file (a path, or the TOML text), oldest ``valid_from`` first.

    Refused, each with the entry and the reason: unknown keys, a missing or empty text, a unit other than
    ``calendar`` / ``working``, days or years not a positive integer (or both, or neither), years in
    working units, sources that are not URLs, an unknown confidence, duplicate step codes, versions or
    ``valid_from`` dates, and rule sets that do not define the same step codes."""
    label, text = _read(source)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(label, "TOML", str(exc)) from exc
    top = _Reader(label, "(berkas)", document, {"rule_sets"})
    sets = [_rule_set(label, f"rule_sets[{i}]", t) for i, t in enumerate(top.tables("rule_sets"), start=1)]
    for attribute in ("version", "valid_from"):
        values = [getattr(s, attribute) for s in sets]
        if doubled := sorted({str(v) for v in values if values.count(v) > 1}):
            top.fail(f"{attribute} ganda: {', '.join(doubled)}", "rule_sets")
    expected = sorted(s.code for s in sets[0].steps)
    for rule_set in sets[1:]:
        if (codes := sorted(s.code for s in rule_set.steps)) != expected:
            difference = sorted(set(codes) ^ set(expected))
            top.fail(f"aturan {rule_set.version} tidak memuat tahap yang sama dengan {sets[0].version} "
                     f"(berbeda: {', '.join(difference)})", "rule_sets")
    return tuple(sorted(sets, key=lambda s: s.valid_from))


@cache
def default_rules() -> tuple[RuleSet, ...]:
    """The shipped ``data/deadlines.toml``."""
    return load_rules(RULES_FILE)


def rules_for(received: date, rule_sets: Sequence[RuleSet] | None = None) -> RuleSet:
    """The rule set of a report received on ``received``: the latest ``valid_from`` on or before it."""
    _day(received, "tanggal laporan diterima")
    sets = sorted(default_rules() if rule_sets is None else rule_sets, key=lambda s: s.valid_from)
    if not sets:
        raise DeadlineError("Tidak ada aturan tenggat yang dimuat.")
    chosen = [s for s in sets if s.valid_from <= received]
    if not chosen:
        first = sets[0]
        raise DeadlineError(f"Tidak ada aturan tenggat untuk laporan yang diterima {_tanggal(received)}: aturan "
                            f"paling awal ({first.version}) berlaku sejak {_tanggal(first.valid_from)}.")
    return chosen[-1]


def due_date(rule_set: RuleSet, step: str | Step, start: date, calendar: Calendar) -> date:
    """The due date of ``step`` whose clock starts on ``start`` (a day not counted): n working days, n
    calendar days (moved off a non-working day when the rule set says so) or the anniversary in years."""
    _day(start, "tanggal awal")
    rule = rule_set.step(step) if isinstance(step, str) else step
    if rule.years is not None:
        return add_years(start, rule.years)
    assert rule.days is not None
    if rule.unit == "working":
        return calendar.add_working_days(start, rule.days)
    return calendar.add_calendar_days(start, rule.days, roll_forward=rule_set.calendar_days_roll_forward)


# --- status --------------------------------------------------------------------------------------------------


def status(due: date, today: date, calendar: Calendar, *, due_soon_within: int = DUE_SOON_WITHIN,
           very_overdue_after: int = VERY_OVERDUE_AFTER) -> Status:
    """The state of a deadline due on ``due`` as seen on ``today`` (module docstring): ``on_time``,
    ``due_soon`` (today ≤ due and at most ``due_soon_within`` working days left), ``overdue`` (today after
    due) or ``very_overdue`` (more than ``very_overdue_after`` working days after due)."""
    _day(due, "tanggal tenggat"), _day(today, "tanggal hari ini")
    if due_soon_within < 0 or very_overdue_after < 0:
        raise DeadlineError("Ambang hampir jatuh tempo dan sangat terlambat tidak boleh negatif.")
    if today <= due:
        return "due_soon" if calendar.working_days_between(today, due) <= due_soon_within else "on_time"
    return "very_overdue" if calendar.working_days_between(due, today) > very_overdue_after else "overdue"


def step_status(rule_set: RuleSet, step: str | Step, start: date, today: date, calendar: Calendar) -> Status:
    """:func:`status` of a step's due date, with the rule set's thresholds."""
    return status(due_date(rule_set, step, start, calendar), today, calendar,
                  due_soon_within=rule_set.due_soon_within, very_overdue_after=rule_set.very_overdue_after)


# --- the two-year rule ---------------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same day and month ``years`` later; 29 February becomes 28 February in a common year."""
    _day(day)
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        if (day.month, day.day) != (2, 29):
            raise
        return day.replace(year=day.year + years, day=28)


def last_day_to_report(event_date: date, years: int = 2) -> date:
    """The last day a report on an event of ``event_date`` is in time: its anniversary ``years`` later
    (UU 37/2008 Pasal 24 ayat (3); 29 February 2024 → 28 February 2026)."""
    return add_years(_day(event_date, "tanggal peristiwa"), years)


def event_too_old(event_date: date, received: date, years: int | None = None) -> bool:
    """Whether a report received on ``received`` comes too late for an event of ``event_date``: received
    after :func:`last_day_to_report`. ``years`` defaults to the ``event_age_limit`` step of the rule set in
    force on ``received`` (two years)."""
    _day(event_date, "tanggal peristiwa"), _day(received, "tanggal laporan diterima")
    if event_date > received:
        raise DeadlineError(f"Tanggal peristiwa ({_tanggal(event_date)}) sesudah tanggal laporan diterima "
                            f"({_tanggal(received)}).")
    if years is None:
        years = rules_for(received).step(EVENT_AGE_STEP).years
        if years is None:
            raise DeadlineError(f"Tahap {EVENT_AGE_STEP} harus dinyatakan dalam tahun.")
    return received > last_day_to_report(event_date, years)
