"""/link, /unlink, /forget and /privacy as a volunteer lives them, against the sandbox gateway."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from bot.i18n import t
from bot.runtime import BotRuntime
from bot.services.linking import REVOKE_LINK
from core.clock import FakeClock
from handlers.common import plain_text
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import StartBot
from tests.helpers.linking import active_at_gateway, link, link_id_of, links_of
from tests.journey import User


async def test_link_shows_masked_pair_and_both_consents(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    seen = await minji.send("/link")
    assert "VMS(vms.or.kr)에 로그인할 때 쓰는 <b>아이디</b>" not in seen.text  # rendered, not raw
    assert "아이디를 보내 주세요" in seen.text
    seen = await minji.send("kindly0904")
    assert "6자리 인증번호가 가요" in seen.text and "010-" in seen.text
    assert "kindly0904" not in seen.text  # the ID is not echoed back in clear
    seen = await minji.send(await gateway.delivered_code("kindly0904") or "")
    assert "연결했어요!" in seen.text
    assert "VMS 아이디 kin****04 ↔ 1365 아이디 " in seen.text
    assert "1365 정보제공 동의: 2019년 9월 11일에 동의하셨어요." in seen.text
    assert "VMS 연계 동의: 2020년 3월 19일에 동의하셨어요." in seen.text
    stored = await links_of(bot).get(1001)
    assert stored is not None and stored.vms_id == "kindly0904"


async def test_wrong_code_counts_down_then_waits_a_day(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    """Three wrong codes a day for one ID from one account (bot/services/linking.py), fewer
    than the gateway allows the member, so the member's own count is never used up here."""
    minji = user(1001)
    await minji.send("/link")
    await minji.send("kindly0904")
    right = await gateway.delivered_code("kindly0904")
    wrong = "000000" if right != "000000" else "111111"
    seen = await minji.send(wrong)
    assert "인증번호가 맞지 않아요. 2번 더 해 볼 수 있어요." in seen.text
    assert seen.new[0].buttons == [
        "✏️ 아이디 바꾸기",
        "🔁 인증번호 다시 받기",
        "📭 인증번호가 안 와요",
    ]
    assert "숫자 6자리" in (await minji.send("12ab")).text  # not counted as an attempt
    assert "1번 더" in (await minji.send(wrong)).text
    seen = await minji.send(wrong)
    assert seen.text == (
        "인증번호를 여러 번 틀려서 지금은 더 확인할 수 없어요. 24시간 뒤에 다시 해 주세요.\n"
        "다른 아이디를 연결하려면 /link 를 눌러 주세요."
    )
    assert seen.new[0].buttons == []
    # Even the right code is refused before the gateway hears it, and a new code too.
    assert "더 확인할 수 없어요" in (await minji.send(right or "")).text
    assert await links_of(bot).get(1001) is None
    await minji.send("/link")
    assert "더 확인할 수 없어요. 24시간 뒤에" in (await minji.send("kindly0904")).text
    clock.advance(timedelta(days=1))
    assert "연결했어요" in (await link(minji, gateway)).text


