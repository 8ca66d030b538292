"""Issue 6 item 7: two people editing the same thing never silently undo each other."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pantau.core.concurrency import EditConflict, base_token
from pantau.registry import services
from pantau.registry.models import ServiceStandard

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown(response: Any) -> dict[str, Any]:
    """What the browser would send back untouched: every field as the form shows it."""
    form = response.context["form"]
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        if field.widget_type == "checkbox":
            if value:
                data[field.html_name] = "on"
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        data[field.html_name] = "" if value is None else value
    return data


def test_a_later_draft_save_keeps_what_someone_else_saved_in_other_fields(cast: Any) -> None:
    url = reverse("manage:standard_edit", args=[cast.ktp.pk])
    ani, budi = client_for(cast.admin_tabalong), client_for(cast.operator_dukcapil)
    ani_form, budi_form = shown(ani.get(url)), shown(budi.get(url))
    assert ani.post(url, {**ani_form, "requirements": "KTP-el asli", "action": "save"}).status_code == 302
    response = budi.post(url, {**budi_form, "output": "KTP-el dan tanda terima", "action": "save"})
    assert response.status_code == 302
    draft = ServiceStandard.objects.get(product=cast.ktp, status="draft")
    assert draft.requirements == "KTP-el asli"  # Ani's work is not reverted by Budi's older form
    assert draft.output == "KTP-el dan tanda terima"


def test_a_conflicting_save_shows_both_texts_and_saves_nothing_until_the_user_chooses(cast: Any) -> None:
    url = reverse("manage:standard_edit", args=[cast.ktp.pk])
    ani, budi = client_for(cast.admin_tabalong), client_for(cast.operator_dukcapil)
    ani_form, budi_form = shown(ani.get(url)), shown(budi.get(url))
    assert ani.post(url, {**ani_form, "requirements": "Teks Ani", "action": "save"}).status_code == 302
    response = budi.post(url, {**budi_form, "requirements": "Teks Budi", "action": "save"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Ada masalah" in page and "Draf tersimpan" not in page
    assert "Teks Ani" in page and "Teks Budi" in page  # theirs beside the field, mine in the field
    assert ServiceStandard.objects.get(product=cast.ktp, status="draft").requirements == "Teks Ani"
    # Budi merges and saves again: the form now carries the stored version, so this save is deliberate.
    again = {**shown(response), "requirements": "Teks Ani\nTeks Budi", "action": "save"}
    assert budi.post(url, again).status_code == 302
    assert ServiceStandard.objects.get(product=cast.ktp, status="draft").requirements == "Teks Ani\nTeks Budi"


def test_a_unit_edit_form_detects_a_conflicting_save(cast: Any) -> None:
    url = reverse("manage:unit", args=[cast.dukcapil.pk])
    ani, budi = client_for(cast.admin_tabalong), client_for(cast.operator_dukcapil)
    ani_form, budi_form = shown(ani.get(url)), shown(budi.get(url))
    assert ani.post(url, {**ani_form, "phone": "0811-1111"}).status_code == 302
    response = budi.post(url, {**budi_form, "phone": "0822-2222"})
    assert response.status_code == 422 and "0811-1111" in response.content.decode()
    cast.dukcapil.refresh_from_db()
    assert cast.dukcapil.phone == "0811-1111"


def test_the_service_raises_a_conflict_naming_the_field_and_the_stored_text(cast: Any) -> None:
    token = base_token(cast.ktp, services.PRODUCT_FIELDS)
    services.product_save(actor=cast.admin_tabalong, product=cast.ktp, data={"description": "Versi Ani"}, base=token)
    with pytest.raises(EditConflict) as info:
        services.product_save(actor=cast.admin_tabalong, product=cast.ktp, data={"description": "Versi Budi"},
                              base=token)
    assert info.value.theirs == {"description": "Versi Ani"}
    cast.ktp.refresh_from_db()
    assert cast.ktp.description == "Versi Ani"


def test_a_save_without_a_token_is_not_checked(cast: Any) -> None:
    services.product_save(actor=cast.admin_tabalong, product=cast.ktp, data={"description": "A"})
    services.product_save(actor=cast.admin_tabalong, product=cast.ktp, data={"description": "B"})
    cast.ktp.refresh_from_db()
    assert cast.ktp.description == "B"


def test_an_institution_edit_names_the_office_saved_meanwhile(cast: Any) -> None:
    url = reverse("manage:institution_edit", args=[cast.tabalong.pk])
    ani, budi = client_for(cast.national_admin), client_for(cast.head_kalsel)
    ani_form, budi_form = shown(ani.get(url)), shown(budi.get(url))
    assert ani.post(url, {**ani_form, "website": "https://tabalongkab.go.id"}).status_code == 302
    response = budi.post(url, {**budi_form, "website": "https://tabalong.go.id"})
    assert response.status_code == 422 and "https://tabalongkab.go.id" in response.content.decode()
    assert budi.post(url, {**budi_form, "name": "Pemerintah Kabupaten Tabalong (Tanjung)"}).status_code == 302
    cast.tabalong.refresh_from_db()
    assert cast.tabalong.website == "https://tabalongkab.go.id"  # Budi's older form did not undo it
