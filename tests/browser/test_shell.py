"""The page outside Telegram: nothing signed, so nothing asked of the server."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.live import Live


def test_opened_outside_telegram_the_page_says_where_to_open_it(live: Live, page: Page) -> None:
    page.goto(live.base_url)
    expect(page.locator("#refusal")).to_contain_text("업무 창은 텔레그램 안에서 열어야 해요")
    expect(page.locator("#tabs")).to_be_hidden()
