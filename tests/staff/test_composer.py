"""/broadcast: the staff composer from the audience picker to launch, against the real bot."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import BotRuntime
from bot.services.broadcasts import SEGMENTS, Audience
from bot.services.container import Backend
from tests.conftest import ADMIN_ID
from tests.journey import User

SHORT = {
    "all": "모든 봉사자",
    "not_linked": "미연결",
    "consent_incomplete": "동의 미완료",
    "unsent_or_failed": "미전송·실패",
    "never_sent": "전송 이력 없음",
}


def _backend(bot: BotRuntime) -> Backend:
    backend = bot.app.bot_data.backend
    assert backend is not None
    return backend


async def _volunteers(user: Callable[..., User], bot: BotRuntime) -> None:
    """Four Korean volunteers (one notices off, one blocked) and two English ones."""
    for uid in (1001, 1002, 1003, 1004):
        await user(uid).send("/start")
    for uid in (1101, 1102):
        await user(uid, first_name="Sam", language_code="en").send("/start")
    services = _backend(bot).services
    await services.users.set_reminders(1002, False)
    await services.users.blocked_us(1003)


def _count_on(buttons: list[str], segment: str) -> int:
    label = next(b for b in buttons if b.startswith(SHORT[segment] + " · "))
    return int(label.rsplit(" · ", 1)[1].removesuffix("명"))


async def test_the_counts_on_the_buttons_are_the_stores_and_the_reminder_toggle_recounts(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    await _volunteers(user, bot)
    admin = user(ADMIN_ID)
    seen = await admin.send("/broadcast")
    picker = seen.new[-1]
    broadcasts = _backend(bot).services.broadcasts
    for segment in SEGMENTS:
        stored = await broadcasts.count(Audience(segment))
        assert _count_on(picker.buttons, segment) == stored.recipients, segment
    everyone = await broadcasts.count(Audience("all"))
    # 1001, 1002 (notices off, still a recipient), 1004, 1101, 1102; 1003 blocked; the admin
    # is staff, not a volunteer.
    assert (everyone.recipients, everyone.blocked, everyone.notices_off) == (5, 1, 1)
    line = next(x for x in picker.text.splitlines() if x.startswith("• 활동 중인 모든 봉사자"))
    assert (
        line
        == "• 활동 중인 모든 봉사자: 5명 (봇을 차단한 1명은 빠져요, 센터 알림을 끈 1명도 받아요)"
    )
    # A segment with nobody left out says nothing of zeros (issue 17, part 7).
    assert "0명은 빠져요" not in picker.text and "0명도 받아요" not in picker.text
    assert "• 계정을 연결하지 않은 봉사자: 5명" in picker.text

    seen = await admin.click("🔕 알림으로 보내기: 끔")
    picker = seen.edited[-1]
    assert _count_on(picker.buttons, "all") == 4  # notices off now left out
    assert "센터 알림을 끈 1명은 빠져요" in picker.text
    seen = await admin.click("🌐 모든 언어")
    assert _count_on(seen.edited[-1].buttons, "all") == 2  # 1001 and 1004
    assert (
        _count_on(seen.edited[-1].buttons, "all")
        == (await broadcasts.count(Audience("all", "ko", reminder=True))).recipients
    )


async def test_a_composed_broadcast_is_previewed_as_sent_and_launched_with_fresh_counts(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    await _volunteers(user, bot)
    admin = user(ADMIN_ID)
    await admin.send("/broadcast")
    await admin.click("미연결 · 5명")
    await admin.send("<b>안내</b>: 이번 주 금요일까지 &lt;꼭&gt; 전송해 주세요")
    seen = await admin.send("Please <i>send</i> your records by Friday")
    texts = seen.texts
    # The preview is the text itself, sent with parse_mode HTML: formatting, not tags.
    assert "안내: 이번 주 금요일까지 <꼭> 전송해 주세요" in texts
    assert "Please send your records by Friday" in texts
    korean = next(m for m in seen.new if m.text.startswith("안내:"))
    assert korean.parse_mode == "HTML"
    assert korean.entities == [{"offset": 0, "length": 2, "type": "bold"}]
    # A volunteer joins after the preview: the confirm button was counted then, the launch
    # snapshots now.
    confirm = seen.new[-1]
    assert "보내기 · 5명" in confirm.buttons
    await user(1201).send("/start")
    seen = await admin.click("보내기 · 5명")
    assert "공지 #1을 6명에게 보내기 시작했어요." in seen.text

    services = _backend(bot).services
    [row] = await services.broadcasts.recent()
    assert row.created_by == ADMIN_ID and row.progress_chat_id == ADMIN_ID
    assert row.audience == Audience("not_linked")
    assert row.text_ko.startswith("<b>안내</b>") and row.text_en is not None
    assert row.text_en.startswith("Please <i>send</i>")
    totals = await services.broadcasts.totals(row.id)
    assert totals["queued"] == 6
    audit = [e.action for e in await services.staff.recent_actions()]
    assert audit == ["broadcast.launch"]
    # The confirmation button is spent: a second tap launches nothing.
    seen = await admin.click_data(confirm.message_id, "f:whatever:go")
    assert len(await services.broadcasts.recent()) == 1


async def test_english_users_get_the_english_text_and_koreans_the_korean_one(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    await _volunteers(user, bot)
    admin = user(ADMIN_ID)
    await admin.send("/broadcast")
    seen = await admin.click("🌐 모든 언어")
    seen = await admin.click("🌐 한국어 사용자만")  # → English users only
    await admin.click("모든 봉사자 · 2명")
    # One language only: no second text is asked for; the one text goes to them all.
    seen = await admin.send("Hello, volunteers")
    assert "보내기 · 2명" in seen.new[-1].buttons
    await admin.click("보내기 · 2명")
    [row] = await _backend(bot).services.broadcasts.recent()
    assert row.audience == Audience("all", "en")
    db = _backend(bot).db
    rows = await db.fetch_all(
        "SELECT telegram_id FROM deliveries WHERE broadcast_id = ? ORDER BY 1", (row.id,)
    )
    assert [r["telegram_id"] for r in rows] == [1101, 1102]


async def test_invalid_html_is_refused_with_the_rule_it_broke_and_nothing_is_launched(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    await _volunteers(user, bot)
    admin = user(ADMIN_ID)
    await admin.send("/broadcast")
    await admin.click("모든 봉사자 · 5명")
    cases = {
        "<b>굵게": "<b> 태그를 닫지 않았어요. 끝에 닫는 태그 </b>도 써 주세요.",
        "<b><i>x</b></i>": "태그가 엇갈렸어요.",
        "<font>x</font>": "<font> 태그는 텔레그램에서 쓸 수 없어요.",
        "A & B": "글자 &는 &amp;로 써 주세요.",
        "1 < 2": "글자 <는 &lt;로 써 주세요.",
        '<span class="x">x</span>': 'span 태그에는 class="tg-spoiler"가 있어야 해요.',
        "<b></b>": "보낼 글자가 없어요.",
    }
    for text, expected in cases.items():
        seen = await admin.send(text)
        assert len(seen.new) == 1, text
        assert seen.new[0].text.startswith("이 글은 보낼 수 없어요. ")
        assert expected in seen.new[0].text, (text, seen.new[0].text)
    # The position is given where the rule is broken at one place.
    seen = await admin.send("안녕 <blink>")
    assert "(4번째 글자 근처)" in seen.text
    # Nothing was previewed or launched, and the draft still takes a good text.
    assert await _backend(bot).services.broadcasts.recent() == []
    seen = await admin.send("<b>좋아요</b>")
    assert seen.new[-1].text.startswith("영어 사용자에게")


async def test_a_volunteer_cannot_open_the_composer_or_press_its_buttons(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/start")
    for command in ("/broadcast", "/remind"):
        seen = await minji.send(command)
        assert seen.texts == ["센터 담당자만 쓸 수 있는 명령이에요."]
    # A staff member removed while their draft is open is refused at the next step.
    staff = _backend(bot).services.staff
    helper = user(2002)
    await helper.send("/start")
    await staff.add(2002, added_by=ADMIN_ID)
    await helper.send("/broadcast")
    await staff.remove(2002, removed_by=ADMIN_ID)
    seen = await helper.click("모든 봉사자 · 1명")
    assert seen.toast is not None and seen.toast["text"] == "센터 담당자만 쓸 수 있는 버튼이에요."
    assert await _backend(bot).services.broadcasts.recent() == []


async def test_broadcast_cancel_is_not_the_composers(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    admin = user(ADMIN_ID)
    seen = await admin.send("/broadcast cancel")
    # Not the audience picker: the sender's handler (or, without it, the fallback) answers.
    assert not any("누구에게 보낼까요?" in m.text for m in seen.new)
    seen = await admin.send("/broadcast")
    assert "누구에게 보낼까요?" in seen.new[-1].text
