"""Issue 17, part 6: the staff details the trial found, each as staff meet it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.runtime import BotRuntime
from bot.services.charts import WeeklyChart
from bot.services.reminders import Schedule
from core.clock import FakeClock
from handlers.stats_views import chart_texts
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID, StartBot
from tests.helpers.help_requests import ALREADY, ask, copy_for, staff_team
from tests.journey import User
from tests.staff.broadcast_helpers import backend_of, launch

STAFF_LINES = (
    "/broadcast — 봉사자에게 공지 보내기",
    "/remind — 정기 알림 관리",
    "/stats — 통계 보기",
)


async def test_help_lists_the_staff_commands_to_staff_only(user: Callable[..., User]) -> None:
    admin, minji = user(ADMIN_ID), user(1001)
    shown = (await admin.send("/help")).text
    assert "센터 담당자 명령" in shown and all(line in shown for line in STAFF_LINES)
    shown = (await minji.send("/help")).text
    assert "센터 담당자 명령" not in shown and "/broadcast" not in shown


async def test_a_reply_to_the_answered_notice_says_the_request_is_answered(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    admin, sujin = await staff_team(user, bot)
    minji = user(1001)
    await minji.send("/start")
    await ask(minji, "질문이에요")
    copy = copy_for(sandbox, ADMIN_ID, 1)
    # The copy tells staff that an answer goes as plain text.
    assert "답은 쓴 글자 그대로 가요 (굵게·링크 같은 서식은 빠져요)" in copy.text
    await sujin.reply(copy_for(sandbox, 2002, 1).message_id, "답이에요")
    notice = sandbox.bot_messages(ADMIN_ID)[-1]
    assert notice.text == "수진님이 이 문의에 답했어요."
    before = len(sandbox.bot_messages(1001))
    seen = await admin.reply(notice.message_id, "저도 한마디")
    assert seen.texts == [ALREADY]
    assert len(sandbox.bot_messages(1001)) == before


async def test_an_expired_composer_button_names_its_command(
    user: Callable[..., User], clock: FakeClock
) -> None:
    admin = user(ADMIN_ID)
    picker = (await admin.send("/broadcast")).new[0]
    clock.advance(timedelta(hours=3))
    seen = await admin.click(picker.buttons[0], picker.message_id)
    assert seen.toast is not None and "/broadcast 로 다시 시작해 주세요" in seen.toast["text"]
    assert "/start" not in seen.toast["text"]
    listing = (await admin.send("/remind")).new[0]
    clock.advance(timedelta(hours=3))
    seen = await admin.click(listing.buttons[0], listing.message_id)
    assert seen.toast is not None and "/remind 로 다시 시작해 주세요" in seen.toast["text"]


async def test_a_cancelled_broadcast_shows_as_stopped_in_stats(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    admin = user(ADMIN_ID)
    await admin.send("/start")
    await user(1001).send("/start")
    launched = await launch(bot, by=ADMIN_ID)
    assert await backend_of(bot).services.broadcasts.cancel(launched.broadcast_id, by=ADMIN_ID)
    text = (await admin.send("/stats")).new[0].text
    recent = text.split("최근 공지", 1)[1]
    assert "(멈춤)" in recent and "보내는 중" not in recent


def test_the_chart_with_no_sends_counts_from_zero_in_whole_numbers() -> None:
    from bot.services.charts import draw_weekly  # the figure render_weekly saves as PNG

    tz = ZoneInfo("Asia/Seoul")
    monday = datetime(2026, 11, 30, tzinfo=UTC)
    weeks = [monday - timedelta(weeks=n) for n in range(11, -1, -1)]
    figure = draw_weekly(WeeklyChart(weeks, [0] * 12, [0] * 12), chart_texts("ko", tz))
    axes = figure.axes[0]
    low, high = axes.get_ylim()
    assert low == 0 and high >= 1
    ticks = [tick for tick in axes.get_yticks() if low <= tick <= high]
    assert ticks and all(tick == int(tick) and tick >= 0 for tick in ticks), ticks


async def test_a_skipped_reminder_reads_as_skipped_everywhere_and_its_author_is_told(
    start_bot: StartBot, sandbox: BotApiSandbox, clock: FakeClock
) -> None:
    """A one-off due while the bot was down for two days: not sent, and nowhere "끝남"."""
    first = await start_bot()
    await User(sandbox, first, ADMIN_ID).send("/start")
    due = clock.now() + timedelta(hours=2)
    created = await backend_of(first).services.reminders.create(
        ADMIN_ID, Schedule("once", once_at=due), "all", None, "월말 알림", None
    )
    assert created is not None
    await first.stop()
    clock.set(due + timedelta(days=2))
    second = await start_bot()
    admin = User(sandbox, second, ADMIN_ID)
    before = len(sandbox.bot_messages(ADMIN_ID))
    await second.poller.run_due()
    told = [m.text for m in sandbox.bot_messages(ADMIN_ID)[before:]]
    assert len(told) == 1 and told[0].startswith("⏭ 알림 #1 건너뜀"), told
    assert "봇이 하루 넘게 꺼져 있어서 보내지 않았어요" in told[0]
    assert await backend_of(second).services.broadcasts.recent(limit=10) == []
    listing = (await admin.send("/remind")).text
    assert "건너뜀 (보내지 않음)" in listing and "끝남" not in listing
    assert "보내지 않고 건너뛰었어요" in listing
    log = (await admin.send("/staff log")).text
    assert "알림 #1 건너뜀: 봇이 하루 넘게 꺼져 있어서 1번을 보내지 않음" in log


async def test_a_long_notice_split_by_telegram_is_counted_whole_and_asked_about(
    user: Callable[..., User], clock: FakeClock
) -> None:
    admin = user(ADMIN_ID)
    await user(1001).send("/start")
    await admin.send("/broadcast")
    await admin.click("모든 봉사자 · 1명")
    # The client sends a 4,296-character notice as 4,096 + 200, a second apart.
    asked_en = await admin.send("가" * 4096)
    assert "영어 사용자에게 보낼 글" in asked_en.text
    clock.advance(timedelta(seconds=1))
    seen = await admin.send("나" * 200)
    assert "미리보기" not in seen.text  # not taken as the English text
    assert "두 부분을 합치면 4296자라 한도(4096자)보다 200자 길어서" in seen.text
    assert seen.new[0].buttons == ["✂️ 줄여서 다시 쓰기", "🇬🇧 영어 글이 맞아요", "취소"]
    again = await admin.click("✂️ 줄여서 다시 쓰기")
    assert "보낼 글을 써 주세요" in again.text
    # Written shorter, the next text is the English one again, as usual.
    await admin.send("짧은 공지")
    clock.advance(timedelta(seconds=1))
    assert "미리보기" in (await admin.send("A short notice")).text
