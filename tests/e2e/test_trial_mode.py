"""Real mode and the embedded sandbox: simulated data only when the operator asks for it, said
on every message, and retired (with one farewell per volunteer) when the operator stops it."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from app import build_application
from bot.gateway import SANDBOX, GatewayEndpoint
from bot.rate_limit import SharedBudgetLimiter
from bot.runtime import BotRuntime
from bot.services.trial import FAREWELL
from core.clock import FakeClock
from handlers.limiter_layer import LimiterLayer
from handlers.press_answers import PressAnswers
from handlers.trial_notice import TrialNotice
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.due_work import DueWorkRepository
from store.migrations import MIGRATIONS
from store.sandbox_links import sandbox_database
from tests.conftest import GATEWAY_KEY, make_settings
from tests.helpers.linking import link
from tests.journey import User

TRIAL_KO = "체험용 가상 데이터예요"
TRIAL_EN = "Trial data"
Start = Callable[..., Awaitable[BotRuntime]]


@pytest.fixture
async def embedded(db_path: Path, clock: FakeClock) -> AsyncIterator[GatewaySandbox]:
    """The sandbox gateway where real mode keeps it: its file beside the bot's database."""
    async with GatewaySandbox(
        api_key=GATEWAY_KEY, db_path=sandbox_database(db_path), clock=clock
    ) as server:
        yield server


@pytest.fixture
async def start(
    sandbox: BotApiSandbox, embedded: GatewaySandbox, db_path: Path, clock: FakeClock
) -> AsyncIterator[Start]:
    """start(mode): 'trial' (VMS_GATEWAY_URL=sandbox), 'old' (what real mode did before: the
    embedded sandbox behind a plain URL, nothing said), 'guide' (no gateway) or 'url'."""
    runtimes: list[BotRuntime] = []

    async def run(mode: str) -> BotRuntime:
        endpoint = None
        settings = make_settings(sandbox, db_path, embedded)
        if mode == "trial":
            endpoint = GatewayEndpoint(
                embedded.base_url, SecretStr(GATEWAY_KEY), SANDBOX, announce_trial=True
            )
        elif mode == "guide":
            settings = settings.model_copy(
                update={"vms_gateway_url": None, "vms_gateway_api_key": None}
            )
        app = await build_application(settings, clock=clock, gateway=endpoint)
        runtime = BotRuntime(app, poll_timeout=0.5)
        runtimes.append(runtime)
        await runtime.start()
        return runtime

    yield run
    for runtime in runtimes:
        await runtime.stop()


async def test_trial_mode_says_so_on_start_help_and_every_data_message(
    start: Start, sandbox: BotApiSandbox, embedded: GatewaySandbox, clock: FakeClock
) -> None:
    bot = await start("trial")
    minji = User(sandbox, bot, 1001)
    for command in ("/start", "/help"):
        seen = await minji.send(command)
        assert all(TRIAL_KO in text for text in seen.texts), seen.texts
    seen = await minji.send("/link")
    assert TRIAL_KO in seen.text
    seen = await minji.send("kindly0904")
    assert TRIAL_KO in seen.text  # "a code went to 010-****-…": a simulated phone
    seen = await minji.send(await embedded.delivered_code("kindly0904") or "")
    assert "연결했어요!" in seen.text and seen.text.count(TRIAL_KO) == 1
    for command in ("/status", "/send"):
        seen = await minji.send(command)
        assert seen.texts and all(TRIAL_KO in text for text in seen.texts), seen.texts
    # A refresh edits the status message in place: the line stays, exactly once.
    clock.advance(timedelta(minutes=1))
    seen = await minji.click("🔄 새로고침")
    assert seen.edited and seen.edited[0].text.count(TRIAL_KO) == 1
    assert all(m.text.count(TRIAL_KO) == 1 for m in sandbox.bot_messages(1001))
    jihoon = User(sandbox, bot, 1002, first_name="Jihoon", language_code="en")
    seen = await jihoon.send("/start")
    assert TRIAL_EN in seen.text and TRIAL_KO not in seen.text


async def test_the_trial_line_and_press_answers_are_layers_around_the_budget(
    start: Start, sandbox: BotApiSandbox
) -> None:
    """Each concern of every Bot API call is one LimiterLayer, passing calls to the next: the
    press answers outermost, then the trial line, then the shared budget."""
    bot = await start("trial")
    outer = bot.app.bot.rate_limiter
    assert isinstance(outer, PressAnswers) and isinstance(outer, LimiterLayer)
    trial = outer.inner
    assert isinstance(trial, TrialNotice) and isinstance(trial, LimiterLayer)
    assert isinstance(trial.inner, SharedBudgetLimiter)
    seen = await User(sandbox, bot, 1001).send("/help")
    assert TRIAL_KO in seen.text


async def test_a_real_gateway_shows_no_trial_line(
    start: Start, sandbox: BotApiSandbox, embedded: GatewaySandbox
) -> None:
    bot = await start("url")
    minji = User(sandbox, bot, 1001)
    await link(minji, embedded)
    seen = await minji.send("/status")
    assert "VMS 아이디" in seen.text and TRIAL_KO not in seen.text


