"""Importing responses collected by other tools (KoboToolbox, ODK, LimeSurvey, spreadsheets) as a
background job: a CSV (UTF-8 or cp1252, comma or semicolon) or an XLSX (its first sheet), one
response per row, streamed and checked row by row; if any row has a problem nothing is stored and
the job lists the problems by row and column. Otherwise every row is stored in one transaction
(channel ``import``) and the campaign's tallies are rebuilt.

Columns (header row, case and outer spaces ignored; a group prefix ``grup/`` is dropped):
- an element by its code (``persyaratan``) or by position (``U1`` … ``Un``); the value 1–4 (the
  perception survey: 1 Ya, 2 Tidak, 3 Tidak tahu) or the choice's label as the questionnaire
  prints it (Kobo's "labels" export); blank = not answered;
- the respondent's questions by code (``layanan``: the product id or its name; ``jenis_kelamin``,
  ``usia``, ``pendidikan``, ``pekerjaan`` …; choices by their value or label), ``saran``;
- the submission's id (``client_token``, ``instanceID``, ``meta/instanceID``, ``_uuid``): a row
  whose id is already stored is skipped, so importing the same export twice stores it once;
  without one, the id is made from the file's content and the row number;
- the metadata other tools add (``start``, ``end``, ``_id``, ``_submission_time`` …) is ignored;
  any other column is reported on the job page as not imported.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.reports import xlsx
from pantau.reports.xlsx_reader import FileProblem
from pantau.surveys import services, tallies
from pantau.surveys.models import SUGGESTION_CHARS, Campaign, Channel, Response, slot_values

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELL = 2000
BATCH = 2000
KEPT = 200
TOKEN_COLUMNS = ("client_token", "instanceid", "meta/instanceid", "_uuid", "uuid")
IGNORED = ("start", "end", "today", "deviceid", "username", "email", "audit", "_id", "_submission_time",
           "_submitted_by", "_status", "_validation_status", "_notes", "_tags", "_index", "__version__",
           "_version_", "_xform_id_string", "_attachments", "_geolocation", "response_id", "submitted_at",
           "channel", "complete", "service_id", "sex", "age", "education", "occupation", "extra", "suggestion")


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Outcome:
    rows: int = 0
    stored: int = 0
    skipped: int = 0  # already stored (same id)
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    def refuse(self, row: int, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < KEPT:
            self.problems.append(Problem(row, column, message))


def _key(header: str) -> str:
    text = " ".join(str(header).split()).lower()
    if "/" in text and text not in TOKEN_COLUMNS:
        text = text.rsplit("/", 1)[1]
    return text


def _csv_rows(fh: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    head = fh.read(4096)
    fh.seek(0)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "cp1252"
    text = io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="")
    first = head.split(b"\n", 1)[0]
    delimiter = ";" if first.count(b";") > first.count(b",") else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [cell[:MAX_CELL] for cell in row[:MAX_COLUMNS + 1]]
    except csv.Error as exc:
        raise FileProblem(_("Berkas CSV rusak sekitar baris %(n)d: %(e)s") % {"n": reader.line_num, "e": exc}) from None


def _xlsx_rows(fh: IO[bytes], size: int) -> Iterator[tuple[int, list[str]]]:
    book = xlsx.open_workbook(fh, size=size, max_bytes=MAX_BYTES, max_inflated=MAX_BYTES * 8, seconds=600)
    try:
        titles = book.sheetnames
        if not titles:
            raise FileProblem(_("Berkas tidak berisi lembar kerja."))
        for number, cells in book.rows(titles[0]):
            if not cells:
                continue
            width = min(max(cells), MAX_COLUMNS + 1)
            yield number, [xlsx.text_of(cells.get(i))[:MAX_CELL] for i in range(1, width + 1)]
    finally:
        book.close()


def rows_of(fh: IO[bytes], size: int, filename: str) -> Iterator[tuple[int, list[str]]]:
    if size > MAX_BYTES:
        raise FileProblem(_("Berkas terlalu besar (%(size)s); batasnya %(max)s.") % {
            "size": xlsx.human_size(size), "max": xlsx.human_size(MAX_BYTES)})
    if size == 0:
        raise FileProblem(_("Berkas kosong."))
    magic = fh.read(4)
    fh.seek(0)
    if magic.startswith(b"PK\x03\x04"):
        return _xlsx_rows(fh, size)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("Ini berkas Excel lama (.xls). Simpan sebagai .xlsx atau .csv, lalu unggah."))
    if b"\x00" in fh.read(4096):
        raise FileProblem(_("Berkas ini bukan CSV atau XLSX."))
    fh.seek(0)
    return _csv_rows(fh)


class Columns:
    """Which column holds what, from the header row."""

    def __init__(self, campaign: Campaign, header: list[str], outcome: Outcome) -> None:
        parsed = campaign.version.parsed
        codes = {q.code.lower(): q.code for q in parsed.elements}
        positions = {f"u{i}": q.code for i, q in enumerate(parsed.elements, start=1)}
        fields = {f.code.lower(): f.code for f in parsed.fields if f.type != "note"}
        self.elements: dict[int, str] = {}
        self.fields: dict[int, str] = {}
        self.token: int | None = None
        self.suggestion: int | None = None
        seen: dict[str, int] = {}
        for index, raw in enumerate(header):
            key = _key(raw)
            if not key:
                continue
            target = codes.get(key) or positions.get(key)
            name = target or fields.get(key) or key
            if name in seen:
                outcome.refuse(1, raw, _("Kolom untuk %(name)s muncul dua kali.") % {"name": name})
                continue
            seen[name] = index
            if target:
                self.elements[index] = target
            elif key in fields:
                self.fields[index] = fields[key]
            elif key in TOKEN_COLUMNS and self.token is None:
                self.token = index
            elif key in ("saran", "suggestion"):
                self.suggestion = index
            elif key not in IGNORED and not key.startswith("_"):
                outcome.ignored_columns.append(str(raw)[:60])
        missing = [q.code for q in parsed.elements if q.code not in self.elements.values()]
        if missing:
            outcome.refuse(1, "", _("Kolom unsur berikut tidak ada: %(codes)s (pakai kodenya atau U1…U%(n)d).") % {
                "codes": ", ".join(missing), "n": len(parsed.elements)})


def _answer(value: str, choices: tuple[str, ...]) -> str:
    text = value.strip()
    if text.endswith(".0"):
        text = text[:-2]
    for i, label in enumerate(choices, start=1):
        if text.lower() == label.lower():
            return str(i)
    return text


def _profile_value(campaign: Campaign, code: str, value: str, services_by_name: dict[str, int]) -> str:
    field = next(f for f in campaign.version.parsed.fields if f.code == code)
    text = value.strip()
    if field.type == "service":
        return str(services_by_name.get(text.lower(), text))
    if field.type in ("choice", "multiple"):
        labels = {label.lower(): name for name, label in field.options()}
        parts = text.split() if field.type == "multiple" else [text]
        return " ".join(labels.get(p.lower(), p) for p in parts)
    if field.type == "integer" and text.endswith(".0"):
        return text[:-2]
    return text


def import_responses(*, actor: Any, campaign: Campaign, upload: IO[bytes], size: int, filename: str = "",
                     progress: Any = None) -> Outcome:
    """Check every row; store them all (one transaction) or none. The outcome says what happened."""
    outcome = Outcome()
    digest = hashlib.sha256()
    rows = rows_of(upload, size, filename)
    first = next(rows, None)
    if first is None:
        raise FileProblem(_("Berkas tidak berisi baris judul."))
    columns = Columns(campaign, first[1], outcome)
    if outcome.problem_count:
        return outcome
    parsed = campaign.version.parsed
    choices = {q.code: q.choices for q in parsed.elements}
    services_by_name = {s.product.name.lower(): s.product_id
                        for s in campaign.services.select_related("product")}
    checked: list[tuple[str, dict[str, Any], dict[str, Any], str]] = []
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        outcome.rows += 1
        if outcome.rows > MAX_ROWS:
            outcome.refuse(number, "", _("Lebih dari %(n)d baris; bagi berkasnya.") % {"n": MAX_ROWS})
            break
        digest.update(repr(cells).encode())
        answers = {code: _answer(cells[i], choices[code]) if i < len(cells) else ""
                   for i, code in columns.elements.items()}
        profile = {code: _profile_value(campaign, code, cells[i], services_by_name)
                   for i, code in columns.fields.items() if i < len(cells) and cells[i].strip()}
        token = cells[columns.token].strip() if columns.token is not None and columns.token < len(cells) else ""
        token = "".join(ch for ch in token if ch.isalnum() or ch in "-_")[:64]
        if len(token) < 8:
            token = f"import-{hashlib.sha256(f'{filename}|{number}|{cells!r}'.encode()).hexdigest()[:40]}"
        suggestion = cells[columns.suggestion] if columns.suggestion is not None and columns.suggestion < len(
            cells) else ""
        try:
            clean = services.clean_answers(campaign.version, answers, complete=True)
            person = services.clean_profile(campaign, profile, clean, complete=False)
        except ValidationError as exc:
            for column, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
                for message in messages:
                    outcome.refuse(number, column, message)
            continue
        checked.append((token, clean, person, suggestion[:SUGGESTION_CHARS]))
        if progress is not None and outcome.rows % 1000 == 0:
            progress.progress(checked=outcome.rows)
    if outcome.problem_count:
        return outcome
    _write(actor, campaign, checked, outcome, progress)
    return outcome


@transaction.atomic
def _write(actor: Any, campaign: Campaign, checked: list[tuple[str, dict[str, Any], dict[str, Any], str]],
           outcome: Outcome, progress: Any) -> None:
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    now = timezone.now()
    version = campaign.version
    for start in range(0, len(checked), BATCH):
        batch = checked[start:start + BATCH]
        tokens = [token for token, *_rest in batch]
        existing = set(Response.objects.filter(campaign=campaign, client_token__in=tokens)
                       .values_list("client_token", flat=True))
        new = []
        for token, clean, person, suggestion in batch:
            if token in existing:
                outcome.skipped += 1
                continue
            existing.add(token)
            new.append(Response(campaign=campaign, version=version, client_token=token, channel=Channel.IMPORT,
                                complete=True, product_id=person["product"], sex=person["sex"], age=person["age"],
                                education=person["education"], occupation=person["occupation"],
                                extra=person["extra"], suggestion=suggestion, submitted_at=now, started_at=now,
                                entered_by=actor, **slot_values(version, clean)))
        Response.objects.bulk_create(new, batch_size=500)
        outcome.stored += len(new)
        if progress is not None:
            progress.progress(written=outcome.stored)
    tallies.rebuild(campaign)
    from pantau.core import audit

    audit.record(actor=actor, event_type="responses.imported", obj=campaign, institution_id=campaign.institution_id,
                 after={"stored": outcome.stored, "skipped": outcome.skipped})
