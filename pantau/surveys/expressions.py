"""The XLSForm / ODK expressions of ``relevant`` and ``constraint``, parsed and evaluated without
``eval``. Pure: no Django.

Supported: ``${name}``, ``.`` (the current answer), 'text' and "text", numbers, ``= != < <= > >=``,
``and``, ``or``, ``not(…)``, parentheses, ``+ - * div mod``, unary minus, ``selected(a, 'x')``,
``count-selected(a)``, ``string-length(a)``, ``regex(a, 'pattern')``, ``true()``, ``false()``.
Anything else (another function, a bare name, a path) is refused with an ``ExpressionError`` that
says what is wrong, in Indonesian (a ``messages.Message``, translatable where it is shown).

Values follow XPath 1.0 as ODK uses it: an unanswered question is the empty string; a
select_multiple answer is its values separated by spaces (a list or tuple in ``answers`` is joined
so); ``=`` and ``!=`` compare numbers when either side is a number or both sides look like numbers,
else text; ``<``, ``<=``, ``>``, ``>=`` compare numbers (false when a side is not a number).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pantau.surveys.messages import gettext_noop

MAX_CHARS = 1000
MAX_NESTING = 30  # parentheses, calls and signs inside each other
MAX_DEPTH = 120  # operators applied to the results of others (a or b or c …)
MAX_PATTERN_CHARS = 200
MAX_SUBJECT_CHARS = 200  # text longer than this never matches a regex (bounds its running time)
MAX_REPEATS = 3  # quantifiers (* + {…}) in one regex pattern
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<current>\.(?![.\w]))
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
""", re.VERBOSE)
_WORD_OPERATORS = ("and", "or", "div", "mod")
# name: (least, most) arguments
FUNCTIONS = {"not": (1, 1), "selected": (2, 2), "count-selected": (1, 1), "string-length": (1, 1),
             "regex": (2, 2), "true": (0, 0), "false": (0, 0)}
Value = str | float | bool


