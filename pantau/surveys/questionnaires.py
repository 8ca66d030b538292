"""Questionnaires as data (issue 9, "Questionnaires"): the built-in SKM 2017, the 2004 IKM (for
history) and the maladministration-perception survey ship as TOML in ``data/``; a unit's adapted
copy is the same document with elements added and weights given. Pure: no Django.

``load`` refuses, each with the file, the path inside it and the reason: an unknown kind or
profile, an element without code or text, duplicate codes, an ``ikm`` element whose choices are not
four labels (scored 1–4 in order), weights that are not all given or do not sum to 1
(``indices.weights``), a profile field of an unknown type or with bad choices, a ``relevant`` or
``constraint`` that ``expressions`` cannot read or that names an unknown field.

Profile fields may carry what an XLSForm row carries (``xlsform``): ``required``, ``relevant``,
``constraint``, ``constraint_message`` and ``names``, the stored value of each choice (empty: the
labels are stored).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pantau.surveys import expressions, indices
from pantau.surveys.messages import gettext_noop

DATA = Path(__file__).resolve().parent / "data"
KINDS = ("ikm", "perception")
FIELD_TYPES = ("choice", "multiple", "integer", "decimal", "text", "note", "service")
CHOICE_TYPES = ("choice", "multiple", "service")  # "service": the unit's services when it has no choices
PERCEPTION_CHOICES = ("Ya", "Tidak", "Tidak tahu")  # "Tidak": no maladministration; "Tidak tahu": not counted
CODE_CHARS = 40
TEXT_CHARS = 500
CHOICE_NAME_CHARS = 100
MAX_CHOICES = 300


class QuestionnaireError(ValueError):
    """``reason`` is a ``messages.Message`` (Indonesian, translatable where it is shown); ``source`` and
    ``path`` name the file and the place in it."""

    def __init__(self, source: str, path: str, reason: str) -> None:
        super().__init__(f"{source}: {path}: {reason}")
        self.source, self.path, self.reason = source, path, reason


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    choices: tuple[str, ...]  # ikm: the labels of 1, 2, 3, 4; perception: Ya / Tidak / Tidak tahu
    weight: Decimal | None = None
    relevant: str = ""  # asked only when this expression holds (``expressions``)


@dataclass(frozen=True)
class ProfileField:
    code: str
    text: str
    type: str
    choices: tuple[str, ...] = ()  # labels
    required: bool = False
    relevant: str = ""
    constraint: str = ""  # "." is the answer itself
    constraint_message: str = ""
    names: tuple[str, ...] = ()  # the stored value of each choice; empty: the labels themselves

    def options(self) -> list[tuple[str, str]]:
        """(stored value, label) of each choice."""
        return list(zip(self.names or self.choices, self.choices, strict=True))


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: str
    kind: str
    profile: str  # indices.PROFILES key (ikm); "" for perception
    elements: tuple[Question, ...]
    fields: tuple[ProfileField, ...]
    source: str = ""
    derived: bool = False

    def index_elements(self) -> tuple[indices.Element, ...]:
        return tuple(indices.Element(q.code, q.weight) for q in self.elements)

    def score(self, choice: str, code: str) -> int | bool | None:
        """The value of a chosen label: 1–4 (ikm); True = no maladministration, False, or None
        for "Tidak tahu" (perception). ``QuestionnaireError`` for a label the question lacks."""
        question = next((q for q in self.elements if q.code == code), None)
        if question is None or choice not in question.choices:
            raise QuestionnaireError(self.id, f"elements.{code}",
                                     gettext_noop("pilihan tidak dikenal: %(choice)s", choice=repr(choice)))
        if self.kind == "perception":
            return {"Ya": False, "Tidak": True}.get(choice)
        return question.choices.index(choice) + 1


def _text(value: Any, source: str, path: str, limit: int = TEXT_CHARS) -> str:
    if not isinstance(value, str) or not value.strip():
        raise QuestionnaireError(source, path, gettext_noop("wajib diisi (teks)"))
    if len(value) > limit:
        raise QuestionnaireError(source, path, gettext_noop("terlalu panjang (paling banyak %(most)s karakter)",
                                                            most=limit))
    return value.strip()


def _flag(value: Any, source: str, path: str) -> bool:
    if not isinstance(value, bool):
        raise QuestionnaireError(source, path, gettext_noop("harus true atau false"))
    return value


def _optional(raw: dict[str, Any], key: str, source: str, path: str, limit: int) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise QuestionnaireError(source, f"{path}.{key}", gettext_noop("harus berupa teks"))
    if len(value) > limit:
        raise QuestionnaireError(source, f"{path}.{key}",
                                 gettext_noop("terlalu panjang (paling banyak %(most)s karakter)", most=limit))
    return value.strip()


def _labels(value: Any, source: str, path: str, limit: int) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or len(value) > MAX_CHOICES:
        raise QuestionnaireError(source, path, gettext_noop("harus berupa daftar (paling banyak %(most)s)",
                                                            most=MAX_CHOICES))
    return tuple(_text(v, source, f"{path}[{i}]", limit) for i, v in enumerate(value))


def parse_element(raw: Any, kind: str, shared_labels: Any, source: str, path: str) -> Question:
    """One scored question (``elements[i]``); its ``relevant`` is checked by ``parse``."""
    if not isinstance(raw, dict):
        raise QuestionnaireError(source, path, gettext_noop("harus berupa tabel"))
    code = _text(raw.get("code"), source, f"{path}.code", CODE_CHARS)
    text = _text(raw.get("text"), source, f"{path}.text")
    choices: Any = raw.get("choices", shared_labels if kind == "ikm" else list(PERCEPTION_CHOICES))
    if kind == "ikm" and (not isinstance(choices, list | tuple) or len(choices) != len(indices.SCALE)
                          or not all(isinstance(c, str) and c.strip() for c in choices)):
        raise QuestionnaireError(source, f"{path}.choices", gettext_noop("harus empat label, untuk nilai 1, 2, 3, 4"))
    if kind == "perception" and (not isinstance(choices, list | tuple) or list(choices) != list(PERCEPTION_CHOICES)):
        raise QuestionnaireError(source, f"{path}.choices",
                                 gettext_noop("harus %(choices)s", choices=", ".join(PERCEPTION_CHOICES)))
    weight = None
    if "weight" in raw:
        try:
            weight = Decimal(str(raw["weight"]))
        except InvalidOperation:
            raise QuestionnaireError(source, f"{path}.weight",
                                     gettext_noop("bukan angka: %(value)s", value=repr(raw["weight"]))) from None
    relevant = _optional(raw, "relevant", source, path, expressions.MAX_CHARS)
    return Question(code, text, tuple(str(c).strip() for c in choices), weight, relevant)


def parse_field(raw: Any, source: str, path: str) -> ProfileField:
    """One profile field (``profile_fields[i]``); its expressions are checked by ``parse``."""
    if not isinstance(raw, dict):
        raise QuestionnaireError(source, path, gettext_noop("harus berupa tabel"))
    kind_of = raw.get("type", "choice" if raw.get("choices") else "text")
    if kind_of not in FIELD_TYPES:
        raise QuestionnaireError(source, f"{path}.type", gettext_noop(
            "jenis isian tidak dikenal: %(type)s (%(types)s)", type=repr(kind_of), types=", ".join(FIELD_TYPES)))
    code = _text(raw.get("code"), source, f"{path}.code", CODE_CHARS)
    text = _text(raw.get("text"), source, f"{path}.text")
    choices = _labels(raw.get("choices") or [], source, f"{path}.choices", TEXT_CHARS)
    names = _labels(raw.get("names") or [], source, f"{path}.names", CHOICE_NAME_CHARS)
    if kind_of in ("choice", "multiple") and not choices:
        raise QuestionnaireError(source, f"{path}.choices", gettext_noop("isian pilihan tanpa pilihan"))
    if kind_of not in CHOICE_TYPES and (choices or names):
        raise QuestionnaireError(source, f"{path}.choices",
                                 gettext_noop("isian %(type)s tidak mempunyai pilihan", type=kind_of))
    if names and len(names) != len(choices):
        raise QuestionnaireError(source, f"{path}.names", gettext_noop(
            "harus %(count)s nama, satu untuk tiap pilihan", count=len(choices)))
    names = () if names == choices else names
    values = names or choices
    doubled = sorted({v for v in values if values.count(v) > 1})
    if doubled:
        raise QuestionnaireError(source, f"{path}.{'names' if names else 'choices'}",
                                 gettext_noop("nilai pilihan ganda: %(values)s", values=", ".join(doubled)))
    if kind_of == "multiple" and any(any(c.isspace() for c in v) for v in values):
        raise QuestionnaireError(source, f"{path}.{'names' if names else 'choices'}",
                                 gettext_noop("nilai pilihan ganda (multiple) tidak boleh berisi spasi (isi names)"))
    required = _flag(raw.get("required", False), source, f"{path}.required")
    constraint = _optional(raw, "constraint", source, path, expressions.MAX_CHARS)
    if kind_of == "note" and (required or constraint):
        raise QuestionnaireError(source, path,
                                 gettext_noop("catatan (note) tidak dapat wajib diisi atau dibatasi"))
    return ProfileField(code, text, kind_of, choices, required,
                        _optional(raw, "relevant", source, path, expressions.MAX_CHARS), constraint,
                        _optional(raw, "constraint_message", source, path, TEXT_CHARS), names)


def _check_expressions(questionnaire: Questionnaire, source: str) -> None:
    known = {q.code for q in questionnaire.elements} | {f.code for f in questionnaire.fields}
    items: list[tuple[str, Question | ProfileField]] = [
        *((f"elements[{i}]", q) for i, q in enumerate(questionnaire.elements)),
        *((f"profile_fields[{i}]", f) for i, f in enumerate(questionnaire.fields))]
    for path, item in items:
        for key in ("relevant", "constraint"):
            text = getattr(item, key, "")
            if text:
                try:
                    expressions.compile_expression(text, known)
                except expressions.ExpressionError as exc:
                    raise QuestionnaireError(source, f"{path}.{key}", exc.message) from None


def parse(data: dict[str, Any], source: str) -> Questionnaire:
    kind = data.get("kind")
    if kind not in KINDS:
        raise QuestionnaireError(source, "kind", gettext_noop("jenis tidak dikenal: %(kind)s (ikm, perception)",
                                                              kind=repr(kind)))
    profile = str(data.get("profile") or "")
    if kind == "ikm" and profile not in indices.PROFILES:
        raise QuestionnaireError(source, "profile", gettext_noop(
            "profil tidak dikenal: %(profile)s (%(profiles)s)", profile=repr(profile),
            profiles=", ".join(sorted(indices.PROFILES))))
    raw_elements = data.get("elements")
    if not isinstance(raw_elements, list) or not raw_elements:
        raise QuestionnaireError(source, "elements", gettext_noop("kuesioner tanpa unsur"))
    elements = [parse_element(raw, kind, data.get("labels"), source, f"elements[{i}]")
                for i, raw in enumerate(raw_elements)]
    raw_fields = data.get("profile_fields") or []
    if not isinstance(raw_fields, list):
        raise QuestionnaireError(source, "profile_fields", gettext_noop("harus berupa daftar"))
    fields = [parse_field(raw, source, f"profile_fields[{i}]") for i, raw in enumerate(raw_fields)]
    questionnaire = Questionnaire(
        _text(data.get("id"), source, "id", CODE_CHARS), _text(str(data.get("version", "")), source, "version", 20),
        _text(data.get("title"), source, "title"), kind, profile, tuple(elements), tuple(fields),
        str(data.get("source") or ""), bool(data.get("derived", False)))
    if kind == "ikm":
        try:
            indices.weights(questionnaire.index_elements(), indices.PROFILES[profile])
        except indices.SurveyError as exc:
            raise QuestionnaireError(source, "elements", exc.message) from None
    else:
        codes = [q.code for q in elements]
        if len(set(codes)) != len(codes):
            raise QuestionnaireError(source, "elements", gettext_noop("kode unsur ganda"))
    element_codes = {q.code for q in elements}
    field_codes = [f.code for f in fields]
    doubled = sorted({c for c in field_codes if field_codes.count(c) > 1 or c in element_codes})
    if doubled:
        raise QuestionnaireError(source, "profile_fields",
                                 gettext_noop("kode isian ganda: %(codes)s", codes=", ".join(doubled)))
    _check_expressions(questionnaire, source)
    return questionnaire


def to_document(questionnaire: Questionnaire) -> dict[str, Any]:
    """The document ``parse`` reads back into an equal questionnaire (for storing as JSON or TOML)."""
    q = questionnaire
    data: dict[str, Any] = {"id": q.id, "version": q.version, "title": q.title, "kind": q.kind}
    if q.profile:
        data["profile"] = q.profile
    if q.source:
        data["source"] = q.source
    if q.derived:
        data["derived"] = True
    data["elements"] = []
    for e in q.elements:
        element: dict[str, Any] = {"code": e.code, "text": e.text, "choices": list(e.choices)}
        if e.weight is not None:
            element["weight"] = str(e.weight)
        if e.relevant:
            element["relevant"] = e.relevant
        data["elements"].append(element)
    data["profile_fields"] = []
    for f in q.fields:
        item: dict[str, Any] = {"code": f.code, "text": f.text, "type": f.type}
        for key in ("choices", "names"):
            if getattr(f, key):
                item[key] = list(getattr(f, key))
        if f.required:
            item["required"] = True
        for key in ("relevant", "constraint", "constraint_message"):
            if getattr(f, key):
                item[key] = getattr(f, key)
        data["profile_fields"].append(item)
    return data


def load(path: Path) -> Questionnaire:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise QuestionnaireError(path.name, "-",
                                 gettext_noop("tidak dapat dibaca: %(error)s", error=str(exc))) from None
    return parse(data, path.name)


def shipped() -> dict[str, Questionnaire]:
    """The built-in questionnaires by id."""
    out = {}
    for path in sorted(DATA.glob("*.toml")):
        q = load(path)
        out[q.id] = q
    return out
