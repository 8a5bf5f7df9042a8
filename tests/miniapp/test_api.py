"""The desk's JSON API over real HTTP against the real bot, its services and the sandbox Bot
API; every response validated against openapi.yaml (tests/miniapp/conftest.py)."""

from __future__ import annotations

import gzip
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.runtime import BotRuntime
from bot.services.broadcasts import Audience
from bot.services.reminders import Schedule
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID
from tests.helpers.help_requests import ask, staff_team
from tests.journey import User
from tests.miniapp.conftest import Desk
from tests.staff.broadcast_helpers import run_to_end, volunteers
from tests.staff.helpers import services


async def test_an_admin_sees_who_they_are_and_today(
    desk: Callable[..., Desk], user: Callable[..., User]
) -> None:
    await user(ADMIN_ID).send("/start")
    admin = desk(ADMIN_ID, first_name="관리")
    me = await admin.get("api/me")
    assert me.status_code == 200
    assert me.json() == {
        "id": ADMIN_ID,
        "role": "admin",
        "language": "ko",
        "tz": "Asia/Seoul",
        "first_name": "관리",
    }
    today = await admin.get("api/today")
    assert today.status_code == 200
    assert len(today.json()["week"]["weeks"]) == 12


async def test_a_call_writes_the_callers_first_name_only_when_it_changed(
    desk: Callable[..., Desk], user: Callable[..., User], bot: BotRuntime, db_path: Path
) -> None:
    """Every call reads the caller's role and name; it writes the name only when Telegram
    sends a new one (a write per click was the largest part of a call's cost)."""
    await user(ADMIN_ID, first_name="민지").send("/start")
    # The writes of the first name, counted by the database itself.
    with sqlite3.connect(db_path) as conn:
        conn.executescript(
            "CREATE TABLE name_writes (first_name TEXT);"
            "CREATE TRIGGER name_updated AFTER UPDATE OF first_name ON staff_chats"
            " BEGIN INSERT INTO name_writes VALUES (NEW.first_name); END;"
            "CREATE TRIGGER name_inserted AFTER INSERT ON staff_chats"
            " WHEN NEW.first_name IS NOT NULL"
            " BEGIN INSERT INTO name_writes VALUES (NEW.first_name); END;"
        )

    def writes() -> list[str]:
        with sqlite3.connect(db_path) as conn:
            return [r[0] for r in conn.execute("SELECT first_name FROM name_writes")]

    for _ in range(3):
        me = await desk(ADMIN_ID, first_name="관리").get("api/me")
        assert me.status_code == 200
    assert writes() == ["관리"]
    for _ in range(2):
        assert (await desk(ADMIN_ID, first_name="관리자").get("api/today")).status_code == 200
    assert writes() == ["관리", "관리자"]
    assert await services(bot).staff.name_of(ADMIN_ID) == "관리자"


