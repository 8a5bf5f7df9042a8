"""/stats as center staff see it, over real volunteers who linked, sent and checked /status."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

import pytest
from matplotlib.image import imread

from bot.runtime import BotRuntime
from bot.services.charts import ChartTexts, WeeklyChart
from bot.services.stats import BroadcastTotals, StatsService
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import ADMIN_ID
from tests.journey import User
from tests.staff.helpers import center

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def stats_service(bot: BotRuntime) -> StatsService:
    services = bot.app.bot_data.services
    assert services is not None
    return services.stats


async def test_staff_see_exact_counts_and_a_png_chart(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock, gateway: GatewaySandbox,
    sandbox: BotApiSandbox,
) -> None:  # fmt: skip
    first_send = clock.now()
    await center(user, bot, clock, gateway)
    seen = await user(ADMIN_ID).send("/stats")
    text = seen.new[0].text
    assert "이용 중 6명 · 봇 차단 1명" in text  # the admin is no volunteer
    assert "VMS 계정을 연결한 봉사자 5명" in text
    assert "1365: 동의 2명 · 미동의 2명" in text and "VMS: 동의 3명 · 미동의 1명" in text
    assert "아직 현황을 확인하지 않은 1명은 빼고 셌어요" in text  # jiwoo
    # sora's 3 and minjun's 3 (the gateway refused a send without 1365 consent).
    assert "미전송 실적 6건" in text
    assert "최근 7일 1번 · 최근 30일 3번" in text
    assert "최근 30일 동안 1365에 올라간 실적 5건" in text
    assert "전송 성공률 62.5% (성공 5건 · 실패 3건" in text
    assert "   1. 실명인증 정보가 맞지 않아요: 3건" in text and "   2. " not in text
    assert "답을 기다리는 문의 0건" in text and "최근 공지가 없어요" in text
    # Counts only: no Telegram id, no VMS ID (plain or masked), no name.
    for secret in ("1001", "1002", "1005", str(ADMIN_ID), "kindly", "kin****", "seoyeon", "민지"):
        assert secret not in text

    (message,) = sandbox.photos(ADMIN_ID)
    photo = message.photo
    assert photo is not None and photo.data.startswith(PNG_SIGNATURE)
    assert 5_000 < len(photo.data) < 500_000
    pixels = imread(io.BytesIO(photo.data), format="png")
    assert pixels.shape[:2] == (photo.height, photo.width) == (540, 960)
    assert message.text.startswith("📈 주간 전송 현황")

    weekly = await stats_service(bot).weekly()
    assert len(weekly.sends) == 12 and sum(weekly.sends) == 3 and sum(weekly.failures) == 3
    # The week (Monday 00:00 KST) holding the first sends.
    first_week = next(i for i, w in enumerate(weekly.weeks) if w > first_send) - 1
    assert weekly.sends[first_week] == 2 and weekly.failures[first_week] == 3
    assert weekly.sends[-1] == 1  # kindly's second send, 8 days later
    actions = [e.action for e in await bot.app.bot_data.services.staff.recent_actions()]  # type: ignore[union-attr]
    assert "stats.view" not in actions  # looking changes nothing: not in the audit log


async def test_a_volunteer_gets_the_refusal_and_no_counts(
    user: Callable[..., User], sandbox: BotApiSandbox
) -> None:
    minji = user(1001)
    await minji.send("/start")
    seen = await minji.send("/stats")
    assert seen.texts == ["센터 담당자만 쓸 수 있는 명령이에요."]
    assert sandbox.photos(1001) == []


async def test_a_chart_that_fails_leaves_the_text_and_one_log_line_without_personal_data(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    def broken(chart: WeeklyChart, texts: ChartTexts) -> bytes:
        raise RuntimeError("font missing for kindly0904 (1001)")

    stats_service(bot).renderer = broken
    minji = user(1001)
    await minji.send("/start")
    with caplog.at_level(logging.WARNING, logger="bot.services.stats"):
        seen = await user(ADMIN_ID).send("/stats")
    assert "이용 중 1명" in seen.text
    assert sandbox.photos(ADMIN_ID) == []
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.services.stats"]
    assert lines == ["stats chart could not be drawn: RuntimeError"]


async def test_help_requests_and_broadcasts_show_once_wired(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    """The two sources other features provide; here minimal ones keeping the protocols."""

    class Help:
        async def open_help_requests(self) -> int:
            return 1234

    class Broadcasts:
        async def recent_broadcasts(self, limit: int) -> list[BroadcastTotals]:
            at = clock.now()
            return [BroadcastTotals(at, 3000, 2990, 4, 6, True),
                    BroadcastTotals(at, 10, 2, 0, 0, False)][:limit]  # fmt: skip

    stats = stats_service(bot)
    stats.help_requests, stats.broadcasts = Help(), Broadcasts()
    text = (await user(ADMIN_ID).send("/stats")).new[0].text
    assert "답을 기다리는 문의 1,234건" in text
    assert "대상 3,000명 · 보냄 2,990명 · 실패 4명 · 차단 6명" in text
    assert "대상 10명 · 보냄 2명 · 실패 0명 · 차단 0명 (보내는 중)" in text


async def test_each_stats_counts_afresh(user: Callable[..., User]) -> None:
    """No count is kept between two /stats (another worker may have changed the numbers):
    a volunteer who starts the bot in between is counted at once."""
    admin = user(ADMIN_ID)
    await user(1001).send("/start")
    assert "이용 중 1명" in (await admin.send("/stats")).new[0].text
    await user(1002).send("/start")
    assert "이용 중 2명" in (await admin.send("/stats")).new[0].text


def test_the_chart_axis_names_what_it_counts_not_two_units() -> None:
    """Not "번 · 건" (issue 17, part 7): the bars are sends and failed records."""
    from zoneinfo import ZoneInfo

    from handlers.stats_views import chart_texts

    texts = chart_texts("ko", ZoneInfo("Asia/Seoul"))
    assert texts.axis == "전송 횟수 · 실패 건수"
    assert chart_texts("en", ZoneInfo("Asia/Seoul")).axis == "sends · failed records"
