"""setWebhook, deleteWebhook and getWebhookInfo: the sandbox POSTs updates to a receiver on
127.0.0.1 the way Telegram does (secret header, retries with backoff, per-chat order,
max_connections, the pending count and last error, 409 for getUpdates meanwhile)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram import Bot
from telegram.error import Conflict

from sandbox.botapi import BotApiSandbox

from .conftest import TOKEN, USER, FakeClock, call
from .webhook_receiver import WAIT, Backoff, Receiver, receiver_running

SECRET = "s3cret_Token-1"


@pytest.fixture
def backoff(clock: FakeClock) -> Backoff:
    return Backoff(clock)


@pytest.fixture
async def hooked(clock: FakeClock, backoff: Backoff) -> AsyncIterator[BotApiSandbox]:
    """A sandbox whose webhook backoff runs on the test's clock, with POSTs bounded at 0.5 s."""
    async with BotApiSandbox(clock=clock, webhook_sleep=backoff, webhook_timeout=0.5) as started:
        yield started


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with receiver_running() as running:
        yield running


@pytest.fixture
async def http(hooked: BotApiSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=hooked.base_url, timeout=10) as client:
        yield client


@pytest.fixture
async def bot(hooked: BotApiSandbox) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=f"{hooked.base_url}/bot") as client:
        yield client


async def set_hook(http: httpx.AsyncClient, receiver: Receiver, **params: object) -> None:
    status, body = await call(http, "setWebhook", url=receiver.url, **params)
    assert (status, body["description"]) == (200, "Webhook was set"), body


async def drained(sandbox: BotApiSandbox) -> None:
    """Waits until every pending update was answered 2xx (or given up)."""
    await sandbox.webhook_delivery.wait_until(lambda d: d.pending_count == 0, WAIT)


async def test_an_update_is_posted_with_the_secret_header(
    hooked: BotApiSandbox, http: httpx.AsyncClient, receiver: Receiver
) -> None:
    await set_hook(http, receiver, secret_token=SECRET)
    sent = await hooked.user_send(USER, "안녕하세요")
    (got,) = await receiver.wait_received(1)
    assert got.secret == SECRET
    assert got.update["update_id"] == sent.update_id
    assert got.update["message"]["text"] == "안녕하세요"
    await drained(hooked)
    _, body = await call(http, "getWebhookInfo")
    assert body["result"] == {
        "url": receiver.url,
        "has_custom_certificate": False,
        "pending_update_count": 0,
        "max_connections": 40,
        "ip_address": "127.0.0.1",
    }


async def test_without_a_secret_no_header_is_sent(
    hooked: BotApiSandbox, http: httpx.AsyncClient, receiver: Receiver
) -> None:
    await set_hook(http, receiver)
    await hooked.user_send(USER, "hi")
    (got,) = await receiver.wait_received(1)
    assert got.secret is None


async def test_a_500_is_retried_with_backoff_and_reported(
    hooked: BotApiSandbox, http: httpx.AsyncClient, receiver: Receiver, backoff: Backoff
) -> None:
    receiver.script = [500, 502, 503]
    await set_hook(http, receiver, secret_token=SECRET)
    sent = await hooked.user_send(USER, "다시")
    await receiver.wait_received(4)
    await drained(hooked)
    assert receiver.ids == [sent.update_id] * 4
    assert [r.status for r in receiver.received] == [500, 502, 503, 200]
    # As Telegram: again at once after the first failure, then doubling.
    assert backoff.waits == [0.0, 2.0, 4.0]
    _, body = await call(http, "getWebhookInfo")
    info = body["result"]
    assert info["last_error_message"] == "Wrong response from the webhook: 503 Service Unavailable"
    assert isinstance(info["last_error_date"], int) and info["pending_update_count"] == 0


async def test_a_timeout_is_retried(
    hooked: BotApiSandbox, http: httpx.AsyncClient, receiver: Receiver
) -> None:
    receiver.script = [0]  # the first POST hangs past the sandbox's 0.5 s bound
    await set_hook(http, receiver)
    sent = await hooked.user_send(USER, "늦게")
    await receiver.wait_received(2)
    await drained(hooked)
    assert receiver.ids == [sent.update_id] * 2
    _, body = await call(http, "getWebhookInfo")
    assert body["result"]["last_error_message"] == "Read timeout expired"


