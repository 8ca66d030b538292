"""The survey indices, exactly as the regulations compute them: pure, Decimal, no Django.

- **IKM / SKM** (PermenPANRB 14/2017; ``shared/docs/surveys.md`` §1): per element the average of
  the answers given to it (NRR = sum ÷ questionnaires that answered the element), weighted (1/9
  each by default; a unit may add elements and re-weight, the weights summing to 1), summed into
  the index NI (1–4), × 25 into the IKM (25–100), classified by lower-bound thresholds on the IKM
  rounded as the profile says: A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, else D (the published table's
  gaps, e.g. 88.305, fall to the lower class).
- The **2004 index** (KepMenPAN 25/2004, 14 elements, 1/14 each), for history only: its class
  boundaries differ (A ≥ 81.26, B ≥ 62.51, C ≥ 43.76) and it never joins a 2017 trend.
- **Profiles** name how a published report rounded: the weight constant (exact 1/n, or a literal
  0.111 / 0.071), rounding of each NRR and of the NI, and the IKM's decimals. The default,
  ``permenpanrb-14-2017``, computes at full precision with exact weights and rounds the IKM
  half-up to 2 decimals (an all-4 survey is 100.00, not 99.90). Every result names its profile.
- The **maladministration perception** score: the share of answers that report no
  maladministration, 0–100 (2 decimals); unanswered questions are not counted.
- **Krejcie & Morgan** minimum sample for N service users of the previous period:
  s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)), χ² = 3.841, P = 0.5, d = 0.05, rounded to the nearest
  integer (half up) as the published table is (N = 50 → 44.34 → 44).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal

from pantau.surveys.messages import gettext_noop

CONTEXT = Context(prec=40, rounding=ROUND_HALF_UP)
SCALE = (1, 2, 3, 4)
WEIGHT_TOLERANCE = Decimal("0.0005")  # weights written with 3 decimals (0.333 × 3) still sum to 1


class SurveyError(ValueError):
    """A questionnaire, profile or answer the formulas cannot take (``message`` says which, a
    ``messages.Message``: Indonesian, translatable where it is shown)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Band:
    minimum: Decimal  # the lowest IKM (after the profile's rounding) of the class
    mutu: str  # A, B, C, D
    label: str  # the unit's performance: Sangat Baik, Baik, Kurang Baik, Tidak Baik


BANDS_2017 = (Band(Decimal("88.31"), "A", "Sangat Baik"), Band(Decimal("76.61"), "B", "Baik"),
              Band(Decimal("65.00"), "C", "Kurang Baik"), Band(Decimal("0"), "D", "Tidak Baik"))
BANDS_2004 = (Band(Decimal("81.26"), "A", "Sangat Baik"), Band(Decimal("62.51"), "B", "Baik"),
              Band(Decimal("43.76"), "C", "Kurang Baik"), Band(Decimal("0"), "D", "Tidak Baik"))


@dataclass(frozen=True)
class Profile:
    """How an index is computed and rounded (``weight``: None = the elements' own weights, or
    exactly 1/n without them; a Decimal = that constant for every element, as printed reports do)."""

    name: str
    bands: tuple[Band, ...] = BANDS_2017
    weight: Decimal | None = None
    nrr_decimals: int | None = None
    ni_decimals: int | None = None
    ikm_decimals: int = 2


PROFILES = {p.name: p for p in (
    Profile("permenpanrb-14-2017"),
    Profile("permenpanrb-14-2017-w0111", weight=Decimal("0.111")),
    Profile("permenpanrb-14-2017-nrr-2dp", nrr_decimals=2),
    Profile("kepmenpan-25-2004", bands=BANDS_2004),
    Profile("kepmenpan-25-2004-w0071", bands=BANDS_2004, weight=Decimal("0.071"), ni_decimals=3, ikm_decimals=3),
)}
DEFAULT_PROFILE = PROFILES["permenpanrb-14-2017"]


@dataclass(frozen=True)
class Element:
    code: str  # keyed by code, never by position (U8/U9 are swapped in the wild)
    weight: Decimal | None = None  # None: equal weights