class ExpressionError(ValueError):
    """An expression that cannot be used (the message says why, in Indonesian)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Literal:
    value: Value
    depth: int = 1


@dataclass(frozen=True)
class Ref:
    name: str
    depth: int = 1


@dataclass(frozen=True)
class Current:
    depth: int = 1


@dataclass(frozen=True)
class Negate:
    operand: Node
    depth: int


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node
    depth: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]
    depth: int
    pattern: re.Pattern[str] | None = None


Node = Literal | Ref | Current | Negate | Binary | Call


def _depth(*nodes: Node) -> int:
    depth = 1 + max((n.depth for n in nodes), default=0)
    if depth > MAX_DEPTH:
        raise ExpressionError(gettext_noop("ekspresi terlalu rumit (paling banyak %(most)s operasi bertingkat)",
                                           most=MAX_DEPTH))
    return depth


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            if text[pos] in "'\"":
                raise ExpressionError(gettext_noop("teks tidak ditutup tanda kutip: %(text)s", text=text[pos:pos + 20]))
            raise ExpressionError(gettext_noop("karakter tidak dikenal %(char)s pada posisi %(position)s",
                                               char=repr(text[pos]), position=pos + 1))
        kind = match.lastgroup or ""
        if kind == "refname":
            kind = "ref"
        if kind != "space":
            value = match.group("refname") if kind == "ref" else match.group()
            out.append((kind, value))
        pos = match.end()
    return out


def _risky_pattern(pattern: str) -> bool:
    """Whether a quantified group holds a quantifier or an alternative (``(a+)+``, ``(a|a)*``), or
    the pattern has more than ``MAX_REPEATS`` quantifiers: the patterns whose matching time can
    grow exponentially or as a high power of the text's length."""
    stack: list[bool] = []
    repeats = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            end = pattern.find("]", i + 2)
            i = len(pattern) if end < 0 else end + 1
            continue
        if char == "(":
            stack.append(False)
        elif char == ")" and stack:
            inner = stack.pop()
            if inner and pattern[i + 1:i + 2] in ("*", "+", "{"):
                return True
            if stack:
                stack[-1] = stack[-1] or inner
        if char in "*+{":
            repeats += 1
        if char in "*+{|" and stack:
            stack[-1] = True
        i += 1
    return repeats > MAX_REPEATS


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], known: set[str] | None) -> None:
        self.tokens, self.pos, self.known = tokens, 0, known
        self.references: set[str] = set()
        self.nesting = 0

    def enter(self) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ExpressionError(gettext_noop("ekspresi terlalu bersarang (paling banyak %(most)s tingkat kurung)",
                                               most=MAX_NESTING))

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.pos += 1
        return token

    def expect(self, value: str) -> None:
        kind, got = self.take()
        if got != value or kind not in ("op", "word"):
            if not got:
                raise ExpressionError(gettext_noop("diharapkan %(expected)s, bukan 'akhir ekspresi'",
                                                   expected=repr(value)))
            raise ExpressionError(gettext_noop("diharapkan %(expected)s, bukan %(got)s", expected=repr(value),
                                               got=repr(got)))

    def binary(self, level: int) -> Node:
        levels = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))
        if level == len(levels):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            kind, value = self.peek()
            if kind not in ("op", "word") or value not in levels[level]:
                return left
            self.take()
            right = self.binary(level + 1)
            left = Binary(value, left, right, _depth(left, right))

    def unary(self) -> Node:
        if self.peek() == ("op", "-"):
            self.take()
            self.enter()
            operand = self.unary()
            self.nesting -= 1
            return Negate(operand, _depth(operand))
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "number":
            return Literal(float(value))
        if kind == "string":
            return Literal(value[1:-1])
        if kind == "current":
            return Current()
        if kind == "ref":
            if not NAME.fullmatch(value):
                raise ExpressionError(gettext_noop("nama isian tidak sah: ${%(name)s}", name=value))
            if self.known is not None and value not in self.known:
                raise ExpressionError(gettext_noop("isian tidak dikenal: ${%(name)s}", name=value))
            self.references.add(value)
            return Ref(value)
        if kind == "op" and value == "(":
            self.enter()
            inner = self.binary(0)
            self.expect(")")
            self.nesting -= 1
            return inner
        if kind == "word" and value not in _WORD_OPERATORS:
            if self.peek() != ("op", "("):
                raise ExpressionError(gettext_noop("nama tanpa ${…} tidak didukung: %(word)s (tulis ${%(name)s})",
                                                   word=repr(value), name=value))
            return self.call(value)
        if not value:
            raise ExpressionError(gettext_noop("tidak diharapkan: 'akhir ekspresi'"))
        raise ExpressionError(gettext_noop("tidak diharapkan: %(token)s", token=repr(value)))

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError(gettext_noop("fungsi tidak dikenal atau tidak didukung: %(name)s() "
                                               "(yang didukung: %(supported)s)",
                                               name=name, supported=", ".join(f + "()" for f in FUNCTIONS)))
        self.expect("(")
        self.enter()
        args: list[Node] = []
        if self.peek() != ("op", ")"):
            args.append(self.binary(0))
            while self.peek() == ("op", ","):
                self.take()
                args.append(self.binary(0))
        self.expect(")")
        self.nesting -= 1
        least, most = FUNCTIONS[name]
        if not least <= len(args) <= most:
            raise ExpressionError(gettext_noop("%(name)s() memerlukan %(least)s argumen, bukan %(given)s", name=name,
                                               least=least, given=len(args)))
        pattern = None
        if name == "regex":
            pattern = self.pattern(args[1])
        return Call(name, tuple(args), _depth(*args) if args else 1, pattern)

    @staticmethod
    def pattern(node: Node) -> re.Pattern[str]:
        if not isinstance(node, Literal) or not isinstance(node.value, str):
            raise ExpressionError(gettext_noop("pola regex() harus berupa teks dalam tanda kutip"))
        if len(node.value) > MAX_PATTERN_CHARS:
            raise ExpressionError(gettext_noop("pola regex() terlalu panjang (paling banyak %(most)s karakter)",
                                               most=MAX_PATTERN_CHARS))
        if _risky_pattern(node.value):
            raise ExpressionError(gettext_noop("pola regex() dengan pengulangan bersarang tidak didukung, mis. (a+)+"))
        try:
            return re.compile(node.value)
        except re.error as exc:
            raise ExpressionError(gettext_noop("pola regex() tidak sah: %(error)s", error=str(exc))) from None


