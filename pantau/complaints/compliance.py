"""Whether providers carry out what the Ombudsman asks of them: the share of corrective actions and
Recommendations implemented on time, per institution (the opinion's *Taat*, seed 004; methodology.md §3).

**The rule.** A demand (``models.Demand``: a corrective action or a Recommendation) counts in a period when
its due date fell in it and has passed (``due_on`` before ``as_of``, today by default: a demand due later,
or today, may still be met). It counts as *implemented on time* when the Ombudsman assessed it
``implemented`` (partly implemented does not count) **and** the provider answered on or before the due date
(``answered_at``, as a date in the server's time zone, ``<= due_on``). The provider's answer is what it
controls; the Ombudsman's assessment may come later and does not make a timely answer late. A demand never
answered, answered after the due date, or assessed partly / not implemented is not on time.

``percent`` is ``100 × on time / demands`` as a ``Decimal`` with two places (half up), ``None`` when the
institution had no demand in the period (no demand is not a score of 0 or 100).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from pantau.complaints import clock
from pantau.complaints.models import Demand, Outcome

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Share:
    institution_id: int
    demands: int  # corrective actions + Recommendations due in the period
    corrective: int
    recommendations: int
    on_time: int  # implemented and answered by the due date
    percent: Decimal | None  # 0.00–100.00, None without demands


def percent_of(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(100) * part / whole).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def demands_on_time(institution_ids: Iterable[int] | None = None, year: int | None = None, *,
                    as_of: dt.date | None = None) -> dict[int, Share]:
    """Per institution, :class:`Share` of the demands due in ``year`` (every year when ``None``) before
    ``as_of``. One grouped query. With ``institution_ids``, every id asked for has an entry (zero demands:
    ``percent`` None); without, only institutions that had demands."""
    if year is not None and not 1 <= year <= 9998:
        raise ValueError(f"Tahun {year} tidak valid.")
    as_of = as_of or clock.today()
    demands = Demand.objects.filter(due_on__lt=as_of)
    if year is not None:
        demands = demands.filter(due_on__gte=dt.date(year, 1, 1), due_on__lte=dt.date(year, 12, 31))
    wanted: list[int] | None = None
    if institution_ids is not None:
        wanted = sorted({int(pk) for pk in institution_ids})
        demands = demands.filter(institution_id__in=wanted)
    on_time = Q(outcome=Outcome.IMPLEMENTED, answered_at__isnull=False, answered_at__date__lte=F("due_on"))
    rows = (demands.order_by().values("institution_id")
            .annotate(n=Count("pk"), corrective=Count("pk", filter=Q(kind=Demand.Kind.CORRECTIVE)),
                      recommendations=Count("pk", filter=Q(kind=Demand.Kind.RECOMMENDATION)),
                      on_time=Count("pk", filter=on_time)))
    shares = {row["institution_id"]: Share(row["institution_id"], row["n"], row["corrective"],
                                           row["recommendations"], row["on_time"],
                                           percent_of(row["on_time"], row["n"]))
              for row in rows}
    for pk in wanted or ():
        shares.setdefault(pk, Share(pk, 0, 0, 0, 0, None))
    return shares
