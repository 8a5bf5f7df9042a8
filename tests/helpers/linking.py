"""Journey steps for linking a VMS account (the shape every other journey starts from)."""

from __future__ import annotations

from bot.runtime import BotRuntime
from linkage.client import GatewayClient
from linkage.errors import LinkNotFound
from sandbox.gateway import GatewaySandbox
from store.links import LinkRepository
from tests.conftest import GATEWAY_KEY
from tests.journey import User


def links_of(bot: BotRuntime) -> LinkRepository:
    return LinkRepository(bot.app.bot_data.backend.db)  # type: ignore[union-attr]


async def active_at_gateway(gateway: GatewaySandbox, link_id: str) -> bool:
    """Asks the gateway itself, over its HTTP contract, whether the link still works."""
    client = GatewayClient(gateway.base_url, GATEWAY_KEY)
    try:
        await client.member(link_id)
    except LinkNotFound:
        return False
    finally:
        await client.aclose()
    return True


async def link_id_of(bot: BotRuntime, telegram_id: int) -> str:
    stored = await links_of(bot).get(telegram_id)
    assert stored is not None
    return stored.link_id


async def link(user: User, gateway: GatewaySandbox, vms_id: str = "kindly0904"):  # type: ignore[no-untyped-def]
    await user.send("/link")
    await user.send(vms_id)
    code = await gateway.delivered_code(vms_id)
    assert code is not None
    return await user.send(code)
