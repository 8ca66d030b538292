"""Questionnaires to and from XLSForm (the .xlsx of ODK, KoboToolbox and Enketo). Pure: no Django.

``read`` (sheets ``survey``, ``choices``, ``settings``): a ``select_one`` whose list is four choices
named 1–4 is a scored IKM element (labels in the order of the names); with ``pantau_kind =
perception`` in settings, one whose list is Ya / Tidak / Tidak tahu is a perception element; the
column ``pantau_weight`` gives weights. Every other supported row is a profile field (select_one →
choice, or service when named ``layanan`` / ``jenis_layanan`` or ``pantau_type = service``;
select_multiple → multiple; integer, decimal, text, note; ``pantau_type = profile`` keeps a 1–4 list
unscored) with its ``required``, ``relevant``, ``constraint``, ``constraint_message``. Groups are
flattened (a group's ``relevant`` joined to its rows' with ``and``), metadata rows
(``METADATA_TYPES``) dropped, the Indonesian label taken when there are several languages.
Nothing unsupported is skipped: all problems come in one ``XlsFormError`` as (sheet, row, column,
message), the message a ``messages.Message`` (Indonesian; the page showing it translates it).

``write`` gives the .xlsx that ``read`` turns back into an equal questionnaire; text that a
spreadsheet would run as a formula is written as a string with the quote prefix.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from openpyxl import Workbook, load_workbook

from pantau.surveys import expressions, questionnaires
from pantau.surveys import xlsform_cells as cells
from pantau.surveys.messages import gettext_noop
from pantau.surveys.questionnaires import PERCEPTION_CHOICES, Questionnaire, QuestionnaireError

MAX_BYTES = 5 * 1024 * 1024
MAX_INFLATED = 25 * 1024 * 1024  # all parts of the .xlsx together, unpacked
MAX_ROWS = 2000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 2000
EXCEL_ROWS = 1_048_576
# Recorded by Pantau itself: accepted and dropped.
METADATA_TYPES = ("start", "end", "today", "deviceid", "username", "email", "audit", "phonenumber",
                  "subscriberid", "simserial")
META_NAMES = ("instanceID", "instanceName", "deprecatedID", "__version__")  # calculate rows ODK and Kobo add
SERVICE_NAMES = ("layanan", "jenis_layanan")
SUPPORTED_TYPES = ("select_one", "select_multiple", "integer", "decimal", "text", "note")  # and groups
# Survey columns that change how a form behaves, which Pantau does not do: reported when filled.
BEHAVIOUR_COLUMNS = ("choice_filter", "calculation", "repeat_count", "default", "trigger", "parameters",
                     "read_only")
SCALE_NAMES = ("1", "2", "3", "4")
PERCEPTION_NAMES = ("ya", "tidak", "tidak_tahu")
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, or an .xlsx with a password


class Problem(NamedTuple):
    sheet: str
    row: int  # 1-based as the spreadsheet numbers it; 0: the whole sheet or file
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.sheet, f"baris {self.row}" if self.row else "", f"kolom {self.column}" if self.column else ""]
        place = ", ".join(w for w in where if w)
        return f"{place}: {self.message}" if place else self.message


class XlsFormError(ValueError):
    """The form cannot be imported; ``problems`` lists every reason found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        order = ("", "survey", "choices", "settings")
        self.problems = sorted(problems, key=lambda p: (order.index(p.sheet) if p.sheet in order else 9, p.row))
        super().__init__("Formulir XLSForm tidak dapat diimpor:\n" + "\n".join(f"- {p}" for p in self.problems))


def _file_error(message: str) -> XlsFormError:
    return XlsFormError([Problem("", 0, "", message)])


