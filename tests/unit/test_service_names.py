"""One name per meaning across the services: no class name is defined by two of them.

Two services once each had their own NotLinked and TooSoon (and a third TooSoon), so a handler
catching one missed the other. A meaning several services share lives in bot/services/errors.py.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "bot" / "services"


def _classes() -> dict[str, list[str]]:
    defined: dict[str, list[str]] = defaultdict(list)
    for path in sorted(SERVICES.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                defined[node.name].append(str(path.relative_to(SERVICES)))
    return defined


def test_no_class_name_is_defined_by_two_services() -> None:
    twice = {name: where for name, where in _classes().items() if len(where) > 1}
    assert twice == {}


def test_the_shared_problems_are_service_problems() -> None:
    from bot.services import errors, sending, status

    assert sending.NotLinked is errors.NotLinked is status.NotLinked
    assert sending.Unavailable is errors.Unavailable
    for problem in (errors.NotLinked, errors.Unavailable, sending.SendTooSoon):
        assert issubclass(problem, errors.ServiceProblem)
