"""Every feature of the bot, in order, and how the root turns their declarations into a bot.

Each feature declares itself at the end of its module (handlers/feature.py says what it may
declare). This list is the one place they are put together, and its order matters three ways,
all here:
- start-up work runs in this order (the deployment's, then each process's own): the command
  menus first, the trial's retiring of sandbox
  links before anything that reads links, as it always did;
- the flow router knows flows in this order;
- handlers of one group are added in this order, so the catch-alls (fallback) come last.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update
from telegram.ext import TypeHandler

from bot.background import DuePoller
from bot.context import BotApplication
from bot.services.container import Services
from bot.services.start_up import StartUpOnce
from handlers import (
    broadcast,
    broadcast_resend,
    broadcast_run,
    commands,
    desk_keys,
    errors,
    fallback,
    flows,
    guards,
    guide,
    guide_mode,
    help_requests,
    language,
    link,
    nudges,
    privacy,
    remind,
    send,
    settings,
    staff,
    staff_guard,
    staff_invites,
    start,
    stats,
    status,
    trial,
    webhook,
)
from handlers.feature import GROUP_FEATURES, GROUP_FLOWS, Due, Feature
from handlers.flows import FlowHandler, FlowRouter

FEATURES: tuple[Feature, ...] = (
    # Start-up work only, and first: menus, the daily flow sweep, the sandbox's links retired.
    commands.FEATURE,
    flows.FEATURE,
    trial.FEATURE,
    # Guards (groups before the flow router).
    guards.FEATURE,
    staff_guard.FEATURE,
    # Features, in the order their flows and group-0 handlers have always been registered.
    guide_mode.FEATURE,  # only with no gateway; first, so its /status entry wins
    link.FEATURE,
    settings.FEATURE,
    guide.FEATURE,
    start.FEATURE,
    language.FEATURE,
    privacy.FEATURE,
    status.FEATURE,
    send.FEATURE,
    nudges.FEATURE,
    nudges.BACKFILL,
    help_requests.FEATURE,
    stats.FEATURE,
    staff.FEATURE,
    staff_invites.FEATURE,
    broadcast.FEATURE,
    broadcast_run.FEATURE,
    broadcast_resend.FEATURE,
    remind.FEATURE,
    webhook.FEATURE,
    desk_keys.FEATURE,
    fallback.FEATURE,  # catch-alls: last
)


@dataclass(frozen=True)
class Wiring:
    """The features of one bot, with a gateway or in guide mode, and what they add up to."""

    features: tuple[Feature, ...]

    @classmethod
    def choose(cls, *, guide_mode: bool, features: Sequence[Feature] = FEATURES) -> Wiring:
        """The features that are on: the one place guide mode decides what the bot can do."""
        return cls(tuple(f for f in features if f.on_in(guide_mode=guide_mode)))

    @property
    def flows(self) -> tuple[FlowHandler[Any], ...]:
        replaced = {name for f in self.features for name in f.replaces_flows}
        return tuple(flow for f in self.features for flow in f.flows if flow.name not in replaced)

    @property
    def due_work(self) -> dict[str, Due]:
        """Every kind of due work these features deliver; a kind declared twice is an error."""
        kinds: dict[str, Due] = {}
        owner: dict[str, str] = {}
        for feature in self.features:
            for kind, due in feature.due_work.items():
                if kind in kinds:
                    raise ValueError(
                        f"due work {kind!r} is declared by {owner[kind]!r} and {feature.name!r}"
                    )
                kinds[kind], owner[kind] = due, feature.name
        return kinds

    def add_handlers(self, app: BotApplication) -> None:
        for feature in self.features:
            for group, handler in feature.guards():
                app.add_handler(handler, group=group)
        app.add_handler(TypeHandler(Update, FlowRouter(self.flows).route), group=GROUP_FLOWS)
        for feature in self.features:
            app.add_handlers(list(feature.handlers()), group=GROUP_FEATURES)
        app.add_error_handler(errors.on_error)

    def register_due_work(self, poller: DuePoller, bot: Bot, services: Services) -> None:
        for kind, due in self.due_work.items():
            given_up = due.on_give_up
            poller.register(
                kind,
                functools.partial(due.deliver, bot, services),
                due.policy,
                on_give_up=None if given_up is None else functools.partial(given_up, bot, services),
            )

    async def start_up(self, bot: Bot, services: Services, once: StartUpOnce) -> None:
        """Each feature's start-up work, in the list's order, before the first update: the
        deployment's (`on_start`) once for workers starting together, then this process's
        own (`on_process_start`)."""

        async def deployment() -> None:
            for feature in self.features:
                for step in feature.on_start:
                    await step(bot, services)

        await once.run(deployment)
        for feature in self.features:
            for step in feature.on_process_start:
                await step(bot, services)
