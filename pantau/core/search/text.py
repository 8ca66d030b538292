"""Indonesian text as the search sees it: the same steps for a document and for a query.

1. fold: ``pantau.core.text.fold_key`` (case, accents, lookalike letters), then words of letters
   and digits (``e-KTP`` is ``e ktp``, ``KTP-el`` is ``ktp el``);
2. spelling: variants become the one spelling (``akte`` → ``akta``, ``ijin`` → ``izin``, ``kab`` →
   ``kabupaten``), from ``words_id.toml``;
3. synonyms: a phrase of a group (``kartu keluarga``, ``kk``) gives the group's key (``synkk``). A
   document keeps its words and gains the keys; a query's phrase is replaced by its keys;
4. stopwords go (``dan``, ``di``, ``yang``), then PySastrawi stems each remaining word
   (``kelahiran`` → ``lahir``), once per word per process (a cache).

Pure functions over ``str``; no database. The stemmer is created once per process.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pantau.core.text import fold_key

DATA = Path(__file__).with_name("words_id.toml")
KEY_PREFIX = "syn"  # synonym keys are words no document contains: "synkk", "synpbg"
KIND_PREFIX = "zk"  # kind markers ("zkproduct"): no Indonesian word starts with "zk" (see ``kind_marker``)
MAX_QUERY_WORDS = 12
_WORD = re.compile(r"[a-z0-9]+")
_STEM_CACHE_SIZE = 200_000


@dataclass(frozen=True)
class Words:
    spelling: dict[str, tuple[str, ...]]
    groups: dict[str, tuple[tuple[str, ...], ...]]  # key → phrases (word tuples)
    phrases: dict[tuple[str, ...], tuple[str, ...]]  # phrase → keys
    starts: frozenset[str]  # the first words of the phrases
    longest: int
    stopwords: frozenset[str]
    known: frozenset[str]  # every word of the data file (for typo candidates)


@functools.cache
def words() -> Words:
    data: dict[str, Any] = tomllib.loads(DATA.read_text(encoding="utf-8"))
    spelling = {fold_key(k): tuple(_WORD.findall(fold_key(v))) for k, v in data.get("spelling", {}).items()}
    groups: dict[str, tuple[tuple[str, ...], ...]] = {}
    phrases: dict[tuple[str, ...], list[str]] = {}
    for name, variants in data.get("synonyms", {}).items():
        key = KEY_PREFIX + fold_key(name)
        group = []
        for variant in variants:
            phrase = _spelled(tuple(_WORD.findall(fold_key(variant))), spelling)
            group.append(phrase)
            phrases.setdefault(phrase, []).append(key)
        groups[key] = tuple(group)
    stopwords = frozenset(fold_key(w) for w in data.get("stopwords", {}).get("words", []))
    known = {w for phrase in phrases for w in phrase} | set(spelling) | {w for v in spelling.values() for w in v}
    return Words(spelling, groups, {p: tuple(k) for p, k in phrases.items()}, frozenset(p[0] for p in phrases if p),
                 max((len(p) for p in phrases), default=1), stopwords, frozenset(known))


def _spelled(tokens: Iterable[str], spelling: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    for token in tokens:
        out.extend(spelling.get(token, (token,)))
    return tuple(out)


def fold(value: str) -> str:
    """``fold_key``, with a fast path for plain ASCII text (most of it: no accents, no lookalikes)."""
    return value.lower() if value.isascii() else fold_key(value)


def tokens(value: str) -> tuple[str, ...]:
    """Steps 1–2: the folded, respelled words of ``value``."""
    return _spelled(_WORD.findall(fold(value or "")), words().spelling)


@functools.cache
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@functools.lru_cache(maxsize=_STEM_CACHE_SIZE)
def stem(word: str) -> str:
    """PySastrawi's stem of one folded word; short words, numbers and codes stay as they are."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return str(_stemmer().stem(word)) or word


def _keys_in(toks: tuple[str, ...]) -> list[str]:
    """Every synonym key of every phrase found anywhere in ``toks``."""
    w = words()
    found: list[str] = []
    for start in range(len(toks)):
        if toks[start] not in w.starts:
            continue
        for size in range(1, min(w.longest, len(toks) - start) + 1):
            found.extend(w.phrases.get(toks[start:start + size], ()))
    return found


def _stems(toks: Iterable[str]) -> list[str]:
    stop = words().stopwords
    return [stem(t) for t in toks if t not in stop]


@functools.lru_cache(maxsize=50_000)
def analyse(value: str) -> tuple[str, frozenset[str]]:
    """A document's text as (its indexed terms: stems and the keys of its phrases, space-separated;
    its words worth proposing in a "did you mean": letters only, 3–40 long). Cached: unit and
    institution names repeat across thousands of products."""
    toks = tokens(value)
    stop = words().stopwords
    surface = frozenset(t for t in toks if 3 <= len(t) <= 40 and t.isalpha() and t not in stop)
    return " ".join(dict.fromkeys([*_stems(toks), *_keys_in(toks)])), surface


def document_terms(value: str) -> str:
    return analyse(value)[0]


def surface_words(value: str) -> frozenset[str]:
    return analyse(value)[1]


@dataclass(frozen=True)
class Query:
    """A query as terms: every term must match (a stem or a synonym key)."""

    words: tuple[str, ...]  # the folded, respelled words, in order (for corrections)
    terms: tuple[str, ...]
    free: tuple[str, ...]  # words outside any synonym phrase, not stopwords: those a typo may hide in

    def __bool__(self) -> bool:
        return bool(self.terms)


def query(value: str) -> Query:
    """Steps 1–4 for a query: the longest synonym phrase at each position becomes its keys."""
    w = words()
    toks = tokens(value)[:MAX_QUERY_WORDS]
    terms: list[str] = []
    free: list[str] = []
    i = 0
    while i < len(toks):
        for size in range(min(w.longest, len(toks) - i), 0, -1):
            keys = w.phrases.get(toks[i:i + size])
            if keys:
                terms.extend(keys)
                i += size
                break
        else:
            if toks[i] not in w.stopwords:
                terms.append(stem(toks[i]))
                free.append(toks[i])
            i += 1
    return Query(toks, tuple(dict.fromkeys(terms)), tuple(free))


@functools.lru_cache(maxsize=64)
def kind_marker(kind: str) -> str:
    """The term every document of ``kind`` has in its body (``index.document``), so that the
    full-text engine itself keeps the kind: a query ANDs it with its terms (``backend.match_text``)
    and walks the kind's short posting list instead of every document with a common word. Letters
    and digits only, like every term ("test.thing" → "zktestthing"). Never a word people see: the
    vocabulary and "did you mean" take surface words (``surface_words``), not terms."""
    return KIND_PREFIX + "".join(_WORD.findall(fold(kind)))


def distance(a: str, b: str, limit: int = 3) -> int:
    """Edit distance with transpositions (optimal string alignment); ``limit`` when it exceeds it."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) >= limit:
            return limit
        previous2, previous = previous, row
    return min(previous[-1], limit)


def allowed_typos(word: str) -> int:
    """How many edits a word may be away from what was meant: none under 4 letters, 1 up to 5, else 2."""
    return 0 if len(word) < 4 else 1 if len(word) <= 5 else 2