def _bytes(source: BinaryIO | str | Path) -> bytes:
    """The file's content, its size checked before it is read when it is a path."""
    try:
        if isinstance(source, str | Path):
            size = Path(source).stat().st_size
            data = b"" if size > MAX_BYTES else Path(source).read_bytes()
        else:
            data = source.read(MAX_BYTES + 1)
            if not isinstance(data, bytes):
                raise _file_error(gettext_noop("Berkas harus dibuka sebagai biner (mode rb)."))
            size = len(data)
    except OSError as exc:
        raise _file_error(gettext_noop("Berkas tidak dapat dibuka: %(error)s.",
                                       error=str(exc.strerror or exc))) from None
    if size > MAX_BYTES:
        raise _file_error(gettext_noop("Berkas lebih besar dari %(most)s MB.", most=MAX_BYTES // (1024 * 1024)))
    return data


def _check_zip(data: bytes) -> None:
    """Refuse what is not an .xlsx, or one that unpacks too large or declares XML entities."""
    if data.startswith(_CFB):
        raise _file_error(gettext_noop("Berkas ini dilindungi kata sandi atau berformat Excel lama (.xls). Simpan "
                                       "ulang sebagai .xlsx tanpa kata sandi, lalu unggah lagi."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if "xl/workbook.xml" not in {i.filename for i in infos}:
                raise _file_error(gettext_noop("Berkas ZIP ini bukan buku kerja Excel (.xlsx)."))
            if sum(i.file_size for i in infos) > MAX_INFLATED:
                raise _file_error(gettext_noop("Isi berkas terlalu besar setelah dibuka."))
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _scan(archive, info.filename, _DECLARATION):
                    raise _file_error(gettext_noop("Berkas memuat deklarasi XML (DOCTYPE) yang tidak diizinkan."))
    except XlsFormError:
        raise
    except zipfile.BadZipFile:
        raise _file_error(gettext_noop("Berkas ini bukan berkas .xlsx (atau rusak).")) from None
    except RuntimeError:  # a member with a ZIP password
        raise _file_error(gettext_noop("Berkas ini dilindungi kata sandi. Simpan ulang tanpa kata sandi.")) from None
    except (OSError, EOFError, ValueError, NotImplementedError):
        raise _file_error(gettext_noop("Berkas .xlsx rusak dan tidak dapat dibaca.")) from None


_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
# A cell right of column 200 (GR): such cells are never read, so they are looked for in the XML.
_FAR_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="\$?(?:[A-Z]{3}|[H-Z][A-Z]|G[S-Z])\$?(\d+)"')


def _scan(archive: zipfile.ZipFile, part: str, pattern: re.Pattern[bytes]) -> re.Match[bytes] | None:
    """The first match of ``pattern`` in a part, read in chunks."""
    tail = b""
    with archive.open(part) as xml:
        while chunk := xml.read(256 * 1024):
            text = tail + chunk
            if match := pattern.search(text):
                return match
            tail = text[-300:]
    return None


@dataclass
class _Sheet:
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, column → text)


def _read_sheet(ws: Any, name: str, problems: list[Problem], wide: bool) -> _Sheet:
    sheet = _Sheet()
    columns: list[str] = []
    ws.reset_dimensions()  # the size the file claims is not trusted: rows are taken as they come
    for number, values in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), start=1):
        if values.count(None) == len(values) and number <= EXCEL_ROWS:
            continue  # blank (fast: a hostile file may pad a million of them)
        texts = [cells.text(v) for v in values]
        if number > MAX_ROWS and (any(texts) or number > EXCEL_ROWS):
            problems.append(Problem(name, number, "", gettext_noop("lembar lebih dari %(most)s baris", most=MAX_ROWS)))
            break
        if not any(texts):
            continue
        if len(texts) > MAX_COLUMNS and any(texts[MAX_COLUMNS:]) and not wide:
            problems.append(Problem(name, number, "", gettext_noop("lebih dari %(most)s kolom", most=MAX_COLUMNS)))
            wide = True
        if not columns:
            columns = [cells.header(t) for t in texts[:MAX_COLUMNS]]
            sheet.headers = [c for c in columns if c]
            continue
        row: dict[str, str] = {}
        for column, text in zip(columns, texts, strict=False):
            if column and text:
                if len(text) > MAX_CELL_CHARS:
                    problems.append(Problem(name, number, column, gettext_noop("teks lebih dari %(most)s karakter",
                                                                               most=MAX_CELL_CHARS)))
                    text = text[:MAX_CELL_CHARS]
                row.setdefault(column, text)
        if row:
            sheet.rows.append((number, row))
    return sheet


def _workbook_sheets(data: bytes, problems: list[Problem]) -> dict[str, _Sheet]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged file; the user needs one sentence
        raise _file_error(gettext_noop("Berkas .xlsx rusak atau tidak dapat dibaca.")) from None
    try:
        sheets = {}
        for ws in book.worksheets:
            key = ws.title.strip().lower()
            if key in ("survey", "choices", "settings") and key not in sheets:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    far = _scan(archive, str(getattr(ws, "_worksheet_path", "")).lstrip("/"), _FAR_CELL)
                if far:
                    problems.append(Problem(key, int(far.group(1)), "", gettext_noop("lebih dari %(most)s kolom",
                                                                                      most=MAX_COLUMNS)))
                sheets[key] = _read_sheet(ws, key, problems, far is not None)
            elif key == "external_choices":
                problems.append(Problem(key, 0, "", gettext_noop("lembar external_choices tidak didukung")))
        return sheets
    except Exception:
        raise _file_error(gettext_noop("Isi berkas .xlsx rusak dan tidak dapat dibaca.")) from None
    finally:
        book.close()


# The choices sheet.

@dataclass
class _List:
    row: int
    names: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    faulty: bool = False  # a row of it was reported: its questions are not checked again

    def scale(self) -> tuple[str, ...] | None:
        """The labels of 1, 2, 3, 4 when the list is an IKM scale."""
        if sorted(self.names) != list(SCALE_NAMES):
            return None
        return tuple(self.labels[self.names.index(n)] for n in SCALE_NAMES)

    def perception(self) -> bool:
        keys = {"_".join(n.lower().split()) for n in self.names}
        labels = {"_".join(label.lower().split()) for label in self.labels}
        return len(self.names) == 3 and (keys == set(PERCEPTION_NAMES) or labels == set(PERCEPTION_NAMES))


def _choices(sheet: _Sheet | None, language: str, problems: list[Problem]) -> dict[str, _List]:
    lists: dict[str, _List] = {}
    if sheet is None or not sheet.rows:
        return lists
    labels = cells.language_columns(sheet.headers, "label", language)
    for column in ("list_name", "name"):
        if column not in sheet.headers:
            problems.append(Problem("choices", 1, column, gettext_noop("kolom %(column)s tidak ada", column=column)))
    if not labels:
        problems.append(Problem("choices", 1, "label", gettext_noop("kolom %(column)s tidak ada", column="label")))
    if any(p.sheet == "choices" and p.row == 1 for p in problems):
        return lists
    for number, row in sheet.rows:
        list_name, name, label = row.get("list_name", ""), row.get("name", ""), cells.pick(row, labels)
        if not list_name:
            problems.append(Problem("choices", number, "list_name", gettext_noop("nama daftar kosong")))
            continue
        choice_list = lists.setdefault(list_name, _List(number))
        found = len(problems)
        if not name:
            problems.append(Problem("choices", number, "name", gettext_noop("nama pilihan kosong")))
        elif name in choice_list.names:
            problems.append(Problem("choices", number, "name", gettext_noop(
                "nama pilihan ganda dalam daftar %(list)s: %(name)s", list=list_name, name=name)))
        if not label:
            problems.append(Problem("choices", number, "label", gettext_noop("label pilihan kosong")))
        choice_list.faulty = choice_list.faulty or len(problems) > found
        choice_list.names.append(name)
        choice_list.labels.append(label)
    return lists


# The survey sheet.

class _Frame(NamedTuple):
    kind: str  # group, repeat
    name: str
    relevant: str
    row: int


@dataclass
class _Item:
    row: int
    raw: dict[str, Any]
    element: bool
    own: dict[str, str]  # column → expression written on the row itself
    groups: list[tuple[int, str]]  # (row, relevant) of the groups around it
    checked: bool = True  # False: its choice list was reported already


class _Survey:
    def __init__(self, sheet: _Sheet, lists: dict[str, _List], kind: str, language: str,
                 problems: list[Problem]) -> None:
        self.sheet, self.lists, self.kind, self.problems = sheet, lists, kind, problems
        self.labels = cells.language_columns(sheet.headers, "label", language)
        self.messages = cells.language_columns(sheet.headers, "constraint_message", language)
        self.items: list[_Item] = []
        self.names: dict[str, int] = {}

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem("survey", row, column, message))

    def read(self) -> None:
        stack: list[_Frame] = []
        for number, row in self.sheet.rows:
            words = cells.type_words(row.get("type", ""))
            if not words:
                self.problem(number, "type", gettext_noop("jenis (type) kosong"))
                continue
            head = words[0]
            if head in ("begin_group", "begin_repeat"):
                if head == "begin_repeat":
                    self.problem(number, "type", gettext_noop("pengulangan (begin repeat) tidak didukung"))
                stack.append(_Frame(head[6:], row.get("name", ""), row.get("relevant", ""), number))
                self.columns(number, row)
            elif head in ("end_group", "end_repeat"):
                if not stack or stack[-1].kind != head[4:]:
                    self.problem(number, "type", gettext_noop("%(type)s tanpa pasangan begin",
                                                              type=head.replace("_", " ")))
                else:
                    stack.pop()
            elif not self.automatic(words, row, stack):
                self.question(number, row, words, stack)
        for frame in stack:
            self.problem(frame.row, "type", gettext_noop("begin %(kind)s tanpa end %(kind)s", kind=frame.kind))

    @staticmethod
    def automatic(words: list[str], row: dict[str, str], stack: list[_Frame]) -> bool:
        """Metadata Pantau records itself (dropped)."""
        return (len(words) == 1 and words[0] in METADATA_TYPES) or (
            words == ["calculate"] and (row.get("name") in META_NAMES or any(f.name == "meta" for f in stack)))

    def columns(self, number: int, row: dict[str, str]) -> None:
        """Report the filled columns Pantau cannot honour."""
        for column, value in row.items():
            prefixed = column.partition("::")[0] in ("bind", "body", "instance") and "::" in column
            if prefixed or (column in BEHAVIOUR_COLUMNS and (column != "read_only" or cells.flag(value) is not False)):
                self.problem(number, column, gettext_noop("kolom %(column)s tidak didukung", column=column))

    def question(self, number: int, row: dict[str, str], words: list[str], stack: list[_Frame]) -> None:
        head, name = words[0], row.get("name", "")
        if head not in SUPPORTED_TYPES:  # calculate, range, rank, date, geopoint, image, …
            self.problem(number, "type", gettext_noop("jenis %(type)s tidak didukung (yang didukung: %(supported)s, "
                                                      "begin/end group)", type=" ".join(words),
                                                      supported=", ".join(SUPPORTED_TYPES)))
            return
        choice_list = None
        if head in ("select_one", "select_multiple"):
            if len(words) != 2:
                self.problem(number, "type", gettext_noop("pilihan lainnya otomatis (or_other) tidak didukung: "
                                                          "tambahkan pilihan dan pertanyaan teks sendiri")
                             if "or_other" in words
                             else gettext_noop("jenis %(type)s tidak didukung", type=" ".join(words)))
                return
            choice_list = self.lists.get(words[1])
            if choice_list is None:
                self.problem(number, "type", gettext_noop("daftar pilihan %(list)s tidak ada atau kosong di lembar "
                                                          "choices", list=words[1]))
                return
        if not name:
            self.problem(number, "name", gettext_noop("nama (name) kosong"))
        elif not expressions.NAME.fullmatch(name):
            self.problem(number, "name", gettext_noop("nama tidak sah: %(name)s (huruf, angka, _ ; diawali huruf)",
                                                      name=repr(name)))
        elif name in self.names:
            self.problem(number, "name", gettext_noop("nama ganda: %(name)s (juga di baris %(row)s)", name=name,
                                                      row=self.names[name]))
        else:
            self.names[name] = number
        label = cells.pick(row, self.labels)
        if not label:
            self.problem(number, "label", gettext_noop("label kosong"))
        self.columns(number, row)
        required = cells.flag(row.get("required", ""))
        if required is None:
            self.problem(number, "required", gettext_noop("required bersyarat tidak didukung: %(value)s (yes/no)",
                                                          value=repr(row["required"])))
        own = {k: row[k] for k in ("relevant", "constraint") if row.get(k)}
        groups = [(f.row, f.relevant) for f in stack if f.relevant]
        pantau_type = row.get("pantau_type", "").lower()
        if pantau_type not in ("", "service", "profile"):
            self.problem(number, "pantau_type", gettext_noop("nilai tidak dikenal: %(value)s (service, profile)",
                                                             value=repr(pantau_type)))
        scale = choice_list.scale() if choice_list and head == "select_one" else None
        element = pantau_type == "" and (
            (self.kind == "ikm" and scale is not None)
            or (self.kind == "perception" and head == "select_one" and choice_list is not None
                and choice_list.perception()))
        raw: dict[str, Any] = {"code": name, "text": label}
        if element:
            raw["choices"] = list(scale) if scale is not None else list(PERCEPTION_CHOICES)
            if row.get("pantau_weight"):
                raw["weight"] = row["pantau_weight"]
            if own.get("constraint"):
                self.problem(number, "constraint", gettext_noop("constraint pada pertanyaan berskor tidak didukung"))
        else:
            if row.get("pantau_weight"):
                self.problem(number, "pantau_weight", gettext_noop("bobot hanya untuk pertanyaan berskor"))
            kind_of = {"select_one": "choice", "select_multiple": "multiple"}.get(head, head)
            if pantau_type == "service" and head not in ("select_one", "text"):
                self.problem(number, "pantau_type", gettext_noop("service hanya untuk select_one atau text"))
            elif pantau_type == "service" or (head == "select_one" and name in SERVICE_NAMES and pantau_type == ""):
                kind_of = "service"
            raw["type"] = kind_of
            if choice_list is not None:
                raw["choices"], raw["names"] = list(choice_list.labels), list(choice_list.names)
            raw["required"] = bool(required)
            raw["constraint"] = own.get("constraint", "")
            raw["constraint_message"] = cells.pick(row, self.messages)
        self.items.append(_Item(number, raw, element, own, groups, not (choice_list and choice_list.faulty)))

    def finish(self) -> None:
        """Check each expression against the form's names and join the groups' ``relevant``."""
        known = set(self.names)
        failed: dict[tuple[int, str], bool] = {}
        for item in self.items:
            checks = [(row, "relevant", text) for row, text in item.groups]
            checks += [(item.row, column, text) for column, text in item.own.items()]
            for row, column, text in checks:
                if (row, column) not in failed:
                    try:
                        expressions.compile_expression(text, known)
                        failed[row, column] = False
                    except expressions.ExpressionError as exc:
                        failed[row, column] = True
                        self.problem(row, column, exc.message)
            good = not any(failed[row, column] for row, column, _ in checks)
            parts = [text for _, text in item.groups] + ([item.own["relevant"]] if "relevant" in item.own else [])
            item.raw["relevant"] = parts[0] if len(parts) == 1 else " and ".join(f"({p})" for p in parts)
            if good and len(parts) > 1:
                try:
                    expressions.compile_expression(item.raw["relevant"], known)
                except expressions.ExpressionError as exc:
                    self.problem(item.row, "relevant", gettext_noop("digabung dengan relevant grupnya: %(reason)s",
                                                                    reason=exc.message))