async def test_a_chats_updates_keep_their_order_through_a_retry(
    hooked: BotApiSandbox, http: httpx.AsyncClient, receiver: Receiver, backoff: Backoff
) -> None:
    receiver.script = [500]
    backoff.open.clear()
    await set_hook(http, receiver)
    ids = [(await hooked.user_send(USER, "m0")).update_id]
    await receiver.wait_received(1)
    # More of the chat's messages arrive while its first waits to be sent again.
    ids += [(await hooked.user_send(USER, f"m{i}")).update_id for i in (1, 2)]
    backoff.open.set()
    await receiver.wait_received(4)
    await drained(hooked)
    # The later messages wait for the first to be answered 2xx, retry included.
    assert receiver.ids == [ids[0], *ids]


async def test_undelivered_updates_are_kept_and_counted(
    hooked: BotApiSandbox,
    http: httpx.AsyncClient,
    receiver: Receiver,
    backoff: Backoff,
    bot: Bot,
) -> None:
    receiver.script = [500]
    backoff.open.clear()  # hold the retry: the update stays undelivered
    await set_hook(http, receiver)
    ids = [(await hooked.user_send(USER, f"m{i}")).update_id for i in range(3)]
    await receiver.wait_received(1)
    await hooked.webhook_delivery.wait_until(lambda d: d.in_flight == 0, WAIT)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 3
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    backoff.open.set()
    await receiver.wait_received(4)
    await drained(hooked)
    assert receiver.ids == [ids[0], *ids]
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_at_most_max_connections_posts_at_once(
    hooked: BotApiSandbox, http: httpx.AsyncClient, receiver: Receiver
) -> None:
    receiver.gate.clear()  # every POST is held until the test lets go
    await set_hook(http, receiver, max_connections=2)
    # Five chats: Telegram would send them side by side, but for the limit.
    for user in range(1, 6):
        await hooked.user_send(USER + user, "동시에")
    delivery = hooked.webhook_delivery
    await delivery.wait_until(lambda d: d.in_flight == 2 and d.waiting_for_slot == 3, WAIT)
    await receiver.wait_until(lambda r: r.current == 2)
    receiver.gate.set()
    await receiver.wait_received(5)
    await drained(hooked)
    assert receiver.peak == 2
    assert sorted(r.update["message"]["chat"]["id"] for r in receiver.received) == [
        USER + user for user in range(1, 6)
    ]


async def test_get_updates_is_refused_while_a_webhook_is_set(
    hooked: BotApiSandbox, http: httpx.AsyncClient, receiver: Receiver, bot: Bot
) -> None:
    await set_hook(http, receiver)
    status, body = await call(http, "getUpdates")
    assert (status, body["description"]) == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    )
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()


async def test_set_webhook_ends_a_waiting_long_poll(
    hooked: BotApiSandbox, http: httpx.AsyncClient, receiver: Receiver, bot: Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=3600, read_timeout=3700))
    async with asyncio.timeout(WAIT):
        while not hooked.long_poll_waiting:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    await set_hook(http, receiver)
    with pytest.raises(Conflict, match="terminated by setWebhook request"):
        await asyncio.wait_for(poll, WAIT)


async def test_delete_webhook_keeps_pending_updates_for_get_updates(
    hooked: BotApiSandbox,
    http: httpx.AsyncClient,
    receiver: Receiver,
    backoff: Backoff,
    bot: Bot,
) -> None:
    receiver.script = [500]
    backoff.open.clear()
    await set_hook(http, receiver)
    ids = [(await hooked.user_send(USER, f"m{i}")).update_id for i in range(2)]
    await receiver.wait_received(1)
    status, body = await call(http, "deleteWebhook")
    assert (status, body["description"]) == (200, "Webhook was deleted")
    assert [u.update_id for u in await bot.get_updates()] == ids
    status, body = await call(http, "deleteWebhook")
    assert body["description"] == "Webhook is already deleted"


