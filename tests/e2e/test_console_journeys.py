"""The console demo as someone trying it types: every line goes through Console.handle, with
the real bot, the sandbox Bot API and the sandbox gateway; what they read is the output."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import httpx
import pytest

from app import build_application
from bot.i18n import raw
from bot.runtime import BotRuntime
from core.clock import OffsetClock
from linkage.client import GatewayClient
from sandbox.botapi import BotApiSandbox
from sandbox.console import Console, WarningTally, run_console
from sandbox.console_texts import when
from sandbox.gateway import GatewaySandbox
from store.links import LinkRepository
from tests.conftest import GATEWAY_KEY, make_settings

KST = ZoneInfo("Asia/Seoul")


@dataclass
class Demo:
    console: Console
    out: io.StringIO
    gateway: GatewaySandbox
    sandbox: BotApiSandbox

    async def type(self, line: str) -> str:
        """Types one line; returns what the console printed for it."""
        start = len(self.out.getvalue())
        await self.console.handle(line)
        return self.out.getvalue()[start:]

    async def link(self, vms_id: str = "kindly0904") -> str:
        await self.type("/link")
        await self.type(vms_id)
        code = await self.gateway.delivered_code(vms_id)
        assert code is not None
        return await self.type(code)


@pytest.fixture
async def demo(sandbox: BotApiSandbox, tmp_path: Path) -> AsyncIterator[Demo]:
    async with _demo(sandbox, tmp_path) as started:
        yield started


@asynccontextmanager
async def _demo(sandbox: BotApiSandbox, tmp_path: Path, **settings_: object) -> AsyncIterator[Demo]:
    # As in the demo: one adjustable clock shared by the gateway and the bot.
    async with GatewaySandbox(
        api_key=GATEWAY_KEY, db_path=tmp_path / "gateway.sqlite3", clock=OffsetClock()
    ) as gateway:
        settings = make_settings(sandbox, tmp_path / "bot.sqlite3", gateway, **settings_)
        app = await build_application(settings, clock=gateway.clock)
        # The bot's own tick only at start: what runs after a command is the console's doing.
        runtime = BotRuntime(app, poll_timeout=0.5, due_work_every=3600)
        await runtime.start()
        out = io.StringIO()
        tally = WarningTally()
        logging.getLogger().addHandler(tally)
        console = Console(
            sandbox, runtime, out, gateway, log_path=tmp_path / "demo.log", log_tally=tally
        )
        try:
            yield Demo(console, out, gateway, sandbox)
        finally:
            logging.getLogger().removeHandler(tally)
            await runtime.stop()


async def test_toasts_and_alerts_of_pressed_buttons_are_shown(demo: Demo) -> None:
    await demo.type("/settings")
    toast = await demo.type("1")  # 🔕 센터 알림 끄기
    assert f"💬 (화면 위 잠깐 알림) {raw('ko', 'settings.reminders_now_off')}" in toast
    # The toast comes as the button is pressed, before the menu changes under it.
    assert toast.index("💬") < toast.index("(수정됨)")

    await demo.type("/cancel")
    alert = await demo.type("1")  # the menu's buttons after its flow ended
    assert f"🔔 (알림 창) {raw('ko', 'callback.stale')}" in alert


async def test_client_says_the_telegram_app_language_changed(demo: Demo) -> None:
    said = await demo.type(":client en")
    assert "이제 Telegram 앱의 언어가 영어예요." in said
    assert "사용자로" not in said
    await demo.type("/start")
    assert demo.sandbox.world.users[1001].language_code == "en"  # what the bot is told
    assert "사용법: :client ko|en" in await demo.type(":client fr")


async def test_clock_says_the_new_time_in_kst(demo: Demo) -> None:
    said = await demo.type(":clock 25")
    now = demo.gateway.now().astimezone(KST)
    hour = now.hour % 12 or 12
    half = "오전" if now.hour < 12 else "오후"
    shown = re.search(r"지금: (\d{4})년 (\d{1,2})월 (\d{1,2})일 (오[전후]) (\d{1,2})시", said)
    assert shown is not None, said
    assert shown.groups() == (str(now.year), str(now.month), str(now.day), half, str(hour))
    assert "(KST)" in said and "+00:00" not in said


def test_times_read_as_people_write_them() -> None:
    afternoon = datetime(2026, 12, 1, 6, 5, tzinfo=UTC)  # 15:05 in Seoul
    assert when("ko", afternoon, KST) == "2026년 12월 1일 오후 3시 5분 (KST)"
    assert when("en", afternoon, KST) == "1 December 2026, 3:05 PM (KST)"
    on_the_hour = datetime(2026, 1, 9, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
    assert when("ko", on_the_hour, KST) == "2026년 1월 9일 오전 9시 (KST)"


async def test_volunteering_and_the_clock_run_due_work_and_show_what_the_bot_sent(
    demo: Demo,
) -> None:
    await demo.link()
    # The daily notice took what is there at linking as its baseline: nothing runs soon after.
    assert "새 실적 알림 1건" not in await demo.type(":clock 0.1")

    said = await demo.type(":volunteer kindly0904 2")
    assert "오늘 2시간 봉사 실적" in said
    # Nothing is due yet: the console says so and when the notice comes, in KST.
    next_notice = r"지금 때가 된 예약 작업은 없어요\. 다음 예약: .*새 실적 알림 [^,]*\(KST\)"
    assert re.search(next_notice, said)
    assert "기타 작업" not in said  # every standing job has its own name

    said = await demo.type(":clock 25")
    notice = demo.sandbox.bot_messages(1001)[-1]
    assert notice.buttons, "the new-record notice offers to send"
    # The notice the bot sent appears in the chat, with its button to press, then one line.
    assert f"🤖 {notice.text}" in said
    assert f"[1] {notice.buttons[0]}" in said
    summary = said.strip().splitlines()[-1]
    assert (
        summary.startswith("⏰ 때가 된 예약 작업을 실행했어요:") and "새 실적 알림 1건" in summary
    )


async def test_a_notice_to_another_chat_is_shown_under_that_chat(demo: Demo) -> None:
    await demo.type("/start")  # 민지, #1001
    await demo.link()
    await demo.type(":user 1002 지훈")
    said = await demo.link()  # 지훈 takes the member over: 민지 is told
    notice = demo.sandbox.bot_messages(1001)[-1]
    assert "🤖 → 민지 #1001 대화에 보낸 메시지:" in said
    assert notice.text.splitlines()[0] in said
    # Back to 민지 by number alone: the console remembers her name.
    assert "이제 민지 #1001 사용자로 보내요." in await demo.type(":user 1001")


async def test_a_logged_warning_is_one_line_between_turns_not_the_log_itself(
    demo: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    said = await demo.type("900101-1234567")  # a resident number: the bot deletes it and warns
    assert any(r.levelno == logging.WARNING for r in caplog.records)
    assert (
        said.strip()
        .splitlines()[-1]
        .endswith("경고 로그 1줄이 " + str(demo.console.log_path) + " 파일에 남았어요.")
    )
    assert "WARNING" not in said and "1234567" not in said
    # Told once: the next turn has no warning to report.
    assert "경고 로그" not in await demo.type("/help")


async def test_codes_and_rejections_from_before_the_console_started_are_not_repeated(
    sandbox: BotApiSandbox, demo: Demo
) -> None:
    await demo.link()
    # A console that starts over the same gateway and sandbox (a restart of the demo).
    fresh = io.StringIO()
    again = Console(sandbox, demo.console.runtime, fresh, demo.gateway)
    await again.handle("/help")
    assert "모의 발송" not in fresh.getvalue()
    await again.handle("/link")
    await again.handle("sora2008")
    assert fresh.getvalue().count("(모의 발송)") == 1
    assert "sora2008 회원에게 이메일이 갔어요" in fresh.getvalue()  # sora2008 gets codes by e-mail


async def test_staff_answer_a_help_request_with_reply(demo: Demo) -> None:
    """A volunteer asks the center; the staff member answers with :reply, as Telegram's
    "Reply" does, and the volunteer reads the answer."""
    await demo.type(":staff")
    await demo.type("/start")  # the bot can only write to staff who opened a chat with it
    await demo.type(":user 1001")
    await demo.type("/help")
    shown = await demo.type("1")  # 센터에 문의 (the only button under /help)
    assert raw("ko", "help.ask.prompt").splitlines()[0] in shown
    assert raw("ko", "help.ask.sent") in await demo.type("전송이 안 돼요. 어떻게 하죠?")
    await demo.type(":staff")
    assert "사용법: :reply 답장할 글" in await demo.type(":reply")
    said = await demo.type(":reply 1365 정보제공 동의부터 해 주세요")
    assert "↪ 봇의 마지막 메시지에 답장해요." in said
    assert raw("ko", "help.answer.relayed") in said
    # The answer went to the volunteer's chat, shown under it.
    assert "1365 정보제공 동의부터 해 주세요" in said.split("#1001 대화에 보낸 메시지", 1)[1]


async def test_consent_and_volunteer_use_the_day_in_korea_not_utc(demo: Demo) -> None:
    now = demo.gateway.now().astimezone(KST)
    # 08:00 in Seoul is 23:00 of the day before in UTC.
    target = (now + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    await demo.type(f":clock {(target - now).total_seconds() / 3600:.4f}")
    today = demo.gateway.now().astimezone(KST).date()
    assert demo.gateway.now().astimezone(UTC).date() != today
    await demo.type(":consent sora2008 1365 on")
    assert demo.gateway.member("sora2008")["consent_1365"] == today.isoformat()
    await demo.link("sora2008")
    await demo.type(":volunteer sora2008 2")
    link = await LinkRepository(demo.console.runtime.app.bot_data.backend.db).get(1001)  # type: ignore[union-attr]
    assert link is not None
    async with GatewayClient(demo.gateway.base_url, GATEWAY_KEY) as client:
        page = await client.records(link.link_id, status=("unsent",), limit=100)
    assert today in {r.activity_date for r in page.items if r.minutes == 120}


async def test_an_emailed_code_is_announced_as_an_email(demo: Demo) -> None:
    await demo.type("/link")
    said = await demo.type("sora2008")  # sora2008 receives codes by e-mail
    assert "이메일이 갔어요" in said and "문자가 갔어요" not in said
    said = await demo.type("/link")
    said = await demo.type("kindly0904")  # by text message
    assert "문자가 갔어요" in said


async def test_the_demo_says_how_to_make_the_staff_reachable_until_they_are(demo: Demo) -> None:
    """A help request in the demo found nobody (the staff user had never started the bot)
    and said only "try later": the console now says what to do, until it is done."""
    hint = "센터 직원은 아직 봇과 대화한 적이 없어서"
    await run_console(demo.console, asyncio.Event(), io.StringIO(":quit\n"))
    assert hint in demo.out.getvalue()
    await demo.type(":staff")
    await demo.type("/start")
    start = len(demo.out.getvalue())
    await run_console(demo.console, asyncio.Event(), io.StringIO(":quit\n"))
    assert hint not in demo.out.getvalue()[start:]


async def test_a_line_over_4096_units_is_said_too_long_and_the_demo_goes_on(demo: Demo) -> None:
    """Telegram takes 4,096 UTF-16 units in a message; the demo used to crash on more."""
    await demo.type("/start")
    out = await demo.type("가" * 4097)
    assert "메시지가 너무 길어서 보내지 않았어요. 길이 4,097, 한 메시지는 4,096까지예요" in out
    # An emoji counts two: 2,049 of them are 4,098 units, though only 2,049 characters.
    out = await demo.type("🙂" * 2049)
    assert "길이 4,098" in out
    assert "4096" not in (await demo.type("가" * 4096))  # at the limit it goes to the bot
    assert "무엇을 도와드릴까요" in await demo.type("안녕")


async def test_the_demo_says_how_to_try_the_desk_without_web_url(demo: Demo) -> None:
    await run_console(demo.console, asyncio.Event(), io.StringIO(":quit\n"))
    out = demo.out.getvalue()
    assert "WEB_URL=http://127.0.0.1:8080/desk/" in out and "WEB_LISTEN=127.0.0.1:8080" in out


async def test_the_demo_gives_a_signed_in_link_to_the_desk(
    sandbox: BotApiSandbox, tmp_path: Path
) -> None:
    desk = {"web_url": "http://127.0.0.1:8080/desk/", "web_listen": "127.0.0.1:0"}
    async with _demo(sandbox, tmp_path, **desk) as demo:
        await run_console(demo.console, asyncio.Event(), io.StringIO(":quit\n"))
        found = re.search(
            r"(http://127\.0\.0\.1:\d+/desk/)#today&tgWebAppData=(\S+)", demo.out.getvalue()
        )
        assert found is not None, demo.out.getvalue()
        page, init_data = found.group(1), unquote(found.group(2))
        async with httpx.AsyncClient(timeout=10) as http:
            assert (await http.get(page)).status_code == 200
            me = await http.get(page + "api/me", headers={"Authorization": f"tma {init_data}"})
        assert me.status_code == 200, me.text
        assert me.json()["role"] == "admin"
