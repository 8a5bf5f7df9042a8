"""질문함 and 봉사자 in the browser: an answer from the page reaches the volunteer through the
bot; a volunteer found by question number or by the VMS ID they tell staff, shown masked."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.live import Live

QUESTION = "동의했는데 전송이 안 돼요. 어떻게 하죠?"
ANSWER = "1365에서 먼저 동의해 주세요."


def test_an_answer_from_the_page_reaches_the_volunteer(live: Live, page: Page) -> None:
    minji = live.user(1001)
    live.run(minji.send("/start"))
    live.ask(minji, QUESTION)
    page.goto(live.url())
    today = page.locator("main[data-page=today]")
    expect(today).to_contain_text("답을 기다리는 질문이 1개 있어요.")
    page.click("#tab-questions")
    item = page.locator("[data-question='1']")
    expect(item.locator(".question-text")).to_have_text(QUESTION)
    item.get_by_label("질문 #1에 보낼 답").fill(ANSWER)
    item.locator("[data-answer='1']").click()
    expect(page.locator("#question-list")).to_contain_text("답을 기다리는 질문이 없어요.")
    assert live.messages_to(1001)[-1] == f"센터 답변 (문의 #1)\n\n{ANSWER}"
    page.click("#q-show-answered")
    expect(page.locator("[data-question='1'] .answered-by")).to_contain_text("내가 답했어요")


def test_a_volunteer_is_found_by_question_number_and_by_vms_id_masked(
    live: Live, page: Page
) -> None:
    minji = live.user(1001)
    live.run(minji.send("/start"))
    live.link(minji, "kindly0904")
    live.ask(minji, QUESTION)
    page.goto(live.url())
    page.click("#tab-volunteers")
    page.get_by_label("질문 번호").fill("1")
    page.click("#v-search")
    card = page.locator("#v-result .volunteer")
    expect(card).to_contain_text("kin****04")
    expect(card).to_contain_text("#1")
    page.get_by_label("질문 번호").fill("")
    page.get_by_label("VMS 아이디").fill("kindly0904")
    page.keyboard.press("Enter")  # a form: Enter searches
    expect(page.locator("#v-searching")).to_have_count(0)
    expect(card).to_contain_text("kin****04")
    assert "kindly0904" not in page.content()
    page.get_by_label("VMS 아이디").fill("kindly09")  # matched exactly, never by a prefix
    page.keyboard.press("Enter")
    expect(page.locator("#v-searching")).to_have_count(0)
    expect(page.locator("#v-none")).to_have_text("맞는 봉사자가 없어요.")
