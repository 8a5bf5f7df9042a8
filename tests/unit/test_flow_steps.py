"""Flow steps stay small: a press is looked up in a table, never walked through an if/elif
chain (radon's cyclomatic complexity, at most 10 for every method of a flow's module)."""

from __future__ import annotations

import inspect
from types import ModuleType

from radon.complexity import cc_visit

from app.features import FEATURES

MOST = 10


def _flow_modules() -> list[ModuleType]:
    """The modules of every flow's class and of the classes it is made of (its steps)."""
    classes = {c for feature in FEATURES for f in feature.flows for c in type(f).__mro__}
    modules = {inspect.getmodule(c) for c in classes}
    return sorted(
        (m for m in modules if m is not None and m.__name__.startswith("handlers.")),
        key=lambda m: m.__name__,
    )


def test_no_method_of_a_flow_is_a_chain_of_branches() -> None:
    modules = _flow_modules()
    names = {m.__name__ for m in modules}
    assert {"handlers.flows", "handlers.compose_steps", "handlers.remind_steps"} <= names
    assert len(modules) >= 11  # the walk saw the flows (link, send, remind, broadcast…)
    tangled = [
        f"{module.__name__}.{block.name}.{method.name}: {method.complexity}"
        for module in modules
        for block in cc_visit(inspect.getsource(module))
        for method in getattr(block, "methods", [])
        if method.complexity > MOST
    ]
    assert tangled == []


def test_every_button_table_entry_is_a_method_of_its_flow() -> None:
    for feature in FEATURES:
        for flow in feature.flows:
            for (step, action), run in flow.buttons.items():
                assert callable(run) and run.__name__ in dir(flow), (flow.name, step, action)
                assert action.count(":") <= 1 and not action.startswith(":"), action
