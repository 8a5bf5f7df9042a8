"""The composition root's features: every kind of due work the code schedules has a deliverer,
and guide mode swaps the same flows it always did. Checked on the source and the declarations."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest

from app.features import FEATURES, Wiring
from bot.services.trial import FAREWELL
from handlers.feature import Due, Feature

ROOT = Path(__file__).resolve().parents[2]
# The methods of store/due_work.py that create an item, and where their kind argument is.
SCHEDULERS = {"schedule": 0, "schedule_for_user": 0, "schedule_in": 1}
# Objects that carry a kind to a schedule call: their constructions are read instead.
CARRIERS = {"FollowUp": 0}
# Kinds that reach a schedule call from elsewhere: (module, expression) → the kind passed in,
# or None where a carrier brings it (its constructions are scanned).
PASSED_IN: dict[tuple[str, str], str | None] = {
    ("store.sandbox_links", "farewell_kind"): FAREWELL,
    ("store.sends", "follow_up.kind"): None,
}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def scheduled_kinds() -> dict[str, list[str]]:
    """Every kind a schedule call in the bot's code names → where ("module:line")."""
    found: dict[str, list[str]] = {}
    unresolved: list[str] = []
    for package in ("app", "core", "store", "linkage", "bot", "handlers"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = _module(path)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                index = _kind_argument(node)
                if index is None:
                    continue
                assert isinstance(node, ast.Call)
                argument = node.args[index]
                where = f"{name}:{node.lineno}"
                if PASSED_IN.get((name, ast.unparse(argument)), "") is None:
                    continue  # a carrier's kind: found where the carrier is made
                kind = _resolve(name, argument)
                if kind is None:
                    unresolved.append(f"{where} {ast.unparse(argument)}")
                else:
                    found.setdefault(kind, []).append(where)
    assert unresolved == [], "kinds this test cannot name; add them to PASSED_IN"
    return found


def _kind_argument(node: ast.AST) -> int | None:
    """Which positional argument of this call is a due-work kind, if it makes an item."""
    if not isinstance(node, ast.Call):
        return None
    index = None
    if isinstance(node.func, ast.Attribute):
        index = SCHEDULERS.get(node.func.attr)
    elif isinstance(node.func, ast.Name):
        index = CARRIERS.get(node.func.id)
    if index is None or len(node.args) <= index:
        return None  # another call, or one by keywords only
    return index


def _resolve(module: str, node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    passed = PASSED_IN.get((module, ast.unparse(node)))
    if passed is not None:
        return passed
    if not isinstance(node, ast.Name | ast.Attribute):
        return None
    try:
        value: Any = eval(ast.unparse(node), vars(importlib.import_module(module)))
    except (NameError, AttributeError):
        return None  # a local variable or a parameter
    return value if isinstance(value, str) else None


def test_every_scheduled_kind_has_a_deliverer() -> None:
    scheduled = scheduled_kinds()
    # The scan really sees the schedule calls of services and of the store.
    assert {
        "send.result", "send.visible", "flows.sweep", "store.truncate_wal", "trial.farewell"
    } <= set(scheduled)  # fmt: skip
    declared = set(Wiring.choose(guide_mode=False).due_work) | set(
        Wiring.choose(guide_mode=True).due_work
    )
    missing = {kind: where for kind, where in scheduled.items() if kind not in declared}
    assert missing == {}, "scheduled, but no feature declares a deliverer (handlers/feature.py)"


def test_guide_mode_kinds_are_delivered_in_guide_mode() -> None:
    """What the guide-mode service schedules runs where that service exists."""
    from bot.services import guide_mode

    assert {guide_mode.CHECK, guide_mode.LATER} <= set(Wiring.choose(guide_mode=True).due_work)


def test_a_kind_declared_twice_is_refused() -> None:
    async def deliver(*args: object) -> None:
        return None

    twice = Wiring(
        (Feature("a", due_work={"x": Due(deliver)}), Feature("b", due_work={"x": Due(deliver)}))
    )
    with pytest.raises(ValueError, match="'a' and 'b'"):
        _ = twice.due_work


def test_guide_mode_swaps_the_link_and_send_flows_as_before() -> None:
    """The router's flows, in order, with a gateway and without one (guide mode)."""
    with_gateway = [f.name for f in Wiring.choose(guide_mode=False).flows]
    guide = [f.name for f in Wiring.choose(guide_mode=True).flows]
    assert with_gateway == [
        "link", "settings", "guide", "send", "help_request", "broadcast", "remind"
    ]  # fmt: skip
    assert guide == ["guide_mode", "settings", "guide", "help_request", "broadcast", "remind"]


def test_every_feature_is_listed_once_with_its_own_name() -> None:
    names = [f.name for f in FEATURES]
    assert len(names) == len(set(names))
    assert FEATURES[-1].name == "fallback"  # the catch-alls see only what nothing else took
