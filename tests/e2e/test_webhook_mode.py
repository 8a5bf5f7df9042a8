"""Webhook mode end to end: run_bot.py real as a subprocess with WEBHOOK_URL set, the sandbox
Bot API POSTing to it over HTTP on 127.0.0.1 (through a small relay that can lose an answer,
as a network can), the sandbox gateway behind it; a kill -9 while an update runs."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from bot.runtime import ALLOWED_UPDATES
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from sandbox.loopback import serve_on_loopback
from tests.conftest import GATEWAY_KEY, TOKEN
from tests.helpers.processes import clean_env, free_port, says, start_real

SECRET = "e2e-webhook_Secret-42"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PATH = "/tg-hook"
# A bound on waiting for events that a broken bot would never deliver; not a speed claim.
WAIT = 30.0


class Relay:
    """Stands between the sandbox and the bot, as a proxy would: forwards each POST, and for
    an update whose body contains a `lose` needle it answers 502 after the bot's 200 (once):
    the bot has committed the update, Telegram believes it failed and sends it again."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.lose: list[str] = []
        self.lost: list[int] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {SECRET_HEADER: request.headers.get(SECRET_HEADER, "")}
        headers["Content-Type"] = "application/json"
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.post(self.target, data=body, headers=headers) as answer,
            ):
                status = answer.status
        except aiohttp.ClientError:
            return web.Response(status=502)  # the bot is down: Telegram tries again later
        update = json.loads(body)
        text = update.get("message", {}).get("text", "")
        if status == 200 and text in self.lose:
            self.lose.remove(text)
            self.lost.append(update["update_id"])
            return web.Response(status=502)
        return web.Response(status=status)


@asynccontextmanager
async def relay_to(port: int) -> AsyncIterator[Relay]:
    relay = Relay(f"http://127.0.0.1:{port}{PATH}")
    app = web.Application()
    app.router.add_post(PATH, relay.handle)
    runner, base = await serve_on_loopback(app, "127.0.0.1", 0)
    relay.url = f"{base}{PATH}"
    try:
        yield relay
    finally:
        await runner.cleanup()


def webhook_env(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, tmp_path: Path, relay: Relay, port: int
) -> dict[str, str]:
    return clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=sandbox.base_url,
        VMS_GATEWAY_URL=gateway.base_url,
        VMS_GATEWAY_API_KEY=GATEWAY_KEY,
        DATABASE_PATH=str(tmp_path / "bot.sqlite3"),
        WEBHOOK_URL=relay.url,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        # Short, so the kill test's restarted bot takes the dead one's update over soon.
        WEBHOOK_LEASE_SECONDS="3",
        LOG_LEVEL="INFO",
    )


async def until(check: Callable[[], Awaitable[bool]]) -> None:
    """Waits for a state of the running bot, read over HTTP or from its database."""
    async with asyncio.timeout(WAIT):
        while not await check():  # noqa: ASYNC110 - polling another process's state
            await asyncio.sleep(0.05)


async def scrape(http: aiohttp.ClientSession, port: int) -> dict[tuple[str, str], float]:
    """/metrics as {(sample name, label value or ""): value}."""
    async with http.get(f"http://127.0.0.1:{port}/metrics") as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"].startswith("text/plain")
        text = await answer.text()
    values: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            label = next(iter(sample.labels.values()), "")
            values[(sample.name, label)] = sample.value
    return values


async def health(http: aiohttp.ClientSession, port: int) -> dict[str, object]:
    async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
        report: dict[str, object] = await answer.json()
        return report