async def test_delete_webhook_with_drop_pending_updates_forgets_them(
    hooked: BotApiSandbox,
    http: httpx.AsyncClient,
    receiver: Receiver,
    backoff: Backoff,
    bot: Bot,
) -> None:
    receiver.script = [500]
    backoff.open.clear()
    await set_hook(http, receiver)
    for i in range(2):
        await hooked.user_send(USER, f"m{i}")
    await receiver.wait_received(1)
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).pending_update_count == 0
    assert await bot.get_updates() == ()


async def test_an_update_is_given_up_after_a_day(
    hooked: BotApiSandbox,
    http: httpx.AsyncClient,
    receiver: Receiver,
    backoff: Backoff,
) -> None:
    receiver.script = [500, 500]
    await set_hook(http, receiver)
    sent = await hooked.user_send(USER, "하루")
    backoff.jump = 24 * 3600  # the first wait takes a day on the sandbox's clock
    await drained(hooked)
    assert hooked.webhook_delivery.dropped == [sent.update_id]
    assert receiver.ids == [sent.update_id] * 2


async def test_ptb_sets_reads_and_deletes_the_webhook(
    hooked: BotApiSandbox, http: httpx.AsyncClient, receiver: Receiver, bot: Bot
) -> None:
    assert await bot.set_webhook(
        receiver.url, secret_token=SECRET, allowed_updates=["message"], max_connections=3
    )
    info = await bot.get_webhook_info()
    assert (info.url, info.max_connections, info.allowed_updates) == (receiver.url, 3, ("message",))
    assert (info.pending_update_count, info.has_custom_certificate) == (0, False)
    assert info.last_error_date is None
    # The same setting again changes nothing, in Telegram's words.
    _, body = await call(
        http, "setWebhook", url=receiver.url, secret_token=SECRET, max_connections=3
    )
    assert body["description"] == "Webhook is already set"
    await hooked.user_send(USER, "ptb")
    (got,) = await receiver.wait_received(1)
    assert got.secret == SECRET
    assert await bot.delete_webhook()
    info = await bot.get_webhook_info()
    assert (info.url, info.max_connections) == ("", None)
    assert await bot.get_updates() == ()


@pytest.mark.parametrize(
    ("url", "description"),
    [
        ("http://example.com/hook", "bad webhook: An HTTPS URL must be provided for webhook"),
        (
            "https://example.com:8080/hook",
            "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
        ),
        (
            "https://example.com/hook",
            "bad webhook: the sandbox delivers to loopback addresses only",
        ),
        ("ftp://127.0.0.1/hook", "invalid webhook URL specified"),
    ],
)
async def test_urls_off_the_machine_are_refused(
    http: httpx.AsyncClient, url: str, description: str
) -> None:
    status, body = await call(http, "setWebhook", url=url)
    assert (status, body["description"]) == (400, f"Bad Request: {description}")
    _, body = await call(http, "getWebhookInfo")
    assert body["result"]["url"] == ""


async def test_secret_tokens_are_checked_and_max_connections_clamped(
    http: httpx.AsyncClient, receiver: Receiver
) -> None:
    status, body = await call(http, "setWebhook", url=receiver.url, secret_token="no spaces")
    assert (status, body["description"]) == (
        400,
        "Bad Request: secret token contains unallowed characters",
    )
    status, body = await call(http, "setWebhook", url=receiver.url, secret_token="x" * 257)
    assert body["description"] == "Bad Request: secret token is too long"
    await set_hook(http, receiver, max_connections=1000)
    _, body = await call(http, "getWebhookInfo")
    assert body["result"]["max_connections"] == 100


async def test_a_restarted_sandbox_keeps_the_webhook(tmp_path: Path, receiver: Receiver) -> None:
    state = tmp_path / "telegram.json"
    async with BotApiSandbox(state_path=state) as first:
        bot = Bot(TOKEN, base_url=f"{first.base_url}/bot")
        async with bot:
            await bot.set_webhook(receiver.url, secret_token=SECRET, allowed_updates=["message"])
    async with BotApiSandbox(state_path=state) as second:
        async with Bot(TOKEN, base_url=f"{second.base_url}/bot") as bot:
            info = await bot.get_webhook_info()
            assert (info.url, info.allowed_updates) == (receiver.url, ("message",))
        await second.user_send(USER, "재시작 뒤")
        (got,) = await receiver.wait_received(1)
        assert (got.secret, got.update["message"]["text"]) == (SECRET, "재시작 뒤")
