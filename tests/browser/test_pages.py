"""Every page opens for staff, in light and dark, at a phone's 390×844; each is screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.live import Live

PAGES = ["today", "broadcast", "reminders", "questions", "volunteers", "log"]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_opens_and_is_screenshot(
    live: Live, page: Page, screens: Path, theme: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live.url(theme=theme))
    for name in PAGES:
        page.click(f"#tab-{name}")
        expect(page.locator(f"main[data-page={name}] .card").first).to_be_visible()
        page.screenshot(path=str(screens / f"{name}-{theme}.png"))
    assert errors == []
