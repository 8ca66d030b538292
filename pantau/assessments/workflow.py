"""The transition tables of the cycle (ADR 0019): the only way a period's or a sampled unit's
status changes. Each transition names where it starts, where it ends, the kinds of period it
applies to, who may take it (a predicate of ``cycle_rules``) and its guards; a guard returns the
sentence that says why the step cannot be taken yet, or ``None``.

Period (official):      draft → collection → review → response → published
Period (self):          draft → collection → review → published (no provider response)
Sampled unit:           open → submitted → approved, submitted → returned → submitted
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from pantau.assessments.models_cycle import Contest, Period, ReturnedItem, SampledUnit

S = Period.Status
K = Period.Kind
U = SampledUnit.Status
Guard = Callable[[Period, dt.date], "str | None"]


def _date(day: dt.date) -> str:
    return str(formats.date_format(day, "j F Y"))


def has_sample(period: Period, today: dt.date) -> str | None:
    institutions = set(period.institutions.values_list("pk", flat=True))
    if not institutions:
        return _("Periode belum memuat instansi yang dinilai.")
    sampled = set(period.sampled_units.values_list("institution_id", flat=True))
    missing = institutions - sampled
    if missing:
        return _("%(count)d instansi belum punya sampel unit layanan.") % {"count": len(missing)}
    return None


def collection_started(period: Period, today: dt.date) -> str | None:
    if today < period.collection_start:
        return _("Pengumpulan data baru dapat dibuka pada %(date)s.") % {"date": _date(period.collection_start)}
    return None


def collection_done(period: Period, today: dt.date) -> str | None:
    if today > period.collection_end:
        return None
    if period.sampled_units.filter(status__in=[U.OPEN, U.RETURNED]).exists():
        return _("Masih ada unit yang belum diajukan; reviu dimulai setelah semua unit diajukan atau setelah "
                 "pengumpulan data berakhir pada %(date)s.") % {"date": _date(period.collection_end)}
    return None


def all_approved(period: Period, today: dt.date) -> str | None:
    pending = period.sampled_units.exclude(status=U.APPROVED).count()
    if pending:
        return _("%(count)d unit belum disetujui.") % {"count": pending}
    return None


def response_opened(period: Period, today: dt.date) -> str | None:
    if today < period.response_start:
        return _("Masa tanggapan penyelenggara baru dibuka pada %(date)s.") % {"date": _date(period.response_start)}
    return None


def contests_decided(period: Period, today: dt.date) -> str | None:
    open_ = Contest.objects.filter(answer__sampled_unit__period=period, status=Contest.Status.OPEN).count()
    if open_:
        return _("%(count)d keberatan penyelenggara belum diputuskan.") % {"count": open_}
    return None


def publication_due(period: Period, today: dt.date) -> str | None:
    if today < period.publication_date:
        return _("Hasil baru dapat dipublikasikan pada %(date)s.") % {"date": _date(period.publication_date)}
    return None


@dataclass(frozen=True)
class Transition:
    name: str  # the audit event is "period.<name>"
    source: str
    target: str
    kinds: frozenset[str]
    guards: tuple[Guard, ...]
    computes_results: bool = False  # draft results stored when the step is taken
    publishes: bool = False


BOTH = frozenset({K.OFFICIAL.value, K.SELF.value})
OFFICIAL = frozenset({K.OFFICIAL.value})
SELF = frozenset({K.SELF.value})

# Who takes a period transition: those who manage the period (``cycle_rules.manages_period``).
PERIOD_TRANSITIONS: tuple[Transition, ...] = (
    Transition("collection_opened", S.DRAFT, S.COLLECTION, BOTH, (has_sample, collection_started)),
    Transition("review_started", S.COLLECTION, S.REVIEW, BOTH, (collection_done,)),
    Transition("response_opened", S.REVIEW, S.RESPONSE, OFFICIAL, (all_approved, response_opened),
               computes_results=True),
    Transition("published", S.RESPONSE, S.PUBLISHED, OFFICIAL, (contests_decided, publication_due),
               computes_results=True, publishes=True),
    Transition("published", S.REVIEW, S.PUBLISHED, SELF, (all_approved,), computes_results=True, publishes=True),
)


def period_transition(period: Period, target: str) -> Transition | None:
    for t in PERIOD_TRANSITIONS:
        if t.source == period.status and t.target == target and period.kind in t.kinds:
            return t
    return None


def blockers(transition: Transition, period: Period, today: dt.date) -> list[str]:
    """Every guard's objection (empty: the step may be taken)."""
    return [m for m in (g(period, today) for g in transition.guards) if m]


# Sampled units. Who: "answer" (the unit's assessors) or "review" (``cycle_rules.reviews_unit``).
UNIT_TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "submitted": (frozenset({U.OPEN.value, U.RETURNED.value}), U.SUBMITTED, "answer"),
    "approved": (frozenset({U.SUBMITTED.value}), U.APPROVED, "review"),
    "returned": (frozenset({U.SUBMITTED.value}), U.RETURNED, "review"),
}
# A unit's answers are worked on while the period collects data or is in review.
WORKING = frozenset({S.COLLECTION.value, S.REVIEW.value})


def open_returns(sampled: SampledUnit) -> int:
    return ReturnedItem.objects.filter(sampled_unit=sampled, resolved_at__isnull=True).count()
