"""Triage suggestions for the intake officer (issue 11): the likely substance, forms of maladministration
and reported institution of a new case, learned from the office's own past decisions. Always a suggestion
with its confidence and the model's measured accuracy beside it; nothing is applied without the officer.

**What it learns from.** Cases whose classification staff decided: the substance is set (only
``services.case_classify`` sets it, and only staff call it). From each: the substance; the alleged forms
(``alleged``, when any); the reported institution (when set). The text is the title and the *redacted*
chronology (``public_summary``), never the chronology as given nor the reporter's identity, analysed as the
search analyses it (``pantau.core.search.text.document_terms``: folded, respelled, stopwords out, stemmed
by PySastrawi, synonym keys added).

**How** (``train``): TF-IDF over those terms (sublinear term frequency, L2 norm, at most ``MAX_FEATURES``
terms seen in at least ``MIN_DF`` cases) and logistic regressions: multinomial for the substance and the
institution (only institutions with at least ``MIN_INSTITUTION_CASES`` cases, at most ``MAX_INSTITUTIONS``;
fewer than two such: no institution suggestion), one binary model per form (one-vs-rest, forms with at
least ``MIN_LABEL_CASES`` cases with and without it). Per office when the office has at least
``OFFICE_MINIMUM`` decided cases, and one national model from every office's (at least ``MIN_CASES``);
an office below its minimum is served by the national model.

**Accuracy** is measured on held-back cases, in time order: the models are fitted on the older
``1 - holdout`` share (by received date) and tested on the newest share: substance top-1 and top-3, forms
micro-averaged precision, recall and F1 (a form is suggested at probability ≥ ``FORM_THRESHOLD``) and
precision per form, institution top-1 (over every held-back case with an institution: one the model does
not know counts as wrong). The stored model is then fitted again on every decided case.

**Storage** (``models.TriageModel``): the vocabulary, idf, weights, biases and labels as a NumPy ``.npz``
archive of plain arrays, read with ``allow_pickle=False``; anything else (an object array, a broken file,
shapes that disagree) is refused as :class:`TriageError` and the page shows no suggestion. Each training
adds a version per office (or national), audited; the newest ``KEEP`` versions stay.

**Prediction** needs no scikit-learn: a sparse dot product in NumPy over the stored arrays. A process loads
a model once (cached by its id) and asks for the newest ids at most every ``RECHECK_SECONDS``: one small
query; the archive is read only when a newer version exists.
"""

from __future__ import annotations

import io
import math
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from pantau.complaints.models import Case, TriageModel
from pantau.complaints.vocab import MALADMINISTRATION_LABELS, Maladministration, RecordKind
from pantau.core import audit
from pantau.core.search import text as search_text
from pantau.registry.models import Institution, Office

MIN_CASES = 50  # decided cases needed for any model (the national one)
OFFICE_MINIMUM = 300  # an office with fewer decided cases is served by the national model
MIN_INSTITUTION_CASES = 10
MAX_INSTITUTIONS = 200
MIN_LABEL_CASES = 5
MAX_FEATURES = 8000
MIN_DF = 2
HOLDOUT = 0.2
KEEP = 3  # versions kept per office (and national)
FORM_THRESHOLD = 0.5
INSTITUTION_MIN_CONFIDENCE = 0.2  # a less sure institution guess is not shown (hundreds of institutions)
SHOWN_SUBSTANCES = 3
RECHECK_SECONDS = 60.0
C = 4.0  # inverse regularisation of the logistic regressions
MAX_ITER = 300
CHUNK = 5000
TARGETS = ("substance", "forms", "institution")
EVENT_TYPE = "triage.trained"


class TriageError(Exception):
    """A stored model that cannot be read safely."""


# --- text ---------------------------------------------------------------------------------------------------


def terms(title: str, summary: str) -> list[str]:
    """The terms of a case's title and redacted chronology, as the search analyses them."""
    return [*search_text.document_terms(title or "").split(), *search_text.document_terms(summary or "").split()]


def _same(doc: list[str]) -> list[str]:
    return doc


# --- training -----------------------------------------------------------------------------------------------


@dataclass
class Decided:
    """The decided cases of one scope, oldest first."""

    docs: list[list[str]]
    substances: list[str]
    forms: list[tuple[str, ...]]
    institutions: list[int | None]

    def __len__(self) -> int:
        return len(self.docs)

    def part(self, rows: Sequence[int]) -> Decided:
        return Decided([self.docs[i] for i in rows], [self.substances[i] for i in rows],
                       [self.forms[i] for i in rows], [self.institutions[i] for i in rows])


