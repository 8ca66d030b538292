"""Every API error is JSON with a message a person can act on; the spec and docs are served locally."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import validate

from pantau.accounts.services import api_token_create, api_token_revoke
from pantau.registry.tests.api_helpers import Api

pytestmark = pytest.mark.django_db


def detail(response: Any, status: int) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    text: str = response.json()["detail"]
    assert text
    return text


def test_a_write_without_a_token_answers_401_saying_how_to_authenticate(cast: Any) -> None:
    message = detail(Api().patch(f"/units/{cast.dukcapil.pk}", {"phone": "1"}), 401)
    assert "Authorization: Bearer" in message
    detail(Api().get("/my/products"), 401)


@pytest.mark.parametrize("header", ["Bearer pnt_not-a-real-token", "Bearer ", "Token abc", "Basic dXNlcjpwdw==",
                                    "bearer"])
def test_a_bad_authorization_header_answers_401(cast: Any, header: str) -> None:
    response = Client().get("/api/registry/my/products", HTTP_AUTHORIZATION=header)
    assert "Authorization: Bearer" in detail(response, 401)


def test_a_revoked_token_answers_401(cast: Any) -> None:
    token, raw = api_token_create(actor=cast.admin_tabalong, name="impor")
    api = Api(raw)
    assert api.get("/my/products").status_code == 200
    api_token_revoke(actor=cast.admin_tabalong, token=token)
    detail(api.get("/my/products"), 401)
    detail(api.patch(f"/units/{cast.dukcapil.pk}", {"phone": "1"}), 401)


def test_the_token_of_a_deactivated_user_answers_401(cast: Any) -> None:
    api = Api.as_user(cast.admin_tabalong)
    cast.admin_tabalong.is_active = False
    cast.admin_tabalong.save()
    detail(api.get("/my/products"), 401)


def test_a_token_does_not_open_public_reads_wider_nor_a_session_the_token_api(cast: Any) -> None:
    client = Client()
    client.force_login(cast.national_admin)  # a signed-in browser session is not a token
    detail(client.get("/api/registry/my/products"), 401)
    response = client.generic("PATCH", f"/api/registry/units/{cast.dukcapil.pk}", '{"phone": "1"}',
                              content_type="application/json")
    detail(response, 401)


def test_unknown_paths_under_the_api_answer_404_in_json(cast: Any) -> None:
    for path in ("/api/nope", "/api/registry/", "/api/registry/products/abc", "/api/registry/products/1/x"):
        assert "/api/docs" in detail(Client().get(path), 404), path


def test_a_wrong_method_answers_405_in_json_with_the_allowed_methods(cast: Any) -> None:
    response = Client().delete(f"/api/registry/products/{cast.ktp.pk}")
    message = detail(response, 405)
    assert "DELETE" in message and set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}
    assert "PUT" in detail(Client().put("/api/registry/provinces"), 405)


def test_a_body_that_is_not_json_answers_400_saying_what_to_send(cast: Any) -> None:
    api = Api.as_user(cast.admin_tabalong)
    response = api.client.generic("PATCH", f"/api/registry/units/{cast.dukcapil.pk}", "phone=1",
                                  content_type="application/json", **api.headers())
    assert "Content-Type: application/json" in detail(response, 400)


def test_a_body_that_is_not_an_object_answers_422(cast: Any) -> None:
    assert "isi permintaan" in detail(Api.as_user(cast.admin_tabalong).patch(f"/units/{cast.dukcapil.pk}", [1]), 422)


def test_an_unexpected_failure_answers_500_in_json_logs_the_request_id_not_the_body_and_writes_nothing(
        cast: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from pantau.registry.services import unit_save

    def broken(**kwargs: Any) -> Any:
        unit_save(**kwargs)
        raise RuntimeError("simulated failure after the write")

    monkeypatch.setattr("pantau.registry.api.staff.services.unit_save", broken)
    api = Api.as_user(cast.admin_tabalong)
    with caplog.at_level(logging.ERROR, logger="pantau.api"):
        response = api.client.generic("PATCH", f"/api/registry/units/{cast.dukcapil.pk}",
                                      json.dumps({"phone": "0812-RAHASIA"}), content_type="application/json",
                                      HTTP_X_REQUEST_ID="rid-of-the-broken-call", **api.headers())
    message = detail(response, 500)
    assert "rid-of-the-broken-call" in message
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "pantau.api")
    assert "rid-of-the-broken-call" in logged and "RuntimeError" in logged
    assert "0812-RAHASIA" not in logged
    cast.dukcapil.refresh_from_db()
    assert cast.dukcapil.phone == ""  # the whole call is one transaction: nothing half-written


def test_the_api_root_points_to_the_spec_and_the_docs() -> None:
    assert Client().get("/api/").json() == {"name": "Pantau API", "version": "1", "openapi": "/api/openapi.json",
                                            "docs": "/api/docs"}


def spec() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


EXPECTED_OPERATIONS = {
    "provinces", "regencies", "offices", "institutions", "institution", "institution_units", "products", "product",
    "product_standard", "product_standards", "product_standard_version",
    "my_institutions", "my_institution", "my_units", "my_unit", "my_products", "my_product",
    "institution_create", "institution_update", "unit_create", "unit_update", "product_create", "product_update",
    "draft_save", "draft_publish",
    "methodologies", "methodology_version",  # /api/assessments/ (pantau/assessments/api.py)
    "periods", "period_results", "institution_result", "rankings",  # results (pantau/assessments/api_results.py)
    "unit_results", "my_campaigns", "my_campaign", "response_submit",  # /api/surveys/ (pantau/surveys/api.py)
    # /api/complaints/ (pantau/complaints/api.py)
    "report_file", "track", "track_message", "my_cases", "my_case", "my_case_actions", "case_transition",
    "demand_answer", "demand_assessment",
    "my_stats_sla", "my_stats_year",  # the office's numbers (pantau/complaints/api_stats.py)
}
PUBLIC_WRITES = {"report_file", "track_message"}  # a citizen files a report and adds to it without an account


def test_the_openapi_spec_is_valid_and_lists_every_operation() -> None:
    data = spec()
    validate(data)
    assert data["openapi"].startswith("3.1")
    operations = {op["operationId"]: (method, path) for path, methods in data["paths"].items()
                  for method, op in methods.items()}
    assert set(operations) == EXPECTED_OPERATIONS
    assert data["components"]["securitySchemes"] == {"TokenAuth": {"type": "http", "scheme": "bearer"}}
    for op_id, (method, path) in operations.items():
        op = data["paths"][path][method]
        public = "security" not in op
        assert public == ((method == "get" and not op_id.startswith("my_")) or op_id in PUBLIC_WRITES), op_id
        assert "422" in op["responses"] and "404" in op["responses"], op_id
        if not public:
            assert op["security"] == [{"TokenAuth": []}] and "401" in op["responses"], op_id


def test_request_bodies_refuse_unknown_fields_in_the_spec_too() -> None:
    schemas = spec()["components"]["schemas"]
    for name in ("InstitutionIn", "InstitutionPatch", "UnitIn", "UnitPatch", "ProductIn", "ProductPatch", "DraftIn",
                 "PublishIn"):
        assert schemas[name]["additionalProperties"] is False, name


def test_the_docs_page_loads_swagger_from_our_own_static_files() -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "/static/ninja/swagger-ui-bundle.js" in sources and "/static/pantau/api-docs.js" in sources
    assert re.search(r"<script>(?!\s*</script>)", html) is None  # no inline script: only src= and JSON data
    assert '"validatorUrl": null' in html and '"url": "/api/openapi.json"' in html
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_an_unknown_query_parameter_answers_422_listing_the_known_ones(cast: Any) -> None:
    message = detail(Api().get("/products", {"provinsi": "63"}), 422)  # Indonesian for "province": a typo
    assert message == ("Parameter tidak dikenal: provinsi. "
                       "Yang dapat dipakai: cursor, institution, limit, offset, province, q.")
    assert "tidak dikenal: x" in detail(Api.as_user(cast.admin_tabalong).patch(f"/units/{cast.dukcapil.pk}?x=1",
                                                                              {"phone": "1"}), 422)


def test_a_write_to_an_unknown_path_answers_json_404_not_a_csrf_page(cast: Any) -> None:
    assert "/api/docs" in detail(Client().post("/api/registry/institutions/null,null", {}), 404)
    assert "/api/docs" in detail(Client().patch("/api/nope", "{}", content_type="application/json"), 404)


def test_numbers_beyond_a_database_integer_are_answered_not_crashed_on(cast: Any) -> None:
    api = Api.as_user(cast.national_admin)
    huge = 10**22
    assert detail(api.get("/products", {"offset": huge}), 422).startswith("offset: ")
    assert detail(api.get("/my/products", {"institution": huge}), 422).startswith("institution: ")
    detail(api.get(f"/products/{huge}"), 404)
    detail(api.patch(f"/products/{huge}", {"name": "x"}), 404)


def test_text_with_a_nul_character_is_refused_before_it_reaches_the_database(cast: Any) -> None:
    api = Api.as_user(cast.national_admin)
    assert detail(api.get("/institutions", {"q": "a\x00b"}), 422).startswith("q: ")
    assert detail(api.post("/institutions", {"name": "a\x00b", "kind": "pemkab", "office_id": cast.kalsel.pk}),
                  422).startswith("name: ")
    assert detail(api.patch(f"/products/{cast.ktp.pk}/draft", {"requirements": "\x00"}), 422).startswith(
        "requirements: ")


def test_no_two_answer_schemas_of_any_module_share_a_name() -> None:
    """The spec names each schema by its class: a second ``VersionOut`` in another module silently
    replaced the first in ``components`` and every answer of the first broke its contract."""
    import ninja

    import pantau.api  # noqa: F401 - every module's router is mounted there

    seen: dict[str, str] = {}
    stack = list(ninja.Schema.__subclasses__())
    clashes = []
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("pantau.") or ".tests" in cls.__module__:
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append((seen[cls.__name__], where))
        seen.setdefault(cls.__name__, where)
    assert not clashes
