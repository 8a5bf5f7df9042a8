"""/staff log reads as sentences: every audited action has its line in both catalogs, and the
bot's own actions are told apart from those of someone who has since used /forget."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from string import Formatter
from typing import get_args

import pytest

from bot.i18n import CATALOGS
from bot.runtime import BotRuntime
from bot.services.broadcast_sender import Ending
from tests.conftest import ADMIN_ID
from tests.journey import User
from tests.staff.broadcast_helpers import launch, run_to_end, volunteers
from tests.staff.helpers import invite_link, services

ROOT = Path(__file__).resolve().parents[2]


def audited_actions() -> set[str]:
    """Every action code the code base passes to `….audit(actor, action, …)`."""
    found: set[str] = set()
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "audit"
                and len(node.args) >= 2
            ):
                continue
            action = node.args[1]
            if isinstance(action, ast.Constant) and isinstance(action.value, str):
                found.add(action.value)
            elif ast.unparse(action) == "f'broadcast.{ending}'":
                # The sender's ending: every Ending but the one that is not an end.
                found |= {f"broadcast.{e}" for e in get_args(Ending) if e != "running"}
            else:
                raise AssertionError(f"{path}: an action code this test cannot read: {action}")
    return found


def test_every_audited_action_has_a_log_line_in_every_language() -> None:
    actions = audited_actions()
    assert {"broadcast.launch", "broadcast.done", "stats.view", "staff.join"} <= actions
    for lang, catalog in CATALOGS.items():
        missing = sorted(a for a in actions if f"staff.log.{a}" not in catalog)
        assert missing == [], lang


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_log_lines_render_with_the_details_their_action_records(lang: str) -> None:
    """A line naming a detail the action does not record would fall back to the raw code."""
    recorded = {
        "broadcast.cancel": {"broadcast", "sent", "queued"},
        "reminder.create": {"reminder", "repeat", "segment", "language"},
        "staff.join": {"invited_by"},
    }
    for action, keys in recorded.items():
        text = CATALOGS[lang][f"staff.log.{action}"]
        named = {name for _, name, _, _ in Formatter().parse(text) if name}
        assert named <= keys, (action, named)


async def test_the_bot_and_a_forgotten_staff_member_read_differently(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    admin = user(ADMIN_ID, first_name="관리")
    await admin.send("/start")
    _, payload = await invite_link(admin)
    sujin = user(2002, first_name="수진")
    await sujin.send(f"/start {payload}")
    await volunteers(user, [1001])
    launched = await launch(bot, by=2002, progress_chat_id=2002)
    await run_to_end(bot, launched.broadcast_id)
    await admin.send("/stats")
    await sujin.send("/forget")
    await sujin.click("네, 모두 지워 주세요")

    log = (await admin.send("/staff log")).text
    lines = log.splitlines()[1:]
    assert [line.split(" · ", 1)[1] for line in lines] == [
        "관리 · 통계 봄",
        "봇(자동) · 공지 #1 전송 끝 (받음 1명 · 실패 0명 · 차단 0명)",
        "지워진 사용자 · 공지 #1 보내기 시작 (1명)",
        "지워진 사용자 · 초대 링크로 담당자가 됨",
        "관리 · 초대 링크 만듦",
    ]
    entries = await services(bot).staff.recent_actions()
    assert all("2002" not in str(e.detail) for e in entries)
