"""Imports point one way: handlers → services → store / linkage → core. Checked on the source."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ("core", "bot", "handlers", "store", "linkage", "sandbox")

# For each layer: the project packages its modules may import at module level. bot.i18n and
# bot.context are the bot's shared vocabulary (texts, the typed PTB context); the composition
# root (bot.app, bot.main, bot.runtime) wires everything and is checked apart.
ALLOWED: dict[str, tuple[str, ...]] = {
    "core": ("core",),
    "store": ("store", "core"),
    "linkage": ("linkage", "core"),
    # The container wires the poller (bot.background) that services schedule work on.
    "bot.services": ("bot.services", "bot.background", "bot.settings", "store", "linkage", "core"),
    "bot.background": ("bot.background", "store", "core"),
    "handlers": ("handlers", "bot.services", "bot.i18n", "bot.context", "core"),
    # The webhook's HTTP side is an entry point like handlers: it calls services only.
    "bot.web": ("bot.web", "bot.services", "core"),
    "bot.i18n": ("bot.i18n", "core"),
}
COMPOSITION_ROOT = ("bot.app", "bot.main", "bot.runtime", "bot.context", "bot.processor")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path) -> set[str]:
    """Project modules imported at module level (imports inside functions are lazy on purpose)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports are types only
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found |= {n for n in names if n.split(".")[0] in PROJECT}
    return found


def layer_of(module: str) -> str | None:
    for layer in sorted(ALLOWED, key=len, reverse=True):
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def test_every_import_points_down() -> None:
    wrong = []
    checked = 0
    for package in ("core", "store", "linkage", "bot", "handlers"):
        for path in sorted((ROOT / package).rglob("*.py")):
            module = module_name(path)
            layer = layer_of(module)
            if layer is None:
                continue
            checked += 1
            for target in top_level_imports(path):
                if not any(target == a or target.startswith(a + ".") for a in ALLOWED[layer]):
                    wrong.append(f"{module} imports {target}")
    assert checked > 40  # the walk really saw the packages
    assert wrong == []


def test_nothing_outside_the_sandbox_imports_it_at_module_level() -> None:
    wrong = []
    for package in ("core", "store", "linkage", "bot", "handlers"):
        for path in sorted((ROOT / package).rglob("*.py")):
            wrong += [
                f"{module_name(path)} imports {t}"
                for t in top_level_imports(path)
                if t.split(".")[0] == "sandbox"
            ]
    assert wrong == []


def test_real_mode_loads_no_sandbox_code() -> None:
    """Importing the entry point and building real mode's pieces pulls in no sandbox module."""
    probe = (
        "import sys, run_bot, bot.main, bot.app;"
        "loaded = sorted(m for m in sys.modules if m == 'sandbox' or m.startswith('sandbox.'));"
        "print(','.join(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_what_handlers_get_holds_no_store_and_no_gateway() -> None:
    """context.services offers use-cases only; the store and the gateway stay in Backend."""
    import dataclasses
    import typing

    from bot.services import container

    hints = typing.get_type_hints(container.Services, vars(container))
    forbidden = {"Database", "GatewayClient", "DuePoller", "Transaction"}
    names = {
        f.name: getattr(hints[f.name], "__name__", str(hints[f.name]))
        for f in dataclasses.fields(container.Services)
    }
    assert {n: t for n, t in names.items() if t in forbidden} == {}
    assert {"users", "links", "forget", "guide", "flows"} <= names.keys()
