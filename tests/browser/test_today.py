"""오늘 while a broadcast is sending: the numbers are asked for again every few seconds and
written in place, so the element a keyboard user focused (and a screen reader's place) stays
put through every refresh, up to the end of the broadcast."""

from __future__ import annotations

import asyncio

from playwright.sync_api import Page, expect

from bot.services.broadcasts import Audience
from tests.browser.live import Live
from tests.staff.broadcast_helpers import VirtualTime

REFRESH = 15_000  # ms: a bound for the page's next look (every 3 s), never a pause


def test_a_refresh_during_a_broadcast_keeps_focus_and_the_nodes_in_place(
    live: Live, page: Page
) -> None:
    volunteers = live.volunteers([4001, 4002, 4003])
    live.ask(volunteers[0], "동의했는데 전송이 안 돼요. 어떻게 하죠?")

    async def launch() -> int:
        launched = await live.backend.services.broadcasts.launch(
            created_by=None, audience=Audience("all"), text_ko="센터 안내", progress_chat_id=None
        )
        return launched.broadcast_id

    # The sender's pacing waits on a gate: one message goes, then one per release.
    virtual = VirtualTime()

    def gate() -> None:
        virtual.gate = asyncio.Semaphore(0)
        live.backend.sender.pace(20, now=virtual.time, sleep=virtual.sleep)

    live.read(gate)
    broadcast_id = live.run(launch())
    live.run_due()  # the sender starts: one message, then it waits at the gate
    page.goto(live.url())
    running = page.locator(f"[data-broadcast='{broadcast_id}']")
    expect(running.locator("[data-count=sent] dd")).to_have_text("1")
    opener = page.get_by_role("button", name="질문함 열기")
    opener.focus()
    # Marks on the very nodes: a node drawn again would come without them.
    page.evaluate(
        """() => {
            document.activeElement.dataset.mark = "focused";
            document.querySelector("[data-broadcast] .progress").dataset.mark = "bar";
        }"""
    )

    # A second question: the count moves at the page's next look, which redraws nothing.
    live.ask(volunteers[1], "봉사 시간이 1365에 언제 보이나요?")
    expect(page.get_by_text("답을 기다리는 질문이 2개 있어요.")).to_be_visible(timeout=REFRESH)
    assert page.evaluate("document.activeElement.dataset.mark") == "focused"
    live.read(virtual.gate.release)  # type: ignore[union-attr]
    expect(running.locator("[data-count=sent] dd")).to_have_text("2", timeout=REFRESH)
    expect(running.locator(".progress")).to_have_attribute("data-mark", "bar")
    expect(running.locator(".progress")).to_have_attribute("aria-valuenow", "2")
    assert page.evaluate("document.activeElement.dataset.mark") == "focused"

    # The broadcast runs to its end and leaves the list; the focus stays on the button.
    for _ in range(5):
        live.read(virtual.gate.release)  # type: ignore[union-attr]
    live.run(asyncio.wait_for(live.backend.sender.wait(broadcast_id), 30))
    expect(page.get_by_text("지금 보내는 공지가 없어요.")).to_be_visible(timeout=REFRESH)
    expect(running).to_have_count(0)
    assert page.evaluate("document.activeElement.dataset.mark") == "focused"
    page.keyboard.press("Enter")  # still the button it was: it opens 질문함
    expect(page.locator("main[data-page=questions]")).to_be_visible()
