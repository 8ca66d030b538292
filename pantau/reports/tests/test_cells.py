"""Text never turns into a formula in any XLSX or CSV Pantau writes, even behind a control character."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from pantau.core import audit
from pantau.core.text import clean_text
from pantau.registry.exporter import write_registry
from pantau.registry.models import Institution, ServiceProduct
from pantau.reports import xlsx
from pantau.reports.cells import csv_cell, looks_like_formula, xlsx_text
from pantau.reports.xlsx import Column, Sheet

HOSTILE = [
    "=HYPERLINK(\"http://contoh.invalid\",\"klik\")",
    "\x01=HYPERLINK(\"http://contoh.invalid\")",
    "\x00\x1f+cmd|' /C calc'!A0",
    "\u200b-2+3",
    "\t@SUM(A1:A2)",
    "\r=1+1",
    " \x7f=1+1",
    "＝HYPERLINK(\"http://contoh.invalid\")",
    "＋1", "－1", "＠SUM(A1)",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_csv_field_that_a_spreadsheet_would_run_is_prefixed_after_cleaning(value: str) -> None:
    field = csv_cell(value)
    assert field.startswith("'") and looks_like_formula(field[1:])
    assert not any(ord(c) < 32 and c not in "\n\t" for c in field)


@pytest.mark.parametrize("value", ["Dinas Kesehatan", "Biaya: -", "email@contoh.id", "1 + 1 = 2", ""])
def test_ordinary_text_is_left_as_it_is(value: str) -> None:
    assert csv_cell(value) == value
    assert not looks_like_formula(value)


def _written(values: list[str]) -> Any:
    wb = xlsx.new_workbook()
    xlsx.add_sheet(wb, Sheet("Data", (Column("Isi", "text"),)), [[v] for v in values])
    out = io.BytesIO()
    xlsx.save(wb, out)
    return load_workbook(io.BytesIO(out.getvalue()))["Data"]


def test_an_xlsx_cell_holds_the_cleaned_text_as_a_string_never_a_formula() -> None:
    ws = _written(HOSTILE)
    for row in ws.iter_rows(min_row=2):
        cell = row[0]
        assert cell.data_type == "s", cell.value
        assert looks_like_formula(cell.value) and cell.quotePrefix, cell.value
        assert not any(ord(c) < 32 and c not in "\n\t" for c in cell.value)
    assert ws["A3"].value == "=HYPERLINK(\"http://contoh.invalid\")"





@pytest.mark.django_db
def test_the_registry_export_and_the_template_write_old_hostile_values_as_text(cast: Any) -> None:
    # Values stored before text was cleaned on save (written around the services on purpose).
    Institution.objects.filter(pk=cast.tabalong.pk).update(name="\x01=HYPERLINK(\"http://contoh.invalid\")")
    ServiceProduct.objects.filter(pk=cast.ktp.pk).update(description="\x02+cmd|' /C calc'!A0")
    for template in (False, True):
        out = io.BytesIO()
        write_registry(cast.national_admin, out, template=template)
        wb = load_workbook(io.BytesIO(out.getvalue()))
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        names = [c for c in cells if c.value == "=HYPERLINK(\"http://contoh.invalid\")"]
        assert names and all(c.data_type == "s" and c.quotePrefix for c in names)
        if not template:
            assert [c for c in cells if c.value == "+cmd|' /C calc'!A0" and c.quotePrefix]


@pytest.mark.django_db
def test_the_audit_csv_neutralises_a_formula_behind_a_control_character(cast: Any) -> None:
    audit.record(actor=cast.national_admin, event_type="unit.updated", obj=cast.dukcapil,
                 reason="\x01=HYPERLINK(\"http://contoh.invalid\")", institution_id=cast.tabalong.pk,
                 province_id=cast.tabalong.province_id)
    client = Client()
    client.force_login(cast.national_admin)
    response = client.get(reverse("core:audit_export"), {"jenis": "unit"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["reason"] == "'=HYPERLINK(\"http://contoh.invalid\")"


# ``xlsx_text`` returns text that cleaning would not change as it is, without cleaning it: the
# shortcut must agree with ``clean_text`` on every text.
_ALPHABET = ("ab =é\u00e9e\u0301\n\t\r \x00\x01\x1f\x7f\x85\x9f\u00a0\u2028\u3000\ud800\udfff\ufffe"
             "\u00ad\u200b\u200e\u202e\u2066\ufeff\u3164＝中")


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=12) | st.text(max_size=12))
def test_the_xlsx_text_shortcut_agrees_with_cleaning(text: str) -> None:
    assert xlsx_text(text) == clean_text(text)
