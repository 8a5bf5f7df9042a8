"""The house stays easy to change: CI checks what developers check, comments name files that
exist, and nothing in the product is there only for the benchmarks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bench.broadcast import raise_budget
from bot.rate_limit import BotBudget

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("app", "bot", "handlers", "store", "core", "linkage", "sandbox")
# A path such as handlers/send.py or tests/store/test_postgres.py named in a comment.
_NAMED_FILE = re.compile(
    r"\b((?:app|bot|handlers|store|core|linkage|sandbox|tests|bench)/[\w/]+\.py)\b"
)


def _sources(*tops: str) -> list[Path]:
    return [p for top in tops for p in sorted((ROOT / top).rglob("*.py"))]


def _target(makefile: str, name: str) -> list[str]:
    lines = makefile.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        body.append(line.strip())
    return body


def test_ci_runs_the_makefiles_lint_and_typecheck_before_the_tests() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in run if line.strip() and not line.lstrip().startswith("#")]
    assert "set -euo pipefail" in commands
    assert "make lint typecheck" in commands
    assert commands.index("make lint typecheck") < commands.index("make test")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = " ".join(_target(makefile, "lint"))
    assert "ruff check ." in lint and "ruff format --check ." in lint
    assert "mypy" in " ".join(_target(makefile, "typecheck"))


def test_every_file_a_comment_names_exists() -> None:
    missing = []
    for path in _sources(*PRODUCT, "bench", "tests"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for named in _NAMED_FILE.findall(line):
                if not (ROOT / named).exists():
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {named}")
    assert missing == []


def test_nothing_in_the_product_is_for_the_bench_only() -> None:
    for_bench = re.compile(r"(?i)\bfor bench\S*( only)?\b|\bbench\S* only\b")
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _sources(*PRODUCT)
        for match in for_bench.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert not hasattr(BotBudget, "set_rate")


async def test_the_bench_raises_the_budget_from_outside_the_product() -> None:
    budget = BotBudget(rate=2)
    raise_budget(budget, 50)
    assert budget.rate == 50
    # A bucket of 2 would be empty after two tokens; the raised one hands out 50 at once.
    for _ in range(50):
        async with budget:
            pass
    assert budget.taken == 50


def _logic_lines(path: Path) -> int:
    """Lines that are neither blank, nor comments, nor docstrings (issue 18's measure)."""
    source = path.read_text(encoding="utf-8")
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                docstrings.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return sum(
        1
        for number, line in enumerate(source.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#") and number not in docstrings
    )


# Catalogs are sentences, and the sandbox stands in for other people's servers.
_NOT_MEASURED = ("bot/i18n/", "sandbox/")


def test_no_module_holds_more_than_400_lines_of_logic() -> None:
    over = {
        str(path.relative_to(ROOT)): lines
        for path in _sources(*PRODUCT)
        if not str(path.relative_to(ROOT)).startswith(_NOT_MEASURED)
        and (lines := _logic_lines(path)) > 400
    }
    assert over == {}


def test_each_migration_is_a_file_of_its_own() -> None:
    from store.migrations import MIGRATIONS

    files = sorted((ROOT / "store" / "migrations").glob("v[0-9]*.py"))
    assert [int(f.name[1:3]) for f in files] == [m.version for m in MIGRATIONS]
    assert not (ROOT / "store" / "migrations.py").exists()


def test_a_service_package_docstring_is_a_short_map_of_its_modules() -> None:
    """A package of services (bot/services/sending/) names each of its modules in a few
    lines; the rules themselves are said once, in the module that keeps them."""
    inits = sorted((ROOT / "bot" / "services").glob("*/__init__.py"))
    assert inits, "no service package found"
    for init in inits:
        modules = sorted(p.name for p in init.parent.glob("*.py") if p.name != "__init__.py")
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert [name for name in modules if name not in doc] == [], init
        assert len(doc.splitlines()) <= 15, (str(init), len(doc.splitlines()))