@dataclass(frozen=True)
class Expression:
    text: str
    tree: Node
    names: frozenset[str]

    @property
    def references(self) -> set[str]:
        """The names referred to as ``${name}``."""
        return set(self.names)

    def evaluate(self, answers: Mapping[str, Any], current: Any = None) -> bool:
        """The expression's truth for these answers (``current``: the value of ``.``)."""
        return _boolean(_evaluate(self.tree, answers, current))


def compile_expression(text: str, known_names: set[str] | None = None) -> Expression:
    """Parse ``text``; with ``known_names``, every ``${name}`` must be one of them."""
    if not isinstance(text, str):
        raise ExpressionError(gettext_noop("ekspresi harus berupa teks"))
    if len(text) > MAX_CHARS:
        raise ExpressionError(gettext_noop("ekspresi terlalu panjang (paling banyak %(most)s karakter)",
                                           most=MAX_CHARS))
    tokens = _tokens(text)
    if not tokens:
        raise ExpressionError(gettext_noop("ekspresi kosong"))
    parser = _Parser(tokens, known_names)
    tree = parser.binary(0)
    if parser.pos < len(tokens):
        kind, value = tokens[parser.pos]
        if kind == "word":
            raise ExpressionError(gettext_noop("operator tidak dikenal: %(word)s (ditulis kecil: and, or, div, mod)",
                                               word=repr(value)))
        raise ExpressionError(gettext_noop("tidak diharapkan: %(token)s", token=repr(value)))
    return Expression(text, tree, frozenset(parser.references))


# Evaluation.

def _value(raw: Any) -> Value:
    if raw is None:
        return ""
    if isinstance(raw, bool | str | float):
        return raw
    if isinstance(raw, int | Decimal):
        return float(raw)
    if isinstance(raw, list | tuple | set | frozenset):
        return " ".join(str(v) for v in raw)
    return str(raw)


def _number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = value.strip()
    if not re.fullmatch(r"-?(?:\d+(?:\.\d*)?|\.\d+)", text):
        return math.nan
    return float(text)


def _string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() else repr(value)
    return value


def _boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value != ""


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return _boolean(left) == _boolean(right)
    if isinstance(left, float) or isinstance(right, float):
        return _number(left) == _number(right)
    a, b = _number(left), _number(right)
    if not math.isnan(a) and not math.isnan(b):
        return a == b
    return left == right


def _arithmetic(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0 or math.isnan(b):
        if op == "mod" or math.isnan(a) or a == 0 or math.isnan(b):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b if op == "div" else math.fmod(a, b)


def _evaluate(node: Node, answers: Mapping[str, Any], current: Any) -> Value:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        return _value(answers.get(node.name))
    if isinstance(node, Current):
        return _value(current)
    if isinstance(node, Negate):
        return -_number(_evaluate(node.operand, answers, current))
    if isinstance(node, Binary):
        op = node.op
        left = _evaluate(node.left, answers, current)
        if op == "or":
            return _boolean(left) or _boolean(_evaluate(node.right, answers, current))
        if op == "and":
            return _boolean(left) and _boolean(_evaluate(node.right, answers, current))
        right = _evaluate(node.right, answers, current)
        if op == "=":
            return _equal(left, right)
        if op == "!=":
            return not _equal(left, right)
        a, b = _number(left), _number(right)
        if op in ("<", "<=", ">", ">="):
            if math.isnan(a) or math.isnan(b):
                return False
            return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
        return _arithmetic(op, a, b)
    return _call(node, answers, current)


def _call(node: Call, answers: Mapping[str, Any], current: Any) -> Value:
    args = [_evaluate(a, answers, current) for a in node.args]
    if node.name == "true":
        return True
    if node.name == "false":
        return False
    if node.name == "not":
        return not _boolean(args[0])
    if node.name == "selected":
        return _string(args[1]).strip() in _string(args[0]).split()
    if node.name == "count-selected":
        return float(len(_string(args[0]).split()))
    if node.name == "string-length":
        return float(len(_string(args[0])))
    subject = _string(args[0])
    assert node.pattern is not None
    return len(subject) <= MAX_SUBJECT_CHARS and node.pattern.search(subject) is not None