def read(source: BinaryIO | str | Path, *, kind_default: str = "ikm") -> Questionnaire:
    """The questionnaire of an XLSForm workbook (``XlsFormError`` lists everything that stops it)."""
    data = _bytes(source)
    _check_zip(data)
    problems: list[Problem] = []
    sheets = _workbook_sheets(data, problems)
    survey = sheets.get("survey")
    if survey is None:
        raise XlsFormError([*problems, Problem("survey", 0, "", gettext_noop("lembar survey tidak ada"))])
    for column in ("type", "name", "label"):  # label: or label::Bahasa (id) …
        if not any(h == column or h.startswith(column + "::") for h in survey.headers):
            problems.append(Problem("survey", 1, column, gettext_noop("kolom %(column)s tidak ada", column=column)))
    if any(p.sheet == "survey" and p.row == 1 for p in problems):
        raise XlsFormError(problems)
    at, settings = next(iter(sheets["settings"].rows), (2, {})) if "settings" in sheets else (2, {})
    for column in ("public_key", "allow_choice_duplicates"):
        if column in settings and cells.flag(settings[column]) is not False:
            problems.append(Problem("settings", at, column, gettext_noop("pengaturan %(column)s tidak didukung",
                                                                         column=column)))
    kind = settings.get("pantau_kind", "") or kind_default
    if kind not in questionnaires.KINDS:
        problems.append(Problem("settings", at, "pantau_kind", gettext_noop(
            "jenis tidak dikenal: %(kind)s (ikm, perception)", kind=repr(kind))))
        kind = "ikm"
    language = settings.get("default_language", "")
    lists = _choices(sheets.get("choices"), language, problems)
    reader = _Survey(survey, lists, kind, language, problems)
    reader.read()
    reader.finish()
    stem = Path(source).stem if isinstance(source, str | Path) else ""
    form_id = settings.get("form_id", "") or stem
    if not form_id:
        problems.append(Problem("settings", at, "form_id", gettext_noop("form_id wajib diisi")))
    if not [i for i in reader.items if i.element]:
        problems.append(Problem("survey", 0, "", gettext_noop(
            "tidak ada pertanyaan berskor: untuk IKM, select_one dengan empat pilihan bernama 1, 2, 3, 4; untuk "
            "persepsi, Ya/Tidak/Tidak tahu")))
    for item in reader.items:  # each row on its own, so that every bad row is named
        if not item.checked:
            continue
        try:
            if item.element:
                questionnaires.parse_element(item.raw, kind, None, "xlsform", "")
            else:
                questionnaires.parse_field(item.raw, "xlsform", "")
        except QuestionnaireError as exc:
            column = _column(exc.path)
            if not any(p[:3] == ("survey", item.row, column) for p in problems):  # not said twice
                problems.append(Problem("survey", item.row, column, exc.reason))
    if problems:
        raise XlsFormError(problems)
    document = {
        "id": form_id, "version": settings.get("version", "") or "1",
        "title": settings.get("form_title", "") or form_id, "kind": kind,
        "profile": settings.get("pantau_profile", "") or ("permenpanrb-14-2017" if kind == "ikm" else ""),
        "source": settings.get("pantau_source", ""), "derived": cells.flag(settings.get("pantau_derived", "")) is True,
        "elements": [i.raw for i in reader.items if i.element],
        "profile_fields": [i.raw for i in reader.items if not i.element]}
    try:
        return questionnaires.parse(document, "xlsform")
    except QuestionnaireError as exc:
        raise XlsFormError([_whole_form_problem(exc, reader.items, at)]) from None


