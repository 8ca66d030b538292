"""Walk every write that changes an object's scope, as every role, through every path.

An institution's province, regency and supervising office decide who sees and edits it. Moving
it is a relocation: the national admin may move it anywhere, a head of office only within what
they head, nobody else at all (``selectors.can_relocate_institution``). The rule is checked on
the institution after the change as well as before, by the service every path goes through: the
web form (``/kelola/instansi/<pk>/ubah/``), the API (``PATCH /api/registry/institutions/<pk>``)
and the XLSX import (sheet Instansi). A refused move changes nothing and writes no audit event.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pantau.accounts.models import Role
from pantau.core.models import AuditEvent
from pantau.core.selectors import audit_events_for
from pantau.registry import services, unit_changes
from pantau.registry.importer import import_registry
from pantau.registry.models import Institution, Regency
from pantau.registry.tests.api_helpers import Api
from pantau.registry.tests.workbooks import xlsx_bytes
from tests.cast import make_user
from tests.test_access_walk import SIGNED_IN

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Move:
    """Where Pemkab Tabalong (Kalsel, office Kalsel) is moved to."""

    province: str | None  # Kemendagri code
    regency: str | None
    office: str  # "kalsel" or "kalteng" (attribute of the cast)


MOVES = {
    "to Kalteng (province, regency and office)": Move("62", "62.04", "kalteng"),
    "to the Kalteng office only": Move("63", "63.09", "kalteng"),
    "to Kalteng, keeping the Kalsel office": Move("62", "62.04", "kalsel"),
    "to another regency of Kalsel": Move("63", "63.71", "kalsel"),
    "out of every province": Move(None, None, "kalsel"),
}
# Who may make each move: the national admin anything, the head of Kalsel only inside Kalsel.
MAY_MOVE = {name: {"national_admin"} for name in MOVES} | {"to another regency of Kalsel": {"national_admin",
                                                                                             "head_kalsel"}}


def _where(inst: Institution) -> tuple[Any, ...]:
    inst.refresh_from_db()
    return (inst.province_id, inst.regency_id, inst.office_id)


def _target(cast: Any, move: Move) -> tuple[Any, ...]:
    regency = Regency.objects.get(code=move.regency) if move.regency else None
    province = cast.kalteng_province if move.province == "62" else (cast.kalsel_province if move.province else None)
    return (getattr(province, "pk", None), getattr(regency, "pk", None), getattr(cast, move.office).pk)


def by_form(cast: Any, role: str) -> Callable[[Move], int]:
    client = Client()
    client.force_login(cast.users[role])
    return lambda move: _post_form(cast, client, move)


def _post_form(cast: Any, client: Client, move: Move) -> int:
    province, regency, office = _target(cast, move)
    response = client.post(reverse("manage:institution_edit", args=[cast.tabalong.pk]), {
        "name": cast.tabalong.name, "kind": cast.tabalong.kind, "province": province or "",
        "regency": regency or "", "office": office, "website": "",
    })
    if response.status_code == 422:
        form = response.context["form"]
        assert {"province", "regency", "office"} & set(form.errors), form.errors
        assert "tidak berwenang memindahkan" in str(form.errors) or "di luar wilayah kerja" in str(form.errors)
    return int(response.status_code)


def by_api(cast: Any, role: str) -> Callable[[Move], int]:
    api = Api.as_user(cast.users[role])  # (creating the token is an audit event of its own)
    return lambda move: _patch(cast, api, move)


def _patch(cast: Any, api: Api, move: Move) -> int:
    response = api.patch(f"/institutions/{cast.tabalong.pk}", {
        "province": move.province, "regency": move.regency, "office_id": getattr(cast, move.office).pk})
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert response.json()["detail"]
    return int(response.status_code)


def by_import(cast: Any, role: str) -> Callable[[Move], int]:
    return lambda move: _import(cast, cast.users[role], move)


def _import(cast: Any, actor: Any, move: Move) -> int:
    data = xlsx_bytes({"Instansi": [{
        "Nama instansi": cast.tabalong.name, "Jenis": cast.tabalong.kind, "Provinsi": move.province,
        "Kabupaten/kota": move.regency, "Kantor Ombudsman": getattr(cast, move.office).name}]})
    result = import_registry(actor=actor, upload=io.BytesIO(data), size=len(data))
    if result.ok:
        return 200
    assert all(p.sheet == "Instansi" and p.row == 2 and p.column for p in result.problems), result.problems
    return 422


PATHS: dict[str, Callable[[Any, str], Callable[[Move], int]]] = {"form": by_form, "api": by_api, "import": by_import}


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_only_the_listed_roles_can_move_an_institution_and_a_refused_move_changes_nothing(
        cast: Any, role: str, path: str) -> None:
    home = _where(cast.tabalong)
    moved, refused_wrongly = [], []
    send = PATHS[path](cast, role)
    for name, move in MOVES.items():
        events = AuditEvent.objects.count()
        status = send(move)
        where = _where(cast.tabalong)
        if role in MAY_MOVE[name]:
            if status not in (200, 302) or where != _target(cast, move):
                refused_wrongly.append((name, status))
            services.institution_save(actor=cast.national_admin, institution=cast.tabalong, data=dict(
                zip(("province_id", "regency_id", "office_id"), home, strict=True)))
            continue
        if where != home:
            moved.append(name)
        assert status in (404, 422), (name, status)
        assert AuditEvent.objects.count() == events, f"{role} wrote an audit event moving Tabalong {name}"
    assert moved == [], f"{role} moved Tabalong through the {path}: {moved}"
    assert refused_wrongly == [], f"{role} was refused a move they may make through the {path}: {refused_wrongly}"


def test_an_institution_admin_sees_why_the_form_refuses_the_move(cast: Any) -> None:
    client = Client()
    client.force_login(cast.admin_tabalong)
    response = client.post(reverse("manage:institution_edit", args=[cast.tabalong.pk]), {
        "name": cast.tabalong.name, "kind": "pemkab", "province": cast.kalteng_province.pk,
        "regency": Regency.objects.get(code="62.04").pk, "office": cast.kalteng.pk, "website": ""})
    assert response.status_code == 422
    assert "Anda tidak berwenang memindahkan instansi" in response.context["form"].errors["province"][0]
    assert _where(cast.tabalong)[0] == cast.kalsel_province.pk


def test_an_institution_admin_may_still_edit_the_rest_of_their_institution(cast: Any) -> None:
    response = Api.as_user(cast.admin_tabalong).patch(f"/institutions/{cast.tabalong.pk}", {
        "website": "https://tabalongkab.go.id", "province": "63", "regency": "63.09",
        "office_id": cast.kalsel.pk})
    assert response.status_code == 200, response.content
    assert response.json()["website"] == "https://tabalongkab.go.id"


def test_the_import_reports_a_refused_move_by_sheet_row_and_column(cast: Any) -> None:
    data = xlsx_bytes({"Instansi": [{
        "Nama instansi": cast.tabalong.name, "Jenis": "pemkab", "Provinsi": "63", "Kabupaten/kota": "63.09",
        "Kantor Ombudsman": cast.kalteng.name}]})
    result = import_registry(actor=cast.head_kalsel, upload=io.BytesIO(data), size=len(data))
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("Instansi", 2, "Kantor Ombudsman")]
    assert "tidak berwenang memindahkan" in result.problems[0].message


def test_the_move_stays_in_the_audit_trail_of_the_office_that_lost_the_institution(cast: Any) -> None:
    kalteng_regency = Regency.objects.get(code="62.04")
    services.institution_save(actor=cast.national_admin, institution=cast.tabalong, data={
        "province_id": cast.kalteng_province.pk, "regency_id": kalteng_regency.pk, "office_id": cast.kalteng.pk},
        reason="Salah input provinsi")
    move = AuditEvent.objects.filter(event_type="institution.updated", object_id=str(cast.tabalong.pk)).first()
    assert move is not None
    assert (move.prior_province_id, move.province_id) == (cast.kalsel_province.pk, cast.kalteng_province.pk)
    assert move.before["province_id"] == cast.kalsel_province.pk
    assert move in audit_events_for(cast.head_kalsel)  # the office that lost it
    head_kalteng = make_user("head_kalteng", Role.HEAD_OF_OFFICE, office=cast.kalteng)
    assert move in audit_events_for(head_kalteng)  # and the office that gained it


def test_a_form_that_already_copied_the_new_values_cannot_hide_the_old_ones(cast: Any) -> None:
    """The service reads the stored institution afresh: a caller (a ModelForm does this) that
    already set the new province on the object passed in is still checked against the old one."""
    inst = Institution.objects.get(pk=cast.tabalong.pk)
    inst.province_id, inst.regency_id, inst.office_id = (cast.kalteng_province.pk, None, cast.kalteng.pk)
    with pytest.raises(Exception) as refused:
        services.institution_save(actor=cast.admin_tabalong, institution=inst, data={
            "province_id": cast.kalteng_province.pk, "regency_id": None, "office_id": cast.kalteng.pk})
    assert "memindahkan" in str(refused.value)
    assert _where(cast.tabalong)[0] == cast.kalsel_province.pk


def test_a_merge_cannot_pour_units_into_a_unit_of_another_institution(cast: Any) -> None:
    import datetime as dt

    from pantau.core.errors import NotInScope

    with pytest.raises(NotInScope):
        unit_changes.unit_event_record(actor=cast.admin_tabalong, kind="merge", date=dt.date(2025, 1, 1),
                                   institution=cast.tabalong, from_units=[cast.dukcapil, cast.dpmptsp],
                                   into=cast.barsel_dukcapil)
    cast.dukcapil.refresh_from_db()
    assert cast.dukcapil.is_active


@pytest.mark.parametrize("role", ["national_admin", "head_kalsel", "admin_tabalong", "operator_dukcapil"])
def test_an_edit_cannot_move_a_unit_or_a_product_to_another_parent(cast: Any, role: str) -> None:
    api = Api.as_user(cast.users[role])
    unit = api.patch(f"/units/{cast.dukcapil.pk}", {"institution_id": cast.barsel.pk})
    product = api.patch(f"/products/{cast.ktp.pk}", {"unit_id": cast.barsel_dukcapil.pk})
    assert (unit.status_code, product.status_code) == (422, 422)
    services.unit_save(actor=cast.users[role], unit=cast.dukcapil, data={"institution_id": cast.barsel.pk})
    services.product_save(actor=cast.users[role], product=cast.ktp, data={"unit_id": cast.barsel_dukcapil.pk})
    cast.dukcapil.refresh_from_db()
    cast.ktp.refresh_from_db()
    assert (cast.dukcapil.institution_id, cast.ktp.unit_id) == (cast.tabalong.pk, cast.dukcapil.pk)
