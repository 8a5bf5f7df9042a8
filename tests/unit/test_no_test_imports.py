"""A test module imports nothing from another test module: what tests share lives in helper
modules (tests/journey.py, tests/helpers/, a directory's helpers.py or conftest.py).

Importing a test module runs its module-level code and, for pytest, re-registers its fixtures
and can collect its tests twice; it also ties a file's helpers to the fate of its tests."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _module(path: Path) -> str:
    return ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)


def _is_test_module(name: str) -> bool:
    return name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")


def imported_test_modules(source: str, module: str) -> list[str]:
    """Test modules that `source` (the text of `module`) imports, anywhere (functions too)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            names = [source, *(f"{source}.{alias.name}" for alias in node.names)]
            found += [name for name in names if _is_test_module(name)]
    return found


def test_no_test_module_imports_another() -> None:
    reaching = {
        str(path.relative_to(TESTS.parent)): imported
        for path in sorted(TESTS.rglob("*.py"))
        if (imported := imported_test_modules(path.read_text(encoding="utf-8"), _module(path)))
    }
    assert reaching == {}, "move the shared helpers into a helper module"


def test_the_check_sees_each_form_of_import() -> None:
    source = (
        "from tests.e2e.test_send_journeys import link\n"
        "from .test_crash import says\n"
        "from tests.e2e import test_nudges\n"
        "def later():\n"
        "    import tests.cli.test_run_bot\n"
        "from tests.helpers.linking import link\n"
    )
    assert imported_test_modules(source, "tests.e2e.test_sample") == [
        "tests.e2e.test_send_journeys",
        "tests.e2e.test_crash",
        "tests.e2e.test_nudges",
        "tests.cli.test_run_bot",
    ]
