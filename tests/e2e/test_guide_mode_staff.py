"""Guide mode (issue 17, part 2, what was left): staff segments count the volunteers' own word
and are named so; the guide and /help no longer offer /link as the way to be checked."""

from __future__ import annotations

import re
from datetime import timedelta

from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID
from tests.helpers.guide_mode import Start, due_message, start  # noqa: F401 (a fixture)
from tests.journey import User

DONE = ("✅ 1365 정보제공 동의를 마쳤어요", "✅ VMS 연계 동의를 마쳤어요")


async def both_consents(volunteer: User) -> str:
    await volunteer.send("/howto")
    for button in DONE:
        while button not in volunteer.last.buttons:
            await volunteer.click("다음 ▶")
        seen = await volunteer.click(button)
    return seen.text


def count(picker: str, segment: str) -> int:
    match = re.search(re.escape(segment) + r": (\d+)명", picker)
    assert match is not None, picker
    return int(match[1])


async def test_segments_count_what_volunteers_said_and_say_so(
    start: Start,  # noqa: F811
    sandbox: BotApiSandbox,
    clock: FakeClock,
) -> None:
    bot = await start()
    admin = User(sandbox, bot, ADMIN_ID, first_name="관리")
    await admin.send("/start")
    said_consents, silent, sent, seen_it = (User(sandbox, bot, uid) for uid in (1, 2, 3, 4))
    await both_consents(said_consents)
    await silent.send("/start")
    for volunteer in (sent, seen_it):
        await volunteer.send("/send")
        await volunteer.click("📤 VMS에서 보냈어요")
    clock.advance(timedelta(hours=24))
    await bot.poller.run_due()
    asked = await sandbox.wait_bot_message(4, after_message_id=0, timeout=10)
    while "1365에서 보이나요?" not in asked.text:
        asked = await sandbox.wait_bot_message(4, after_message_id=asked.message_id, timeout=10)
    await seen_it.click("👍 네, 보여요", asked.message_id)

    picker = (await admin.send("/broadcast")).new[0]
    text = str(picker.text)
    assert count(text, "동의를 마쳤다고 답하지 않은 봉사자") == 3
    assert count(text, "보냈다고 했지만 1365 확인을 안 한 봉사자") == 1
    assert count(text, "VMS에서 보냈다고 알려 준 적 없는 봉사자") == 2
    assert "계정을 연결하지 않은 봉사자" not in text  # nobody links in guide mode
    assert "동의를 마치지 않은 봉사자" not in text
    assert "봉사자가 직접 알려 준 내용 기준이에요" in text
    assert "동의 답 없음 · 3명" in picker.buttons and "1365 확인 안 함 · 1명" in picker.buttons
    assert not any("미연결" in b for b in picker.buttons)
    # The segment reaches exactly who it names.
    await admin.click("1365 확인 안 함 · 1명")
    assert "보냈다고 했지만 1365 확인을 안 한 봉사자" in admin.last.text


async def test_the_guide_and_help_do_not_offer_link_to_check(
    start: Start,  # noqa: F811
    sandbox: BotApiSandbox,
) -> None:
    bot = await start()
    minji = User(sandbox, bot, 1001)
    await minji.send("/howto")
    while DONE[0] not in minji.last.buttons:
        await minji.click("다음 ▶")
    closed = await minji.click(DONE[0])
    assert "/link" not in closed.text and "VMS와 연결되어 있지 않아서" in closed.text
    while DONE[1] not in minji.last.buttons:
        await minji.click("다음 ▶")
    finished = (await minji.click(DONE[1])).text
    assert "/link" not in finished and "📤 VMS에서 보냈어요" in finished
    assert "🔗 VMS 계정 연결" not in minji.last.buttons
    assert minji.last.buttons == ["📤 1365로 실적 보내기"]
    shown = (await minji.send("/help")).text
    assert "/link — VMS 계정 연결" not in shown
    assert "/link — 이 봇이 VMS와 연결되어 있지 않다는 안내" in shown
    assert "센터 담당자 명령" not in shown
