"""XLSForm expressions: parsed without eval, evaluated as ODK does, anything else refused by name."""

from __future__ import annotations

from typing import Any

import pytest

from pantau.surveys.expressions import MAX_CHARS, ExpressionError, compile_expression


@pytest.mark.parametrize("text, answers, current, expected", [
    # precedence: * before +, = after arithmetic, and before or
    ("1 + 2 * 3 = 7", {}, None, True),
    ("(1 + 2) * 3 = 9", {}, None, True),
    ("1 = 1 or 1 = 2 and 1 = 2", {}, None, True),
    ("(1 = 1 or 1 = 2) and 1 = 2", {}, None, False),
    ("10 - 2 - 3 = 5", {}, None, True),  # left to right
    ("-2 * -3 = 6", {}, None, True),
    ("7 div 2 = 3.5 and 7 mod 3 = 1 and -7 mod 3 = -1", {}, None, True),
    ("1 div 0 > 1000", {}, None, True),  # no exception: infinity, as XPath
    ("0 div 0 = 0 div 0", {}, None, False),  # NaN equals nothing
    ("not(1 = 2)", {}, None, True),
    ("true() and not(false())", {}, None, True),
    # the current value and constraints
    (". >= 17 and . <= 100", {}, 20, True),
    (". >= 17 and . <= 100", {}, "16", False),
    (". >= 17 and . <= 100", {}, None, False),  # unanswered is not a number
    (". <= 150", {}, "abc", False),
    # references: numbers compared as numbers, text as text, unanswered is ''
    ("${pekerjaan} = 'lainnya'", {"pekerjaan": "lainnya"}, None, True),
    ("${pekerjaan} = 'lainnya'", {"pekerjaan": "PNS"}, None, False),
    ("${pekerjaan} != 'lainnya'", {}, None, True),
    ("${pekerjaan} = ''", {}, None, True),
    ("${usia} = '10'", {"usia": "10.0"}, None, True),  # both look like numbers
    ("${a} < ${b}", {"a": "9", "b": "10"}, None, True),  # not "9" < "10" as text
    ("${a} = 3", {"a": 3}, None, True),
    ("${a} > 0", {}, None, False),
    ("${a} + 1 = 3", {"a": "2"}, None, True),
    ("${a}", {"a": ""}, None, False),
    ("${a}", {"a": "x"}, None, True),
    # select_multiple: space-separated, or a list
    ("selected(${m}, 'b')", {"m": "a b"}, None, True),
    ("selected(${m}, 'c')", {"m": ["a", "b"]}, None, False),
    ("selected(${m}, 'a')", {}, None, False),
    ("count-selected(${m}) = 2", {"m": ("a", "b")}, None, True),
    ("count-selected(${m}) = 0", {}, None, True),
    ("string-length(.) = 5", {}, "halo!", True),
    ("string-length(.) = 0", {}, None, True),
    ("string-length(.) = 2", {}, 12, True),
    # regex: a match anywhere unless anchored; text past the bound never matches
    ("regex(., '^[0-9]{16}$')", {}, "3201234567890123", True),
    ("regex(., '^[0-9]{16}$')", {}, "32012345", False),
    ("regex(., '[0-9]')", {}, "ab3", True),
    ("regex(., 'a')", {}, "b" * 300 + "a", False),
    ('regex(., "^08")', {}, "0812", True),
])
def test_evaluation(text: str, answers: dict[str, Any], current: Any, expected: bool) -> None:
    assert compile_expression(text).evaluate(answers, current) is expected


def test_references_and_known_names() -> None:
    expression = compile_expression("selected(${m}, 'x') or ${usia} > 17 and ${m} != ''", {"m", "usia", "lain"})
    assert expression.references == {"m", "usia"}
    assert compile_expression(". > 1").references == set()


@pytest.mark.parametrize("text, message", [
    ("__import__('os')", "fungsi tidak dikenal atau tidak didukung: __import__()"),
    ("eval('1')", "fungsi tidak dikenal atau tidak didukung: eval()"),
    ("open('/etc/passwd')", "fungsi tidak dikenal"),
    ("${a} = 1 or system('ls')", "fungsi tidak dikenal atau tidak didukung: system()"),
    ("${a}.__class__", "karakter tidak dikenal"),
    ("${a}; import os", "karakter tidak dikenal ';'"),
    ("lambda: 1", "karakter tidak dikenal ':'"),
    ("a[0]", "karakter tidak dikenal '['"),
    ("a = 1", "nama tanpa ${…} tidak didukung: 'a' (tulis ${a})"),
    ("${x} = 1", "isian tidak dikenal: ${x}"),
    ("${__import__} = 1", "isian tidak dikenal: ${__import__}"),
    ("${a b} = 1", "nama isian tidak sah: ${a b}"),
    ("1 +", "tidak diharapkan: 'akhir ekspresi'"),
    ("(1 = 1", "diharapkan ')'"),
    ("1 = 1)", "tidak diharapkan: ')'"),
    ("${a} = 'x", "teks tidak ditutup"),
    ("not(1, 2)", "not() memerlukan 1 argumen, bukan 2"),
    ("regex(., ${a})", "pola regex() harus berupa teks"),
    ("regex(., '(a+)+$')", "pengulangan bersarang"),
    ("regex(., '(a|aa)*b')", "pengulangan bersarang"),
    ("regex(., 'a*a*a*a*b')", "pengulangan bersarang"),
    ("regex(., '[')", "pola regex() tidak sah"),
    ("", "ekspresi kosong"),
    ("1 = " + "1" * MAX_CHARS, "terlalu panjang"),
    ("(" * 40 + "1" + ")" * 40, "terlalu bersarang"),
    ("- " * 40 + "1", "terlalu bersarang"),
    ("1" + " + 1" * 121, "terlalu rumit"),
    ("${a} AND ${a}", "operator tidak dikenal: 'AND'"),
    ("..", "karakter tidak dikenal"),
])
def test_refused_with_a_readable_reason(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(text, {"a"})
    assert message in caught.value.message and str(caught.value) == caught.value.message


def test_a_long_but_flat_expression_is_fine() -> None:
    text = " or ".join(f"${{a}} = {i}" for i in range(60))
    assert compile_expression(text, {"a"}).evaluate({"a": "59"}) is True
