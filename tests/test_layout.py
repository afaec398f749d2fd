"""The package's shape: imports run one way (no cycles), nothing reaches into another module's private
names, no SPARQL text lives in Python, and every module has a test file that mirrors it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rightsgraph"
TESTS = Path(__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(current: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    is_package = MODULES[current].name == "__init__.py"
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(name: str) -> tuple[set[str], list[tuple[int, str]], dict[str, str]]:
    """The package modules ``name`` imports (at any depth of its code), its private imports, and its aliases."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    targets: set[str] = set()
    private: list[tuple[int, str]] = []
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("rightsgraph"):
                    targets.add(a.name)
                    aliases[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom):
            origin = _resolve(name, node)
            if not origin.startswith("rightsgraph"):
                continue
            for a in node.names:
                sub = f"{origin}.{a.name}"
                if sub in MODULES:
                    targets.add(sub)
                    aliases[a.asname or a.name] = sub
                else:
                    targets.add(origin)
                    if a.name.startswith("_") and not a.name.startswith("__") and origin != name:
                        private.append((node.lineno, f"{origin}.{a.name}"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            private.append((node.lineno, f"{aliases[node.value.id]}.{node.attr}"))
    return {t for t in targets if t in MODULES and t != name}, private, aliases


def graph() -> dict[str, set[str]]:
    return {name: imports_of(name)[0] for name in MODULES}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges.get(v, ()):
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_no_module_imports_another_modules_private_names():
    found = [f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {what}"
             for name in MODULES for line, what in imports_of(name)[1]
             if what.rsplit(".", 1)[0] != name]
    assert found == []


QUERY_TEXT = re.compile(r"SELECT|CONSTRUCT|ASK \{|WHERE \{")


def test_no_sparql_text_in_python():
    found = [f"{path.relative_to(PACKAGE.parent)}:{n}: {line.strip()}"
             for path in PACKAGE.rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if QUERY_TEXT.search(line)]
    assert found == []


#: Modules tested through another module's test file, and why.
TESTED_ELSEWHERE: dict[str, str] = {}


@pytest.mark.parametrize("name", sorted(n for n, p in MODULES.items() if p.name != "__init__.py"))
def test_every_module_has_a_mirroring_test_file(name):
    if name in TESTED_ELSEWHERE:
        return
    parts = name.split(".")[1:]
    candidates = [TESTS.joinpath(*parts[:-1], f"test_{parts[-1]}.py"), TESTS / f"test_{'_'.join(parts)}.py",
                  TESTS / f"test_{parts[-1]}.py"]
    assert any(c.exists() for c in candidates), f"no test file for {name}: expected {candidates[0].relative_to(TESTS.parent)}"


def test_every_module_has_its_row_in_the_readme_table():
    """README's "What is where" is the one table of the layout: each module of a subpackage is named in that
    subpackage's row (the extraction rules as ``rules/``), each top-level module in the row of ``paths.py``."""
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## What is where", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip(): line for line in table.splitlines() if line.startswith("| `")}
    missing = []
    for name in MODULES:
        parts = name.split(".")[1:]
        if not parts or parts[-1] == "__init__" or MODULES[name].name == "__init__.py":
            continue
        if len(parts) == 1:
            row = next((r for key, r in rows.items() if "`rightsgraph/paths.py`" in key), "")
            found = f"`{parts[0]}.py`" in row or f"`rightsgraph/{parts[0]}.py`" in row
        else:
            row = rows.get(f"`rightsgraph/{parts[0]}/`", "")
            found = (f"`{parts[1]}/`" if len(parts) > 2 else f"`{parts[1]}`") in row
        if not found:
            missing.append(name)
    assert missing == []
