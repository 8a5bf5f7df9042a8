"""공지 in the browser: segment → text with an HTML error → fix → preview → confirm → progress
to the end, checked against what the sandbox Bot API delivered; and a cancel mid-way."""

from __future__ import annotations

import asyncio
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.live import Live
from tests.staff.broadcast_helpers import VirtualTime

VOLUNTEERS = range(3001, 3006)
BROKEN = "<b>센터 안내</b> 이번 달 실적을 <i>1365로 보내 주세요"
FIXED = "<b>센터 안내</b> 이번 달 실적을 <i>1365로</i> 보내 주세요"
DELIVERED = "센터 안내 이번 달 실적을 1365로 보내 주세요"
SLOW = 30_000  # ms: a bound for the sender to finish on a busy machine, never a pause


def compose(live: Live, page: Page, text: str) -> None:
    page.goto(live.url())
    page.click("#tab-broadcast")
    expect(page.locator("[data-segment=all] .count")).to_have_text("5명")
    page.locator("[data-segment=all] input").check()
    page.fill("#bc-text-ko", text)


def test_the_whole_broadcast_from_segment_to_final_report(
    live: Live, page: Page, screens: Path
) -> None:
    live.volunteers(VOLUNTEERS)
    compose(live, page, BROKEN)
    # The preview names what is wrong, from the chat composer's own checker.
    problem = page.locator("#preview-ko .problem")
    expect(problem).to_contain_text("태그를 닫지 않았어요")
    expect(problem).not_to_contain_text("&lt;")  # the chat's HTML shown as plain text
    expect(problem).to_have_attribute("data-reason", "unclosed")
    expect(page.locator("#bc-text-ko")).to_have_attribute("aria-invalid", "true")
    page.click("#bc-next")  # the server refuses the draft with the same reason
    expect(page.locator("#bc-error")).not_to_be_empty()
    page.screenshot(path=str(screens / "broadcast-problem-light.png"), full_page=True)
    expect(page.locator("#bc-send")).to_have_count(0)

    page.fill("#bc-text-ko", FIXED)
    bubble = page.locator("#preview-ko .bubble")
    expect(bubble).to_have_text(DELIVERED)
    expect(bubble.locator("b")).to_have_text("센터 안내")
    expect(bubble.locator("i")).to_have_text("1365로")
    page.click("#bc-next")
    expect(page.locator("#bc-recipients")).to_contain_text("5명")
    page.screenshot(path=str(screens / "broadcast-confirm-light.png"))
    assert all(DELIVERED not in text for text in live.messages_to(VOLUNTEERS[0]))  # not yet

    page.click("#bc-send")
    expect(page.locator("#progress")).to_be_visible()
    live.run_due()  # the ticker's next pass, now: the sender starts
    expect(page.locator("#progress")).to_have_attribute("data-state", "done", timeout=SLOW)
    expect(page.locator("#progress [data-count=sent] dd")).to_have_text("5")
    expect(page.locator("#progress [data-count=left] dd")).to_have_text("0")
    expect(page.locator("#progress [role=progressbar]")).to_have_attribute("aria-valuenow", "5")
    expect(page.locator("#bc-report")).to_contain_text("5명 중 5명에게 보냈어요")
    page.screenshot(path=str(screens / "broadcast-report-light.png"))
    expect(page.locator("#past-broadcasts tr[data-broadcast='1']")).to_contain_text("끝남")
    for volunteer in VOLUNTEERS:
        assert [t for t in live.messages_to(volunteer) if DELIVERED in t] == [DELIVERED]


def test_cancel_mid_way_stops_the_rest(live: Live, page: Page, screens: Path) -> None:
    live.volunteers(VOLUNTEERS)
    # The sender's pacing waits on a gate: one message goes, then one per release.
    virtual = VirtualTime()

    def gate() -> None:
        virtual.gate = asyncio.Semaphore(0)
        live.backend.sender.pace(20, now=virtual.time, sleep=virtual.sleep)

    live.read(gate)
    compose(live, page, FIXED)
    expect(page.locator("#preview-ko .bubble")).to_have_text(DELIVERED)
    page.click("#bc-next")
    page.click("#bc-send")
    expect(page.locator("#progress")).to_be_visible()
    live.run_due()
    expect(page.locator("#progress [data-count=sent] dd")).to_have_text("1")
    live.read(virtual.gate.release)  # type: ignore[union-attr]
    expect(page.locator("#progress [data-count=sent] dd")).to_have_text("2")
    page.screenshot(path=str(screens / "broadcast-progress-light.png"))
    page.click("#bc-cancel")
    page.click("#bc-cancel-yes")
    expect(page.locator("#progress")).to_have_attribute("data-state", "cancelled", timeout=SLOW)
    for _ in range(10):  # whatever the sender still waits for: nothing more goes out
        live.read(virtual.gate.release)  # type: ignore[union-attr]
    live.run(asyncio.wait_for(live.backend.sender.wait(1), 30))
    expect(page.locator("#bc-report")).to_contain_text("5명 중 2명에게 보냈어요")
    expect(page.locator("#bc-report")).to_contain_text("보내지 않은 3명에게는 가지 않아요")
    copies = [sum(DELIVERED in t for t in live.messages_to(v)) for v in VOLUNTEERS]
    assert copies == [1, 1, 0, 0, 0]
    expect(page.locator("#past-broadcasts tr[data-broadcast='1']")).to_contain_text("멈춤")
