"""Journey steps for /status and its list."""

from __future__ import annotations

from bot.runtime import BotRuntime
from linkage.client import GatewayClient
from sandbox.gateway import GatewaySandbox
from store.links import LinkRepository
from tests.conftest import GATEWAY_KEY
from tests.helpers.linking import link
from tests.journey import User

LIST = "📋 실적 목록"


def data_of(message, label: str) -> str:  # type: ignore[no-untyped-def]
    """The callback data (or URL) behind a button of a sandbox message."""
    for row in message.reply_markup or []:
        for button in row:
            if button["text"] == label:
                return str(button.get("callback_data") or button.get("url"))
    raise AssertionError(f"no button {label!r} in {message.buttons}")


async def link_id(bot: BotRuntime, telegram_id: int) -> str:
    row = await LinkRepository(bot.app.bot_data.backend.db).get(telegram_id)  # type: ignore[union-attr]
    assert row is not None
    return row.link_id


async def send_all(gateway: GatewaySandbox, link: str) -> None:
    """A bulk send made elsewhere (the VMS website), over the gateway's own contract."""
    async with GatewayClient(gateway.base_url, GATEWAY_KEY) as client:
        await client.create_transmission(link, idempotency_key=f"test-{link}")


async def linked(user: User, gateway: GatewaySandbox, vms_id: str) -> User:
    await user.send("/start")
    await link(user, gateway, vms_id)
    return user
