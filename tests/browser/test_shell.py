"""The page outside Telegram: nothing signed, so nothing asked of the server."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.live import Live


def test_opened_outside_telegram_the_page_says_where_to_open_it(live: Live, page: Page) -> None:
    page.goto(live.base_url)
    expect(page.locator("#refusal")).to_contain_text("업무 창은 텔레그램 안에서 열어야 해요")
    expect(page.locator("#tabs")).to_be_hidden()


def test_a_button_for_one_page_opens_that_page(live: Live, page: Page) -> None:
    """/remind's web_app button opens WEB_URL#reminders; Telegram appends its parameters."""
    page.goto(live.url(page="reminders"))
    expect(page.locator("#tab-reminders")).to_have_attribute("aria-selected", "true")
    expect(page.locator("main[data-page=reminders] #rm-form")).to_be_visible()
    page.goto("about:blank")
    page.goto(live.url())
    expect(page.locator("#tab-reminders")).to_have_attribute("aria-selected", "true")


def test_the_tabs_work_from_the_keyboard(live: Live, page: Page) -> None:
    page.goto(live.url())
    expect(page.locator("main[data-page=today] .card").first).to_be_visible()
    page.focus("#tab-today")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-broadcast")).to_be_focused()
    expect(page.locator("main[data-page=broadcast] #bc-text-ko")).to_be_visible()
    page.keyboard.press("End")
    expect(page.locator("#tab-log")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Home")
    expect(page.locator("#tab-today")).to_have_attribute("aria-selected", "true")
