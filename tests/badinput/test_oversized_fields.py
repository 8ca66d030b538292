"""Bad input: oversized text in every long field, through the form, the API and the import.

Each path refuses it with a clear Indonesian message on the field, and nothing is written.
The limits come from the model fields (``pantau.registry.models``: LIST_CHARS, LIST_LINES,
LINE_CHARS, PROSE_CHARS); forms, API schemas and import columns read them from there.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from pantau.registry import services
from pantau.registry.importer import import_registry
from pantau.registry.models import (
    LINE_CHARS,
    LIST_CHARS,
    LIST_LINES,
    PROSE_CHARS,
    ServiceProduct,
    ServiceStandard,
    ServiceUnit,
)
from pantau.registry.tests.api_helpers import Api
from pantau.registry.tests.workbooks import STANDARD, table_counts, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

TOO_MANY_LINES = "\n".join(f"Dokumen persyaratan nomor {i}" for i in range(1, LIST_LINES + 2))
TOO_LONG_LIST = "\n".join(["x" * (LINE_CHARS - 1)] * (LIST_CHARS // LINE_CHARS + 1))
TOO_LONG_LINE = "KTP-el\n" + "y" * (LINE_CHARS + 1)
TOO_LONG_PROSE = ("Kami sanggup melayani. " * (PROSE_CHARS // 20)).strip()

STANDARD_POST = {
    "effective_date": "2026-11-20", "is_free": "on", "completion_days": "1",
    "requirements": "KTP-el\nKK", "procedure": "Daftar\nAmbil", "completion_time": "1 hari kerja",
    "cost": "", "output": "KTP-el", "complaints": "Loket", "legal_basis": "", "facilities": "",
    "competence": "", "supervision": "", "staff_count": "", "guarantee": "", "safety": "", "evaluation": "",
}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def drafts(product: ServiceProduct) -> int:
    return ServiceStandard.objects.filter(product=product, status=ServiceStandard.Status.DRAFT).count()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("requirements", TOO_MANY_LINES, f"Terlalu banyak baris: {LIST_LINES + 1}, paling banyak {LIST_LINES}"),
    ("procedure", TOO_LONG_LINE, f"Baris ke-2 terlalu panjang: {LINE_CHARS + 1} karakter"),
    ("requirements", TOO_LONG_LIST, f"paling banyak {LIST_CHARS}"),
    ("cost", TOO_LONG_PROSE, f"Teks ini terlalu panjang: {len(TOO_LONG_PROSE)} karakter, paling banyak {PROSE_CHARS}"),
    ("evaluation", TOO_LONG_PROSE, f"paling banyak {PROSE_CHARS}"),
])
def test_the_standard_form_refuses_oversized_text_with_the_reason_and_saves_nothing(
    cast: Any, field: str, value: str, message: str
) -> None:
    response = signed_in(cast.operator_dukcapil).post(
        reverse("manage:standard_edit", args=[cast.ktp.pk]), {**STANDARD_POST, "action": "save", field: value})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert drafts(cast.ktp) == 0


def test_a_standard_at_the_limits_is_accepted(cast: Any) -> None:
    at_limit = "\n".join(f"{i:02d} " + "z" * (LIST_CHARS // LIST_LINES - 5) for i in range(LIST_LINES))
    assert len(at_limit) <= LIST_CHARS
    draft = services.standard_save_draft(actor=cast.operator_dukcapil, product=cast.ktp,
                                         data={"requirements": at_limit, "cost": "c" * PROSE_CHARS})
    assert draft.requirements == at_limit


@pytest.mark.parametrize("field", ["maklumat", "vulnerable_facilities"])
def test_the_unit_form_refuses_an_oversized_maklumat_or_facilities_text(cast: Any, field: str) -> None:
    before = ServiceUnit.objects.get(pk=cast.dukcapil.pk)
    response = signed_in(cast.operator_dukcapil).post(reverse("manage:unit", args=[cast.dukcapil.pk]), {
        "name": cast.dukcapil.name, "kind": "dinas", field: TOO_LONG_PROSE})
    assert response.status_code == 422
    assert "Teks ini terlalu panjang" in response.content.decode()
    assert getattr(ServiceUnit.objects.get(pk=cast.dukcapil.pk), field) == getattr(before, field)


def test_the_product_form_refuses_an_oversized_description(cast: Any) -> None:
    response = signed_in(cast.admin_tabalong).post(reverse("manage:product_new", args=[cast.dukcapil.pk]), {
        "name": "Surat Pindah", "category": "adminduk", "description": TOO_LONG_PROSE, "is_active": "on"})
    assert response.status_code == 422
    assert "Teks ini terlalu panjang" in response.content.decode()
    assert not ServiceProduct.objects.filter(name="Surat Pindah").exists()


@pytest.mark.parametrize(("field", "value", "detail"), [
    ("requirements", TOO_LONG_LIST, "requirements"),
    ("cost", TOO_LONG_PROSE, "cost"),
    ("requirements", TOO_MANY_LINES, "Terlalu banyak baris"),
    ("complaints", TOO_LONG_LINE, "Baris ke-2 terlalu panjang"),
])
def test_the_api_refuses_an_oversized_draft_and_writes_nothing(
    cast: Any, field: str, value: str, detail: str
) -> None:
    response = Api.as_user(cast.operator_dukcapil).patch(f"/products/{cast.ktp.pk}/draft", {field: value})
    assert response.status_code == 422, response.content
    assert detail in response.json()["detail"]
    assert drafts(cast.ktp) == 0


def test_the_api_schema_carries_the_model_limits(cast: Any) -> None:
    spec = Client().get("/api/openapi.json").json()["components"]["schemas"]
    assert spec["DraftIn"]["properties"]["requirements"]["maxLength"] == LIST_CHARS
    assert spec["UnitPatch"]["properties"]["maklumat"]["maxLength"] == PROSE_CHARS
    assert spec["ProductIn"]["properties"]["description"]["maxLength"] == PROSE_CHARS


def test_the_api_refuses_an_oversized_maklumat_and_description(cast: Any) -> None:
    api = Api.as_user(cast.admin_tabalong)
    assert api.patch(f"/units/{cast.dukcapil.pk}", {"maklumat": TOO_LONG_PROSE}).status_code == 422
    assert api.post(f"/units/{cast.dukcapil.pk}/products",
                    {"name": "Surat Pindah", "description": TOO_LONG_PROSE}).status_code == 422
    cast.dukcapil.refresh_from_db()
    assert len(cast.dukcapil.maklumat) < PROSE_CHARS
    assert not ServiceProduct.objects.filter(name="Surat Pindah").exists()


@pytest.mark.parametrize(("column", "value", "message"), [
    ("Persyaratan", TOO_MANY_LINES, "Terlalu banyak baris"),
    ("Persyaratan", TOO_LONG_LIST, f"paling banyak {LIST_CHARS}"),
    ("Biaya/tarif", TOO_LONG_PROSE, f"paling banyak {PROSE_CHARS}"),
])
def test_the_import_refuses_an_oversized_cell_naming_row_and_column(
    cast: Any, column: str, value: str, message: str
) -> None:
    tabalong, unit = cast.tabalong.name, cast.dukcapil.name
    data = xlsx_bytes({"Standar": [{"Instansi": tabalong, "Unit": unit, "Produk": cast.ktp.name, **STANDARD,
                                    column: value, "Terbitkan": "ya"}]})
    before = table_counts()
    fh, size = upload(data)
    result = import_registry(actor=cast.admin_tabalong, upload=fh, size=size)
    assert not result.ok
    assert any(p.sheet == "Standar" and p.row == 2 and p.column == column and message in p.message
               for p in result.problems), result.problems
    assert table_counts() == before


def test_the_import_refuses_an_oversized_maklumat(cast: Any) -> None:
    data = xlsx_bytes({"Unit": [{"Instansi": cast.tabalong.name, "Nama unit": cast.dukcapil.name, "Jenis": "dinas",
                                 "Maklumat pelayanan": TOO_LONG_PROSE}]})
    fh, size = upload(data)
    result = import_registry(actor=cast.admin_tabalong, upload=fh, size=size)
    assert [(p.column, "paling banyak" in p.message) for p in result.problems] == [("Maklumat pelayanan", True)]


def test_the_services_refuse_oversized_text_whatever_calls_them(cast: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.standard_save_draft(actor=cast.operator_dukcapil, product=cast.ktp, data={"procedure": TOO_MANY_LINES})
    assert "procedure" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.unit_save(actor=cast.admin_tabalong, unit=cast.dukcapil,
                           data={"vulnerable_facilities": TOO_LONG_PROSE})
    assert drafts(cast.ktp) == 0


def test_line_breaks_from_a_browser_count_once_as_its_maxlength_counts_them(cast: Any) -> None:
    typed = "\r\n".join(["p" * 99] * 30)  # 2 999 characters in the browser, 3 028 bytes of CRLF text
    response = signed_in(cast.operator_dukcapil).post(
        reverse("manage:standard_edit", args=[cast.ktp.pk]), {**STANDARD_POST, "action": "save", "cost": typed})
    assert response.status_code == 302
    assert ServiceStandard.objects.get(product=cast.ktp, status="draft").cost == typed.replace("\r\n", "\n")
