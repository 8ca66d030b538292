"""The ``<id:…>`` path converter: a database id in a URL, bounded so that it fits the database.

Django's ``<int:…>`` matches any number of digits; ``/layanan/99999999999999999999/`` then reaches
the query and SQLite raises ``OverflowError`` (PostgreSQL: out of range), i.e. a 500. ``<id:…>``
matches 1 to 19 ASCII digits whose value is a 64-bit SQL integer; anything else does not match the
route, so it answers 404 like any id that does not exist. Every route with a number in it uses it
(``pantau/core/tests/test_urls.py`` checks that no ``<int:…>`` route is left). It is registered
once, when the root URLconf (``pantau/urls.py``) imports this module.
"""

from __future__ import annotations

from django.urls import register_converter

MAX_ID = 2**63 - 1  # the largest value of a 64-bit SQL integer (BigAutoField)


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 <= number <= MAX_ID:
            raise ValueError(value)  # the URL does not match: 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))


def parse_id(raw: str | None) -> int | None:
    """A database id typed by someone (a query parameter, a form value): ``None`` unless it is
    1 to 19 ASCII digits with a value from 1 to ``MAX_ID``. ``str.isdigit`` is not enough: it admits
    ``²`` and other digits ``int()`` refuses, and numbers the database cannot hold."""
    value = (raw or "").strip()
    if not (0 < len(value) <= 19 and value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


register_converter(IdConverter, "id")