def inbox_rows(db: Path) -> dict[int, tuple[str, int]]:
    """update_id → (state, attempts), read beside the running bot."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT update_id, state, attempts FROM inbox").fetchall()
    return {update_id: (state, attempts) for update_id, state, attempts in rows}


async def test_a_volunteer_is_answered_through_the_webhook(tmp_path: Path) -> None:
    port = free_port()
    gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=tmp_path / "gateway.sqlite3")
    async with (
        BotApiSandbox(tokens=[TOKEN]) as sandbox,
        gateway,
        relay_to(port) as relay,
        aiohttp.ClientSession() as http,
    ):
        env = webhook_env(sandbox, gateway, tmp_path, relay, port)
        log = tmp_path / "bot.log"
        # /help's first answer is lost after the bot committed it: Telegram sends it again.
        relay.lose.append("/help")
        bot = await start_real(env, tmp_path, log)
        try:
            await sandbox.user_send(1001, "/start", first_name="민지")
            hello = await says(sandbox, 1001, 0, "안녕하세요, 민지님!")
            helped = await sandbox.user_send(1001, "/help", first_name="민지")
            help_id = await says(sandbox, 1001, hello, "이렇게 쓰시면 돼요")
            await sandbox.user_send(1001, "/link", first_name="민지")
            asked = await says(sandbox, 1001, help_id, "아이디를 보내 주세요")
            await sandbox.user_send(1001, "kindly0904", first_name="민지")
            sent = await says(sandbox, 1001, asked, "인증번호를")
            code = await gateway.delivered_code("kindly0904")
            assert code is not None
            await sandbox.user_send(1001, code, first_name="민지")
            await says(sandbox, 1001, sent, "연결했어요")
            info = sandbox.webhook.info()
            assert info["url"] == relay.url and info["max_connections"] == 40
            assert sorted(info["allowed_updates"]) == sorted(ALLOWED_UPDATES)

            async def all_done() -> bool:
                values = await scrape(http, port)
                return values[("yeongye_updates_done_total", "")] == 5

            await until(all_done)
            # The redelivered /help was stored once and answered once.
            assert relay.lost == [helped.update_id]
            assert sandbox.webhook_delivery.attempts.count(helped.update_id) == 2
            replies = [m.text for m in sandbox.bot_messages(1001)]
            assert sum("이렇게 쓰시면 돼요" in text for text in replies) == 1

            # A POST without the secret, or with a wrong one: 401, nothing stored.
            forged = json.dumps(
                {"update_id": 987_654, "message": {"message_id": 1, "text": "/help"}}
            )
            url = f"http://127.0.0.1:{port}{PATH}"
            for headers in ({}, {SECRET_HEADER: "not-" + SECRET}):
                async with http.post(url, data=forged, headers=headers) as answer:
                    assert answer.status == 401

            values = await scrape(http, port)
            assert values[("yeongye_updates_received_total", "stored")] == 5
            assert values[("yeongye_updates_received_total", "duplicate")] == 1
            assert values[("yeongye_updates_received_total", "unauthorized")] == 2
            assert values[("yeongye_updates_received_total", "malformed")] == 0
            assert values[("yeongye_inbox_open_updates", "")] == 0
            assert values[("yeongye_inbox_lag_seconds", "")] == 0
            assert values[("yeongye_store_up", "")] == 1
            assert values[("yeongye_telegram_flood_answers_total", "")] == 0
            assert ("yeongye_due_work_backlog", "") in values
            assert ("yeongye_due_work_oldest_seconds", "") in values
            assert values[("yeongye_broadcast_deliveries", "queued")] == 0
            assert await health(http, port) == {
                "database": "ok",
                "inbox_open": 0,
                "inbox_lag_seconds": 0.0,
            }
        finally:
            bot.send_signal(signal.SIGTERM)
            await asyncio.wait_for(bot.wait(), WAIT)
        logs = log.read_text()
        assert bot.returncode == 0, logs
        assert "bot stopped" in logs and "Traceback" not in logs
        assert TOKEN.split(":")[1] not in logs and SECRET not in logs
        assert "event loop: uvloop" in logs  # the production loop (app/event_loop.py)
        assert sandbox.rejections == []
    rows = inbox_rows(tmp_path / "bot.sqlite3")
    assert len(rows) == 5 and {state for state, _ in rows.values()} == {"done"}
    assert 987_654 not in rows


async def test_kill_9_while_an_update_runs_loses_nothing(tmp_path: Path) -> None:
    """The bot dies between storing /help (Telegram has its 200) and answering it: the next
    start takes the update over once the dead one's lease runs out, answers it once, and
    then the update that waited behind it, in order."""
    port = free_port()
    gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=tmp_path / "gateway.sqlite3")
    db = tmp_path / "bot.sqlite3"
    async with BotApiSandbox(tokens=[TOKEN]) as sandbox, gateway, relay_to(port) as relay:
        env = webhook_env(sandbox, gateway, tmp_path, relay, port)
        log = tmp_path / "bot.log"
        first = await start_real(env, tmp_path, log)
        try:
            await sandbox.user_send(1001, "/start", first_name="민지")
            hello = await says(sandbox, 1001, 0, "안녕하세요, 민지님!")
            # /help's answer is stopped before the sandbox carries it out.
            hold = sandbox.hold("sendMessage", 1001, "이렇게 쓰시면 돼요", delivered=False)
            helped = await sandbox.user_send(1001, "/help", first_name="민지")
            after = await sandbox.user_send(1001, "/cancel", first_name="민지")
            await asyncio.wait_for(hold.reached.wait(), WAIT)
            # Both are stored and acknowledged: Telegram holds nothing for the bot any more.
            await sandbox.webhook_delivery.wait_until(lambda d: d.pending_count == 0, WAIT)
        finally:
            first.send_signal(signal.SIGKILL)  # no shutdown, no release of the lease
            await first.wait()
        assert first.returncode == -signal.SIGKILL
        rows = inbox_rows(db)
        assert rows[helped.update_id] == ("claimed", 1)
        assert rows[after.update_id] == ("pending", 0)

        second = await start_real(env, tmp_path, log)
        try:
            helped_id = await says(sandbox, 1001, hello, "이렇게 쓰시면 돼요")
            await says(sandbox, 1001, helped_id, "진행 중인 일이 없어요")

            async def both_done() -> bool:
                rows = inbox_rows(db)
                return all(rows[u.update_id][0] == "done" for u in (helped, after))

            await until(both_done)
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), WAIT)
        assert second.returncode == 0, log.read_text()
        replies = [m.text for m in sandbox.bot_messages(1001)]
        assert sum("이렇게 쓰시면 돼요" in text for text in replies) == 1
        assert sandbox.rejections == []
    rows = inbox_rows(db)
    assert rows[helped.update_id] == ("done", 2)  # taken over once
    assert rows[after.update_id] == ("done", 1)


async def test_sigterm_finishes_the_update_in_hand_and_keeps_the_rest(tmp_path: Path) -> None:
    """On SIGTERM the update being handled is finished and marked done; one that arrives
    meanwhile is stored (Telegram gets its 200) but left for the next start, which runs it."""
    port = free_port()
    gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=tmp_path / "gateway.sqlite3")
    db = tmp_path / "bot.sqlite3"
    async with BotApiSandbox(tokens=[TOKEN]) as sandbox, gateway, relay_to(port) as relay:
        env = webhook_env(sandbox, gateway, tmp_path, relay, port)
        log = tmp_path / "bot.log"
        first = await start_real(env, tmp_path, log)
        try:
            await sandbox.user_send(1001, "/start", first_name="민지")
            hello = await says(sandbox, 1001, 0, "안녕하세요, 민지님!")
            hold = sandbox.hold("sendMessage", 1001, "이렇게 쓰시면 돼요", delivered=False)
            helped = await sandbox.user_send(1001, "/help", first_name="민지")
            await asyncio.wait_for(hold.reached.wait(), WAIT)
            first.send_signal(signal.SIGTERM)

            async def stopping() -> bool:
                return "stop signal received" in log.read_text()

            await until(stopping)
            late = await sandbox.user_send(1002, "/start", first_name="지훈")
            await sandbox.webhook_delivery.wait_until(lambda d: d.pending_count == 0, WAIT)
            hold.release()
            await asyncio.wait_for(first.wait(), WAIT)
        finally:
            if first.returncode is None:
                first.kill()
                await first.wait()
        assert first.returncode == 0, log.read_text()
        rows = inbox_rows(db)
        assert rows[helped.update_id] == ("done", 1)
        assert rows[late.update_id] == ("pending", 0)
        assert any("이렇게 쓰시면 돼요" in m.text for m in sandbox.bot_messages(1001))
        assert sandbox.bot_messages(1002) == []

        second = await start_real(env, tmp_path, log)
        try:
            await says(sandbox, 1002, 0, "안녕하세요, 지훈님!")
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), WAIT)
        assert second.returncode == 0, log.read_text()
        after_hello = [m.text for m in sandbox.bot_messages(1001) if m.message_id > hello]
        assert sum("이렇게 쓰시면 돼요" in text for text in after_hello) == 1
        assert sandbox.rejections == []
