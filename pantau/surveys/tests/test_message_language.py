"""The survey module's messages follow the language the user chose: the pure modules build them as
``messages.Message`` (Indonesian ``str`` that keeps its template and parameters) and the page that
shows them translates them. A refused XLSForm lists its problems in English when English was chosen
and in Indonesian otherwise; a translation with the wrong placeholders falls back to the Indonesian."""

from __future__ import annotations

import copy
import html
import io
import pickle
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from pantau.surveys import expressions, indices, questionnaires, responses_csv, services, xlsform
from pantau.surveys.messages import Message, translate
from pantau.surveys.models import Questionnaire
from tests.cast import client_for

# --- Message and translate ----------------------------------------------------------------------------

OUT_OF_SCALE = "nilai %(value)s di luar skala 1–4"


def test_a_message_is_the_indonesian_str_and_keeps_its_template() -> None:
    message = Message(OUT_OF_SCALE, {"value": '"5"'})
    assert isinstance(message, str) and message == 'nilai "5" di luar skala 1–4'
    assert type(str(message)) is str and str(message) == 'nilai "5" di luar skala 1–4'
    assert f"{message}" == message and "di luar skala" in message and message.startswith("nilai")
    assert str(ValueError(message)) == 'nilai "5" di luar skala 1–4'
    assert message.template == OUT_OF_SCALE and message.params == {"value": '"5"'}
    assert Message("100%% terisi", {}) == "100% terisi"  # a literal % is written %% (python-format)
    again = pickle.loads(pickle.dumps(message))  # noqa: S301 - our own bytes
    assert type(again) is Message and again == message and again.template == OUT_OF_SCALE
    assert copy.deepcopy(message).params == message.params


def test_translate_fills_the_translated_template_and_translates_nested_messages() -> None:
    catalogue = {OUT_OF_SCALE: "value %(value)s is outside the 1–4 scale",
                 "baris %(line)s: %(reason)s": "line %(line)s: %(reason)s",
                 "kolom %(positions)s": "columns %(positions)s", "ke-%(number)s": "no. %(number)s"}

    def english(text: str) -> str:
        return catalogue.get(text, text)

    reason = Message(OUT_OF_SCALE, {"value": '"5"'})
    nested = Message("baris %(line)s: %(reason)s", {"line": 3, "reason": reason})
    assert nested == 'baris 3: nilai "5" di luar skala 1–4'
    assert translate(nested, english) == 'line 3: value "5" is outside the 1–4 scale'
    listed = Message("kolom %(positions)s", {"positions": [Message("ke-%(number)s", {"number": n}) for n in (3, 4)]})
    assert listed == "kolom ke-3, ke-4" and translate(listed, english) == "columns no. 3, no. 4"
    assert translate(nested, lambda text: text) == nested  # Indonesian active: the same text
    assert translate("teks biasa", english) == "teks biasa"  # a plain str is shown as it is


@pytest.mark.parametrize("broken", [
    "value %(nilai)s is outside the scale",  # another name
    "value is outside the scale",  # the placeholder left out
    "value %(value)s, %(value)s",  # twice
    "value %s is outside the scale",  # positional
    "value %(value)d is outside the scale",  # another type
    "value %(value)s is 100% outside",  # a lone % that cannot be filled
])
def test_a_translation_with_wrong_placeholders_falls_back_to_the_indonesian(broken: str) -> None:
    message = Message(OUT_OF_SCALE, {"value": '"5"'})
    shown = translate(message, lambda text: broken)
    assert shown == 'nilai "5" di luar skala 1–4' and type(shown) is str


def english(message: str) -> str:
    with translation.override("en"):
        return translate(message, gettext)


def test_the_pure_modules_messages_have_english_in_the_catalogue() -> None:
    with pytest.raises(expressions.ExpressionError) as expression:
        expressions.compile_expression("foo = 1", {"a"})
    assert isinstance(expression.value.message, Message)
    assert english(expression.value.message) == "a name without ${…} is not supported: 'foo' (write ${foo})"
    with pytest.raises(indices.SurveyError) as weights:
        indices.weights([indices.Element("a", Decimal("0.3")), indices.Element("b", Decimal("0.3"))])
    assert str(weights.value) == "Jumlah bobot unsur harus 1, bukan 0.6."
    assert english(weights.value.message) == "The element weights must sum to 1, not 0.6."
    with pytest.raises(questionnaires.QuestionnaireError) as parsed:
        questionnaires.parse({"kind": "lain"}, "kuesioner")
    assert str(parsed.value) == "kuesioner: kind: jenis tidak dikenal: 'lain' (ikm, perception)"
    assert english(parsed.value.reason) == "unknown kind: 'lain' (ikm, perception)"
    with pytest.raises(xlsform.XlsFormError) as refused:
        xlsform.read(io.BytesIO(b"bukan xlsx"))
    assert english(refused.value.problems[0].message) == "This file is not an .xlsx file (or it is damaged)."
    with pytest.raises(responses_csv.ResponsesError) as tallied:
        responses_csv.read(io.BytesIO(("U1,U2,U3,U4,U5,U6,U7,U8,U9\n5" + ",4" * 8 + "\n").encode()))
    assert list(tallied.value.problems) == ['baris 2, kolom U1: nilai "5" di luar skala 1–4']
    assert english(tallied.value.problems[0]) == 'line 2, column U1: value "5" is outside the 1–4 scale'