def decided_cases() -> dict[int | None, Decided]:
    """Every decided case by office (key ``None``: all of them, for the national model), oldest first."""
    everything = Decided([], [], [], [])
    offices: dict[int | None, list[int]] = {}
    known = {m.value for m in Maladministration}
    rows = (Case.objects.exclude(substance="").exclude(kind=RecordKind.PROVIDER_COMPLAINT)
            .order_by("received_on", "pk")
            .values_list("office_id", "title", "public_summary", "substance", "alleged", "institution_id"))
    for office_id, title, summary, substance, alleged, institution_id in rows.iterator(chunk_size=CHUNK):
        offices.setdefault(office_id, []).append(len(everything))
        everything.docs.append(terms(title, summary))
        everything.substances.append(substance)
        everything.forms.append(tuple(sorted({f for f in alleged or () if f in known})))
        everything.institutions.append(institution_id)
    out: dict[int | None, Decided] = {None: everything}
    for key, indexes in offices.items():
        if key is not None:
            out[key] = everything.part(indexes)
    return out


@dataclass
class Fitted:
    """A fitted model as plain arrays (the ``.npz`` archive's content)."""

    arrays: dict[str, np.ndarray]

    @property
    def targets(self) -> list[str]:
        return [t for t in TARGETS if f"{t}_weights" in self.arrays]


def _logistic(x: Any, y: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """A multinomial logistic regression: (weights classes × terms, biases, classes). Two classes give the
    same probabilities as a softmax over (0, w·x + b)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=MAX_ITER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # MAX_ITER bounds the time; accuracy is measured
        model.fit(x, list(y))
    weights = np.asarray(model.coef_, dtype=np.float32)
    bias = np.asarray(model.intercept_, dtype=np.float32)
    if weights.shape[0] == 1:
        weights = np.vstack([np.zeros_like(weights), weights])
        bias = np.concatenate([np.zeros(1, dtype=np.float32), bias])
    return weights, bias, list(model.classes_)


def make_vectorizer(cases: int) -> Any:
    """The TF-IDF step as fitted (``Loaded.vector`` computes the same for one case without scikit-learn)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=_same, sublinear_tf=True, min_df=min(MIN_DF, cases), max_features=MAX_FEATURES,
                           dtype=np.float32)


def fit(data: Decided, names: dict[int, str]) -> Fitted | None:
    """The models of ``data`` (None when there is nothing to learn: fewer than two substances)."""
    if len(set(data.substances)) < 2:
        return None
    vectorizer = make_vectorizer(len(data))
    x = vectorizer.fit_transform(data.docs)
    vocabulary = vectorizer.get_feature_names_out()
    arrays: dict[str, np.ndarray] = {"terms": np.asarray([str(t) for t in vocabulary], dtype=str),
                                     "idf": np.asarray(vectorizer.idf_, dtype=np.float32)}
    weights, bias, classes = _logistic(x, data.substances)
    arrays |= {"substance_weights": weights, "substance_bias": bias,
               "substance_labels": np.asarray([str(c) for c in classes], dtype=str)}
    counts = Counter(f for forms in data.forms for f in forms)
    labels = [f for f in sorted(counts) if MIN_LABEL_CASES <= counts[f] <= len(data) - MIN_LABEL_CASES]
    if labels:
        rows, biases = [], []
        for label in labels:
            w, b, _classes = _logistic(x, [label in forms for forms in data.forms])
            rows.append(w[1] - w[0])
            biases.append(b[1] - b[0])
        arrays |= {"forms_weights": np.vstack(rows).astype(np.float32),
                   "forms_bias": np.asarray(biases, dtype=np.float32),
                   "forms_labels": np.asarray(labels, dtype=str)}
    seen = Counter(i for i in data.institutions if i is not None)
    kept = [i for i, n in seen.most_common(MAX_INSTITUTIONS) if n >= MIN_INSTITUTION_CASES]
    if len(kept) >= 2:
        wanted = set(kept)
        rows_with = [k for k, i in enumerate(data.institutions) if i in wanted]
        weights, bias, classes = _logistic(x[rows_with], [data.institutions[k] for k in rows_with])
        arrays |= {"institution_weights": weights, "institution_bias": bias,
                   "institution_labels": np.asarray(classes, dtype=np.int64),
                   "institution_names": np.asarray([names.get(int(c), str(c)) for c in classes], dtype=str)}
    return Fitted(arrays)