def _as_before_migration(db_path: Path) -> None:
    """Turns the database back into what the release before the gateway column left."""
    version = next(m.version for m in MIGRATIONS if "records its gateway" in m.name)
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("UPDATE links SET gateway = NULL")  # the old rows never had one
        conn.execute("ALTER TABLE links DROP COLUMN gateway")
        conn.execute("DROP TRIGGER users_drop_trial_and_guide_work")
        conn.execute("DROP TABLE self_reports")
        # What later migrations added goes too, since they run again after this one.
        conn.execute("DROP TABLE IF EXISTS inbox")
        conn.execute("DROP TABLE volunteer_facts")
        for table in ("staff_chats", "web_actions", "web_menus", "leases", "bot_budget"):
            conn.execute(f"DROP TABLE {table}")
        for column in ("question", "expires_at", "expired_at"):
            conn.execute(f"ALTER TABLE help_requests DROP COLUMN {column}")
        for column in ("skipped_run_at", "skip_reason"):
            conn.execute(f"ALTER TABLE reminders DROP COLUMN {column}")
        conn.execute("DELETE FROM schema_migrations WHERE version >= ?", (version,))
        conn.commit()
    finally:
        conn.close()


async def _count(bot: BotRuntime, table: str) -> int:
    db = bot.app.bot_data.backend.db  # type: ignore[union-attr]
    row = await db.fetch_one(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("then", ["guide", "url"])
async def test_upgrading_from_the_implicit_sandbox_retires_its_data_and_tells_each_once(
    start: Start,
    sandbox: BotApiSandbox,
    embedded: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
    then: str,
) -> None:
    # Yesterday's release: real volunteers on the embedded sandbox, nothing said.
    old = await start("old")
    minji, jihoon = User(sandbox, old, 1001), User(sandbox, old, 1002, first_name="지훈")
    await link(minji, embedded, "kindly0904")
    await minji.send("/status")
    await minji.send("/send")
    assert "1365로 보냈어요" in (await minji.click("보내기")).text
    await link(jihoon, embedded, "sora2008")
    await User(sandbox, old, 1003, first_name="서연").send("/start")  # never linked
    await old.stop()
    _as_before_migration(db_path)

    # Today's release, with no gateway (or a real one): nothing simulated is left. The
    # removal runs as the bot starts, before its first update; the farewells are due work,
    # which the running bot's first pass sends.
    last = {uid: _last_id(sandbox, uid) for uid in (1001, 1002, 1003)}
    bot = await start(then)
    for table in ("links", "status_cache", "status_records", "sends", "send_waits"):
        assert await _count(bot, table) == 0, table
    kinds = {item.kind for item in await work_of(bot).all()}
    assert not kinds & {"send.result", "send.visible", "send.nudge", "link.revoke"}, kinds
    for uid in (1001, 1002):
        told = await sandbox.wait_bot_message(uid, after_message_id=last[uid], timeout=10)
        assert "체험용 가상 데이터" in told.text
    await bot.poller.run_due()
    assert [_last_id(sandbox, uid) - last[uid] for uid in (1001, 1002, 1003)] == [1, 1, 0]
    seen = await User(sandbox, bot, 1001).send("/status")
    assert "kin****04" not in seen.text

    # Restarted: nobody is told again.
    await bot.stop()
    counts = [len(sandbox.bot_messages(uid)) for uid in (1001, 1002)]
    again = await start(then)
    assert await work_of(again).all(FAREWELL) == []
    await again.poller.run_due()
    assert [len(sandbox.bot_messages(uid)) for uid in (1001, 1002)] == counts


def _last_id(sandbox: BotApiSandbox, uid: int) -> int:
    return max((m.message_id for m in sandbox.bot_messages(uid)), default=0)


def work_of(bot: BotRuntime) -> DueWorkRepository:
    return DueWorkRepository(bot.app.bot_data.backend.db)  # type: ignore[union-attr]


async def test_the_farewell_is_at_most_once_when_the_bot_dies_while_sending_it(
    start: Start, sandbox: BotApiSandbox, embedded: GatewaySandbox, db_path: Path, clock: FakeClock
) -> None:
    old = await start("old")
    minji = User(sandbox, old, 1001)
    await link(minji, embedded, "kindly0904")
    await old.stop()
    _as_before_migration(db_path)
    # Built, not started: the test plays the poller's part, without its ticker.
    settings = make_settings(sandbox, db_path, embedded).model_copy(
        update={"vms_gateway_url": None, "vms_gateway_api_key": None}
    )
    runtime = BotRuntime(await build_application(settings, clock=clock))
    try:
        await runtime.app.bot_data.backend.services.trial.retire_sandbox()  # type: ignore[union-attr]
        work = work_of(runtime)
        # A run claimed the farewell and died before completing it (it may have sent it).
        claimed = await work.claim_due(clock.now(), 10, timedelta(minutes=5))
        assert [item.kind for item in claimed] == [FAREWELL]
        clock.advance(timedelta(minutes=6))
        before = len(sandbox.bot_messages(1001))
        report = await runtime.poller.run_due()
        assert report.given_up == [claimed[0].id]
        assert len(sandbox.bot_messages(1001)) == before
    finally:
        await runtime.stop()


async def test_links_of_a_real_gateway_stay_when_the_sandbox_is_retired(
    start: Start, sandbox: BotApiSandbox, db_path: Path, clock: FakeClock
) -> None:
    """A link the sandbox's file does not know was made by a real gateway: it stays."""
    bot = await start("url")
    await User(sandbox, bot, 1001).send("/start")
    db = bot.app.bot_data.backend.db  # type: ignore[union-attr]
    await db.write(
        "INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
        " VALUES (1001, 'gw-real-1', 'realmember', NULL, '2026-01-01T00:00:00+00:00')"
    )
    await bot.stop()
    _as_before_migration(db_path)
    bot = await start("guide")
    assert await _count(bot, "links") == 1
    assert await work_of(bot).all(FAREWELL) == []
