"""Lost updates: one shared check of stale edit forms.

An edit form carries a *base token*: a short digest of every field of the object as it was when
the form was shown (``base_token``). On save, the service locks the row
(``select_for_update``), applies the submitted values to a copy and calls ``merge``, which
compares three states per field (as shown, as stored now, as submitted):

- nobody else changed the field since the form was shown: the submitted value is saved;
- only the other person changed it (the submitted value is still the one shown): theirs stays;
- both changed it to different values: nothing is saved and ``EditConflict`` names each such
  field with both texts, so the user can choose or merge and save again (the form then carries a
  new base token: the next save overwrites knowingly).

A save without a base token (API, import) is not checked: last write wins, as before.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

BASE_FIELD = "edit_base"


def _digest(value: Any) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, dt.date | dt.datetime):
        text = value.isoformat()
    elif isinstance(value, decimal.Decimal | float):
        text = str(decimal.Decimal(str(value)).normalize())
    else:
        text = str(value).replace("\r\n", "\n")
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def base_token(obj: models.Model, fields: Iterable[str]) -> str:
    """The token an edit form carries: a digest per field of ``obj`` as shown."""
    return json.dumps({name: _digest(getattr(obj, name)) for name in fields}, separators=(",", ":"))


def _parse(token: str) -> dict[str, str] | None:
    try:
        value = json.loads(token)
    except ValueError:
        return None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return None
    return value


def display(obj: models.Model, name: str) -> str:
    """The stored value as a person reads it (choice labels, related names, dates)."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value in (None, ""):
        return _("(kosong)")
    if isinstance(field, models.ForeignKey):
        return str(getattr(obj, field.name))
    if isinstance(field, models.Field) and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dt.date):
        return str(formats.date_format(value, "j F Y"))
    return str(value)


class EditConflict(ValidationError):
    """Someone saved the same fields differently while this form was open.

    ``theirs`` maps each conflicting field (model field name, as forms name it) to the stored
    value as text; ``base`` is the token of the stored object, for the form shown again.
    """

    def __init__(self, theirs: dict[str, str], base: str) -> None:
        message = _("Orang lain menyimpan isian berbeda untuk kolom ini sementara Anda menyunting. "
                    "Pilih atau gabungkan isiannya, lalu simpan lagi.")
        super().__init__({name: [ValidationError(message, code="edit_conflict")] for name in theirs})
        self.theirs = theirs
        self.base = base


def merge(*, current: models.Model, edited: models.Model, fields: Iterable[str], base: str | None) -> None:
    """Check ``edited`` (``current`` with the submitted values applied) against the form's base.

    Fields only someone else changed take the stored value in ``edited``; fields both changed
    differently raise ``EditConflict``. No base (or a blank one): nothing to check.
    """
    if not base:
        return
    names = list(fields)
    shown = _parse(base) or {}
    theirs: dict[str, str] = {}
    for name in names:
        now, mine = _digest(getattr(current, name)), _digest(getattr(edited, name))
        was = shown.get(name)
        if now in (was, mine):
            continue  # nobody else changed it, or both wrote the same
        if mine == was:
            setattr(edited, name, getattr(current, name))  # only they changed it: theirs stays
            continue
        theirs[current._meta.get_field(name).name] = display(current, name)
    if theirs:
        raise EditConflict(theirs, base_token(current, names))
