"""The services one running bot shares, built once and handed to handlers through the context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.background import DuePoller, RetryPolicy
from bot.services.flows import FlowService
from bot.services.forget import ForgetService
from bot.services.guide import GuideService
from bot.services.linking import REVOKE_LINK, LinkService
from bot.services.users import UserService
from bot.settings import Settings
from core.clock import Clock
from linkage.client import GatewayClient
from store.db import Database
from store.due_work import DueWorkRepository
from store.flows import FlowRepository
from store.guide import GuideRepository
from store.links import LinkRepository
from store.users import UserRepository


@dataclass(slots=True)
class Services:
    """Everything a handler may call; handlers never reach the store or the gateway directly."""

    settings: Settings
    clock: Clock
    db: Database
    gateway: GatewayClient
    users: UserService
    links: LinkService
    forget: ForgetService
    guide: GuideService
    # Runs due work; BotRuntime ticks it, tests call `await services.poller.run_due()`.
    poller: DuePoller
    flows: FlowService

    @classmethod
    def create(
        cls, settings: Settings, clock: Clock, db: Database, gateway: GatewayClient
    ) -> Services:
        work = DueWorkRepository(db)
        links = LinkService(gateway, LinkRepository(db), work, clock)
        poller = DuePoller(work, clock)
        # Keeps trying for about ten hours on average (twenty at most); a gateway down for
        # longer is an operator matter, and the one give-up log line tells them.
        poller.register(
            REVOKE_LINK,
            links.revoke_owed,
            RetryPolicy(max_attempts=12, base=timedelta(minutes=1), cap=timedelta(hours=6)),
        )
        users = UserRepository(db)  # one instance: it keeps the users it has seen in memory
        return cls(
            settings=settings,
            clock=clock,
            db=db,
            gateway=gateway,
            users=UserService(users),
            links=links,
            forget=ForgetService(links, users, db),
            guide=GuideService(GuideRepository(db), links),
            poller=poller,
            flows=FlowService(FlowRepository(db), clock),
        )

    async def close(self) -> None:
        """Closes the gateway client and the store, in that order, saving what waits in memory."""
        await self.gateway.aclose()
        if not self.db.closed:
            await self.users.flush_seen()
        await self.db.close()