async def test_a_code_locked_at_the_gateway_says_so(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    """Others' wrong codes leave the member one try at the gateway: when it is spent, the
    gateway's lock is what the volunteer hears about, with a way to a new code."""
    for guesser in (user(1101), user(1102), user(1103)):
        await guesser.send("/link")
        await guesser.send("kindly0904")
        for _ in range(3):
            await guesser.send("000000" if gateway.last_code("kindly0904") != "000000" else "1" * 6)
    minji = user(1001)
    await minji.send("/link")
    await minji.send("kindly0904")
    right = await gateway.delivered_code("kindly0904")
    seen = await minji.send("000000" if right != "000000" else "111111")
    assert "이 인증번호는 더 쓸 수 없어요" in seen.text
    assert seen.new[0].buttons == [
        "✏️ 아이디 바꾸기",
        "🔁 인증번호 다시 받기",
        "📭 인증번호가 안 와요",
    ]


async def test_expired_code_says_how_to_start_again(
    user: Callable[..., User], gateway: GatewaySandbox, clock: FakeClock, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/link")
    await minji.send("kindly0904")
    clock.advance(timedelta(minutes=11))
    seen = await minji.send(await gateway.delivered_code("kindly0904") or "")
    assert "인증번호를 쓸 수 있는 시간이 지났어요" in seen.text
    assert seen.new[0].buttons == [
        "✏️ 아이디 바꾸기",
        "🔁 인증번호 다시 받기",
        "📭 인증번호가 안 와요",
    ]


async def test_unknown_id_gets_the_same_answer_as_a_known_one(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    await user(1001).send("/link")
    known = await user(1001).send("kindly0904")
    await user(1002).send("/link")
    unknown = await user(1002).send("nobody_here_42")

    def shape(text: str) -> str:  # the masked destination differs; nothing else may
        return re.sub(r"\([^)]*\)", "()", text)

    answers = {
        shape(plain_text(t("ko", key, destination="", minutes=10)))
        for key in ("link.code_sent.sms", "link.code_sent.email")
    }
    assert shape(known.text) in answers and shape(unknown.text) in answers
    assert await gateway.delivered_code("nobody_here_42") is None


async def test_bad_id_shape_is_explained(user: Callable[..., User]) -> None:
    minji = user(1001)
    await minji.send("/link")
    assert "4~30자예요" in (await minji.send("내 아이디는 뭐였지?")).text


async def test_gateway_down_saves_nothing_and_recovers(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/link")
    gateway.set_outage(True)
    seen = await minji.send("kindly0904")
    assert "연결할 수 없어요. 저장된 것은 없어요." in seen.text
    gateway.set_outage(False)
    assert "인증번호가 가요" in (await minji.send("kindly0904")).text
    gateway.set_outage(True)
    seen = await minji.send(await gateway.delivered_code("kindly0904") or "")
    assert "연결할 수 없어요" in seen.text and await links_of(bot).get(1001) is None
    gateway.set_outage(False)
    assert "연결했어요" in (await minji.send(await gateway.delivered_code("kindly0904") or "")).text


async def test_cancel_anywhere(user: Callable[..., User], gateway: GatewaySandbox) -> None:
    minji = user(1001)
    await minji.send("/link")
    assert "그만뒀어요" in (await minji.send("/cancel")).text
    await minji.send("/link")
    await minji.send("kindly0904")
    assert "그만뒀어요" in (await minji.send("/cancel")).text


async def test_linking_from_another_account_ends_the_old_link_and_tells_it(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    old, new = user(1001), user(1002, first_name="지훈")
    await link(old, gateway)
    seen = await link(new, gateway)
    assert "연결했어요" in seen.text
    told = old.last.text
    assert "다른 텔레그램 계정에서 VMS 아이디 kin****04 계정을 연결해서" in told
    assert await links_of(bot).get(1001) is None
    assert (await links_of(bot).get(1002)) is not None


async def test_misconfigured_gateway_key_is_logged_once(
    user: Callable[..., User],
    gateway: GatewaySandbox,
    bot: BotRuntime,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot.app.bot_data.backend.gateway._http.headers["Authorization"] = "Bearer wrong"  # type: ignore[union-attr]
    with caplog.at_level(logging.ERROR, logger="linkage.client"):
        for vms_id in ("kindly0904", "sora2008", "yuna.kim"):
            minji = user(1001)
            await minji.send("/link")
            assert "연결할 수 없어요" in (await minji.send(vms_id)).text
    refused = [r for r in caplog.records if "refused the API key" in r.getMessage()]
    assert len(refused) == 1
    assert "wrong" not in caplog.text and "test-center-key" not in caplog.text


async def test_unlink(user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime) -> None:
    minji = user(1001)
    assert "연결된 VMS 계정이 없어요" in (await minji.send("/unlink")).text
    await link(minji, gateway)
    seen = await minji.send("/unlink")
    assert "VMS 아이디 kin****04" in seen.text
    assert "그대로 뒀어요" in (await minji.click("그대로 두기")).text
    await minji.send("/unlink")
    assert "연결을 끊었어요" in (await minji.click("연결 끊기")).text
    assert await links_of(bot).get(1001) is None


async def test_privacy_explains_what_is_kept(user: Callable[..., User]) -> None:
    text = (await user(1001).send("/privacy")).text
    for phrase in ("저장하는 정보", "이용 목적", "저장하지 않는 정보", "보관 기간", "/forget"):
        assert phrase in text
    # What /forget leaves behind for a day is said, and that it holds no id.
    assert "인증번호 요청, 틀린 인증번호, 센터 문의를 한 시각은 하루 동안 남겨요" in text
    assert "텔레그램 사용자 번호도 VMS 아이디도 없고" in text
    english = (await user(1002, language_code="en").send("/privacy")).text
    assert "Never kept" in english and "/forget" in english
    assert "kept for one day, without your Telegram user number or VMS ID" in english


async def test_forget_leaves_nothing_of_the_user_in_any_table(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji, other = user(1001), user(1002)
    await other.send("/start")
    await link(minji, gateway)
    link_id = await link_id_of(bot, 1001)
    assert await active_at_gateway(gateway, link_id)
    await minji.send("/settings")
    await minji.send("/link")  # the open flow, stored
    seen = await minji.send("/forget")
    assert "모두</b> 지울까요" not in seen.text and "모두 지울까요" in seen.text
    kept = "횟수 기록(인증번호 요청, 틀린 인증번호, 센터 문의)은 사용자 번호 없이 하루 동안"
    assert kept in seen.text
    seen = await minji.click("네, 모두 지워 주세요")
    assert "모두 지웠어요" in seen.text

    db = bot.app.bot_data.backend.db  # type: ignore[union-attr]
    tables = [
        r["name"] for r in await db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    assert {"users", "links", "flows", "ptb_user_data", "ptb_conversations"} <= set(tables)
    for table in tables:
        if table == "schema_migrations":
            continue
        for row in await db.fetch_all(f"SELECT * FROM {table}"):
            values = [str(v) for v in tuple(row)]
            assert not any("1001" in v for v in values), (table, values)
            assert not any("kindly0904" in v for v in values), (table, values)
    # The other user is untouched, and the gateway itself no longer knows the link.
    assert await bot.app.bot_data.services.users.get(1002) is not None  # type: ignore[union-attr]
    assert not await active_at_gateway(gateway, link_id)
    # A flow left open before /forget does not come back.
    assert "무엇을 도와드릴까요?" in (await minji.send("kindly0904")).text


async def test_forget_while_gateway_down_still_erases_and_revokes_later(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway)
    link_id = await link_id_of(bot, 1001)
    gateway.set_outage(True)
    await minji.send("/forget")
    assert "모두 지웠어요" in (await minji.click("네, 모두 지워 주세요")).text
    assert await links_of(bot).get(1001) is None
    owed = await bot.poller.work.get(REVOKE_LINK, link_id)
    assert owed is not None and owed.payload == {"link_id": link_id}

    gateway.set_outage(False)
    await bot.poller.run_due()  # not due yet: the gateway only just failed
    assert await active_at_gateway(gateway, link_id)
    clock.advance(timedelta(minutes=2))
    await bot.poller.run_due()
    assert not await active_at_gateway(gateway, link_id)
    assert await bot.poller.work.all(REVOKE_LINK) == []


async def test_consent_missing_members_are_told_what_to_do(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    seen = await link(user(1001), gateway, "sora2008")
    assert "❌ 1365 정보제공 동의: 아직 안 하셨어요." in seen.text
    assert "1365에서 먼저 동의해 주세요" in seen.text
    gateway.set_consents("sora2008", portal=date(2026, 3, 1))
    seen = await link(user(1002), gateway, "jiwoo0521")
    assert "휴면 계정으로 지워졌을 수 있어요" in seen.text
    assert "✅ 1365" not in seen.text  # a consent of a deleted account is not shown as fine


async def test_link_in_english(user: Callable[..., User], gateway: GatewaySandbox) -> None:
    tom = user(1003, first_name="Tom", language_code="en")
    assert "user ID" in (await tom.send("/link")).text
    seen = await link(tom, gateway)
    assert "Linked!" in seen.text and "agreed on 2019-09-11" in seen.text


async def test_a_revocation_owed_across_a_restart_is_done_by_the_bots_own_tick(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, start_bot: StartBot, clock: FakeClock
) -> None:
    first = await start_bot()
    minji = User(sandbox, first, 1001)
    await link(minji, gateway)
    link_id = await link_id_of(first, 1001)
    gateway.set_outage(True)
    await minji.send("/forget")
    await minji.click("네, 모두 지워 주세요")
    await first.stop()  # killed or restarted before the gateway came back
    gateway.set_outage(False)
    clock.advance(timedelta(hours=1))

    second = await start_bot()
    # Nobody runs the poller here: the running bot's own tick must find the owed work.
    async with asyncio.timeout(30):
        while await active_at_gateway(gateway, link_id):
            await second.poller.next_pass()


async def test_start_menu_and_deep_link_open_linking(user: Callable[..., User]) -> None:
    minji = user(1001)
    await minji.send("/start")
    assert "아이디를 보내 주세요" in (await minji.click("🔗 VMS 계정 연결")).text
    assert "그만뒀어요" in (await minji.send("/cancel")).text
    assert "아이디를 보내 주세요" in (await user(1002).send("/start link")).text


async def test_opening_another_conversation_ends_the_link_flow(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await minji.send("/link")
    await minji.send("/settings")
    # Free text now belongs to settings, not to a forgotten /link asking for an ID.
    assert "버튼으로 바꿀 수 있어요" in (await minji.send("kindly0904")).text
    await minji.send("/link")
    assert "인증번호가 가요" in (await minji.send("kindly0904")).text


async def test_a_half_done_guide_is_not_offered_once_the_gateway_shows_both_consents(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await minji.send("/howto")
    await minji.click("다음 ▶")  # stopped at 1365 안내 2단계
    await link(minji, gateway)  # kindly0904 has both consents
    seen = await minji.send("/howto")
    assert "이어서 할까요" not in seen.text
    assert "2019년 9월 11일" in seen.text and "2020년 3월 19일" in seen.text


async def test_another_command_leaves_the_link_flow(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await minji.send("/link")
    await minji.send("/help")
    # Not read as a VMS ID: no code is requested for "hello".
    assert "인증번호" not in (await minji.send("hello")).text
    assert await gateway.delivered_code("hello") is None


async def test_a_link_flow_left_open_expires_even_across_a_restart(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, start_bot: StartBot, clock: FakeClock
) -> None:
    first = await start_bot()
    await User(sandbox, first, 1001).send("/link")
    await first.stop()
    clock.advance(timedelta(minutes=31))
    second = await start_bot()
    seen = await User(sandbox, second, 1001).send("kindly0904")
    assert "시작한 지 오래돼서 그만뒀어요" in seen.text
    assert await gateway.delivered_code("kindly0904") is None


async def test_an_abandoned_link_flow_keeps_no_id_once_it_expires(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await minji.send("/link")
    await minji.send("kindly0904")  # then never types the code
    db = bot.app.bot_data.backend.db  # type: ignore[union-attr]
    row = await db.fetch_one("SELECT data FROM flows WHERE telegram_id = 1001")
    assert row is not None and "kindly0904" in row["data"]
    clock.advance(timedelta(minutes=30))
    # Nobody types: the running bot's own tick empties the data, the row stays.
    async with asyncio.timeout(30):
        while "kindly0904" in (row := await db.fetch_one("SELECT data FROM flows"))["data"]:
            await bot.poller.next_pass()
    assert row["data"] == "{}"
    assert "시작한 지 오래돼서 그만뒀어요" in (await minji.send("123456")).text


async def test_full_width_code_from_a_korean_keyboard_is_accepted(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await minji.send("/link")
    await minji.send("ｋｉｎｄｌｙ０９０４")
    code = await gateway.delivered_code("kindly0904") or ""
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert "연결했어요" in (await minji.send(wide)).text


async def test_a_deleted_1365_account_is_not_called_done_by_the_guide(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    jiwoo = user(1001)
    await link(jiwoo, gateway, "jiwoo0521")
    seen = await jiwoo.send("/howto")
    assert "두 사이트 모두 동의가 확인됐어요" not in seen.text
    assert "1365" in seen.text


async def test_an_old_unlink_button_does_not_remove_a_newer_link(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/unlink")  # asked about kindly0904, not answered
    old = minji.message_with_button("연결 끊기")
    old_data = next(
        b["callback_data"] for row in old.reply_markup or [] for b in row if b.get("callback_data")
    )
    await link(minji, gateway, "sora2008")
    seen = await minji.click_data(old.message_id, old_data)
    assert (await links_of(bot).get(1001)).vms_id == "sora2008"  # type: ignore[union-attr]
    assert "예전 연결에 대한 것이라" in seen.text
    # The current question still works.
    await minji.send("/unlink")
    seen = await minji.click("연결 끊기")
    assert "연결을 끊었어요" in seen.text and await links_of(bot).get(1001) is None
    assert sandbox.rejections == []


async def test_one_account_cannot_spend_the_centers_code_budget(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    """Made-up IDs from one Telegram account: five codes an hour, then a wait, gateway untouched."""
    prankster, minji = user(1001), user(1002)
    for n in range(5):
        await prankster.send("/link")
        assert "인증번호가 가요" in (await prankster.send(f"nobody{n:04d}")).text
    await gateway.settle_deliveries()
    sent_before = len(gateway.deliveries)
    await prankster.send("/link")
    seen = await prankster.send("nobody9999")
    assert "지금은 인증번호를 더 보낼 수 없어요. 1시간 뒤에 다시 해 주세요." in seen.text
    await gateway.settle_deliveries()
    assert len(gateway.deliveries) == sent_before  # the gateway was not asked
    # Everyone else links as usual.
    assert "연결했어요!" in (await link(minji, gateway)).text
    clock.advance(timedelta(hours=1))
    await prankster.send("/link")
    assert "인증번호가 가요" in (await prankster.send("nobody9999")).text


async def test_ten_wrong_codes_in_a_day_stop_new_requests_until_the_day_is_over(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    guesser = user(1001)
    for round_ in range(5):  # a new request every time: the gateway allows 5 tries each
        await guesser.send("/link")
        await guesser.send(f"nobody{round_:04d}")
        for _ in range(2):
            await guesser.send("000000")
        clock.advance(timedelta(minutes=20))
    await guesser.send("/link")
    seen = await guesser.send("kindly0904")
    assert "지금은 인증번호를 더 보낼 수 없어요." in seen.text and "시간" in seen.text
    clock.advance(timedelta(days=1))
    await guesser.send("/link")
    assert "인증번호가 가요" in (await guesser.send("kindly0904")).text
