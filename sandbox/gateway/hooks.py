"""Python-only test hooks: hold one answer until released, or rewrite 2xx bodies.

Not part of the operator API (operator.yaml): a test drives them in-process to stage races
(a call in flight while the bot does something else) and answers no contract allows (an
unreadable 2xx), which the sandbox's own handlers never produce.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Rewrite = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Hold:
    """The next answer to one operation waits: `reached` is set when it is ready, and it goes
    out once `release` is set."""

    reached: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Hooks:
    holds: dict[str, Hold] = field(default_factory=dict)
    rewrites: dict[str, Rewrite] = field(default_factory=dict)

    async def apply(self, operation_id: str, response: web.Response) -> web.Response:
        """The answer as the hooks change it: held first (once), then rewritten if 2xx JSON."""
        hold = self.holds.pop(operation_id, None)
        if hold is not None:
            hold.reached.set()
            await hold.release.wait()
        rewrite = self.rewrites.get(operation_id)
        if rewrite is None or not 200 <= response.status < 300 or response.body is None:
            return response
        assert isinstance(response.body, bytes)
        body = rewrite(json.loads(response.body))
        changed = web.json_response(body, status=response.status)
        for name in ("Location",):
            if name in response.headers:
                changed.headers[name] = response.headers[name]
        return changed
