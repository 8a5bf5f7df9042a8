"""In webhook mode the desk is served by the webhook's own server (WEBHOOK_LISTEN), at
WEB_URL's path, beside the webhook and /healthz: one API call through it, signed and checked
against openapi.yaml, as in polling mode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app import build_application
from app.webhook import WebhookRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import ADMIN_ID, make_settings
from tests.helpers.processes import free_port
from tests.miniapp.conftest import WEB_URL, Desk
from tests.miniapp.contract import Contract
from tests.sandbox.webhook_receiver import WAIT


@pytest.fixture
async def webhook_bot(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, db_path: Path, clock: FakeClock
) -> AsyncIterator[WebhookRuntime]:
    port = free_port()  # the sandbox delivers to the loopback address it is told
    settings = make_settings(
        sandbox,
        db_path,
        gateway,
        webhook_url=f"http://127.0.0.1:{port}/telegram",
        webhook_secret="webhook-Secret_42",
        webhook_listen=f"127.0.0.1:{port}",
        web_url=WEB_URL,
        # A port of its own would be a second server: webhook mode must not open one.
        web_listen="127.0.0.1:1",
    )
    app = await build_application(settings, clock=clock)
    runtime = WebhookRuntime(app, settings)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def test_the_desk_answers_on_the_webhooks_server(
    webhook_bot: WebhookRuntime, sandbox: BotApiSandbox, contract: Contract, clock: FakeClock
) -> None:
    origin = webhook_bot.url.removesuffix("/telegram")
    await sandbox.user_send(ADMIN_ID, "/start", first_name="관리자")  # through the webhook
    await sandbox.webhook_delivery.wait_until(lambda d: d.pending_count == 0, WAIT)
    assert webhook_bot.desk_url is None  # no server of its own on WEB_LISTEN
    admin = Desk(origin, contract, clock, ADMIN_ID, first_name="관리자", language_code="ko")
    me = await admin.get("api/me")
    assert me.status_code == 200, me.text
    assert me.json()["role"] == "admin"
    async with httpx.AsyncClient(timeout=10) as http:
        assert (await http.get(origin + "/healthz")).status_code == 200  # the same server
