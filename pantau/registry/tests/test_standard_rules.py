"""Issue 6 item 13: a published standard is consistent with the version in force and its cost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pantau.registry import costs, services
from pantau.registry.models import ServiceStandard
from tests.cast import FULL_STANDARD

pytestmark = pytest.mark.django_db


def _draft(cast: Any, **data: Any) -> ServiceStandard:
    return services.standard_save_draft(actor=cast.admin_tabalong, product=cast.ktp, data={**FULL_STANDARD, **data})


def _publish_errors(cast: Any, draft: ServiceStandard, effective: dt.date | None = None) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        services.standard_publish(actor=cast.admin_tabalong, standard=draft, effective_date=effective)
    draft.refresh_from_db()
    assert draft.status == ServiceStandard.Status.DRAFT
    return info.value.message_dict


def test_a_version_dated_before_the_one_in_force_is_refused_naming_that_version(cast: Any) -> None:
    cast.ktp.refresh_from_db()
    in_force = cast.ktp.current_standard
    assert in_force.effective_date == dt.date(2025, 1, 2)
    errors = _publish_errors(cast, _draft(cast, output="KTP-el baru"), dt.date(2024, 12, 31))
    assert "versi 1" in errors["effective_date"][0] and "2 Januari 2025" in errors["effective_date"][0]
    cast.ktp.refresh_from_db()
    assert cast.ktp.current_standard_id == in_force.pk


def test_a_version_dated_the_same_day_as_the_one_in_force_becomes_current(cast: Any) -> None:
    draft = _draft(cast, output="KTP-el baru")
    services.standard_publish(actor=cast.admin_tabalong, standard=draft, effective_date=dt.date(2025, 1, 2))
    cast.ktp.refresh_from_db()
    assert cast.ktp.current_standard_id == draft.pk


def test_gratis_ticked_with_a_tariff_is_contradictory_even_in_a_draft(cast: Any) -> None:
    with pytest.raises(ValidationError) as info:
        _draft(cast, is_free=True, cost="Rp 25.000 sesuai Perda Nomor 3 Tahun 2021")
    assert "Gratis" in info.value.message_dict["cost"][0]
    assert not cast.ktp.standards.filter(status=ServiceStandard.Status.DRAFT).exists()


def test_a_cost_without_an_amount_is_refused_at_publication(cast: Any) -> None:
    errors = _publish_errors(cast, _draft(cast, is_free=False, cost="Sesuai Perda Nomor 3 Tahun 2021"))
    assert errors["cost"] == ["Tulis besaran biaya dalam Rupiah, misalnya “Rp 50.000”, atau centang Gratis."]


def test_a_tariff_without_a_regulation_is_refused_at_publication(cast: Any) -> None:
    errors = _publish_errors(cast, _draft(cast, is_free=False, cost="Rp 25.000", legal_basis="Kebijakan kepala dinas"))
    assert "peraturan" in errors["cost"][0]


def test_a_tariff_with_its_amount_and_regulation_is_published(cast: Any) -> None:
    draft = _draft(cast, is_free=False, cost="Rp 25.000 per dokumen", legal_basis="Perda Kabupaten Tabalong Nomor 3 "
                   "Tahun 2021 tentang Retribusi")
    published = services.standard_publish(actor=cast.admin_tabalong, standard=draft)
    assert published.status == ServiceStandard.Status.PUBLISHED


def test_the_publish_check_names_each_missing_component_on_its_field(cast: Any) -> None:
    errors = _publish_errors(cast, _draft(cast, requirements="", output=""))
    assert set(errors) == {"__all__", "requirements", "output"}


@pytest.mark.parametrize(("text", "amounts"), [
    ("Rp 50.000", [50000]), ("Rp50.000,-", [50000]), ("Rp. 1.500.000,00", [1500000]),
    ("50.000 rupiah", [50000]), ("Rp 0", [0]), ("Gratis", []), ("Rp 10.000 dan Rp 5.000", [10000, 5000]),
])
def test_it_reads_amounts_in_rupiah(text: str, amounts: list[int]) -> None:
    assert costs.amounts(text) == amounts


def test_the_api_and_the_import_apply_the_same_cost_rule(cast: Any) -> None:
    from pantau.registry.tests.api_helpers import Api
    from pantau.registry.tests.test_import_bad_input import problems_of
    from pantau.registry.tests.workbooks import STANDARD, xlsx_bytes

    response = Api.as_user(cast.admin_tabalong).patch(f"/products/{cast.ktp.pk}/draft",
                                                      {"is_free": True, "cost": "Rp 10.000"})
    assert response.status_code == 422 and response.json()["detail"].startswith("cost: ")
    data = xlsx_bytes({"Standar": [{"Instansi": "Pemerintah Kabupaten Tabalong",
                                    "Unit": "Dinas Kependudukan dan Pencatatan Sipil",
                                    "Produk": "Penerbitan KTP-el", **STANDARD, "Biaya/tarif": "Rp 10.000"}]})
    [(sheet, row, column, message)] = problems_of(cast.admin_tabalong, data)
    assert (sheet, row, column) == ("Standar", 2, "Biaya/tarif") and "Gratis" in message
    assert not ServiceStandard.objects.filter(product=cast.ktp, status="draft").exists()
