"""Walk every operation of the OpenAPI spec as every role of the cast (and anonymously).

Public reads answer everyone; token reads answer the roles that see the object; a write succeeds
only for the roles whose scope holds the object, and for everyone else it answers 404 (401
without a token) and writes nothing. Every operation of the spec must appear in ``OPERATIONS``,
so no endpoint goes live without someone deciding who may call it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pantau.complaints.tests.test_api import COMPLAINT_OPERATIONS
from pantau.core.models import AuditEvent
from pantau.registry.tests.api_helpers import Api
from pantau.surveys.tests.helpers import SKM_CODES
from tests.cast import FULL_STANDARD
from tests.test_access_walk import (
    CREATES_INSTITUTIONS,
    EDITS_DUKCAPIL,
    EDITS_TABALONG,
    PUBLIC,
    SEES_DUKCAPIL,
    SEES_TABALONG,
    SIGNED_IN,
    _campaign,
)

pytestmark = pytest.mark.django_db

Params = Callable[[Any], dict[str, Any]]
NO_PARAMS: Params = lambda c: {}  # noqa: E731
Body = Callable[[Any, str], Any] | None

# operationId -> (path parameters from the cast, request body, roles that get a 2xx answer)
OPERATIONS: dict[str, tuple[Params, Body, set[str]]] = {
    "provinces": (NO_PARAMS, None, PUBLIC),
    "regencies": (NO_PARAMS, None, PUBLIC),
    "offices": (NO_PARAMS, None, PUBLIC),
    "institutions": (NO_PARAMS, None, PUBLIC),
    "institution": (lambda c: {"pk": c.tabalong.pk}, None, PUBLIC),
    "institution_units": (lambda c: {"pk": c.tabalong.pk}, None, PUBLIC),
    "products": (NO_PARAMS, None, PUBLIC),
    "product": (lambda c: {"pk": c.ktp.pk}, None, PUBLIC),
    "product_standard": (lambda c: {"pk": c.ktp.pk}, None, PUBLIC),
    "product_standards": (lambda c: {"pk": c.ktp.pk}, None, PUBLIC),
    "product_standard_version": (lambda c: {"pk": c.ktp.pk, "version": 1}, None, PUBLIC),
    "my_institutions": (NO_PARAMS, None, SIGNED_IN),
    "my_institution": (lambda c: {"pk": c.tabalong.pk}, None, SEES_TABALONG),
    "my_units": (NO_PARAMS, None, SIGNED_IN),
    "my_unit": (lambda c: {"pk": c.dukcapil.pk}, None, SEES_DUKCAPIL),
    "my_products": (NO_PARAMS, None, SIGNED_IN),
    "my_product": (lambda c: {"pk": c.ktp.pk}, None, SEES_DUKCAPIL),
    "institution_create": (NO_PARAMS, lambda c, role: {
        "name": f"Instansi uji {role}", "kind": "pemkab", "province": "63", "office_id": c.kalsel.pk},
        CREATES_INSTITUTIONS),
    "institution_update": (lambda c: {"pk": c.tabalong.pk}, lambda c, role: {"website": "https://tabalongkab.go.id"},
                           EDITS_TABALONG),
    "unit_create": (lambda c: {"pk": c.tabalong.pk}, lambda c, role: {"name": f"Unit uji {role}"}, EDITS_TABALONG),
    "unit_update": (lambda c: {"pk": c.dukcapil.pk}, lambda c, role: {"maklumat": f"Maklumat {role}"},
                    EDITS_DUKCAPIL),
    "product_create": (lambda c: {"pk": c.dukcapil.pk}, lambda c, role: {"name": f"Produk uji {role}"},
                       EDITS_DUKCAPIL),
    "product_update": (lambda c: {"pk": c.ktp.pk}, lambda c, role: {"description": f"Oleh {role}"}, EDITS_DUKCAPIL),
    "draft_save": (lambda c: {"pk": c.ktp.pk}, lambda c, role: {**FULL_STANDARD, "output": f"KTP-el {role}"},
                   EDITS_DUKCAPIL),
    "draft_publish": (lambda c: {"pk": c.ktp.pk}, lambda c, role: {"reason": "uji"}, EDITS_DUKCAPIL),
    "methodologies": (NO_PARAMS, None, PUBLIC),
    "methodology_version": (lambda c: _methodology(), None, PUBLIC),
    "periods": (NO_PARAMS, None, PUBLIC),
    "period_results": (lambda c: {"year": _published(c).year}, None, PUBLIC),
    "institution_result": (lambda c: {"year": _published(c).year, "institution_id": c.tabalong.pk}, None, PUBLIC),
    "rankings": (lambda c: {"year": _published(c).year, "kind": "pemkab"}, None, PUBLIC),
    "unit_results": (lambda c: {"unit_id": c.dukcapil.pk}, None, PUBLIC),
    "my_campaigns": (NO_PARAMS, None, SIGNED_IN),
    "my_campaign": (lambda c: {"pk": _campaign(c)[0]}, None, SEES_DUKCAPIL),
    "response_submit": (lambda c: {"pk": _campaign(c)[0]}, lambda c, role: {
        "client_token": f"api-{role}-0001", "answers": dict.fromkeys(SKM_CODES, 4)}, EDITS_DUKCAPIL),
}
OPERATIONS.update(COMPLAINT_OPERATIONS)  # /api/complaints/: who may call each (pantau/complaints/tests/test_api.py)
ROLES = sorted(PUBLIC)


def _methodology() -> dict[str, Any]:
    """ombudsman-2022 as ``load_methodologies`` stores it (loading it again changes nothing)."""
    from pantau.assessments import methodology, services

    version, _ = services.load_version(services.SYSTEM_ACTOR, methodology.load_shipped("ombudsman-2022"))
    return {"slug": version.methodology.slug, "version": version.version}


def _published(c: Any) -> Any:
    """Tabalong's published 2025 period (made once per cast)."""
    from pantau.assessments.tests.results_helpers import published_now

    return published_now(c)


