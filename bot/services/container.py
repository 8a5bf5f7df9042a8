"""The services one running bot shares, built once and handed to handlers through the context."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.flows import FlowService
from bot.services.forget import ForgetService
from bot.services.guide import GuideService
from bot.services.linking import LinkService
from bot.services.users import UserService
from bot.settings import Settings
from core.clock import Clock
from linkage.client import GatewayClient
from store.db import Database
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
    flows: FlowService

    @classmethod
    def create(
        cls, settings: Settings, clock: Clock, db: Database, gateway: GatewayClient
    ) -> Services:
        links = LinkService(gateway, LinkRepository(db))
        return cls(
            settings=settings,
            clock=clock,
            db=db,
            gateway=gateway,
            users=UserService(UserRepository(db)),
            links=links,
            forget=ForgetService(links, UserRepository(db)),
            guide=GuideService(GuideRepository(db), links),
            flows=FlowService(FlowRepository(db), clock),
        )

    async def close(self) -> None:
        """Closes the gateway client and the store, in that order."""
        await self.gateway.aclose()
        await self.db.close()
