"""Flow rows another release wrote: read and carried on, or closed politely, never crashed on.

Each row is written straight into the store, as the previous release left it (its plain JSON
dicts) or damaged, over a flow the user really opened (so its token and message are real).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.runtime import BotRuntime
from core.clock import FakeClock
from handlers.flows import flow_data
from store.db import Database
from store.flows import FlowRepository, FlowRow
from tests.conftest import ADMIN_ID
from tests.journey import User

ENDED = {
    "link": "계정 연결을 시작한 지 오래돼서 그만뒀어요",
    "send": "시작한 지 오래돼서 닫았어요",
    "broadcast": "공지를 쓰기 시작한 지 오래돼서 닫았어요",
    "remind": "알림을 만들기 시작한 지 오래돼서 닫았어요",
    "settings": "시작한 지 오래돼서 닫았어요",
}
CANCELLED = "진행하던 일을 그만뒀어요"
NORMAL_HELLO = "무엇을 도와드릴까요"


def _db(bot: BotRuntime) -> Database:
    backend = bot.app.bot_data.backend
    assert backend is not None
    return backend.db


async def overwrite(
    bot: BotRuntime, clock: FakeClock, telegram_id: int, name: str, step: str, data: str
) -> str:
    """Puts `data` (JSON text, or not) into the user's open flow row; returns its token."""
    flows = FlowRepository(_db(bot))
    row = await flows.get(telegram_id)
    assert row is not None, "open a flow first: the service knows who has none"
    now = clock.now()
    await flows.replace(
        FlowRow(
            telegram_id=telegram_id,
            name=name,
            step=step,
            data=data,
            token=row.token,
            message_id=row.message_id,
            rendered=None,
            started_at=now,
            updated_at=now,
            expires_at=now + timedelta(hours=1),
        )
    )
    return row.token


async def open_name(bot: BotRuntime, telegram_id: int) -> str | None:
    row = await FlowRepository(_db(bot)).get(telegram_id)
    return None if row is None else row.name


async def test_a_reminder_half_made_by_the_previous_release_is_finished(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    """Weekly, Monday chosen (the old dict, plus a key no release reads now): the time typed
    next goes on to the audience, and its button to the text."""
    for uid in (1001, 1002):
        await user(uid).send("/start")
    admin = user(ADMIN_ID)
    await admin.send("/remind")
    await overwrite(bot, clock, ADMIN_ID, "remind", "time", '{"repeat":"weekly","day":0,"x":1}')
    picker = (await admin.send("10:00")).new[-1]
    assert "매주 월요일 오전 10시" in picker.text
    token = await overwrite(
        bot,
        clock,
        ADMIN_ID,
        "remind",
        "audience",
        '{"repeat":"weekly","day":0,"hour":10,"minute":0,"once_at":null,"language":null}',
    )
    seen = await admin.click_data(picker.message_id, flow_data(token, "seg:all"))
    assert "매주 월요일 오전 10시" in seen.text and "모든 봉사자" in seen.text


async def test_a_link_code_step_stored_by_the_previous_release_still_reads_the_code_step(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await minji.send("/link")
    await overwrite(
        bot, clock, 1001, "link", "ask_code", '{"request_id":"gone-1","vms_id":"kindly0904"}'
    )
    # Read as the code step: the six digits go to the gateway, which no longer knows the
    # request, so the answer is the code step's own (a new code, another ID).
    seen = await minji.send("123456")
    assert "🔁" in " ".join(seen.new[-1].buttons)


UNREADABLE = [
    ("link", "ask_code", '{"request_id":7}'),
    ("send", "confirm", "[1,2]"),
    ("send", "warn_1365", '{"record_ids":"r-1","warning":"identity"}'),
    ("broadcast", "confirm", "not json at all"),
    ("remind", "time", '{"repeat":"weekly","day":"월"}'),
    ("settings", "menu", "null"),
]


@pytest.mark.parametrize(("name", "step", "data"), UNREADABLE)
async def test_an_unreadable_flow_row_is_closed_politely_whatever_comes(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock, name: str, step: str, data: str
) -> None:
    admin = user(ADMIN_ID)  # staff, so /broadcast and /remind would be theirs too
    await admin.send("/settings")
    menu = admin.last

    await overwrite(bot, clock, ADMIN_ID, name, step, data)
    assert ENDED[name] in (await admin.send("10:00")).text
    assert await open_name(bot, ADMIN_ID) is None
    assert NORMAL_HELLO in (await admin.send("알림")).text  # ordinary text again

    await admin.send("/settings")
    token = await overwrite(bot, clock, ADMIN_ID, name, step, data)
    seen = await admin.click_data(menu.message_id, flow_data(token, "go"))
    assert seen.toast is not None and ENDED[name] in seen.toast["text"]
    assert seen.edited == [] and await open_name(bot, ADMIN_ID) is None

    await admin.send("/settings")
    await overwrite(bot, clock, ADMIN_ID, name, step, data)
    assert CANCELLED in (await admin.send("/cancel")).text
    assert await open_name(bot, ADMIN_ID) is None