def evaluate(data: Decided, holdout: float, names: dict[int, str]) -> dict[str, Any]:
    """Fit on the older cases, test on the newest ``holdout`` share; the measures (``{}`` when the older
    share has nothing to learn)."""
    cut = len(data) - max(1, round(len(data) * holdout))
    older, newest = data.part(range(cut)), data.part(range(cut, len(data)))
    fitted = fit(older, names)
    if fitted is None:
        return {}
    model = Loaded.from_arrays(fitted.arrays)
    predictions = [model.predict_terms(doc) for doc in newest.docs]
    out: dict[str, Any] = {"held_back": len(newest), "trained_on": len(older)}
    top1 = sum(p.substances[0].label == s for p, s in zip(predictions, newest.substances, strict=True))
    top3 = sum(s in {g.label for g in p.substances[:3]} for p, s in zip(predictions, newest.substances, strict=True))
    out["substance"] = {"top1": top1 / len(newest), "top3": top3 / len(newest), "cases": len(newest),
                        "classes": len(model.labels["substance"])}
    if "forms" in model.weights:
        out["forms"] = _forms_measures(predictions, newest.forms)
    institution_rows = [(p, i) for p, i in zip(predictions, newest.institutions, strict=True) if i is not None]
    if "institution" in model.weights and institution_rows:
        hits = sum(p.institution is not None and p.institution.label == str(i) for p, i in institution_rows)
        out["institution"] = {"top1": hits / len(institution_rows), "cases": len(institution_rows),
                              "classes": len(model.labels["institution"])}
    return out


def _forms_measures(predictions: list[Prediction], truth: list[tuple[str, ...]]) -> dict[str, Any]:
    tp = fp = fn = 0
    per: dict[str, list[int]] = {}
    for prediction, actual in zip(predictions, truth, strict=True):
        suggested = {g.label for g in prediction.forms if g.confidence >= FORM_THRESHOLD}
        real = set(actual)
        tp, fp, fn = tp + len(suggested & real), fp + len(suggested - real), fn + len(real - suggested)
        for label in suggested:
            per.setdefault(label, [0, 0])[0 if label in real else 1] += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"micro_f1": f1, "precision": precision, "recall": recall, "cases": len(truth),
            "per_form": {label: hit / (hit + miss) for label, (hit, miss) in sorted(per.items())}}


def to_bytes(fitted: Fitted) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, allow_pickle=False, **fitted.arrays)
    return buffer.getvalue()


@dataclass(frozen=True)
class Report:
    """What training did for one scope (``office`` None: national)."""

    office: Office | None
    cases: int
    held_back: int
    accuracy: dict[str, Any]
    stored: TriageModel | None
    reason: str = ""  # why nothing was stored


