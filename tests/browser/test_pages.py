"""Every page opens for staff with something on it, in light and dark, at a phone's 390×844,
and is screenshot (tests/browser/screens/, or BROWSER_SCREENS_DIR); the first load is small."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from bot.services.broadcasts import Audience
from store.reminders import Schedule
from tests.browser.live import Live
from tests.staff.helpers import center

PAGES = ["today", "broadcast", "reminders", "questions", "volunteers", "log"]
FIRST_LOAD_LIMIT = 300 * 1024  # bytes transferred, the bound


def a_day_at_the_desk(live: Live) -> None:
    """/stats' center (sends and failures over two weeks), two questions, a finished
    broadcast, a reminder."""
    live.run(center(live.user, live.bot, live.clock, live.gateway))
    live.ask(live.user(1001), "동의했는데 전송이 안 돼요. 어떻게 하죠?")
    live.ask(live.user(1004), "봉사 시간이 1365에 언제 보이나요?")
    services = live.backend.services

    async def history() -> None:
        launched = await services.broadcasts.launch(
            created_by=9001,
            audience=Audience("all"),
            text_ko="<b>센터 안내</b> 이번 달 실적을 1365로 보내 주세요.",
            text_en=None,
            progress_chat_id=None,
        )
        await live.bot.poller.run_due()
        await asyncio.wait_for(live.backend.sender.wait(launched.broadcast_id), 30)
        await services.reminders.create(
            9001,
            Schedule("monthly", 25, 10, 0),
            "all",
            None,
            "이번 달 실적 전송을 잊지 마세요.",
            None,
        )

    live.run(history())


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_opens_and_is_screenshot(
    live: Live, page: Page, screens: Path, theme: str
) -> None:
    a_day_at_the_desk(live)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live.url(theme=theme))
    for name in PAGES:
        page.click(f"#tab-{name}")
        expect(page.locator(f"main[data-page={name}] .card").first).to_be_visible()
        if name == "volunteers":
            page.get_by_label("질문 번호").fill("1")
            page.keyboard.press("Enter")
            expect(page.locator("#v-result .volunteer")).to_be_visible()
        if name == "broadcast":
            page.fill("#bc-text-ko", "<b>센터 안내</b> 이번 주 <i>금요일</i>까지 보내 주세요")
            expect(page.locator("#preview-ko .bubble")).to_be_visible()
        page.screenshot(path=str(screens / f"{name}-{theme}.png"))
        page.screenshot(path=str(screens / f"{name}-{theme}-full.png"), full_page=True)
    assert errors == []


def test_the_first_load_is_under_300_kb(live: Live, page: Page) -> None:
    requests: list[Request] = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(live.url())
    expect(page.locator("main[data-page=today] .card").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    sizes = [r.sizes() for r in requests]
    transferred = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
    print(f"first load: {len(requests)} requests, {transferred / 1024:.1f} KB transferred")
    assert transferred < FIRST_LOAD_LIMIT
