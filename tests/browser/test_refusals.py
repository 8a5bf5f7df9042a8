"""Who may not use the desk sees why and nothing else: a forged hash, initData signed two
hours ago, a volunteer's own initData, and a staff member removed while the page is open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.live import Live


def refused(page: Page) -> None:
    expect(page.locator("#refusal")).to_be_visible()
    expect(page.locator("#tabs")).to_be_hidden()
    expect(page.locator(".card:not(#refusal)")).to_have_count(0)


@pytest.mark.parametrize(
    ("opened", "reason"),
    [
        ({"forged": True}, "로그인 정보를 확인하지 못했어요."),
        ({"age": timedelta(hours=2)}, "연 지 한 시간이 지났어요."),
        ({"user_id": 1001}, "센터 담당자만 쓸 수 있는 화면이에요."),
    ],
    ids=["tampered-hash", "two-hours-old", "a-volunteer"],
)
def test_refused_at_once(live: Live, page: Page, opened: dict[str, object], reason: str) -> None:
    if opened.get("user_id") == 1001:
        live.volunteers([1001])
    answers: list[int] = []
    page.on("response", lambda r: answers.append(r.status) if "/api/" in r.url else None)
    page.goto(live.url(**opened))  # type: ignore[arg-type]
    refused(page)
    assert answers and set(answers) <= {401, 403}
    expect(page.locator("#refusal .refusal-reason")).to_contain_text(reason)


def test_a_staff_member_removed_while_the_page_is_open_is_refused_on_the_next_click(
    live: Live, page: Page
) -> None:
    sujin = 2002
    live.run(live.user(sujin, first_name="수진").send("/start"))
    live.run(live.backend.services.staff.add(sujin, added_by=9001))
    page.goto(live.url(sujin))
    expect(page.locator("main[data-page=today] .card").first).to_be_visible()
    live.run(live.backend.services.staff.remove(sujin, removed_by=9001))
    page.click("#tab-log")
    refused(page)
    expect(page.locator("#refusal")).to_contain_text("센터 담당자만 쓸 수 있는 화면이에요.")


def test_dark_theme_follows_telegrams_colours(live: Live, page: Page) -> None:
    page.goto(live.url(theme="dark"))
    expect(page.locator("main[data-page=today] .card").first).to_be_visible()
    assert page.locator("html").get_attribute("data-color-scheme") == "dark"
    colours = page.evaluate(
        """() => {
          const card = getComputedStyle(document.querySelector('.card'));
          return [getComputedStyle(document.body).backgroundColor, card.backgroundColor,
                  card.color];
        }"""
    )
    # secondary_bg_color, section_bg_color, text_color of Telegram's night theme
    assert colours == ["rgb(21, 30, 39)", "rgb(29, 39, 51)", "rgb(255, 255, 255)"]


def test_english_for_an_english_speaking_staff_member(live: Live, page: Page) -> None:
    page.goto(live.url(language_code="en"))
    expect(page.locator("#tab-today")).to_have_text("Today")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main[data-page=today]")).to_contain_text("No question is waiting.")
