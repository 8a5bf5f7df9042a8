"""What the desk stores (its keys, their stored answers, the menu rows) goes with /forget: the
database files hold nothing of the staff member, nor of a volunteer the desk answered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.runtime import BotRuntime
from tests.helpers.help_requests import ask, staff_team
from tests.helpers.privacy import every_value, raw_bytes
from tests.journey import User
from tests.miniapp.conftest import Desk

SUJIN, VOLUNTEER = 2002, 734_001_23


def _needles(telegram_id: int) -> list[bytes]:
    return [telegram_id.to_bytes(6, "big"), str(telegram_id).encode()]


async def test_forget_takes_the_desks_keys_answers_and_menu_rows(
    desk: Callable[..., Desk], user: Callable[..., User], bot: BotRuntime, db_path: Path
) -> None:
    await staff_team(user, bot)
    volunteer = user(VOLUNTEER)
    await volunteer.send("/start")
    await ask(volunteer, "질문이 있어요")
    await user(SUJIN).send("/stats")  # her first update gives her the menus
    sujin = desk(SUJIN, first_name="수진")
    answered = await sujin.act("api/questions/1/answer", {"text": "답이에요"})
    assert answered.status_code == 200, answered.text
    await sujin.key()  # an unused key too
    tables = {t for t, v in every_value(db_path) if v in (VOLUNTEER, SUJIN)}
    assert {"web_actions", "web_menus"} <= tables  # the desk held both

    await volunteer.send("/forget")
    assert "모두 지웠어요" in (await volunteer.click("네, 모두 지워 주세요")).text
    after = raw_bytes(db_path)
    assert [(n, x) for n, data in after.items() for x in _needles(VOLUNTEER) if x in data] == []

    staff = user(SUJIN)
    await staff.send("/forget")
    assert "모두 지웠어요" in (await staff.click("네, 모두 지워 주세요")).text
    after = raw_bytes(db_path)
    assert [(n, x) for n, data in after.items() for x in _needles(SUJIN) if x in data] == []
    left = [(t, v) for t, v in every_value(db_path) if t.startswith("web_")]
    assert (("web_menus", SUJIN) not in left) and (("web_actions", SUJIN) not in left)