def _column(path: str) -> str:
    key = path.rpartition(".")[2].partition("[")[0]
    columns = {"code": "name", "text": "label", "choices": "type", "names": "type", "weight": "pantau_weight"}
    return columns.get(key, key)


def _whole_form_problem(exc: QuestionnaireError, items: list[_Item], settings_row: int) -> Problem:
    match = re.match(r"(elements|profile_fields)\[(\d+)\]", exc.path)
    if match:
        rows = [i.row for i in items if i.element == (match.group(1) == "elements")]
        return Problem("survey", rows[int(match.group(2))], _column(exc.path), exc.reason)
    settings = {"id": "form_id", "version": "version", "title": "form_title", "profile": "pantau_profile"}
    if exc.path in settings:
        return Problem("settings", settings_row, settings[exc.path], exc.reason)
    return Problem("survey", 0, "pantau_weight" if exc.path == "elements" else "", exc.reason)  # the weights


# Writing.

SURVEY_COLUMNS = ("type", "name", "label", "required", "relevant", "constraint", "constraint_message",
                  "pantau_weight", "pantau_type")


def write(questionnaire: Questionnaire) -> bytes:
    """The questionnaire as an XLSForm .xlsx (survey, choices, settings)."""
    q = questionnaire
    survey: list[dict[str, str]] = []
    choices: list[tuple[str, str, str]] = []
    for element in q.elements:
        names = SCALE_NAMES if q.kind == "ikm" else PERCEPTION_NAMES
        choices += [(element.code, n, label) for n, label in zip(names, element.choices, strict=True)]
        survey.append({"type": f"select_one {element.code}", "name": element.code, "label": element.text,
                       "relevant": element.relevant,
                       "pantau_weight": "" if element.weight is None else str(element.weight)})
    for f in q.fields:
        row = {"name": f.code, "label": f.text, "required": "yes" if f.required else "", "relevant": f.relevant,
               "constraint": f.constraint, "constraint_message": f.constraint_message}
        options = f.options()
        choices += [(f.code, value, label) for value, label in options]
        if f.type in ("choice", "multiple") or (f.type == "service" and options):
            row["type"] = f"{'select_multiple' if f.type == 'multiple' else 'select_one'} {f.code}"
        else:
            row["type"] = "text" if f.type == "service" else f.type
        if f.type == "service":
            row["pantau_type"] = "service"
        elif f.type == "choice" and (_would_score(q.kind, options) or f.code in SERVICE_NAMES):
            row["pantau_type"] = "profile"
        survey.append(row)
    settings = {"form_id": q.id, "version": q.version, "form_title": q.title, "pantau_kind": q.kind,
                "pantau_profile": q.profile, "pantau_source": q.source, "pantau_derived": "yes" if q.derived else ""}
    book = Workbook(write_only=True)
    sheets: list[tuple[str, list[str], list[list[str]]]] = [
        ("survey", list(SURVEY_COLUMNS), [[r.get(c, "") for c in SURVEY_COLUMNS] for r in survey]),
        ("choices", ["list_name", "name", "label"], [list(c) for c in choices]),
        ("settings", list(settings), [list(settings.values())])]
    for title, headers, rows in sheets:
        ws = book.create_sheet(title)
        for values in [headers, *rows]:
            ws.append([cells.write_cell(ws, v) if v else None for v in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _would_score(kind: str, options: list[tuple[str, str]]) -> bool:
    choices = _List(0, [n for n, _ in options], [label for _, label in options])
    return choices.scale() is not None if kind == "ikm" else choices.perception()
