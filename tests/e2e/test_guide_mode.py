"""Guide mode: a real-mode bot with no gateway, as a volunteer lives it end to end.

/link, /status and /send explain and lead through the sites with the handout's labels; "📤 VMS에서
보냈어요" is noted with the one-send-an-hour rule; 24 hours later (due work, across a restart)
"1365에서 보이나요?" with yes, no and one reminder at a chosen time. What the bot knows only from
the volunteer is "직접 알려 주신 내용", never ✅.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.services.guide_mode import CHECK, LATER
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from store.due_work import DueWorkRepository
from tests.helpers.guide_mode import Start, due_message, start  # noqa: F401 (a fixture)
from tests.journey import User

NOT_CONNECTED = "이 센터의 봇은 VMS와 연결되어 있지 않아요"


def urls(message) -> list[str]:  # type: ignore[no-untyped-def]
    return [b["url"] for row in message.reply_markup or [] for b in row if "url" in b]


async def test_link_status_and_send_explain_and_lead_through_the_sites(
    start: Start,  # noqa: F811
    sandbox: BotApiSandbox,
) -> None:
    bot = await start()
    minji = User(sandbox, bot, 1001)
    await minji.send("/start")
    seen = await minji.click("🔗 VMS 계정 연결")
    link = seen.new[0]
    assert NOT_CONNECTED in link.text
    assert "'마이페이지'" in link.text and "'1365연계 결과조회'" in link.text
    assert "https://www.vms.or.kr" in urls(link) and "📋 연계 방법 안내" in link.buttons
    assert "아이디를 보내 주세요" not in link.text  # no /link flow to wait in

    send = (await minji.send("/send")).new[0]
    assert send.text.count(NOT_CONNECTED) == 1
    order = ["'마이페이지'", "'1365연계 결과조회'", "'봉사실적 일괄전송'", "'새로고침'"]
    assert [send.text.index(label) for label in order] == sorted(
        send.text.index(label) for label in order
    )
    assert "1시간에 한 번" in send.text
    assert send.buttons[0] == "📤 VMS에서 보냈어요"

    status = (await minji.send("/status")).new[0]
    assert NOT_CONNECTED in status.text and "직접 알려 주신 내용은 아직 없어요" in status.text
    for command in ("/start link", "/start send", "/start status"):
        assert NOT_CONNECTED in (await minji.send(command)).text, command


async def test_sent_on_vms_then_24_hours_later_yes_with_neis_and_no_with_causes(
    start: Start,  # noqa: F811
    sandbox: BotApiSandbox,
    clock: FakeClock,
    db_path: Path,
) -> None:
    bot = await start()
    minji = User(sandbox, bot, 1001)
    await minji.send("/send")
    seen = await minji.click("📤 VMS에서 보냈어요")
    assert "VMS에서 보냈다고 기록해 둘게요" in seen.text
    assert "1365에서 보이는지 여쭤볼게요" in seen.text and "다음 전송은" in seen.text
    # Within the hour VMS refuses a second send: the bot knows the rule and says when.
    clock.advance(timedelta(minutes=20))
    seen = await minji.click("📤 VMS에서 보냈어요")
    assert "1시간에 한 번만" in seen.text and "다음 전송은" in seen.text
    status = (await minji.send("/status")).new[0]
    assert "직접 알려 주신 내용" in status.text and "보냈다고 하셨어요" in status.text
    assert "✅" not in status.text

    # The question is due work: it survives a restart and comes a full 24 hours after.
    await bot.stop()
    bot = await start()
    minji = User(sandbox, bot, 1001)
    work = DueWorkRepository(bot.app.bot_data.backend.db)  # type: ignore[union-attr]
    assert (await work.get(CHECK, "1001")) is not None
    clock.advance(timedelta(hours=24))
    asked = await due_message(sandbox, bot, 1001)
    assert "1365에서 보이나요?" in asked.text
    assert asked.buttons[:3] == ["👍 네, 보여요", "🤔 아니요, 안 보여요", "⏰ 나중에 할게요"]

    # "Later": one reminder at the chosen time, which offers no second "later".
    seen = await minji.click("⏰ 나중에 할게요")
    assert "내일 오전 9시" in seen.new[0].buttons
    seen = await minji.click("내일 오전 9시")
    assert "한 번 더 여쭤볼게요" in seen.text and "오전 9시" in seen.text
    item = await work.get(LATER, "1001")
    assert item is not None
    clock.set(item.due_at)
    again = await due_message(sandbox, bot, 1001)
    assert "1365에서 보이나요?" in again.text and "⏰ 나중에 할게요" not in again.buttons

    seen = await minji.click("🤔 아니요, 안 보여요", again.message_id)
    causes = seen.new[0].text
    order = ["정보제공 동의", "휴면", "'결과'"]
    assert [causes.index(c) for c in order] == sorted(causes.index(c) for c in order)
    assert "'정보제공 동의 초기화'" in causes and "'재전송'" in causes
    assert "📋 1365 정보제공 동의 안내" in seen.new[0].buttons
    # The answered question is used up.
    seen = await minji.click_data(again.message_id, "gm:yes")
    assert seen.toast is not None and "이미 지난 질문" in seen.toast["text"]

    # Sent again after fixing it; the next day 1365 shows it.
    seen = await minji.click("📤 VMS에서 보냈어요")
    assert "기록해 둘게요" in seen.text
    clock.advance(timedelta(hours=24))
    asked = await due_message(sandbox, bot, 1001)
    seen = await minji.click("👍 네, 보여요", asked.message_id)
    done = seen.new[0].text
    assert "VMS → 1365 → NEIS" in done and "3월 1일" in done and "30분" in done
    assert "🎉" not in done and "✅" not in done
    status = (await minji.send("/status")).new[0]
    assert "1365에서 보인다고 하셨어요" in status.text


async def test_the_guide_in_guide_mode_keeps_the_volunteers_word_as_theirs(
    start: Start,  # noqa: F811
    sandbox: BotApiSandbox,
) -> None:
    bot = await start()
    minji = User(sandbox, bot, 1001)
    await minji.send("/howto")
    for button in ("✅ 1365 정보제공 동의를 마쳤어요", "✅ VMS 연계 동의를 마쳤어요"):
        while button not in minji.last.buttons:
            await minji.click("다음 ▶")
        seen = await minji.click(button)
    assert "직접 알려 주신 내용" in seen.text and "🎉" not in seen.text
    status = (await minji.send("/status")).new[0]
    assert "1365 정보제공 동의를 했다고 하셨어요" in status.text
    assert "VMS 연계 동의를 했다고 하셨어요" in status.text and "✅" not in status.text


async def test_forget_takes_the_self_reports_and_the_question_along(
    start: Start,  # noqa: F811
    sandbox: BotApiSandbox,
    db_path: Path,
) -> None:
    bot = await start()
    minji = User(sandbox, bot, 1001)
    await minji.send("/send")
    await minji.click("📤 VMS에서 보냈어요")
    await minji.send("/forget")
    await minji.click("네, 모두 지워 주세요")
    work = DueWorkRepository(bot.app.bot_data.backend.db)  # type: ignore[union-attr]
    assert await work.get(CHECK, "1001") is None
    db = bot.app.bot_data.backend.db  # type: ignore[union-attr]
    assert await db.fetch_all("SELECT * FROM self_reports") == []
    assert await db.fetch_all("SELECT * FROM users WHERE telegram_id = 1001") == []
