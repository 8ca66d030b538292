"""Questionnaires as data (issue 9, "Questionnaires"): the built-in SKM 2017, the 2004 IKM (for
history) and the maladministration-perception survey ship as TOML in ``data/``; a unit's adapted
copy is the same document with elements added and weights given. Pure: no Django.

``load`` refuses, each with the file, the path inside it and the reason: an unknown kind or
profile, an element without code or text, duplicate codes, an ``ikm`` element whose choices are not
four labels (scored 1–4 in order), weights that are not all given or do not sum to 1
(``indices.weights``), a profile field of an unknown type.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pantau.surveys import indices

DATA = Path(__file__).resolve().parent / "data"
KINDS = ("ikm", "perception")
FIELD_TYPES = ("choice", "integer", "text", "service")
PERCEPTION_CHOICES = ("Ya", "Tidak", "Tidak tahu")  # "Tidak": no maladministration; "Tidak tahu": not counted
CODE_CHARS = 40
TEXT_CHARS = 500


class QuestionnaireError(ValueError):
    def __init__(self, source: str, path: str, reason: str) -> None:
        super().__init__(f"{source}: {path}: {reason}")
        self.source, self.path, self.reason = source, path, reason


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    choices: tuple[str, ...]  # ikm: the labels of 1, 2, 3, 4; perception: Ya / Tidak / Tidak tahu
    weight: Decimal | None = None


@dataclass(frozen=True)
class ProfileField:
    code: str
    text: str
    type: str
    choices: tuple[str, ...] = ()


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
            raise QuestionnaireError(self.id, f"elements.{code}", f"pilihan tidak dikenal: {choice!r}")
        if self.kind == "perception":
            return {"Ya": False, "Tidak": True}.get(choice)
        return question.choices.index(choice) + 1


def _text(value: Any, source: str, path: str, limit: int = TEXT_CHARS) -> str:
    if not isinstance(value, str) or not value.strip():
        raise QuestionnaireError(source, path, "wajib diisi (teks)")
    if len(value) > limit:
        raise QuestionnaireError(source, path, f"terlalu panjang (paling banyak {limit} karakter)")
    return value.strip()


def parse(data: dict[str, Any], source: str) -> Questionnaire:
    kind = data.get("kind")
    if kind not in KINDS:
        raise QuestionnaireError(source, "kind", f"jenis tidak dikenal: {kind!r} (ikm, perception)")
    profile = str(data.get("profile") or "")
    if kind == "ikm" and profile not in indices.PROFILES:
        raise QuestionnaireError(source, "profile", f"profil tidak dikenal: {profile!r} "
                                                    f"({', '.join(sorted(indices.PROFILES))})")
    shared_labels = data.get("labels")
    elements = []
    raw_elements = data.get("elements")
    if not isinstance(raw_elements, list) or not raw_elements:
        raise QuestionnaireError(source, "elements", "kuesioner tanpa unsur")
    for i, raw in enumerate(raw_elements):
        path = f"elements[{i}]"
        if not isinstance(raw, dict):
            raise QuestionnaireError(source, path, "harus berupa tabel")
        code = _text(raw.get("code"), source, f"{path}.code", CODE_CHARS)
        text = _text(raw.get("text"), source, f"{path}.text")
        choices: Any = raw.get("choices", shared_labels if kind == "ikm" else list(PERCEPTION_CHOICES))
        if kind == "ikm" and (not isinstance(choices, list) or len(choices) != len(indices.SCALE)
                              or not all(isinstance(c, str) and c.strip() for c in choices)):
            raise QuestionnaireError(source, f"{path}.choices", "harus empat label, untuk nilai 1, 2, 3, 4")
        if kind == "perception" and (not isinstance(choices, list) or choices != list(PERCEPTION_CHOICES)):
            raise QuestionnaireError(source, f"{path}.choices", f"harus {', '.join(PERCEPTION_CHOICES)}")
        weight = None
        if "weight" in raw:
            try:
                weight = Decimal(str(raw["weight"]))
            except InvalidOperation:
                raise QuestionnaireError(source, f"{path}.weight", f"bukan angka: {raw['weight']!r}") from None
        elements.append(Question(code, text, tuple(str(c).strip() for c in choices), weight))
    fields = []
    for i, raw in enumerate(data.get("profile_fields") or []):
        path = f"profile_fields[{i}]"
        kind_of = raw.get("type", "choice" if raw.get("choices") else "text")
        if kind_of not in FIELD_TYPES:
            raise QuestionnaireError(source, f"{path}.type", f"jenis isian tidak dikenal: {kind_of!r}")
        fields.append(ProfileField(_text(raw.get("code"), source, f"{path}.code", CODE_CHARS),
                                   _text(raw.get("text"), source, f"{path}.text"), kind_of,
                                   tuple(raw.get("choices") or ())))
    questionnaire = Questionnaire(
        _text(data.get("id"), source, "id", CODE_CHARS), _text(str(data.get("version", "")), source, "version", 20),
        _text(data.get("title"), source, "title"), kind, profile, tuple(elements), tuple(fields),
        str(data.get("source") or ""), bool(data.get("derived", False)))
    if kind == "ikm":
        try:
            indices.weights(questionnaire.index_elements(), indices.PROFILES[profile])
        except indices.SurveyError as exc:
            raise QuestionnaireError(source, "elements", str(exc)) from None
    else:
        codes = [q.code for q in elements]
        if len(set(codes)) != len(codes):
            raise QuestionnaireError(source, "elements", "kode unsur ganda")
    return questionnaire


def load(path: Path) -> Questionnaire:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise QuestionnaireError(path.name, "-", f"tidak dapat dibaca: {exc}") from None
    return parse(data, path.name)


def shipped() -> dict[str, Questionnaire]:
    """The built-in questionnaires by id."""
    out = {}
    for path in sorted(DATA.glob("*.toml")):
        q = load(path)
        out[q.id] = q
    return out
