"""What a bot-side method handler receives and may return."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .params import Params
from .state import World


@dataclass(frozen=True)
class Call:
    world: World
    params: Params
    bot_id: int  # the numeric prefix of the token this request used


@dataclass(frozen=True)
class Described:
    """A result Telegram sends with a "description" next to it (deleteWebhook does)."""

    result: Any
    description: str


Handler = Callable[[Call], Awaitable[Any]]
