"""Resending failed records from the /status list: one or all, under the same hourly rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.runtime import BotRuntime
from bot.services.status import ref_of
from core.clock import FakeClock
from linkage.client import GatewayClient
from sandbox.gateway import GatewaySandbox
from tests.conftest import GATEWAY_KEY
from tests.helpers.sending import results_in, transmissions
from tests.helpers.status import LIST, data_of, link_id, linked
from tests.journey import User

ONE = "🔁 이 실적 다시 보내기"
ALL_FAILED = "🔁 실패한 실적 모두 다시 보내기"


async def failed_ids(gateway: GatewaySandbox, bot: BotRuntime, telegram_id: int) -> list[str]:
    async with GatewayClient(gateway.base_url, GATEWAY_KEY) as client:
        page = await client.records(await link_id(bot, telegram_id), status=["failed"])
    return [r.record_id for r in page.items]


async def minjun_with_failures(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> User:
    """minjun.vms sends without the 1365 consent: every record comes back failed."""
    minjun = await linked(user(1002), gateway, "minjun.vms")
    await minjun.send("/send")
    await minjun.click("그래도 보내기")
    assert "1365로 보냈어요" in (await minjun.click("네, 그래도 보낼게요")).text
    await results_in(bot, clock)
    assert "1365 정보제공 동의가 없어요" in minjun.last.text
    assert len(await failed_ids(gateway, bot, 1002)) >= 2
    return minjun


async def open_failed_record(minjun: User) -> str:
    """/status → list → failed → record 1; returns the resend button's data."""
    await minjun.send("/status")
    await minjun.click(LIST)
    seen = await minjun.click("실패")
    assert ALL_FAILED in seen.edited[0].buttons
    record = await minjun.click("1")
    assert ONE in record.edited[0].buttons, record.edited[0].buttons
    return data_of(record.edited[0], ONE)


async def test_one_failed_record_is_resent_alone_after_the_fix_and_the_hour(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minjun = await minjun_with_failures(user, gateway, bot, clock)
    data = await open_failed_record(minjun)
    ref = data.removeprefix("send:rec:")
    (chosen,) = [i for i in await failed_ids(gateway, bot, 1002) if ref_of(i) == ref]

    # Within the hour: the exact next time, nothing sent.
    seen = await minjun.click(ONE)
    assert "부터 보낼 수 있어요" in seen.text and "남았어요" in seen.text, seen.text
    assert len(await transmissions(gateway, bot, 1002)) == 1

    gateway.set_consents("minjun.vms", portal=clock.now().date())  # the cause, fixed
    clock.advance(timedelta(hours=1))
    seen = await minjun.click(ONE)
    assert "실패했던 실적 1건" in seen.text and "보낼까요?" in seen.text, seen.text
    assert "1365로 보냈어요" in (await minjun.click("보내기")).text
    made = await transmissions(gateway, bot, 1002)
    assert len(made) == 2
    newest = max(made, key=lambda t: t.created_at)
    # Scope 'selected': only that record, although the others failed too.
    assert newest.record_count == 1 and [r.record_id for r in newest.results] == [chosen]
    await results_in(bot, clock)
    assert "성공 1건" in minjun.last.text and "실패" not in minjun.last.text
    assert chosen not in await failed_ids(gateway, bot, 1002)


async def test_all_failed_records_are_resent_together(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minjun = await minjun_with_failures(user, gateway, bot, clock)
    failed = await failed_ids(gateway, bot, 1002)
    gateway.add_records(
        "minjun.vms",
        [{"activity_date": "2026-11-30", "host": "행복복지관", "activity": "배식", "minutes": 90,
          "kind": "일반"}],
    )  # fmt: skip
    gateway.set_consents("minjun.vms", portal=clock.now().date())
    clock.advance(timedelta(hours=1))
    await minjun.send("/status")
    await minjun.click(LIST)
    await minjun.click("실패")
    seen = await minjun.click(ALL_FAILED)
    assert f"실패했던 실적 {len(failed)}건" in seen.text, seen.text
    await minjun.click("보내기")
    newest = max(await transmissions(gateway, bot, 1002), key=lambda t: t.created_at)
    # The failed ones only: the new unsent record waits for a /send of its own.
    assert sorted(r.record_id for r in newest.results) == sorted(failed)


async def test_forged_or_another_users_ref_gets_a_toast_and_sends_nothing(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minjun = await minjun_with_failures(user, gateway, bot, clock)
    theirs = await open_failed_record(minjun)
    minji = await linked(user(1001), gateway, "kindly0904")
    await minji.send("/status")
    listed = (await minji.click(LIST)).edited[0]
    clock.advance(timedelta(hours=1))
    for data, expected in (
        (theirs, "찾을 수 없어요"),  # another user's record
        ("send:rec:0123456789abcdef", "찾을 수 없어요"),
        ("send:rec:<script>", "찾을 수 없어요"),
        ("send:recx", "더 이상 쓸 수 없어요"),
    ):
        seen = await minji.click_data(listed.message_id, data)
        assert seen.toast is not None and expected in seen.toast["text"], data
        assert not seen.new and not seen.edited
    assert await transmissions(gateway, bot, 1001) == []
    assert len(await transmissions(gateway, bot, 1002)) == 1


async def test_double_tap_on_the_resend_confirmation_makes_one_transmission(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minjun = await minjun_with_failures(user, gateway, bot, clock)
    await open_failed_record(minjun)
    gateway.set_consents("minjun.vms", portal=clock.now().date())
    clock.advance(timedelta(hours=1))
    await minjun.click(ONE)
    prompt = minjun.message_with_button("보내기")
    data = data_of(prompt, "보내기")
    first = await minjun.click_data(prompt.message_id, data)
    assert "1365로 보냈어요" in first.text
    again = await minjun.click_data(prompt.message_id, data)
    assert again.toast is not None and not again.new
    assert len(await transmissions(gateway, bot, 1002)) == 2  # the first send, and this one
