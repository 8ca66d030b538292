"""core is the bottom layer: it imports nothing of Pantau but itself and ``pantau.reports`` (ADR 0009).

``pantau.reports`` (the formula-safe XLSX/CSV cells, PDF and QR writers) is a leaf beside core:
it imports nothing of Pantau but core, so core may use its writers (the audit CSV) without
reaching up into a domain module."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]
PANTAU = CORE.parent


LEAVES = ("core", "reports")


def modules_of(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "tests" not in p.relative_to(root).parts)


def core_modules() -> list[Path]:
    return modules_of(CORE)


def imported_names(source: str, package: str) -> set[tuple[int, str]]:
    """Every module an import statement names, anywhere in the module (``from a import b`` names
    ``a`` and ``a.b``), with relative imports resolved against ``package``."""
    names: set[tuple[int, str]] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {(node.lineno, alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *([base] if base else [])])
            names |= {(node.lineno, base)} | {(node.lineno, f"{base}.{alias.name}") for alias in node.names}
    return names


def outside_core(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "pantau" and len(parts) > 1 and parts[1] not in LEAVES


def test_core_imports_no_other_pantau_module() -> None:
    offending = []
    for path in core_modules() + modules_of(PANTAU / "reports"):
        package = ".".join(("pantau", *path.parent.relative_to(PANTAU).parts))
        offending += sorted(f"{path.relative_to(PANTAU.parent)}:{line} imports {name}"
                            for line, name in imported_names(path.read_text(encoding="utf-8"), package)
                            if outside_core(name))
    assert offending == []


def test_the_layer_check_sees_absolute_relative_and_nested_imports() -> None:
    source = ("import pantau.registry.models\n"
              "from pantau import accounts\n"
              "from .... import surveys\n"
              "from ... import hooks\n"
              "def f():\n    from pantau.complaints.models import Complaint\n")
    found = {name for _line, name in imported_names(source, "pantau.core.management.commands")
             if outside_core(name)}
    assert found == {"pantau.registry.models", "pantau.accounts", "pantau.surveys",
                     "pantau.complaints.models", "pantau.complaints.models.Complaint"}