def operations() -> list[tuple[str, str, str]]:
    """(operationId, method, path template) of the spec, in its order (drafts are saved before publishing)."""
    spec = Client().get("/api/openapi.json").json()
    return [(op["operationId"], method.upper(), path) for path, methods in spec["paths"].items()
            for method, op in methods.items()]


def test_every_operation_of_the_spec_declares_who_may_call_it() -> None:
    assert sorted(op_id for op_id, _, _ in operations()) == sorted(OPERATIONS)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_listed_roles_get_an_answer_and_no_write_escapes_their_scope(cast: Any, role: str) -> None:
    api = Api() if role == "anonymous" else Api.as_user(cast.users[role])
    api.prefix = ""  # the spec's paths are full: /api/registry/…, /api/assessments/…
    unexpected, refused = [], []
    for op_id, method, template in operations():
        params, body, allowed = OPERATIONS[op_id]
        path = template.format(**params(cast))
        events = AuditEvent.objects.count()
        response = api.send(method, path, body(cast, role) if body else None) if body else api.get(path)
        status = response.status_code
        assert response["Content-Type"].startswith("application/json"), (op_id, status)
        if role in allowed:
            if status not in (200, 201):
                refused.append((op_id, status, response.json().get("detail")))
            continue
        if status < 400:
            unexpected.append(op_id)
        expected_status = 401 if role == "anonymous" else 404
        assert status == expected_status, (op_id, status, response.content)
        assert response.json()["detail"], op_id
        assert AuditEvent.objects.count() == events, f"{role} wrote an audit event through {op_id}"
    assert unexpected == [], f"{role} got answers outside their scope: {unexpected}"
    assert refused == [], f"{role} was refused operations they may call: {refused}"


@pytest.mark.parametrize("role", sorted(SIGNED_IN - EDITS_DUKCAPIL))
def test_a_refused_write_changes_nothing(cast: Any, role: str) -> None:
    api = Api.as_user(cast.users[role])
    api.patch(f"/units/{cast.dukcapil.pk}", {"maklumat": "diubah"})
    api.patch(f"/products/{cast.ktp.pk}/draft", {"requirements": "diubah"})
    api.post(f"/units/{cast.dukcapil.pk}/products", {"name": "Produk gelap"})
    cast.dukcapil.refresh_from_db()
    assert cast.dukcapil.maklumat == "Kami sanggup melayani sesuai standar."
    assert not cast.ktp.standards.filter(status="draft").exists()
    assert not cast.dukcapil.products.filter(name="Produk gelap").exists()
