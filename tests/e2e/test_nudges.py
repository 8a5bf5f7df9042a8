"""The new-record nudge on the fake clock: once a day at most, with its own /settings switch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.runtime import BotRuntime
from bot.services.nudges import DAY_SPAN, DAY_START, NUDGE, next_slot
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import StartBot
from tests.helpers.sending import RECORD, work
from tests.helpers.status import linked
from tests.journey import User

NUDGE_TEXT = "VMS에 들어왔어요. 1365로 보낼까요?"
SEOUL = ZoneInfo("Asia/Seoul")


def nudges(person: User) -> list[str]:
    return [m.text for m in person.sandbox.bot_messages(person.user_id) if NUDGE_TEXT in m.text]


async def a_day(bot: BotRuntime, clock: FakeClock) -> None:
    clock.advance(timedelta(days=1))
    await bot.poller.run_due()


async def baseline(bot: BotRuntime, clock: FakeClock) -> None:
    """The first run, soon after linking, only notes what is already there."""
    clock.advance(timedelta(minutes=2))
    await bot.poller.run_due()


async def test_new_records_make_one_nudge_and_a_quiet_day_makes_none(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")  # 4 unsent records from the start
    await baseline(bot, clock)
    assert nudges(minji) == []  # what was there when linking is not new
    gateway.add_records("kindly0904", [RECORD, {**RECORD, "minutes": 60}])
    await a_day(bot, clock)
    assert nudges(minji) == ["새 봉사 실적 2건이 VMS에 들어왔어요. 1365로 보낼까요?"]
    assert minji.last.reply_markup[0][0]["callback_data"] == "send:start"
    await a_day(bot, clock)  # nothing new since
    assert len(nudges(minji)) == 1
    # The button leads into /send with every check.
    seen = await minji.click("📤 1365로 실적 보내기")
    assert "미전송 실적 6건" in seen.text, seen.text


async def test_switch_off_in_settings_means_no_nudge_and_the_item_stops(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    await baseline(bot, clock)
    menu = await minji.send("/settings")
    assert "새 실적 알림: 켜짐" in menu.text and "알림: 켜짐" in menu.text
    seen = await minji.click("🆕 새 실적 알림 끄기")
    assert seen.toast is not None and "새 실적 알림을 껐어요" in seen.toast["text"]
    assert "새 실적 알림: 꺼짐" in seen.edited[0].text
    assert "\n센터 알림: 켜짐" in seen.edited[0].text  # the center-notice switch is its own
    gateway.add_records("kindly0904", [RECORD])
    await a_day(bot, clock)
    assert nudges(minji) == []
    assert await work(bot).all(NUDGE) == []
    # On again: it starts anew (a baseline first), and later records are told.
    await minji.send("/settings")  # the old menu's flow has expired meanwhile
    seen = await minji.click("🆕 새 실적 알림 받기")
    assert seen.toast is not None and "새 실적 알림을 켰어요" in seen.toast["text"]
    await baseline(bot, clock)
    gateway.add_records("kindly0904", [RECORD])
    await a_day(bot, clock)
    assert nudges(minji) == ["새 봉사 실적 1건이 VMS에 들어왔어요. 1365로 보낼까요?"]


async def test_forget_removes_the_item_at_once(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    assert [i.key for i in await work(bot).all(NUDGE)] == ["1001"]
    await minji.send("/forget")
    await minji.click("네, 모두 지워 주세요")
    assert await work(bot).all(NUDGE) == []
    gateway.add_records("kindly0904", [RECORD])
    await a_day(bot, clock)
    assert nudges(minji) == []


async def test_unlinked_or_blocked_users_get_nothing_and_the_item_stops(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    sora = await linked(user(1002), gateway, "sora2008")
    await baseline(bot, clock)
    await minji.send("/unlink")
    assert "연결을 끊었어요" in (await minji.click("연결 끊기")).text
    users = bot.app.bot_data.services.users  # type: ignore[union-attr]
    await users.blocked_us(1002)
    gateway.add_records("kindly0904", [RECORD])
    gateway.add_records("sora2008", [RECORD])
    await a_day(bot, clock)
    assert nudges(minji) == [] and nudges(sora) == []
    assert await work(bot).all(NUDGE) == []


def test_daily_times_are_in_daytime_and_spread_by_telegram_id() -> None:
    now = datetime(2026, 12, 1, 5, 0, tzinfo=ZoneInfo("UTC"))
    slots = {user_id: next_slot(user_id, now, SEOUL) for user_id in range(1000, 1200)}
    for when in slots.values():
        local = when.astimezone(SEOUL)
        start = local.replace(hour=DAY_START.hour, minute=0, second=0, microsecond=0)
        assert start <= local < start + DAY_SPAN and now < when <= now + timedelta(days=1)
    assert len({w.replace(second=0) for w in slots.values()}) > 150  # spread, not a crowd
    assert next_slot(1001, now, SEOUL) == slots[1001]  # stable


async def test_a_link_from_before_the_nudge_gets_its_item_at_the_next_start(
    gateway: GatewaySandbox,
    start_bot: StartBot,
    sandbox: BotApiSandbox,
    clock: FakeClock,
) -> None:
    """Links made by the previous release have no item: start-up adds it, quietly first."""
    first = await start_bot()
    minji = await linked(User(sandbox, first, 1001), gateway, "kindly0904")
    db = first.app.bot_data.backend.db  # type: ignore[union-attr]
    await db.write("DELETE FROM due_work WHERE kind = ?", (NUDGE,))  # as after an upgrade
    await first.stop()

    again = await start_bot()
    item = await work(again).get(NUDGE, "1001")
    assert item is not None and item.due_at == next_slot(1001, clock.now(), SEOUL)
    minji = User(sandbox, again, 1001)
    await a_day(again, clock)  # the first run only notes what is there
    assert nudges(minji) == []
    gateway.add_records("kindly0904", [RECORD])
    await a_day(again, clock)
    assert nudges(minji) == ["새 봉사 실적 1건이 VMS에 들어왔어요. 1365로 보낼까요?"]