@dataclass(frozen=True)
class ElementResult:
    code: str
    answered: int  # questionnaires that answered this element
    total: int
    nrr: Decimal  # as used (rounded when the profile says so)
    weight: Decimal
    weighted: Decimal
    ikm: Decimal  # the element's own NRR × 25, classified like the whole
    mutu: str


@dataclass(frozen=True)
class IndexResult:
    profile: str
    respondents: int  # questionnaires with at least one answer
    elements: tuple[ElementResult, ...]
    ni: Decimal  # 1–4, as used
    ikm: Decimal  # 25–100, rounded as the profile says
    ikm_exact: Decimal  # before that rounding
    mutu: str
    label: str
    weakest: tuple[str, ...] = field(default=())  # element codes, lowest NRR first (for follow-up)
    ci: tuple[Decimal, Decimal] | None = None  # 95 % interval of the IKM (``interval``)


_QUANTUM = {d: Decimal(1).scaleb(-d) for d in range(0, 13)}


def _round(value: Decimal, decimals: int | None) -> Decimal:
    if decimals is None:
        return value
    return value.quantize(_QUANTUM.get(decimals) or Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def classify(ikm: Decimal, bands: Sequence[Band] = BANDS_2017) -> Band:
    for band in bands:
        if ikm >= band.minimum:
            return band
    return bands[-1]


def weights(elements: Sequence[Element], profile: Profile = DEFAULT_PROFILE) -> dict[str, Decimal]:
    """Each element's weight: the profile's constant, else the elements' own (summing to 1), else
    exactly 1/n."""
    if not elements:
        raise SurveyError(gettext_noop("Kuesioner tanpa unsur tidak dapat dihitung."))
    codes = [e.code for e in elements]
    if len(set(codes)) != len(codes):
        raise SurveyError(gettext_noop("Kode unsur ganda: %(codes)s.",
                                       codes=", ".join(sorted({c for c in codes if codes.count(c) > 1}))))
    if profile.weight is not None:
        return {e.code: profile.weight for e in elements}
    given = [e.weight for e in elements]
    if all(w is None for w in given):
        equal = CONTEXT.divide(Decimal(1), Decimal(len(elements)))
        return {e.code: equal for e in elements}
    if any(w is None for w in given):
        missing = ", ".join(e.code for e in elements if e.weight is None)
        raise SurveyError(gettext_noop("Bobot harus diisi untuk semua unsur atau tidak sama sekali "
                                       "(tanpa bobot: %(codes)s).", codes=missing))
    if any(w is not None and w <= 0 for w in given):
        raise SurveyError(gettext_noop("Bobot setiap unsur harus lebih dari 0."))
    total = sum((w for w in given if w is not None), Decimal(0))
    if abs(total - 1) > WEIGHT_TOLERANCE:
        raise SurveyError(gettext_noop("Jumlah bobot unsur harus 1, bukan %(total)s.", total=total.normalize()))
    return {e.code: e.weight for e in elements if e.weight is not None}


@dataclass(frozen=True)
class Moments:
    """What the interval needs of the respondents, summable across rows and groups: their number
    and the sum and sum of squares of each one's score r = Σ w·x / Σ w over the elements they
    answered (the respondent's weighted mean on the 1–4 scale)."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def add(self, score: float) -> Moments:
        return Moments(self.n + 1, self.total + score, self.squares + score * score)


def respondent_score(answer: Mapping[str, int | None], weight: Mapping[str, Decimal]) -> float | None:
    given = [(weight[code], value) for code, value in answer.items() if value is not None]
    if not given:
        return None
    return float(sum(w * v for w, v in given) / sum(w for w, _ in given))


# Student's t, two-sided 95 % (0.975 quantile), by degrees of freedom; beyond 120 the normal 1.96.
T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
         10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110,
         18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060,
         26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000, 80: 1.990,
         100: 1.984, 120: 1.980}


def t_quantile(df: int) -> float:
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom (the next lower tabulated
    df when between rows: a slightly wider, never narrower, interval)."""
    if df < 1:
        raise SurveyError(gettext_noop("Derajat bebas harus 1 atau lebih."))
    if df > 120:
        return 1.96
    return _T_BY_DF[df]


# Every df 1–120 → its tabulated (or next lower tabulated) quantile.
_T_BY_DF = [0.0] + [T_975[max(k for k in T_975 if k <= df)] for df in range(1, 121)]


def interval(moments: Moments, center: Decimal, population: int | None = None,
             low: Decimal = Decimal(25), high: Decimal = Decimal(100),
             scale: float = 25) -> tuple[Decimal, Decimal] | None:
    """The 95 % confidence interval of the IKM by linearisation over respondents (surveys.md §6):
    IKM ± t(n−1) × 25 × s_r / √n × √(1 − n/N), s_r the standard deviation of the respondents'
    scores, the finite-population correction when the population N is known (and ≥ n). With every
    element answered by everyone this is exact for the pooled mean; with missing answers it is the
    usual approximation. Centred on the IKM as computed (not re-derived from the scores), clamped
    to 25–100, two decimals; None below two respondents. (The perception score passes its own
    range and ``scale=100``: scores are each respondent's share of clean answers.)"""
    n = moments.n
    if n < 2:
        return None
    mean = moments.total / n
    variance = max(0.0, (moments.squares - n * mean * mean) / (n - 1))
    fpc = 1 - n / population if population and population >= n else 1.0
    half = t_quantile(n - 1) * scale * math.sqrt(variance / n * fpc)
    half_d = Decimal(repr(half))
    return (max(low, _round(center - half_d, 2)), min(high, _round(center + half_d, 2)))


def ikm_from_totals(totals: Mapping[str, int], counts: Mapping[str, int], respondents: int,
                    elements: Sequence[Element], profile: Profile = DEFAULT_PROFILE,
                    moments: Moments | None = None, population: int | None = None,
                    weight: Mapping[str, Decimal] | None = None) -> IndexResult:
    """The index from each element's sum of answers and number of questionnaires that answered it
    (what the database sums and the tallies keep): the same arithmetic as ``ikm``. ``weight`` is
    ``weights(elements, profile)`` when the caller has it already (many cells of one questionnaire)."""
    if weight is None:
        weight = weights(elements, profile)
    unknown = sorted((set(totals) | set(counts)) - set(weight))
    if unknown:
        raise SurveyError(gettext_noop("Unsur tidak dikenal: %(codes)s.", codes=", ".join(unknown)))
    empty = [e.code for e in elements if not counts.get(e.code)]
    if empty:
        raise SurveyError(gettext_noop("Belum ada jawaban untuk unsur: %(codes)s.", codes=", ".join(empty)))
    rows = []
    ni = Decimal(0)
    for e in elements:
        total, count = totals.get(e.code, 0), counts[e.code]
        if not count <= total <= 4 * count:
            raise SurveyError(gettext_noop("Unsur %(code)s: jumlah nilai %(total)s tidak mungkin untuk %(count)s "
                                           "jawaban 1–4.", code=e.code, total=total, count=count))
        nrr = _round(CONTEXT.divide(Decimal(total), Decimal(count)), profile.nrr_decimals)
        weighted = CONTEXT.multiply(nrr, weight[e.code])
        ni = CONTEXT.add(ni, weighted)
        own = _round(CONTEXT.multiply(nrr, Decimal(25)), profile.ikm_decimals)
        rows.append(ElementResult(e.code, count, total, nrr, weight[e.code], weighted, own,
                                  classify(own, profile.bands).mutu))
    ni = _round(ni, profile.ni_decimals)
    exact = CONTEXT.multiply(ni, Decimal(25))
    final = _round(exact, profile.ikm_decimals)
    band = classify(final, profile.bands)
    weakest = tuple(r.code for r in sorted(rows, key=lambda r: (r.nrr, r.code)))[:3]
    ci = interval(moments, exact, population) if moments is not None else None
    return IndexResult(profile.name, respondents, tuple(rows), ni, final, exact, band.mutu, band.label, weakest, ci)


def ikm(answers: Iterable[Mapping[str, int | None]], elements: Sequence[Element],
        profile: Profile = DEFAULT_PROFILE, population: int | None = None) -> IndexResult:
    """The index of complete questionnaires (each a mapping element code → 1–4, or None when not
    answered). Partial responses are the caller's to leave out; an element nobody answered, an
    answer outside 1–4 or an unknown element code is refused with the reason."""
    weight = weights(elements, profile)
    totals = {e.code: 0 for e in elements}
    counts = {e.code: 0 for e in elements}
    scores: list[float] = []
    for number, answer in enumerate(answers, start=1):
        unknown = sorted(set(answer) - set(totals))
        if unknown:
            raise SurveyError(gettext_noop("Jawaban %(number)s: unsur tidak dikenal: %(codes)s.", number=number,
                                           codes=", ".join(unknown)))
        for code, value in answer.items():
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
                raise SurveyError(gettext_noop("Jawaban %(number)s, unsur %(code)s: %(value)s di luar skala 1–4.",
                                               number=number, code=code, value=repr(value)))
            totals[code] += value
            counts[code] += 1
        score = respondent_score(answer, weight)
        if score is not None:
            scores.append(score)
    # fsum: correctly rounded, so the interval does not depend on the respondents' order
    moments = Moments(len(scores), math.fsum(scores), math.fsum(x * x for x in scores))
    return ikm_from_totals(totals, counts, len(scores), elements, profile, moments, population)


def post_stratified(strata: Iterable[tuple[int, Decimal]]) -> Decimal | None:
    """The IKM weighted by service volume (surveys.md §6): Σ N_h·IKM_h / Σ N_h over the services
    with responses and a known volume N_h > 0 — supplementary to the official pooled IKM, which it
    never replaces. None when no service has both."""
    pairs = [(volume, value) for volume, value in strata if volume and volume > 0]
    if not pairs:
        return None
    total = sum(volume for volume, _ in pairs)
    return _round(CONTEXT.divide(sum((volume * value for volume, value in pairs), Decimal(0)), Decimal(total)), 2)


def perception_score(answers: Iterable[bool | None]) -> Decimal:
    """The maladministration-perception score, 0–100 (2 decimals): the share of answered questions
    whose answer reports no maladministration (``True``); ``None`` (not answered) is not counted."""
    given = [a for a in answers if a is not None]
    if not given:
        raise SurveyError(gettext_noop("Belum ada jawaban untuk dihitung."))
    clean = sum(1 for a in given if a)
    return _round(CONTEXT.divide(Decimal(100 * clean), Decimal(len(given))), 2)


def perception_from_totals(clean: int, answered: int) -> Decimal:
    """``perception_score`` from its counts: answers reporting no maladministration of those answered."""
    if answered < 1 or not 0 <= clean <= answered:
        raise SurveyError(gettext_noop("Belum ada jawaban untuk dihitung.") if answered < 1
                          else gettext_noop("Jumlah jawaban tidak mungkin."))
    return _round(CONTEXT.divide(Decimal(100 * clean), Decimal(answered)), 2)


CHI_SQUARE = Decimal("3.841")  # 1 degree of freedom, 95 %
PROPORTION = Decimal("0.5")
MARGIN = Decimal("0.05")
MAX_POPULATION = 10**12


@dataclass(frozen=True)
class Sample:
    population: int
    exact: Decimal
    minimum: int


def sample_size(population: int) -> Sample:
    """Krejcie & Morgan's minimum sample for ``population`` service users (nearest integer, half up)."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise SurveyError(gettext_noop("Jumlah penerima layanan harus bilangan bulat 1 atau lebih."))
    if population > MAX_POPULATION:
        raise SurveyError(gettext_noop("Jumlah penerima layanan terlalu besar (paling banyak %(most)s).",
                                       most=MAX_POPULATION))
    n = Decimal(population)
    pq = PROPORTION * (1 - PROPORTION)
    exact = CONTEXT.divide(CHI_SQUARE * n * pq, MARGIN * MARGIN * (n - 1) + CHI_SQUARE * pq)
    return Sample(population, exact, int(_round(exact, 0)))


# The nine SKM 2017 elements by code (U8 = sarana, U9 = pengaduan, as the questionnaires number them).
SKM_2017 = tuple(Element(code) for code in (
    "persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "sarana", "pengaduan"))
