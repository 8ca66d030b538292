"""What the Open311 endpoints offer: the services (the substances of ``complaints.vocab``), the attributes of
a service definition (what the intake needs beyond the spec's fields), and how a case's state reads in
Open311 (``open`` / ``closed`` with the public label of its stage as ``status_notes``).

A service code is the substance label in lower case with every run of other characters made one hyphen
("Agraria/pertanahan" → ``agraria-pertanahan``): stable when the list is reordered or extended.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from pantau.complaints import lists
from pantau.complaints.messages import translate as tr
from pantau.complaints.models import PriorComplaint, Visibility
from pantau.complaints.vocab import CLOSURE_REASONS, RecordKind, State, state_label

JURISDICTION = "ombudsman.go.id"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-05 00:00"  # when the service list or its definitions last changed
GROUP = "pelayanan publik"


def code_of(substance: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", substance.lower()).strip("-")


def substance_by_code() -> dict[str, str]:
    """The services: the substances staff classify by (``complaints.lists``), keyed by their code."""
    return _by_code(lists.substances())


def code_by_substance() -> dict[str, str]:
    return _by_substance(lists.substances())


@functools.cache
def _by_code(substances: tuple[str, ...]) -> dict[str, str]:
    return {code_of(s): s for s in substances}


@functools.cache
def _by_substance(substances: tuple[str, ...]) -> dict[str, str]:
    return {s: c for c, s in _by_code(substances).items()}


def services() -> list[dict[str, object]]:
    """GET services: one per substance, in the order of the list."""
    return [{"service_code": code, "service_name": tr(name),
             "description": _("Laporan dugaan maladministrasi pelayanan publik: %(name)s.") % {"name": tr(name)},
             "metadata": True, "type": "realtime",
             "keywords": ", ".join(w.strip() for w in re.split(r"/| dan ", name.lower()) if w.strip()),
             "group": GROUP}
            for code, name in substance_by_code().items()]


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    description: str
    required: bool = False
    datatype_description: str = ""
    max_length: int = 200
    values: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def attributes() -> list[Attribute]:
    """The attributes every service asks for, in their order (``attribute[code]=value`` in POST)."""
    return [
        Attribute("institution", "string", _("Instansi atau unit penyelenggara yang dilaporkan"), required=True,
                  datatype_description=_("Nama instansi; boleh kosong bila institution_id diisi."), max_length=200),
        Attribute("institution_id", "number", _("Nomor instansi dalam daftar /api/registry/institutions"),
                  datatype_description=_("Bilangan bulat; bila diisi, laporan diteruskan ke kantor Ombudsman "
                                         "yang mengawasi instansi itu."), max_length=19),
        Attribute("title", "string", _("Pokok laporan (ringkas)"),
                  datatype_description=_("Paling banyak 200 karakter; bila kosong, diambil dari awal uraian."),
                  max_length=200),
        Attribute("event_date", "datetime", _("Tanggal peristiwa"),
                  datatype_description=_("Tanggal ISO 8601, mis. 2026-10-01."), max_length=40),
        Attribute("prior_complaint", "singlevaluelist", _("Sudah mengadu kepada instansi yang dilaporkan?"),
                  values=tuple((str(v), str(label)) for v, label in PriorComplaint.choices), max_length=20),
        Attribute("prior_complaint_date", "datetime", _("Tanggal pengaduan kepada instansi"),
                  datatype_description=_("Tanggal ISO 8601; hanya bila sudah mengadu."), max_length=40),
        Attribute("remedy", "text", _("Harapan pelapor"), datatype_description=_("Paling banyak 4.000 karakter."),
                  max_length=4000),
        Attribute("visibility", "singlevaluelist", _("Kerahasiaan laporan (bawaan: rahasia)"),
                  datatype_description=_("Laporan rahasia tidak pernah ditampilkan dalam GET requests."),
                  values=tuple((str(v), str(label)) for v, label in Visibility.choices), max_length=20),
    ]


def definition(code: str) -> dict[str, object]:
    return {"service_code": code, "attributes": [
        {"variable": True, "code": a.code, "datatype": a.datatype, "required": a.required,
         "datatype_description": a.datatype_description or None, "order": order, "description": a.description,
         "values": [{"key": key, "name": name} for key, name in a.values]}
        for order, a in enumerate(attributes(), start=1)]}


def status_of(state: str) -> str:
    return "closed" if state == State.CLOSED else "open"


def status_notes(state: str, kind: str, closure_reason: str) -> str:
    """The public label of the case's stage (and, once closed, of its closure reason)."""
    try:
        label = tr(state_label(State(state), RecordKind(kind)))
    except ValueError:
        return ""
    reason = CLOSURE_REASONS.get(closure_reason)
    return f"{label}: {tr(reason.label)}" if reason is not None and state == State.CLOSED else label


def service_name(code: str) -> str | None:
    name = substance_by_code().get(code)
    return tr(name) if name else None