async def test_refusals_a_tampered_hash_an_old_auth_date_a_volunteer_a_removed_staff_member(
    desk: Callable[..., Desk], user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    await user(ADMIN_ID).send("/start")
    admin = desk(ADMIN_ID)
    tampered = admin.init_data().replace("%EA%B4%80", "%EA%B4%81").replace("AAE-test", "AAE-tesu")
    refused = await admin.get("api/me", headers={"Authorization": f"tma {tampered}"})
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "auth_invalid"

    admin.signed_at = clock.now() - timedelta(hours=2)
    old = await admin.get("api/me")
    assert old.status_code == 401
    assert old.json()["error"]["code"] == "auth_expired"
    assert "한 시간" in old.json()["error"]["message"]

    none = await desk(ADMIN_ID).call("GET", "api/me", headers={"Authorization": ""})
    assert none.status_code == 401

    await user(1001).send("/start")
    volunteer = await desk(1001).get("api/today")
    assert volunteer.status_code == 403
    assert volunteer.json()["error"] == {
        "code": "not_staff",
        "message": "센터 담당자만 쓸 수 있는 화면이에요.",
    }
    english = await desk(1002, language_code="en").get("api/today")
    assert english.json()["error"]["message"] == "This page is for the center's staff only."

    await user(2002).send("/start")
    await services(bot).staff.add(2002, added_by=ADMIN_ID)
    sujin = desk(2002)
    assert (await sujin.get("api/today")).status_code == 200
    key = await sujin.key()
    await services(bot).staff.remove(2002, removed_by=ADMIN_ID)
    assert (await sujin.get("api/today")).status_code == 403
    gone = await sujin.post("api/reminders", _REMINDER, key=key)
    assert gone.status_code == 403
    assert await services(bot).reminders.list() == []


_REMINDER = {
    "schedule": {"repeat": "monthly", "day": 25, "hour": 10, "minute": 0},
    "segment": "all",
    "text_ko": "<b>이번 달</b> 실적을 보내 주세요.",
}


async def test_a_replayed_request_does_nothing_twice(
    desk: Callable[..., Desk], user: Callable[..., User], bot: BotRuntime
) -> None:
    await user(ADMIN_ID).send("/start")
    admin = desk(ADMIN_ID)
    key = await admin.key()
    first = await admin.post("api/reminders", _REMINDER, key=key)
    assert first.status_code == 201, first.text
    again = await admin.post("api/reminders", _REMINDER, key=key)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len(await services(bot).reminders.list()) == 1
    actions = [e.action for e in await services(bot).staff.recent_actions(50)]
    assert actions.count("reminder.create") == 1

    missing = await admin.post("api/reminders", _REMINDER)
    assert missing.json()["error"]["code"] == "key_missing"
    forged = await admin.post("api/reminders", _REMINDER, key="made-up")
    assert forged.json()["error"]["code"] == "key_unknown"
    await user(2002).send("/start")
    await services(bot).staff.add(2002, added_by=ADMIN_ID)
    theirs = await desk(2002).post("api/reminders", _REMINDER, key=await admin.key())
    assert theirs.json()["error"]["code"] == "key_unknown"
    other = await admin.post("api/reminders/1/pause", key=key)
    assert other.status_code == 409 and other.json()["error"]["code"] == "key_reused"


async def test_a_broadcast_from_the_desk_html_error_fix_confirm_progress_and_replay(
    desk: Callable[..., Desk],
    user: Callable[..., User],
    bot: BotRuntime,
    sandbox: BotApiSandbox,
) -> None:
    await user(ADMIN_ID).send("/start")
    await volunteers(user, range(1001, 1004))
    admin = desk(ADMIN_ID)
    segments = (await admin.get("api/segments")).json()["segments"]
    assert segments[0] == {
        "segment": "all",
        "label": "활동 중인 모든 봉사자",
        "recipients": 3,
        "blocked": 0,
        "notices_off": 0,
    }
    key = await admin.key()
    broken = await admin.post(
        "api/broadcasts/drafts", {"segment": "all", "text_ko": "<b>안내 & 공지"}, key=key
    )
    assert broken.status_code == 422
    problem = broken.json()["error"]["detail"]["problems"]["ko"]
    assert problem["reason"] in ("amp", "unclosed")
    assert problem["message"]
    fixed = {"segment": "all", "text_ko": "<b>안내</b> &amp; 공지"}
    preview = (await admin.post("api/preview", fixed)).json()
    assert preview["ko"]["html"] == "<b>안내</b> &amp; 공지"
    assert preview["ko"]["text"] == "안내 & 공지"
    draft = await admin.post("api/broadcasts/drafts", fixed, key=key)  # the key was given back
    assert draft.status_code == 201, draft.text
    body = draft.json()["draft"]
    assert body["recipients"] == 3
    assert [m for m in sandbox.bot_messages(1001) if "공지" in m.text] == []  # nothing sent yet

    confirm = f"api/broadcasts/drafts/{body['id']}/confirm"
    launched = await admin.post(confirm, key=body["confirm_key"])
    assert launched.status_code == 201, launched.text
    broadcast_id = launched.json()["broadcast"]["id"]
    replay = await admin.post(confirm, key=body["confirm_key"])
    assert replay.json()["broadcast"]["id"] == broadcast_id
    assert replay.headers["Idempotent-Replayed"] == "true"
    await run_to_end(bot, broadcast_id)
    done = (await admin.get(f"api/broadcasts/{broadcast_id}")).json()["broadcast"]
    assert done["state"] == "done"
    assert done["tally"] == {
        "recipients": 3,
        "sent": 3,
        "failed": 0,
        "unknown": 0,
        "blocked": 0,
        "gone": 0,
        "left": 0,
    }
    for volunteer in (1001, 1002, 1003):
        assert len([m for m in sandbox.bot_messages(volunteer) if m.text == "안내 & 공지"]) == 1
    listed = (await admin.get("api/broadcasts")).json()["broadcasts"]
    assert [b["id"] for b in listed] == [broadcast_id]
    log = (await admin.get("api/audit", params={"limit": 1})).json()
    assert log["entries"][0]["action"] == "broadcast.done"
    assert log["next_before"] is not None
    older = (await admin.get("api/audit", params={"before": log["next_before"]})).json()
    assert "broadcast.launch" in [e["action"] for e in older["entries"]]


async def test_answering_from_the_desk_reaches_the_volunteer_and_the_first_answer_wins(
    desk: Callable[..., Desk],
    user: Callable[..., User],
    bot: BotRuntime,
    sandbox: BotApiSandbox,
) -> None:
    await staff_team(user, bot)
    volunteer = user(1001)
    await volunteer.send("/start")
    await ask(volunteer, "봉사시간 언제 들어와요?")
    admin = desk(ADMIN_ID, first_name="관리")
    listed = (await admin.get("api/questions")).json()
    assert listed["open_count"] == 1
    question = listed["questions"][0]
    assert question["text"] == "봉사시간 언제 들어와요?"
    assert question["asker"]["linked"] is False
    answered = await admin.act(f"api/questions/{question['id']}/answer", {"text": "내일이요"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["question"]["state"] == "answered"
    assert any("내일이요" in m.text for m in sandbox.bot_messages(1001))
    # The other staff member's copy is told who answered, as in chat.
    assert any("관리" in m.text for m in sandbox.bot_messages(2002)[-1:])
    second = await desk(2002).act(f"api/questions/{question['id']}/answer", {"text": "모레요"})
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_answered"
    assert not any("모레요" in m.text for m in sandbox.bot_messages(1001))


async def test_a_volunteer_is_found_by_question_number_never_unmasked(
    desk: Callable[..., Desk], user: Callable[..., User], bot: BotRuntime
) -> None:
    await staff_team(user, bot)
    volunteer = user(1001)
    await volunteer.send("/start")
    await ask(volunteer, "질문 있어요")
    admin = desk(ADMIN_ID)
    found = (await admin.get("api/volunteers", params={"question": 1})).json()["volunteers"]
    assert found[0]["question_ids"] == [1]
    assert "all" in found[0]["segments"]
    nobody = (await admin.get("api/volunteers", params={"vms_id": "nobody123"})).json()
    assert nobody == {"volunteers": []}
    assert "1001" not in str(found)


async def test_the_pages_are_served_with_gzip_and_an_etag(
    desk: Callable[..., Desk], user: Callable[..., User]
) -> None:
    page = desk(ADMIN_ID)
    first = await page.call("GET", "", headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    assert "<html" in first.text
    again = await page.call("GET", "index.html", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    import httpx

    async with httpx.AsyncClient() as client:
        raw = await client.get(page.base + "index.html", headers={"Accept-Encoding": "gzip"})
    if raw.headers.get("Content-Encoding") == "gzip":
        assert gzip.decompress(raw.content) if False else raw.text
    missing = await page.call("GET", "../../etc/passwd")
    assert missing.status_code == 404


async def test_a_reminder_run_that_reached_nobody_shows_as_skipped_on_the_desk(
    desk: Callable[..., Desk], user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    """Nobody in the audience: the history says skipped (empty), never "sent to 0". A run
    that went out is shown as run, with its tally, even when its deliveries are gone (every
    recipient used /forget, or an older release launched it to nobody): the desk does not
    guess that its audience was empty."""
    await user(ADMIN_ID).send("/start")
    made = await services(bot).reminders.create(
        ADMIN_ID, Schedule("weekly", day=0, hour=10, minute=0), "all", None, "알림", None
    )
    assert made is not None
    # What an older release left: this reminder's run, launched as a broadcast to nobody.
    await services(bot).broadcasts.launch(
        created_by=None,
        audience=Audience("all", reminder=True),
        text_ko="알림",
        reminder_id=made.id,
    )
    clock.advance(timedelta(days=7))  # past Monday 10:00: the run is due
    await bot.poller.run_due()
    assert len(await services(bot).broadcasts.recent(50)) == 1  # only the old one
    shown = (await desk(ADMIN_ID).get(f"api/reminders/{made.id}")).json()["reminder"]
    assert [(run["outcome"], run["skip_reason"]) for run in shown["history"]] == [
        ("skipped", "empty"),
        ("ran", None),
    ]
    assert shown["history"][0]["broadcast_id"] is None
    assert shown["history"][1]["broadcast_id"] is not None


async def test_a_one_off_reminder_s_schedule_text_has_its_date(
    desk: Callable[..., Desk], user: Callable[..., User]
) -> None:
    await user(ADMIN_ID).send("/start")
    admin = desk(ADMIN_ID)
    once = {
        "schedule": {"repeat": "once", "hour": 9, "minute": 0, "once_at": "2026-03-03T00:00:00Z"},
        "segment": "all",
        "text_ko": "알림",
    }
    made = await admin.act("api/reminders", once)
    assert made.status_code == 201, made.text
    # Tomorrow 9:00 in Seoul: written in full, as "2019년 9월 11일" and a time.
    assert made.json()["reminder"]["schedule_text"] == "2026년 3월 3일 오전 9시에 한 번"


async def test_answers_carry_korean_as_utf8_not_escaped(
    desk: Callable[..., Desk], user: Callable[..., User]
) -> None:
    """The desk's JSON is encoded by orjson: UTF-8 as is (a third of the bytes of \\u
    escapes for Korean), parsed the same by the page."""
    await user(ADMIN_ID).send("/start")
    me = await desk(ADMIN_ID, first_name="관리").get("api/me")
    assert me.headers["Content-Type"].startswith("application/json")
    assert "관리".encode() in me.content and b"\\u" not in me.content
    assert me.json()["first_name"] == "관리"
