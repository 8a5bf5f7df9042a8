"""What a feature declares beside itself, for the composition root (app/) to collect.

Each feature module under handlers/ ends with a `FEATURE`: its Telegram handlers, its flows,
the kinds of due work it delivers (with how often each is tried) and what it does once at
start-up. The root (app/features.py) lists the features in order and builds polling, the
console demo and the tests from that one list: no other module adds a handler or registers a
kind of due work.

A new background job: schedule it from its service (`DueWorkRepository.schedule(KIND, …)`)
and add `KIND: Due(deliver, RetryPolicy(…))` to `due_work` of the feature it belongs to.
`tests/unit/test_wiring.py` fails for a kind that is scheduled somewhere but declared nowhere.

Guide mode (no gateway) is chosen once, by the root: a feature with `when="guide"` is there
only then, one with `when="gateway"` only when a gateway answers, and `replaces_flows` names
the flows a feature stands in for (guide mode's entry replaces /link and /send).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from telegram import Bot
from telegram.ext import BaseHandler

from bot.services.container import Services
from core.retry import RetryPolicy

if TYPE_CHECKING:
    # Types only: handlers/flows.py declares a feature of its own (the flows' due work).
    from handlers.flows import FlowHandler

# Handler groups run in ascending order; a handler that raises ApplicationHandlerStop ends the
# update. The guards come first, then the flow router (handlers/flows.py), which takes what
# belongs to the user's open flow; everything else reaches the plain handlers of group 0,
# where patterns and filters do not overlap, so their order there does not matter except for
# the catch-alls added last (handlers/fallback.py, last in the root's list).
GROUP_TRACK = -7  # who is writing, and in which language
GROUP_PRIVACY = -6  # resident registration numbers never get further than this
GROUP_NOT_OURS = -5  # commands addressed to another bot (/x@other_bot): silence, in any chat
GROUP_PRIVATE_ONLY = -4  # groups get an invitation to a private chat, nothing personal
GROUP_STAFF_ONLY = -3  # staff commands and staff buttons, refused to everyone else
# A staff member's reply to a help request's copy is the answer, whatever flow they have open.
GROUP_HELP_REPLIES = -2
GROUP_FLOWS = -1  # the open flow's text and buttons, /cancel, commands that enter flows
GROUP_FEATURES = 0

AnyHandler = BaseHandler[Any, Any, Any]
# One item of due work: (bot, services, key, payload). Safe to run twice (the poller may).
Deliver = Callable[[Bot, Services, str, dict[str, Any]], Awaitable[None]]
# Once per start, before the first update is answered.
StartUp = Callable[[Bot, Services], Awaitable[None]]
When = Literal["always", "gateway", "guide"]


@dataclass(frozen=True)
class Due:
    """How one kind of due work is delivered, and how often it is tried."""

    deliver: Deliver
    policy: RetryPolicy | None = None  # None: the poller's default
    # Runs once after an item is given up (never retried): tell whoever waits on it.
    on_give_up: Deliver | None = None


def _no_handlers() -> Sequence[AnyHandler]:
    return ()


def _no_guards() -> Sequence[tuple[int, AnyHandler]]:
    return ()


@dataclass(frozen=True)
class Feature:
    """One feature's part of the bot. Handlers are made per Application (a factory)."""

    name: str
    # Group 0, in this order.
    handlers: Callable[[], Sequence[AnyHandler]] = _no_handlers
    # Handlers of the earlier groups (GROUP_TRACK … GROUP_HELP_REPLIES), as (group, handler).
    guards: Callable[[], Sequence[tuple[int, AnyHandler]]] = _no_guards
    # Flows the router (GROUP_FLOWS) hands updates to, in the order the root lists features.
    flows: tuple[FlowHandler[Any], ...] = ()
    # Names of other features' flows this one stands in for while it is on.
    replaces_flows: tuple[str, ...] = ()
    due_work: Mapping[str, Due] = field(default_factory=dict)
    # Start-up work of the deployment (the store, Telegram): done once when several workers
    # start together (bot/services/start_up.py).
    on_start: tuple[StartUp, ...] = ()
    # Start-up work of each process: what lives in its memory, or recovers its own crash.
    on_process_start: tuple[StartUp, ...] = ()
    when: When = "always"

    def on_in(self, *, guide_mode: bool) -> bool:
        """Whether this feature is part of a bot with (False) or without (True) a gateway."""
        if self.when == "always":
            return True
        return guide_mode == (self.when == "guide")