def test_a_refused_questionnaire_document_is_explained_in_the_language_chosen() -> None:
    for language, expected in (("en", "kuesioner: kind: unknown kind: 'lain' (ikm, perception)"),
                               ("id", "kuesioner: kind: jenis tidak dikenal: 'lain' (ikm, perception)")):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            services.check_document({"kind": "lain"}, "kuesioner")
        assert refused.value.messages == [expected]


# --- the upload page ----------------------------------------------------------------------------------

def workbook(survey: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    choices = book.create_sheet("choices")
    for row in [["list_name", "name", "label"], *(["skala", str(n), label] for n, label in
                                                  enumerate(("Buruk", "Cukup", "Baik", "Sangat baik"), start=1))]:
        choices.append(row)
    book.create_sheet("settings").append(["form_id"])
    book["settings"].append(["skm-rusak"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BROKEN_ROWS = workbook([["type", "name", "label", "relevant"],
                        ["select_one skala", "u1", "Pertanyaan satu", "${tidak_ada} = 1"],
                        ["geopoint", "lokasi", "Lokasi", ""]])
WRONG_WEIGHTS = workbook([["type", "name", "label", "pantau_weight"],
                          ["select_one skala", "u1", "Pertanyaan satu", "0.3"],
                          ["select_one skala", "u2", "Pertanyaan dua", "0.3"]])
SUPPORTED = "select_one, select_multiple, integer, decimal, text, note"
ENGLISH = ["survey, row 2, column relevant: unknown question: ${tidak_ada}",
           f"survey, row 3, column type: type geopoint is not supported (supported: {SUPPORTED}, begin/end group)"]
INDONESIAN = ["survey, baris 2, kolom relevant: isian tidak dikenal: ${tidak_ada}",
              f"survey, baris 3, kolom type: jenis geopoint tidak didukung (yang didukung: {SUPPORTED}, "
              "begin/end group)"]
WEIGHTS_ENGLISH = "survey, column pantau_weight: The element weights must sum to 1, not 0.6."
WEIGHTS_INDONESIAN = "survey, kolom pantau_weight: Jumlah bobot unsur harus 1, bukan 0.6."


def upload(client: Client, cast: Any, content: bytes) -> str:
    page = reverse("survey_manage:questionnaires", args=[cast.dukcapil.pk])
    reply = client.post(page, {"file": SimpleUploadedFile("skm-rusak.xlsx", content)})
    assert reply.status_code == 422
    return html.unescape(reply.content.decode())


@pytest.mark.django_db
def test_a_refused_xlsform_lists_its_problems_in_english_when_english_was_chosen(cast: Any) -> None:
    client = client_for(cast.operator_dukcapil)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = upload(client, cast, BROKEN_ROWS)
    assert '<html lang="en">' in body
    missing = [text for text in ENGLISH if text not in body]
    left = [text for text in [*INDONESIAN, "isian tidak dikenal", "tidak didukung", "baris 2"] if text in body]
    assert not missing and not left, f"English missing: {missing}; Indonesian left over: {left}"
    body = upload(client, cast, WRONG_WEIGHTS)
    assert WEIGHTS_ENGLISH in body and "Jumlah bobot" not in body
    assert not Questionnaire.objects.filter(unit=cast.dukcapil).exists()


@pytest.mark.django_db
def test_the_same_xlsform_is_refused_in_indonesian_by_default(cast: Any) -> None:
    client = client_for(cast.operator_dukcapil)
    body = upload(client, cast, BROKEN_ROWS)
    assert '<html lang="id">' in body
    missing = [text for text in INDONESIAN if text not in body]
    left = [text for text in [*ENGLISH, "unknown question", "not supported", "row 2"] if text in body]
    assert not missing and not left, f"Indonesian missing: {missing}; English left over: {left}"
    body = upload(client, cast, WRONG_WEIGHTS)
    assert WEIGHTS_INDONESIAN in body and "must sum to 1" not in body
