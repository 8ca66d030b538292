"""The instrument of a sampled unit as a form (issue 8, "Field work"): the rows the page shows,
what a POST asks to save, and the saving itself through ``services_answers`` and
``services_evidence`` — shared by the plain HTML form (no JavaScript needed) and the JSON sync
endpoint the offline page uses.

An item's field names start with its key: ``u-<item>`` for an item answered per unit,
``p<sampled product>-<item>`` per product. Each item carries the revision the page was rendered
with (``__rev``) and the value it showed (``__seen``: ``""`` unanswered, ``na``, or the number);
an item the user did not change is not saved, so a page kept open long never overwrites other
people's answers it merely shows. A changed item saved against another revision comes back as a
conflict with both values; the user chooses (``__resolve``: ``mine`` or ``theirs``), nothing is
overwritten without that choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pantau.assessments import methodology as mdoc
from pantau.assessments import services, services_answers, services_evidence
from pantau.assessments.models import Answer, Evidence, ReturnedItem, SampledProduct, SampledUnit
from pantau.assessments.models_cycle import REASON_CHARS
from pantau.assessments.selectors_cycle import prefill

RETURNED = "returned"  # the ``__seen`` of a returned item: never equal to a value
KEY_RE = re.compile(r"^(?:u|p(\d{1,12}))-([A-Za-z0-9_.-]{1,63})$")


def shown(value: Decimal | None, answered: bool = True) -> str:
    """How a stored value travels in a form: ``""`` (unanswered), ``na``, or the number as written."""
    if not answered:
        return ""
    if value is None:
        return "na"
    text = format(value.normalize(), "f")
    return text


def key_of(item: str, product_id: int | None) -> str:
    return f"p{product_id}-{item}" if product_id else f"u-{item}"


def parse_key(key: str, products: dict[int, SampledProduct]) -> tuple[str, SampledProduct | None] | None:
    found = KEY_RE.match(key or "")
    if not found:
        return None
    if found.group(1) is None:
        return found.group(2), None
    product = products.get(int(found.group(1)))
    return None if product is None else (found.group(2), product)


@dataclass
class Row:
    key: str
    item: mdoc.Item
    product: SampledProduct | None
    published: str | None = None
    label: str = ""
    value: str = ""  # what the field shows
    reason: str = ""
    revision: int = 0
    seen: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    conflict: dict[str, Any] | None = None  # {"stored": …, "stored_shown": …, "mine_shown": …}
    saved: bool = False
    returned: str = ""  # the reviewer's comment while the item is returned

    @property
    def choices(self) -> list[tuple[str, str]]:
        labels = list(self.item.labels) + [""] * len(self.item.points)
        out = [(shown(p), f"{shown(p)} — {label}" if label else shown(p))
               for p, label in zip(self.item.points, labels, strict=False)]
        if self.item.answer == "yes-no" and not any(self.item.labels):
            out = [(shown(p), _("Ya") if p == self.item.maximum else _("Tidak")) for p in self.item.points]
        return out

    @property
    def numeric(self) -> bool:
        return not self.item.points

    @property
    def evidence_needed(self) -> list[str]:
        return [services_evidence.KIND_LABELS.get(k, k) for k in self.item.evidence]


@dataclass
class Section:
    title: str
    product: SampledProduct | None
    rows: list[Row]
    standard_version: Any = None
    gaps: dict[str, list[str]] = field(default_factory=dict)


def build(user: Any, sampled: SampledUnit) -> tuple[list[Section], dict[str, Row]]:
    """The instrument's sections (unit items first, then each sampled product's) with the stored
    answers and evidence, and every row by key."""
    document = services.document_of(sampled.period.methodology_version)
    products = list(sampled.products.order_by("pk"))
    views = {p.pk: prefill(user, p) for p in products}
    answers = {(a.sampled_product_id, a.item): a for a in Answer.objects.filter(sampled_unit=sampled)}
    evidence: dict[tuple[int | None, str], list[Evidence]] = {}
    for ev in Evidence.objects.filter(sampled_unit=sampled).order_by("pk"):
        evidence.setdefault((ev.sampled_product_id, ev.item), []).append(ev)
    returned = {(r.sampled_product_id, r.item): r.comment
                for r in ReturnedItem.objects.filter(sampled_unit=sampled, resolved_at__isnull=True).order_by("pk")}

    def row(item: mdoc.Item, product: SampledProduct | None, view: dict[str, Any] | None) -> Row:
        pid = product.pk if product else None
        stored = answers.get((pid, item.code))
        r = Row(key=key_of(item.code, pid), item=item, product=product, evidence=evidence.get((pid, item.code), []))
        if stored is not None:
            r.value, r.reason, r.revision = shown(stored.value), stored.reason, stored.revision
        r.seen = r.value
        r.returned = returned.get((pid, item.code), "")
        if r.returned:
            r.seen = RETURNED  # saving the page saves it again, changed or confirmed: that resolves it
        if view is not None:
            found = next((x for x in view["rows"] if x["item"] == item.code), None)
            if found is not None:
                r.published, r.label = found["published"], found["label"]
        return r

    first = views[products[0].pk] if products else None
    sections = []
    unit_items = [i for i in document.items.values() if i.level == "unit"]
    if unit_items:
        sections.append(Section(_("Item tingkat unit"), None, [row(i, None, first) for i in unit_items]))
    for p in products:
        view = views[p.pk]
        sections.append(Section(str(view["product"] if view else p.product_id), p,
                                [row(i, p, view) for i in document.items.values() if i.level == "product"],
                                standard_version=view["standard_version"] if view else None,
                                gaps=view["gaps"] if view else {}))
    rows = {r.key: r for s in sections for r in s.rows}
    return sections, rows


def parse_value(raw: str) -> tuple[bool, Decimal | None]:
    """(is it N/A, the number); ``ValidationError`` when it is no number."""
    raw = (raw or "").strip()
    if raw.lower() == "na":
        return True, None
    number = mdoc.parse_number(raw)
    if number is None:
        raise ValidationError(_("“%(raw)s” bukan angka.") % {"raw": raw[:20]})
    return False, number


@dataclass
class Outcome:
    status: str  # saved, unchanged, conflict, refused
    revision: int = 0
    value: str = ""
    reason: str = ""
    message: str = ""
    stored: dict[str, Any] | None = None

    def as_json(self, key: str) -> dict[str, Any]:
        out: dict[str, Any] = {"key": key, "status": self.status, "revision": self.revision, "value": self.value,
                               "reason": self.reason}
        if self.message:
            out["message"] = self.message
        if self.stored is not None:
            out["stored"] = self.stored
        return out


def save_one(user: Any, sampled: SampledUnit, row: Row, raw: str, reason: str, revision: int,
             change_reason: str = "") -> Outcome:
    """Save one item as the user gave it against the revision they saw (``change_reason``: why a
    reviewer changes an answer after approval)."""
    reason = (reason or "").strip()[:REASON_CHARS]
    try:
        na, value = parse_value(raw)
        answer = services_answers.answer_save(actor=user, sampled_unit=sampled, item=row.item.code, value=value,
                                              reason=reason, sampled_product=row.product, revision=revision,
                                              change_reason=change_reason)
    except services_answers.AnswerConflict as conflict:
        stored = conflict.stored
        if stored["value"] == conflict.submitted["value"] and (
                stored["value"] is not None or stored["reason"] == conflict.submitted["reason"]):
            # The same answer is stored already (a retry after a lost reply, or both wrote the same).
            return Outcome("saved", stored["revision"], shown(stored["value"]), stored["reason"])
        return Outcome("conflict", stored["revision"], shown(value if not na else None), reason,
                       message=_("Jawaban ini sudah diubah orang lain sejak halaman dibuka."),
                       stored={"value": shown(stored["value"], stored["revision"] > 0), "reason": stored["reason"],
                               "revision": stored["revision"]})
    except ValidationError as error:
        return Outcome("refused", revision, raw, reason, message=" ".join(error.messages))
    return Outcome("saved", answer.revision, shown(answer.value), answer.reason)


def add_evidence(user: Any, sampled: SampledUnit, row: Row, kind: str, *, upload: Any = None, url: str = "",
                 note: str = "", token: str = "") -> Evidence:
    return services_evidence.evidence_add(actor=user, sampled_unit=sampled, item=row.item.code, kind=kind,
                                          sampled_product=row.product, upload=upload, url=url, note=note,
                                          client_token=token)
