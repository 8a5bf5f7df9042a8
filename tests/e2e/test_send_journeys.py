"""/send as volunteers live it, against the sandbox gateway on a fake clock, real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from bot.runtime import BotRuntime
from bot.services.nudges import NUDGE
from bot.services.sending import (
    MAX_POLLS,
    SEND_RESULT,
    SEND_VISIBLE,
    SendInProgress,
    SendTooSoon,
)
from core.clock import FakeClock
from linkage.client import GatewayClient
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.users import UserRepository
from tests.conftest import GATEWAY_KEY
from tests.helpers.linking import link, link_id_of
from tests.helpers.sending import CONFIRM, results_in, transmissions, work
from tests.journey import User


async def test_happy_path_through_the_visibility_message(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    seen = await minji.send("/send")
    match = CONFIRM.search(seen.text)
    assert match is not None, seen.text
    assert "보내기" in seen.new[0].buttons and "취소" in seen.new[0].buttons
    seen = await minji.click("보내기")
    assert "1365로 보냈어요" in seen.text
    sent = await transmissions(gateway, bot, 1001)
    assert len(sent) == 1 and sent[0].record_count == int(match[1])

    before = len(minji.sandbox.bot_messages(1001))
    await results_in(bot, clock)
    messages = minji.sandbox.bot_messages(1001)[before:]
    assert len(messages) == 1, [m.text for m in messages]
    assert "1365 전송 결과가 나왔어요" in messages[0].text
    assert f"성공 {match[1]}건" in messages[0].text and "1365에서 볼 수 있어요" in messages[0].text
    assert "실패" not in messages[0].text
    # Polling more changes nothing: one message per transmission.
    await results_in(bot, clock, timedelta(hours=1))
    assert len(minji.sandbox.bot_messages(1001)) == before + 1
    assert await work(bot).get(SEND_VISIBLE, "1") is not None

    await results_in(bot, clock, timedelta(hours=24))
    last = minji.last
    assert f"이제 1365에서 확인해 보세요! 보낸 실적 {match[1]}건이" in last.text
    # Never opened /status: the records are fetched for the message and named all the same.
    assert len([x for x in last.text.splitlines() if x.startswith("• ")]) == int(match[1])
    assert "🌐 1365 열기" in last.buttons
    assert len(minji.sandbox.bot_messages(1001)) == before + 2
    # Only the daily new-record nudge stays of the send's work (bot/services/nudges.py).
    assert [i.kind for i in await work(bot).all() if i.kind.startswith("send.")] == [NUDGE]
    seen = await minji.send("/send")  # everything is on 1365 now
    assert "보낼 실적이 없어요" in seen.text and not seen.new[0].buttons


async def test_chosen_records_are_sent_with_scope_selected(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    """For resending single records from the list (wired by /status): only those go out."""
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    client = GatewayClient(gateway.base_url, GATEWAY_KEY)
    try:
        page = await client.records(await link_id_of(bot, 1001), status=["unsent"])
    finally:
        await client.aclose()
    chosen = [page.items[0].record_id]
    sending = bot.app.bot_data.services.sending  # type: ignore[union-attr]
    sent = await sending.send(1001, "PICKED01", record_ids=chosen)
    assert sent.settled
    (made,) = await transmissions(gateway, bot, 1001)
    assert made.record_count == 1 and [r.record_id for r in made.results] == chosen
    await results_in(bot, clock)
    assert "성공 1건" in minji.last.text


async def test_cooldown_names_the_exact_time_and_sends_nothing(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    await minji.click("보내기")
    await results_in(bot, clock)  # results in; the failed ones could be sent again
    gateway.add_records(
        "kindly0904",
        [
            {
                "activity_date": "2026-11-30",
                "host": "행복복지관",
                "activity": "배식",
                "minutes": 90,
                "kind": "일반",
            }
        ],
    )
    clock.advance(timedelta(minutes=22, seconds=30))
    seen = await minji.send("/send")
    # Sent at t0, now t0 + 61 s + 22 min 30 s: 37 minutes (rounded up) remain.
    assert "부터 보낼 수 있어요(37분 남았어요)" in seen.text, seen.text
    assert len(await transmissions(gateway, bot, 1001)) == 1
    clock.advance(timedelta(minutes=37))
    seen = await minji.send("/send")
    assert "미전송 실적 1건(총 1시간 30분)을 1365로 보낼까요?" in seen.text


def button_data(message, label: str) -> str:  # type: ignore[no-untyped-def]
    return next(
        b["callback_data"] for row in message.reply_markup for b in row if b["text"] == label
    )


async def test_double_tap_and_redelivered_press_make_one_transmission(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    prompt = minji.message_with_button("보내기")
    data = button_data(prompt, "보내기")
    first = await minji.click_data(prompt.message_id, data)
    assert "1365로 보냈어요" in first.text
    # The same press again, as a double tap or a second device showing the same prompt.
    again = await minji.click_data(prompt.message_id, data)
    assert again.toast is not None and not again.new
    assert len(await transmissions(gateway, bot, 1001)) == 1
    # The same confirmation sent again through the service, as a press redelivered after a
    # crash before the flow was closed: same token, same key, still one transmission.
    token = data.split(":")[1]
    sending = bot.app.bot_data.services.sending  # type: ignore[union-attr]
    repeated = await sending.send(1001, token)
    assert repeated.repeated
    assert len(await transmissions(gateway, bot, 1001)) == 1


async def test_concurrent_confirmations_make_one_transmission(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    sending = bot.app.bot_data.services.sending  # type: ignore[union-attr]
    outcomes = await asyncio.gather(
        sending.send(1001, "AAAAAAAA"),
        sending.send(1001, "AAAAAAAA"),
        sending.send(1001, "BBBBBBBB"),
        sending.send(1001, "CCCCCCCC"),
        return_exceptions=True,
    )
    sent = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(r, SendTooSoon | SendInProgress) for r in refused), refused
    assert len(sent) >= 1
    assert len(await transmissions(gateway, bot, 1001)) == 1


async def test_1365_consent_missing_needs_a_second_yes_then_resend_succeeds(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minjun = user(1002)
    await link(minjun, gateway, "minjun.vms")
    seen = await minjun.send("/send")
    assert "모두 실패" in seen.text and "📋 1365 정보제공 동의 방법 보기" in seen.new[0].buttons
    assert "보내기" not in seen.new[0].buttons
    guide = await minjun.click("📋 1365 정보제공 동의 방법 보기")  # the guide first, as offered
    assert guide.new and "1365" in guide.text
    stale = await minjun.click("그래도 보내기")  # that prompt's flow was replaced by the guide
    assert stale.toast is not None and not stale.new and not stale.edited
    seen = await minjun.send("/start send")
    assert "모두 실패" in seen.text
    seen = await minjun.click("그래도 보내기")
    assert "정말 보낼까요?" in seen.text
    assert len(await transmissions(gateway, bot, 1002)) == 0
    seen = await minjun.click("네, 그래도 보낼게요")
    assert "1365로 보냈어요" in seen.text
    await results_in(bot, clock)
    result = minjun.last
    assert "실패" in result.text and "1365 정보제공 동의가 없어요" in result.text
    assert (
        "📋 1365 정보제공 동의 방법 보기" in result.buttons
        and "🔁 실패한 3건 다시 보내기" in result.buttons
    )

    gateway.set_consents("minjun.vms", portal=date(2026, 12, 1))
    seen = await minjun.click("🔁 실패한 3건 다시 보내기")
    assert "부터 보낼 수 있어요" in seen.text  # still within the hour
    clock.advance(timedelta(hours=1))
    seen = await minjun.click("🔁 실패한 3건 다시 보내기")
    assert "실패했던 실적 3건" in seen.text and "보낼까요?" in seen.text, seen.text
    seen = await minjun.click("보내기")
    assert "1365로 보냈어요" in seen.text
    await results_in(bot, clock)
    assert "성공" in minjun.last.text and "실패" not in minjun.last.text
    assert len(await transmissions(gateway, bot, 1002)) == 2


async def test_vms_consent_missing_sends_nothing(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    sora = user(1003)
    await link(sora, gateway, "sora2008")
    seen = await sora.send("/send")
    assert "VMS 연계 동의가 되어 있지 않아서" in seen.text
    assert "📋 1365 정보제공 동의 방법 보기" in seen.new[0].buttons  # neither given: 1365 first
    seen = await sora.click("📋 1365 정보제공 동의 방법 보기")
    assert seen.new  # the guide opened
    assert len(await transmissions(gateway, bot, 1003)) == 0


async def test_not_linked_points_to_link(user: Callable[..., User], bot: BotRuntime) -> None:
    seen = await user(1004).send("/send")
    assert "/link" in seen.text


async def test_outage_during_send_uses_nothing_up_then_works(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    gateway.set_outage(True)
    seen = await minji.click("보내기")
    assert "연결할 수 없어요" in seen.text and "그대로 남아 있어요" in seen.text
    gateway.set_outage(False)
    assert len(await transmissions(gateway, bot, 1001)) == 0
    seen = await minji.send("/send")  # no hour was used up
    assert CONFIRM.search(seen.text)
    await minji.click("보내기")
    assert len(await transmissions(gateway, bot, 1001)) == 1


async def test_outage_during_result_polling_then_one_result(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    await minji.click("보내기")
    before = len(minji.sandbox.bot_messages(1001))
    gateway.set_outage(True)
    await results_in(bot, clock)
    await results_in(bot, clock, timedelta(minutes=5))
    assert len(minji.sandbox.bot_messages(1001)) == before
    item = await work(bot).get(SEND_RESULT, "1")
    assert item is not None and item.last_error == "GatewayUnavailable"
    gateway.set_outage(False)
    for _ in range(6):
        await results_in(bot, clock, timedelta(minutes=30))
    messages = minji.sandbox.bot_messages(1001)[before:]
    assert len(messages) == 1 and "1365 전송 결과가 나왔어요" in messages[0].text


@pytest.mark.rejections_expected
async def test_a_user_who_blocked_the_bot_is_marked_and_the_item_completes(
    user: Callable[..., User],
    gateway: GatewaySandbox,
    bot: BotRuntime,
    clock: FakeClock,
    sandbox: BotApiSandbox,
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    await minji.click("보내기")
    await sandbox.user_block(1001)
    await results_in(bot, clock)
    users = UserRepository(bot.app.bot_data.backend.db)  # type: ignore[union-attr]
    stored = await users.get(1001)
    assert stored is not None and stored.blocked_at is not None
    assert await work(bot).get(SEND_RESULT, "1") is None
    assert [r.error_code for r in sandbox.rejections] == [403]


async def test_forget_leaves_no_send_and_no_due_work(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    await minji.click("보내기")
    assert await work(bot).all(SEND_RESULT)
    await minji.send("/forget")
    await minji.click("네, 모두 지워 주세요")
    db = bot.app.bot_data.backend.db  # type: ignore[union-attr]
    assert await db.fetch_all("SELECT * FROM sends") == []
    assert await work(bot).all(SEND_RESULT) == []


async def test_a_result_that_never_comes_is_told_once_and_polling_ends(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    assert "1365로 보냈어요" in (await minji.click("보내기")).text
    item = await work(bot).get(SEND_RESULT, "1")
    assert item is not None and item.payload.get("transmission_id")
    # The gateway keeps it pending (the clock does not reach its result time) past the bound.
    await work(bot).schedule(SEND_RESULT, "1", {**item.payload, "polls": MAX_POLLS})
    before = len(minji.sandbox.bot_messages(1001))
    await bot.poller.run_due()
    told = [m.text for m in minji.sandbox.bot_messages(1001)[before:]]
    assert len(told) == 1 and "결과를 오래 기다렸지만 받지 못했어요" in told[0]
    assert await work(bot).get(SEND_RESULT, "1") is None


async def test_an_item_for_a_reused_send_id_touches_nobody_elses_send(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    await minji.click("보내기")
    item = await work(bot).get(SEND_RESULT, "1")
    assert item is not None
    # An item left from an earlier send that had the same id: another transmission.
    await work(bot).schedule(SEND_RESULT, "1", {"send_id": 1, "transmission_id": "trn_other"})
    before = len(minji.sandbox.bot_messages(1001))
    await results_in(bot, clock)
    assert len(minji.sandbox.bot_messages(1001)) == before  # nothing told, nothing marked
    rows = await bot.app.bot_data.backend.db.fetch_all("SELECT state FROM sends")  # type: ignore[union-attr]
    assert [r["state"] for r in rows] == ["accepted"]


async def test_results_given_up_after_a_long_outage_are_told_once(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    assert "1365로 보냈어요" in (await minji.click("보내기")).text
    before = len(minji.sandbox.bot_messages(1001))
    gateway.set_outage(True)
    for _ in range(40):  # 30 tries, at most an hour apart: about a day and a half
        await results_in(bot, clock, timedelta(hours=1))
    told = [m.text for m in minji.sandbox.bot_messages(1001)[before:]]
    assert len(told) == 1 and "결과를 오래 기다렸지만 받지 못했어요" in told[0], told
    gateway.set_outage(False)
    await results_in(bot, clock, timedelta(hours=1))
    assert len(minji.sandbox.bot_messages(1001)) == before + 1


async def test_the_visibility_message_names_the_records_status_has_seen(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/status")  # the records are cached with their texts
    seen = await minji.send("/send")
    match = CONFIRM.search(seen.text)
    assert match is not None
    await minji.click("보내기")
    await results_in(bot, clock)
    await results_in(bot, clock, timedelta(hours=24))
    last = minji.last.text
    assert "이제 1365에서 확인해 보세요!" in last
    listed = [line for line in last.splitlines() if line.startswith("• ")]
    assert len(listed) == int(match[1]), last  # kindly0904's 4 records, each named
    assert all(line.count("년") == 1 and " — " in line for line in listed), listed
    assert minji.sandbox.rejections == []
