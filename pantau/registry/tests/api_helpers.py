"""A small client for API tests: JSON in, JSON out, acting as a cast member through a real token."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pantau.accounts.services import api_token_create


class Api:
    """``Api()`` is anonymous; ``Api.as_user(user)`` sends ``Authorization: Bearer <token>``."""

    def __init__(self, token: str | None = None, prefix: str = "/api/registry") -> None:
        self.client = Client()
        self.token = token
        self.prefix = prefix  # "" to send full paths (/api/assessments/…)

    @classmethod
    def as_user(cls, user: Any) -> Api:
        _, raw = api_token_create(actor=user, name="test")
        return cls(raw)

    def headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(self.prefix + path, params or {}, **self.headers())

    def send(self, method: str, path: str, body: Any = None) -> Any:
        data = b"" if body is None else json.dumps(body).encode()
        return self.client.generic(method, self.prefix + path, data, content_type="application/json",
                                   **self.headers())

    def post(self, path: str, body: Any = None) -> Any:
        return self.send("POST", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.send("PATCH", path, body)


def count_queries(call: Callable[[], Any]) -> int:
    """Queries of one call; none may read the (large) GeoJSON boundaries of regions."""
    with CaptureQueriesContext(connection) as ctx:
        response = call()
        assert response.status_code == 200, response.content
    assert not any("boundary" in q["sql"] for q in ctx.captured_queries), response.request["PATH_INFO"]
    return len(ctx.captured_queries)