def _names(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    return dict(Institution.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}


def train(*, office: Office | None = None, holdout: float = HOLDOUT, actor: Any = "system:triage",
          progress: Callable[[str], None] | None = None) -> list[Report]:
    """Train and store the models: only ``office``'s when given, else the national one and every office's
    with enough history. A scope without enough history stores nothing and keeps its working model."""
    if not 0 < holdout < 1:
        raise ValueError("holdout")
    by_office = decided_cases()
    scopes: list[Office | None]
    if office is not None:
        scopes = [office]
    else:
        offices = {o.pk: o for o in Office.objects.filter(pk__in=[k for k in by_office if k is not None])}
        scopes = [None, *sorted(offices.values(), key=lambda o: (o.code or o.name))]
    names = _names(by_office[None].institutions)
    reports = []
    for scope in scopes:
        data = by_office.get(scope.pk if scope else None) or Decided([], [], [], [])
        minimum = OFFICE_MINIMUM if scope is not None else MIN_CASES
        if progress:
            progress(scope.code or scope.name if scope else "nasional")
        if len(data) < minimum:
            reports.append(Report(scope, len(data), 0, {}, None, "not_enough"))
            continue
        accuracy = evaluate(data, holdout, names)
        fitted = fit(data, names) if accuracy else None
        if fitted is None:
            reports.append(Report(scope, len(data), 0, {}, None, "one_substance"))
            continue
        stored = store(scope, fitted, len(data), accuracy, actor)
        reports.append(Report(scope, len(data), int(accuracy["held_back"]), accuracy, stored))
    return reports


@transaction.atomic
def store(office: Office | None, fitted: Fitted, cases: int, accuracy: dict[str, Any], actor: Any) -> TriageModel:
    """A new version for ``office`` (audited); versions older than the newest ``KEEP`` go."""
    same = TriageModel.objects.filter(office=office) if office else TriageModel.objects.filter(office__isnull=True)
    version = int(same.aggregate(v=Max("version"))["v"] or 0) + 1
    row = TriageModel.objects.create(office=office, version=version, trained_at=timezone.now(), cases=cases,
                                     held_back=int(accuracy.get("held_back", 0)), accuracy=accuracy,
                                     data=to_bytes(fitted))
    old = list(same.order_by("-version").values_list("pk", flat=True)[KEEP:])
    if old:
        TriageModel.objects.filter(pk__in=old).delete()
    audit.record(actor=actor, event_type=EVENT_TYPE, obj=row,
                 after={"office": office.pk if office else None, "version": version, "cases": cases,
                        "targets": fitted.targets, "accuracy": _brief(accuracy), "removed_versions": len(old)})
    return row


def _brief(accuracy: dict[str, Any]) -> dict[str, float]:
    out = {}
    for target, key in (("substance", "top1"), ("substance", "top3"), ("forms", "micro_f1"), ("institution", "top1")):
        if target in accuracy:
            out[f"{target}_{key}"] = round(float(accuracy[target][key]), 4)
    return out


# --- loading and prediction ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Guess:
    label: str  # a substance, a form code, an institution id
    name: str  # what the page shows
    confidence: float  # 0..1

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


@dataclass(frozen=True)
class Prediction:
    substances: list[Guess]  # best first, all of them
    forms: list[Guess]  # every known form, most likely first
    institution: Guess | None


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    out: np.ndarray = e / e.sum()
    return out


class Loaded:
    """A stored model in memory: its arrays, checked."""

    def __init__(self, index: dict[str, int], idf: np.ndarray, weights: dict[str, np.ndarray],
                 bias: dict[str, np.ndarray], labels: dict[str, list[str]], names: dict[str, list[str]]) -> None:
        self.index, self.idf, self.weights, self.bias = index, idf, weights, bias
        self.labels, self.names = labels, names

    @classmethod
    def from_bytes(cls, blob: bytes | memoryview) -> Loaded:
        try:
            with np.load(io.BytesIO(bytes(blob)), allow_pickle=False) as archive:
                arrays = {name: archive[name] for name in archive.files}
        except (ValueError, OSError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise TriageError(f"model tidak dapat dibaca: {type(exc).__name__}") from None
        return cls.from_arrays(arrays)

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Loaded:
        def get(name: str, kind: str, dims: int) -> np.ndarray:
            value = arrays.get(name)
            if value is None or value.dtype.kind != kind or value.ndim != dims:
                raise TriageError(f"model rusak: {name}")
            return value

        vocabulary = get("terms", "U", 1)
        idf = get("idf", "f", 1).astype(np.float32)
        if idf.shape[0] != vocabulary.shape[0] or not np.all(np.isfinite(idf)):
            raise TriageError("model rusak: idf")
        weights, bias, labels, names = {}, {}, {}, {}
        for target in TARGETS:
            if f"{target}_weights" not in arrays:
                continue
            w, b = get(f"{target}_weights", "f", 2).astype(np.float32), get(f"{target}_bias", "f", 1).astype(np.float32)
            raw = get(f"{target}_labels", "i" if target == "institution" else "U", 1)
            if w.shape != (raw.shape[0], vocabulary.shape[0]) or b.shape != raw.shape or not np.all(np.isfinite(w)):
                raise TriageError(f"model rusak: {target}")
            weights[target], bias[target], labels[target] = w, b, [str(v) for v in raw.tolist()]
            if target == "institution":
                shown = get("institution_names", "U", 1)
                if shown.shape != raw.shape:
                    raise TriageError("model rusak: institution_names")
                names[target] = [str(v) for v in shown.tolist()]
            elif target == "forms":
                names[target] = [_form_name(v) for v in labels[target]]
            else:
                names[target] = labels[target]
        if "substance" not in weights:
            raise TriageError("model rusak: substance")
        return cls({str(t): k for k, t in enumerate(vocabulary.tolist())}, idf, weights, bias, labels, names)

    def vector(self, doc: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """The TF-IDF vector of ``doc`` as (term indexes, values): sublinear tf, idf, L2 norm (as fitted)."""
        counts = Counter(self.index[t] for t in doc if t in self.index)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(n) for n in counts.values()), dtype=np.float32, count=len(counts))
        values = tf * self.idf[cols]
        values /= np.float32(np.linalg.norm(values)) or np.float32(1.0)
        return cols, values

    def _scores(self, target: str, cols: np.ndarray, values: np.ndarray) -> np.ndarray:
        out: np.ndarray = self.weights[target][:, cols] @ values + self.bias[target]
        return out

    def predict_terms(self, doc: Iterable[str]) -> Prediction:
        cols, values = self.vector(doc)

        def ranked(target: str, probabilities: np.ndarray) -> list[Guess]:
            order = np.argsort(-probabilities, kind="stable")
            return [Guess(self.labels[target][k], self.names[target][k], float(probabilities[k])) for k in order]

        substances = ranked("substance", _softmax(self._scores("substance", cols, values)))
        forms = ranked("forms", 1.0 / (1.0 + np.exp(-self._scores("forms", cols, values)))) \
            if "forms" in self.weights else []
        institution = ranked("institution", _softmax(self._scores("institution", cols, values)))[0] \
            if "institution" in self.weights else None
        return Prediction(substances, forms, institution)

    def predict(self, title: str, summary: str) -> Prediction:
        return self.predict_terms(terms(title, summary))


def _form_name(code: str) -> str:
    try:
        return MALADMINISTRATION_LABELS[Maladministration(code)]
    except ValueError:
        return code


@dataclass(frozen=True)
class Stored:
    """The stored model's facts the page shows beside a suggestion, and the model itself."""

    pk: int
    office_id: int | None
    version: int
    trained_at: Any
    cases: int
    held_back: int
    accuracy: dict[str, Any]
    model: Loaded

    @property
    def national(self) -> bool:
        return self.office_id is None


# office id → (the model chosen for it or None, when the newest ids were last read: time.monotonic())
_chosen: dict[int, tuple[Stored | None, float]] = {}
_by_pk: dict[int, Stored] = {}


def forget() -> None:
    """Read the stored models again on next use (tests; after training in this process)."""
    _chosen.clear()
    _by_pk.clear()


def model_for(office_id: int) -> Stored | None:
    """The model serving ``office_id``: its own newest, else the newest national one, else None. One small
    query at most every ``RECHECK_SECONDS``; the archive is read once per model and process. A model that
    cannot be read safely serves nothing (logged by id, never its content)."""
    now = time.monotonic()
    cached = _chosen.get(office_id)
    if cached is not None and now - cached[1] < RECHECK_SECONDS:
        return cached[0]
    rows = list(TriageModel.objects.filter(Q(office_id=office_id) | Q(office__isnull=True))
                .order_by("-version", "-pk")
                .values_list("pk", "office_id", "version", "trained_at", "cases", "held_back", "accuracy"))
    own = [r for r in rows if r[1] == office_id]
    national = [r for r in rows if r[1] is None]
    row = own[0] if own else (national[0] if national else None)
    chosen: Stored | None = None
    if row is not None:
        chosen = _by_pk.get(row[0])
        if chosen is None:
            chosen = _load(row)
    _chosen[office_id] = (chosen, now)
    in_use = {s.pk for s, _t in list(_chosen.values()) if s is not None}
    for pk in [pk for pk in list(_by_pk) if pk not in in_use]:
        _by_pk.pop(pk, None)
    return chosen


def _load(row: tuple[Any, ...]) -> Stored | None:
    import logging

    blob = TriageModel.objects.filter(pk=row[0]).values_list("data", flat=True).first()
    if blob is None:
        return None
    try:
        model = Loaded.from_bytes(blob)
    except TriageError as exc:
        logging.getLogger(__name__).warning("triage model %s refused: %s", row[0], exc)
        return None
    stored = Stored(row[0], row[1], row[2], row[3], row[4], row[5], row[6] or {}, model)
    _by_pk[stored.pk] = stored
    return stored


@dataclass(frozen=True)
class Suggestion:
    stored: Stored
    prediction: Prediction

    @property
    def substances(self) -> list[Guess]:
        return self.prediction.substances[:SHOWN_SUBSTANCES]

    @property
    def forms(self) -> list[Guess]:
        """The forms at or above ``FORM_THRESHOLD``; else the likeliest one, so the officer sees how unsure."""
        sure = [g for g in self.prediction.forms if g.confidence >= FORM_THRESHOLD]
        return sure or self.prediction.forms[:1]

    @property
    def institution(self) -> Guess | None:
        """The likeliest institution when at least ``INSTITUTION_MIN_CONFIDENCE`` sure."""
        guess = self.prediction.institution
        return guess if guess is not None and guess.confidence >= INSTITUTION_MIN_CONFIDENCE else None

    @property
    def form_codes(self) -> list[str]:
        return [g.label for g in self.prediction.forms if g.confidence >= FORM_THRESHOLD]


def suggest(case: Case) -> Suggestion | None:
    """The suggestion for ``case`` (None: no model serves its office yet)."""
    if case.office_id is None:
        return None
    stored = model_for(case.office_id)
    if stored is None:
        return None
    return Suggestion(stored, stored.model.predict(case.title, case.public_summary))
