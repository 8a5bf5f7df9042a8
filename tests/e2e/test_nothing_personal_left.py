"""After /forget nothing of the user is in the bot's database files, and at LOG_LEVEL=DEBUG
nothing personal is in the bot's own log lines."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.logging_setup import configure_logging
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import ADMIN_ID, GATEWAY_KEY, TOKEN
from tests.helpers.help_requests import ask, copy_for
from tests.helpers.privacy import TELEGRAM_ID, VMS_ID, every_value, raw_bytes, start
from tests.journey import User
from tests.staff.broadcast_helpers import run_to_end
from tests.staff.helpers import invite_link

# The VMS side: the embedded sandbox gateway (and the sandbox Bot API server standing in for
# Telegram) run in this process; their own logs and data are not the bot's.
OTHER_SIDE = ("sandbox.", "aiohttp.")
_RECORD_START = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) (\S+): "
)


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The production logging set-up at DEBUG into a buffer; the previous set-up restored."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_levels = {
        name: logger.level
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    stream = io.StringIO()
    configure_logging("DEBUG", [TOKEN, GATEWAY_KEY], stream=stream)
    try:
        yield stream
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
        for name, logger in logging.root.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.setLevel(saved_levels.get(name, logging.NOTSET))


def bot_records(log: str) -> list[tuple[str, str]]:
    """(logger name, whole record text) of every record not written by the other side."""
    records: list[tuple[str, str]] = []
    for line in log.splitlines():
        start = _RECORD_START.match(line)
        if start:
            records.append((start.group(2), line))
        elif records:  # a traceback's or a multi-line message's continuation
            records[-1] = (records[-1][0], records[-1][1] + "\n" + line)
    return [(name, text) for name, text in records if not name.startswith(OTHER_SIDE)]


async def test_a_debug_log_of_a_link_journey_holds_nothing_personal(
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
    debug_log: io.StringIO,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # pytest's own log_level (INFO) would hide DEBUG records
    runtime = await start(sandbox, gateway, db_path, clock)
    try:
        minji = User(sandbox, runtime, TELEGRAM_ID, first_name="서민지")
        await minji.send("/start")
        await minji.send("오늘 봉사 시간이 궁금해요")
        await minji.send("/link")
        await minji.send(VMS_ID)
        code = gateway.last_code(VMS_ID)
        assert code is not None
        await minji.send(code)
        await minji.send("/unlink")
        await minji.click("연결 끊기")
        await minji.send("/forget")
        await minji.click("네, 모두 지워 주세요")
    finally:
        await runtime.stop()

    delivery = gateway.deliveries[-1]
    bot_said = [m.text for m in sandbox.bot_messages(TELEGRAM_ID)]
    assert any("연결했어요" in text for text in bot_said)  # the journey really happened
    private = {
        VMS_ID,
        "kin****04",  # the masked VMS ID the bot shows
        "kindly1365",
        delivery.destination_masked,
        code,
        "서민지",
        "오늘 봉사 시간이 궁금해요",
        *(line for text in bot_said for line in text.splitlines() if len(line) >= 12),
    }
    records = bot_records(debug_log.getvalue())
    assert any(" DEBUG linkage.client: " in text for _, text in records)  # DEBUG was on
    leaks = [(name, needle) for name, text in records for needle in private if needle in text]
    assert leaks == []


async def test_after_forget_the_database_files_hold_nothing_of_the_user(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, db_path: Path, clock: FakeClock
) -> None:
    runtime = await start(sandbox, gateway, db_path, clock)
    try:
        minji = User(sandbox, runtime, TELEGRAM_ID)
        await minji.send("/start")
        await minji.send("/link")
        await minji.send(VMS_ID)
        await minji.send(gateway.last_code(VMS_ID) or "")
        await minji.send("/howto")
        await minji.send("/link")  # a flow left open, stored
        before = raw_bytes(db_path)
        # SQLite keeps an integer key as big-endian bytes (6 of them for an id this size); the
        # id as text would be in any JSON or log-like value.
        as_integer = TELEGRAM_ID.to_bytes(6, "big")
        needles = [VMS_ID.encode(), as_integer, str(TELEGRAM_ID).encode()]
        assert all(any(n in data for data in before.values()) for n in needles[:2])  # were there

        await minji.send("/forget")
        assert "모두 지웠어요" in (await minji.click("네, 모두 지워 주세요")).text
        # Read while the bot still runs: closing would checkpoint anyway and hide a leak.
        after = raw_bytes(db_path)
    finally:
        await runtime.stop()
    found = [(name, n) for name, data in after.items() for n in needles if n in data]
    assert found == []
    # The abuse counters stay (a day), but under a keyed hash: no id, as number or as text.
    counted = [v for table, v in every_value(db_path) if table == "rate_events"]
    assert any(isinstance(v, bytes) and len(v) == 32 for v in counted)
    assert not any(v == TELEGRAM_ID or str(TELEGRAM_ID) in str(v) for v in counted)


async def test_after_a_staff_members_forget_nothing_holds_their_id(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, db_path: Path, clock: FakeClock
) -> None:
    """Staff leave traces volunteers do not: an invite used, the audit log (as actor and as
    the member an admin added or removed), a broadcast's progress chat, a reminder, a help
    request answered, the copies of questions sent to them."""
    runtime = await start(sandbox, gateway, db_path, clock)
    try:
        admin = User(sandbox, runtime, ADMIN_ID, first_name="관리")
        await admin.send("/start")
        _, payload = await invite_link(admin)
        sujin = User(sandbox, runtime, TELEGRAM_ID, first_name="수진")
        await sujin.send(f"/start {payload}")
        staff = runtime.app.bot_data.backend.services.staff  # type: ignore[union-attr]
        await staff.remove(TELEGRAM_ID, removed_by=ADMIN_ID)  # audit: member = the id
        await staff.add(TELEGRAM_ID, added_by=ADMIN_ID)
        volunteer = User(sandbox, runtime, 1001)
        await volunteer.send("/start")
        await sujin.send("/broadcast")
        await sujin.click("모든 봉사자 · 1명")
        await sujin.send("<b>안내</b> 확인해 주세요")
        await sujin.click("모두 같은 글로 보내기")
        await sujin.click("보내기 · 1명")
        await run_to_end(runtime, 1)
        assert "전했어요" in await ask(volunteer)
        await sujin.reply(copy_for(sandbox, TELEGRAM_ID, 1).message_id, "답이에요")
        await sujin.send("/remind")
        await sujin.click("⭐ 기본 알림 만들기")
        needles = [TELEGRAM_ID.to_bytes(6, "big"), str(TELEGRAM_ID).encode()]
        before = raw_bytes(db_path)
        assert all(any(n in data for data in before.values()) for n in needles)
        assert any(v == TELEGRAM_ID for t, v in every_value(db_path) if t == "broadcasts")

        await sujin.send("/forget")
        assert "모두 지웠어요" in (await sujin.click("네, 모두 지워 주세요")).text
        after = raw_bytes(db_path)
        values = every_value(db_path)
    finally:
        await runtime.stop()
    assert [(t, v) for t, v in values if str(TELEGRAM_ID) in str(v)] == []
    assert [(name, n) for name, data in after.items() for n in needles if n in data] == []


async def test_a_nudge_in_flight_across_forget_leaves_nothing_of_the_user(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, db_path: Path, clock: FakeClock
) -> None:
    """The daily nudge's gateway call is held open while /forget runs: when it returns, the
    nudge must not schedule itself again (its key would be the Telegram id)."""
    runtime = await start(sandbox, gateway, db_path, clock)
    try:
        minji = User(sandbox, runtime, TELEGRAM_ID)
        await minji.send("/link")
        await minji.send(VMS_ID)
        await minji.send(await gateway.delivered_code(VMS_ID) or "")
        clock.advance(timedelta(days=1))  # past the user's daily nudge time
        held = gateway.hold_next("listRecords")
        run = asyncio.create_task(runtime.poller.run_due())
        await held.reached.wait()  # the nudge asked the gateway and waits for its answer
        await minji.send("/forget")
        assert "모두 지웠어요" in (await minji.click("네, 모두 지워 주세요")).text
        held.release.set()
        await run
        after = raw_bytes(db_path)
        values = every_value(db_path)
    finally:
        await runtime.stop()
    needles = [TELEGRAM_ID.to_bytes(6, "big"), str(TELEGRAM_ID).encode()]
    assert [(t, v) for t, v in values if str(TELEGRAM_ID) in str(v)] == []
    assert [(name, n) for name, data in after.items() for n in needles if n in data] == []
