"""No module of the product imports itself back at run time: a circle makes the import order
matter (a name half-defined when the other side reads it) and ties two modules into one.

The graph is built from the source with ast: module-level imports, including those under a
plain `if` or `try`, but not those under `if TYPE_CHECKING:` (types only, never run) nor those
inside functions (run later, when every module is loaded)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("app", "bot", "handlers", "store", "core", "linkage")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_time_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _run_time_imports(node.body)
            yield from _run_time_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for part in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
                yield from _run_time_imports(part)
        elif isinstance(node, ast.With):
            yield from _run_time_imports(node.body)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the product modules it loads when it is imported."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in _run_time_imports(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
                continue
            if node.level:  # relative: from . import x, from .x import y
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                # `from package import module` loads that module (the package is its parent,
                # loaded first anyway); any other name is read from `source` itself.
                sub = f"{source}.{alias.name}"
                targets.add(sub if sub in modules else source)
        # A package's __init__ that re-exports its own modules (store/__init__.py) is run
        # before them, but by then it is in sys.modules: only what is named counts.
        graph[name] = {m for m in targets if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _product() -> dict[str, Path]:
    return {_module(p): p for top in PRODUCT for p in sorted((ROOT / top).rglob("*.py"))}


def test_no_run_time_import_cycle_in_the_product() -> None:
    assert cycles(import_graph(_product())) == []


def test_no_run_time_import_cycle_among_the_handlers() -> None:
    """The handlers' own graph, the place a circle grew before (send_views ↔ status_views)."""
    handlers = {name: path for name, path in _product().items() if name.startswith("handlers")}
    assert cycles(import_graph(handlers)) == []


def test_the_graph_sees_what_runs_and_skips_what_does_not(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from b import x\n", encoding="utf-8")
    (tmp_path / "b.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import c\n"
        "def later():\n    import a\n",
        encoding="utf-8",
    )
    (tmp_path / "c.py").write_text("import a\n", encoding="utf-8")
    modules = {p.stem: p for p in tmp_path.glob("*.py")}
    assert cycles(import_graph(modules)) == []
    (tmp_path / "b.py").write_text("try:\n    import c\nexcept ImportError:\n    pass\n")
    assert cycles(import_graph(modules)) == [["a", "b", "c"]]
