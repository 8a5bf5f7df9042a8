"""Imports point one way: app → handlers → services → store / linkage → core. Checked on the source.

app/ is the composition root: the only package that imports both handlers/ and the wiring of
bot/services (Backend, the due-work poller). Every module of the project has a layer.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ("app", "core", "bot", "handlers", "store", "linkage", "sandbox")
LAYERED = ("app", "core", "store", "linkage", "bot", "handlers")

# For each layer: the project packages its modules may import at module level. bot.i18n and
# bot.context are the bot's shared vocabulary (texts, the typed PTB context); the rest of bot/
# (settings, runtime, rate limits…) is infrastructure below the handlers; app/ wires it all.
ALLOWED: dict[str, tuple[str, ...]] = {
    "app": ("app", "bot", "handlers", "store", "linkage", "core"),
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
    "bot": ("bot", "store", "linkage", "core"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(nodes: Iterable[ast.AST]) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found |= {n for n in names if n.split(".")[0] in PROJECT}
    return found


def top_level_imports(path: Path) -> set[str]:
    """Project modules imported at module level (imports inside functions are lazy on purpose)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # `if TYPE_CHECKING:` imports are types only
    return _imported(node for node in tree.body if not isinstance(node, ast.If))


def all_imports(path: Path) -> set[str]:
    """Project modules imported anywhere: at module level, in functions, for types only."""
    return _imported(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def imports_the_wiring(path: Path) -> bool:
    """The due-work poller, or Backend (the store, the gateway client, the poller)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(
            a.name.startswith("bot.background") for a in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            if node.module.startswith("bot.background"):
                return True
            if node.module == "bot.services.container" and any(
                a.name == "Backend" for a in node.names
            ):
                return True
    return False


def project_files() -> list[Path]:
    """Every Python file of the bot, its sandbox and benchmarks, and the entry point."""
    paths = [ROOT / "run_bot.py"]
    for package in (*PROJECT, "bench"):
        paths += sorted((ROOT / package).rglob("*.py"))
    return paths


def layer_of(module: str) -> str | None:
    for layer in sorted(ALLOWED, key=len, reverse=True):
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def test_every_import_points_down() -> None:
    wrong = []
    checked = 0
    for package in LAYERED:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = module_name(path)
            layer = layer_of(module)
            assert layer is not None, f"{module} has no layer"
            checked += 1
            for target in top_level_imports(path):
                if not any(target == a or target.startswith(a + ".") for a in ALLOWED[layer]):
                    wrong.append(f"{module} imports {target}")
    assert checked > 40  # the walk really saw the packages
    assert wrong == []


def test_below_the_handlers_nothing_reaches_up_even_lazily() -> None:
    """bot/ (services included), store/, linkage/ and core/ never import handlers/ or app/: not
    in a function, not for types. Telegram handlers and the wiring stay above them."""
    wrong = []
    for package in ("core", "store", "linkage", "bot"):
        for path in sorted((ROOT / package).rglob("*.py")):
            wrong += [
                f"{module_name(path)} imports {t}"
                for t in all_imports(path)
                if t.split(".")[0] in ("handlers", "app")
            ]
    assert wrong == []


def test_only_bot_services_container_builds_on_the_poller() -> None:
    """Services schedule due work through the store; none registers a kind on the poller."""
    wrong = [
        module_name(path)
        for path in sorted((ROOT / "bot" / "services").rglob("*.py"))
        if imports_the_wiring(path) and module_name(path) != "bot.services.container"
    ]
    assert wrong == []


def test_only_the_root_imports_both_handlers_and_the_wiring() -> None:
    """app/ is the one place handlers/ meets Backend and the poller (tests aside)."""
    both = [
        module_name(path)
        for path in project_files()
        if imports_the_wiring(path)
        and any(t.split(".")[0] == "handlers" for t in all_imports(path))
    ]
    assert "app.features" in both  # the scan really sees the root
    assert [m for m in both if m.split(".")[0] != "app"] == []


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
        "import sys, run_bot, app, app.main;"
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
