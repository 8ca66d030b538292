"""``POST requests``: the spec's form fields read into a complaint case, opened through the same service as
the web form and the API (``complaints.services.case_open``, channel ``api``): the case gets its number, its
opening event, its timers and its audit event there. Every problem is collected and answered together (400,
nothing written); the reporter's identity (``email``, ``first_name``, ``last_name``, ``phone``) goes to the
case's :class:`~pantau.complaints.models.Reporter` only.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from pantau.complaints import clock
from pantau.complaints import services as complaints
from pantau.complaints.models import PriorComplaint, Visibility
from pantau.core.converters import parse_id
from pantau.open311 import catalog
from pantau.open311.models import ApiClient, Submission
from pantau.registry.models import Institution

DESCRIPTION_LIMIT = 4000  # the spec's limit
ADDRESS_LIMIT = 300
PHONE = re.compile(r"^\+?[0-9 ()\-.]{8,30}$")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,60})\](\[\])?$")
EARLIEST_YEAR = 1945


def clean(value: str | None, limit: int) -> str:
    """A form value without control characters (tab and newlines kept), trimmed; ``None`` → ``""``."""
    return _CONTROL.sub("", value or "").strip()[: limit + 1]


def parse_day(raw: str) -> dt.date | None:
    """A date from ``2026-10-01`` or a w3 datetime (its date); ``None`` when it is not one."""
    raw = raw.strip()
    if len(raw) < 10 or not raw[:10].isascii():
        return None
    try:
        day = dt.date.fromisoformat(raw[:10])
    except ValueError:
        return None
    if len(raw) > 10:
        from pantau.open311.selectors import parse_moment

        if parse_moment(raw) is None:
            return None
    return day


@dataclass
class Problems:
    items: list[tuple[int, str]]

    def add(self, field: str, message: str) -> None:
        self.items.append((400, f"{field}: {message}"))


def attributes_of(data: QueryDict) -> dict[str, str]:
    """``attribute[code]=value`` (a multi-value ``attribute[code][]`` joined by commas); unknown codes (such as
    a FixMyStreet id) are kept out."""
    known = {a.code for a in catalog.attributes()}
    found: dict[str, str] = {}
    for key in data:
        match = _ATTRIBUTE.match(key)
        if match and match.group(1) in known:
            found[match.group(1)] = ",".join(data.getlist(key)) if match.group(2) else (data.get(key) or "")
    return found


def _location(data: QueryDict, problems: Problems) -> dict[str, Any]:
    place: dict[str, Any] = {"lat": None, "long": None,
                             "address": clean(data.get("address_string"), ADDRESS_LIMIT),
                             "address_id": clean(data.get("address_id"), 100)}
    if len(place["address"]) > ADDRESS_LIMIT:
        problems.add("address_string", _("paling banyak %(n)d karakter.") % {"n": ADDRESS_LIMIT})
    if len(place["address_id"]) > 100:
        problems.add("address_id", _("paling banyak %(n)d karakter.") % {"n": 100})
    lat, long = clean(data.get("lat"), 40), clean(data.get("long"), 40)
    if lat or long:
        try:
            place["lat"], place["long"] = float(lat), float(long)
        except ValueError:
            problems.add("lat/long", _("keduanya harus angka derajat WGS84, mis. lat=-2.2 dan long=115.4."))
        else:
            if not (math.isfinite(place["lat"]) and math.isfinite(place["long"])
                    and -90 <= place["lat"] <= 90 and -180 <= place["long"] <= 180):
                problems.add("lat/long", _("di luar rentang (lat -90..90, long -180..180)."))
                place["lat"] = place["long"] = None
    if place["lat"] is None and not place["address"] and not place["address_id"]:
        problems.add("location", _("kirim lat dan long, atau address_string, atau address_id."))
    return place


def _reporter(data: QueryDict, problems: Problems) -> dict[str, str]:
    first, last = clean(data.get("first_name"), 150), clean(data.get("last_name"), 150)
    email, phone = clean(data.get("email"), 254), clean(data.get("phone"), 30)
    full_name = " ".join(p for p in (first, last) if p)
    if len(full_name) > 150:
        problems.add("first_name/last_name", _("nama paling banyak 150 karakter."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.add("email", _("alamat e-mail tidak sah."))
    if phone and not PHONE.match(phone):
        problems.add("phone", _("nomor telepon tidak sah (8–30 angka, boleh diawali +)."))
    return {k: v for k, v in (("full_name", full_name), ("email", email), ("phone", phone)) if v}


def _attribute_values(attrs: dict[str, str], problems: Problems) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for attribute in catalog.attributes():
        raw = clean(attrs.get(attribute.code), attribute.max_length)
        if len(raw) > attribute.max_length:
            problems.add(f"attribute[{attribute.code}]", _("paling banyak %(n)d karakter.") % {
                "n": attribute.max_length})
            continue
        if not raw:
            continue
        if attribute.values and raw not in {key for key, _name in attribute.values}:
            problems.add(f"attribute[{attribute.code}]", _("pilih salah satu: %(keys)s.") % {
                "keys": ", ".join(key for key, _name in attribute.values)})
            continue
        if attribute.datatype == "datetime":
            day = parse_day(raw)
            if day is None:
                problems.add(f"attribute[{attribute.code}]", _("tanggal tidak dikenali; tulis seperti 2026-10-01."))
                continue
            if day.year < EARLIEST_YEAR or day > clock.today():
                problems.add(f"attribute[{attribute.code}]", _("tanggal tidak mungkin: %(day)s.") % {
                    "day": day.isoformat()})
                continue
            values[attribute.code] = day
        elif attribute.datatype == "number":
            number = parse_id(raw)
            if number is None:
                problems.add(f"attribute[{attribute.code}]", _("harus nomor bulat positif."))
                continue
            values[attribute.code] = number
        else:
            values[attribute.code] = raw
    return values


def create(*, client: ApiClient, data: QueryDict) -> tuple[Submission, str]:
    """File the report of a POST (``data``: the form fields) for ``client``. Raises :class:`Refused` with all
    the problems found; returns the submission and the secret tracking token of the case."""
    problems = Problems([])
    code = clean(data.get("service_code"), 60)
    if not code:
        problems.add("service_code", _("wajib diisi (lihat services)."))
    elif code not in catalog.substance_by_code():
        raise Refused([(404, _("service_code '%(code)s' tidak dikenal.") % {"code": code[:60]})], status=404)
    description = clean(data.get("description"), DESCRIPTION_LIMIT)
    if not description:
        problems.add("description", _("wajib diisi: uraikan apa yang terjadi."))
    elif len(description) > DESCRIPTION_LIMIT:
        problems.add("description", _("paling banyak 4.000 karakter."))
    place = _location(data, problems)
    reporter = _reporter(data, problems)
    values = _attribute_values(attributes_of(data), problems)
    institution = None
    if values.get("institution_id") is not None:
        institution = Institution.objects.filter(pk=values["institution_id"]).first()
        if institution is None:
            problems.add("attribute[institution_id]", _("tidak ada di daftar instansi."))
    elif not values.get("institution"):
        problems.add("attribute[institution]", _("sebutkan instansi yang dilaporkan (atau institution_id)."))
    prior, prior_date = values.get("prior_complaint", ""), values.get("prior_complaint_date")
    if prior_date is not None and prior in ("", PriorComplaint.NOT_YET):
        problems.add("attribute[prior_complaint_date]", _("isi hanya bila sudah mengadu (answered atau silent)."))
    event_date = values.get("event_date")
    if prior_date is not None and event_date is not None and prior_date < event_date:
        problems.add("attribute[prior_complaint_date]", _("tidak boleh sebelum tanggal peristiwa."))
    if problems.items:
        raise Refused(problems.items)
    title = values.get("title") or description.splitlines()[0][:200]
    try:
        with transaction.atomic():
            opened = complaints.case_open(
                actor=None, kind="public_report", channel="api", title=title, chronology=description,
                visibility=values.get("visibility") or Visibility.CONFIDENTIAL, reporter=reporter,
                institution=institution, reported_other="" if institution else values.get("institution", ""),
                event_date=event_date, remedy=values.get("remedy", ""), prior_complaint=prior,
                prior_complaint_date=prior_date)
            submission = Submission.objects.create(
                case=opened.case, client=client, service_code=code, token=secrets.token_urlsafe(16), **place)
    except ValidationError as error:
        raise Refused([(400, message) for message in _messages(error)]) from None
    return submission, opened.token


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in error.message_dict.items()]
    return [str(m) for m in error.messages]


class Refused(Exception):  # noqa: N818 - a refusal, not a failure
    """The request cannot be filed: the spec's error rows and the HTTP status (400 unless 404)."""

    def __init__(self, rows: list[tuple[int, str]], status: int = 400) -> None:
        super().__init__(rows)
        self.rows, self.status = rows, status
