"""알림 in the browser: a reminder made on the page, its next run shown, then its run (on the
fake clock) in its history and in the volunteers' chats; pause and delete."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from tests.browser.live import Live

TEXT = "<b>이번 달 실적</b>을 1365로 보내 주세요"
DELIVERED = "이번 달 실적을 1365로 보내 주세요"


def test_a_reminder_made_on_the_page_runs_and_shows_in_its_history(live: Live, page: Page) -> None:
    live.volunteers([4001, 4002])
    page.goto(live.url())  # 2 March 2026, 18:00 in Seoul
    page.click("#tab-reminders")
    expect(page.locator("#reminder-list")).to_contain_text("아직 만든 알림이 없어요.")
    page.get_by_label("반복").select_option("once")
    page.get_by_label("날짜", exact=True).fill("2026-03-03")
    page.get_by_label("시각").fill("10:00")
    page.get_by_label("보낼 글 (한국어)").fill(TEXT)
    page.get_by_role("button", name="알림 만들기").click()
    item = page.locator("[data-reminder='1']")
    expect(item.locator(".next-run")).to_have_text("다음: 2026년 3월 3일 오전 10:00")
    expect(item.locator("summary")).to_have_text("지난 실행 0번")

    live.read(lambda: live.clock.set(datetime(2026, 3, 3, 1, 0, tzinfo=UTC)))  # 10:00 KST
    live.run_due()  # the reminder fires: a broadcast is launched
    live.run_due()  # and the sender starts
    live.run(asyncio.wait_for(live.backend.sender.wait(1), 30))
    for volunteer in (4001, 4002):
        assert DELIVERED in live.messages_to(volunteer)

    # A day later the page's initData is too old: opened again, Telegram signs a fresh one.
    page.goto("about:blank")  # a new load, not a jump within the page
    page.goto(live.url())
    page.click("#tab-reminders")
    item.locator("summary").click()
    expect(item.locator("[data-outcome=ran]")).to_contain_text("공지 #1 · 2명에게 보냄")
    expect(item).to_have_attribute("data-state", "done")


def test_pause_resume_and_delete_from_the_page(live: Live, page: Page) -> None:
    page.goto(live.url())
    page.click("#tab-reminders")
    page.get_by_label("날짜 (1–31일, 짧은 달은 마지막 날)").fill("25")
    page.get_by_label("보낼 글 (한국어)").fill(TEXT)
    page.get_by_role("button", name="알림 만들기").click()
    item = page.locator("[data-reminder='1']")
    expect(item).to_have_attribute("data-state", "active")
    item.locator("[data-action=pause]").click()
    expect(item).to_have_attribute("data-state", "paused")
    item.locator("[data-action=resume]").click()
    expect(item).to_have_attribute("data-state", "active")
    item.locator("[data-action=delete]").click()
    item.locator("[data-action=delete-yes]").click()
    expect(page.locator("#reminder-list")).to_contain_text("아직 만든 알림이 없어요.")
    entries = page.locator("#tab-log")
    entries.click()
    expect(page.locator("#log-list li")).to_have_count(4)  # created, paused, resumed, deleted


def test_a_run_missed_by_more_than_a_day_shows_as_skipped(live: Live, page: Page) -> None:
    live.volunteers([4001])
    page.goto(live.url())
    page.click("#tab-reminders")
    page.get_by_label("반복").select_option("once")
    page.get_by_label("날짜", exact=True).fill("2026-03-03")
    page.get_by_label("시각").fill("10:00")
    page.get_by_label("보낼 글 (한국어)").fill(TEXT)
    page.get_by_role("button", name="알림 만들기").click()
    expect(page.locator("[data-reminder='1']")).to_be_visible()

    # The bot was down from before 10:00 on the 3rd until 11:00 on the 4th (Seoul).
    live.read(lambda: live.clock.set(datetime(2026, 3, 4, 2, 0, tzinfo=UTC)))
    live.run_due()
    page.goto("about:blank")
    page.goto(live.url())
    page.click("#tab-reminders")
    item = page.locator("[data-reminder='1']")
    item.locator("summary").click()
    expect(item.locator("[data-outcome=skipped]")).to_contain_text("건너뜀")
    assert all(DELIVERED not in text for text in live.messages_to(4001))


def test_a_run_with_nobody_in_its_audience_shows_as_skipped_not_sent_to_0(
    live: Live, page: Page
) -> None:
    page.goto(live.url())  # no volunteers: every segment is empty
    page.click("#tab-reminders")
    page.get_by_label("반복").select_option("once")
    page.get_by_label("날짜", exact=True).fill("2026-03-03")
    page.get_by_label("시각").fill("10:00")
    page.get_by_label("보낼 글 (한국어)").fill(TEXT)
    page.get_by_role("button", name="알림 만들기").click()
    expect(page.locator("[data-reminder='1']")).to_be_visible()

    live.read(lambda: live.clock.set(datetime(2026, 3, 3, 1, 0, tzinfo=UTC)))  # 10:00 KST
    live.run_due()
    page.goto("about:blank")
    page.goto(live.url())
    page.click("#tab-reminders")
    item = page.locator("[data-reminder='1']")
    item.locator("summary").click()
    expect(item.locator("[data-outcome=skipped]")).to_have_text(
        "2026년 3월 3일 오전 10:00건너뜀 (대상에 해당하는 봉사자가 없어서 보내지 않았어요)"
    )
    expect(item.locator("[data-outcome=ran]")).to_have_count(0)
