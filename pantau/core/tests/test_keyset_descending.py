"""Keyset pages in a descending order (``-pk``: newest first), forwards and back."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from pantau.core.keyset import keyset_page

pytestmark = pytest.mark.django_db


def test_pages_newest_first_walk_forwards_and_back(rf: RequestFactory) -> None:
    users = get_user_model()
    for i in range(7):
        users.objects.create_user(username=f"u{i}", password="x-panjang-sekali-1")
    qs: Any = users.objects.all()
    ids = list(qs.order_by("-pk").values_list("pk", flat=True))
    first = keyset_page(rf.get("/"), qs, ("-pk",), 3)
    assert [u.pk for u in first] == ids[:3] and first.previous_cursor is None
    second = keyset_page(rf.get("/", {"setelah": first.next_cursor}), qs, ("-pk",), 3)
    assert [u.pk for u in second] == ids[3:6]
    third = keyset_page(rf.get("/", {"setelah": second.next_cursor}), qs, ("-pk",), 3)
    assert [u.pk for u in third] == ids[6:] and third.next_cursor is None
    back = keyset_page(rf.get("/", {"sebelum": second.previous_cursor}), qs, ("-pk",), 3)
    assert [u.pk for u in back] == ids[:3]
