"""/staff log reads as sentences: every audited action has its line in both catalogs, and the
bot's own actions are told apart from those of someone who has since used /forget."""

from __future__ import annotations

import ast
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from string import Formatter
from typing import get_args

import aiosqlite
import pytest

from bot.i18n import CATALOGS
from bot.runtime import BotRuntime
from bot.services.broadcast_sender import Ending
from core.clock import FakeClock
from store.db import SqliteDatabase
from store.migrations import MIGRATIONS, migrate
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
    assert {"broadcast.launch", "broadcast.done", "staff.join"} <= actions
    assert "stats.view" not in actions  # a view changes nothing: never audited (issue 17)
    for lang, catalog in CATALOGS.items():
        missing = sorted(a for a in actions if f"staff.log.{a}" not in catalog)
        assert missing == [], lang


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_log_lines_render_with_the_details_their_action_records(lang: str) -> None:
    """A line naming a detail the action does not record would fall back to the raw code."""
    recorded = {
        "broadcast.cancel": {"broadcast", "sent", "queued"},
        "broadcast.resend": {"broadcast", "of", "recipients"},
        "staff.invite.revoke": set(),
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
    # /stats changed nothing, so it is not in the log (no "통계 봄" filling it).
    assert [line.split(" · ", 1)[1] for line in lines] == [
        "봇(자동) · 공지 #1 전송 끝 (받음 1명 · 실패 0명 · 차단 0명)",
        "지워진 사용자 · 공지 #1 보내기 시작 (1명)",
        "지워진 사용자 · 초대 링크로 담당자가 됨",
        "관리 · 초대 링크 만듦",
    ]
    entries = await services(bot).staff.recent_actions()
    assert all("2002" not in str(e.detail) for e in entries)


async def test_the_migration_also_clears_ids_of_users_forgotten_before_it(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Staff who used /forget before the trigger existed left their id behind: the migration
    clears it, and keeps the ids of users still there."""
    at = next(i for i, m in enumerate(MIGRATIONS) if m.name.startswith("a staff member's"))
    path = tmp_path / "old.sqlite3"
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    db = SqliteDatabase(conn, clock)
    try:
        await migrate(db, MIGRATIONS[:at])  # as the release before it left the database
        stamp = "2026-03-02T09:00:00.000000+00:00"
        await db.write(
            "INSERT INTO users (telegram_id, language, first_seen, last_seen)"
            " VALUES (2002, 'ko', ?, ?)",
            (stamp, stamp),
        )
        for chat in (2002, 2003):  # 2003 has used /forget
            await db.write(
                "INSERT INTO broadcasts (segment, text_ko, created_at, progress_chat_id,"
                " progress_message_id) VALUES ('all', '안내', ?, ?, 7)",
                (stamp, chat),
            )
            await db.write(
                "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, 9001, ?, ?)",
                (stamp, "staff.add", json.dumps({"member": chat})),
            )
        await migrate(db)
        progress = await db.fetch_all(
            "SELECT progress_chat_id, progress_message_id FROM broadcasts ORDER BY id"
        )
        assert [tuple(r) for r in progress] == [(2002, 7), (None, None)]
        details = await db.fetch_all("SELECT detail FROM audit_log ORDER BY id")
        assert [json.loads(r["detail"]) for r in details] == [{"member": 2002}, {"member": None}]
    finally:
        await db.close()
