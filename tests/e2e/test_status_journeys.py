"""/status and its record list as volunteers live them, on the sandbox gateway and Bot API."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.runtime import BotRuntime
from core.clock import FakeClock
from handlers.formats import clock_time
from linkage.client import GatewayClient
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from sandbox.gateway.demo import LONG_ACTIVITY
from store.sends import SendRepository
from tests.conftest import GATEWAY_KEY
from tests.helpers.linking import link
from tests.helpers.status import LIST, data_of, link_id, linked, send_all
from tests.journey import User

REFRESH = "🔄 새로고침"
NEXT = "다음 ▶"
SEOUL = ZoneInfo("Asia/Seoul")


async def test_kindly_sees_the_pair_both_consents_four_unsent_and_a_send_button(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    seen = await minji.send("/status")
    text = seen.text
    assert "VMS 아이디 kin****04 ↔ 1365 아이디" in text
    first = text.index("✅ 1365 정보제공 동의: 2019년 9월 11일에 동의하셨어요.")
    assert first < text.index("✅ VMS 연계 동의: 2020년 3월 19일에 동의하셨어요.")  # 1365 first
    assert "미전송 4건" in text and "지금 보낼 수 있어요" in text
    assert re.search(r"모두 4건, 총 [0-9]+시간", text)
    assert "기준" in text  # the "as of" time
    message = seen.new[0]
    assert data_of(message, "📤 미전송 4건 보내기") == "send:start"
    assert {LIST, REFRESH} <= set(message.buttons)


async def test_sora_without_consents_gets_the_guide_at_1365(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    sora = await linked(user(1001), gateway, "sora2008")
    seen = await sora.send("/status")
    assert "❌ 1365 정보제공 동의" in seen.text and "❌ VMS 연계 동의" in seen.text
    assert "1365에서 정보제공 동의를 해 주세요" in seen.text
    opened = await sora.click("📋 1365 정보제공 동의 방법 보기")
    assert opened.new, "the guide opens with messages of its own"
    assert "1365" in opened.new[-1].text


async def test_jiwoo_is_told_the_1365_account_is_gone_with_the_fix(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    jiwoo = await linked(user(1001), gateway, "jiwoo0521")
    seen = await jiwoo.send("/status")
    assert "1365 계정을 찾을 수 없어요" in seen.text
    assert "다시 가입" in seen.text
    assert data_of(seen.new[0], "🌐 1365 자원봉사포털 열기").startswith("https://www.1365.go.kr")


async def test_seoyeon_failures_explain_the_consent_reset_and_the_exact_next_send(
    user: Callable[..., User], gateway: GatewaySandbox, clock: FakeClock, bot: BotRuntime
) -> None:
    seoyeon = await linked(user(1001), gateway, "seoyeon88")
    sent_at = clock.now()
    await send_all(gateway, await link_id(bot, 1001))
    clock.advance(timedelta(minutes=2))  # the sandbox's results come after 60 s
    text = (await seoyeon.send("/status")).text
    assert "전송 실패 3건" in text
    assert "실명인증 정보가 맞지 않아요" in text
    assert "정보제공 동의 초기화" in text
    next_send = clock_time("ko", sent_at + timedelta(hours=1), SEOUL)
    assert f"{next_send}부터 보낼 수 있어요(58분 남았어요)" in text
    # The list explains each failure; the record's own view gives the fix.
    await seoyeon.click(LIST)
    seen = await seoyeon.click("실패")
    assert "실패 3건" in seen.text
    record = await seoyeon.click("1")
    assert "'정보제공 동의 초기화'를 누르고" in record.text


async def test_hanbit_pages_through_220_records_in_both_filters(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    hanbit = await linked(user(1001), gateway, "hanbit2007")
    status = (await hanbit.send("/status")).text
    async with GatewayClient(gateway.base_url, GATEWAY_KEY) as client:
        counts = (await client.records(await link_id(bot, 1001), limit=1)).counts

    async def walk(filter_label: str | None, expected: int) -> list[str]:
        seen = await hanbit.click(LIST)
        if filter_label is not None:
            seen = await hanbit.click(filter_label)
        numbers: list[str] = []
        pages = 0
        while True:
            message = seen.edited[0] if seen.edited else hanbit.last
            pages += 1
            numbers += [b for b in message.buttons if b.isdigit()]
            assert len(message.text) <= 4096
            if NEXT not in message.buttons:
                break
            seen = await hanbit.click(NEXT)
        assert numbers == [str(n) for n in range(1, expected + 1)]
        assert pages == max(1, -(-expected // 10))
        await hanbit.click("◀ 현황으로")
        return numbers

    await walk(None, 220)
    await walk("실패", counts.failed)
    assert f"전송 실패 {counts.failed}건" in status


async def test_under_an_hour_is_marked_in_the_list(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    yuna = await linked(user(1001), gateway, "yuna.kim")
    await yuna.send("/status")
    seen = await yuna.click(LIST)
    assert "1시간이 안 되는 실적이라 NEIS에는 올라가지 않아요" in seen.text  # the 30-minute record


async def test_yuna_html_hostile_texts_render_as_written(
    user: Callable[..., User], gateway: GatewaySandbox, sandbox: BotApiSandbox
) -> None:
    yuna = await linked(user(1001), gateway, "yuna.kim")
    await yuna.send("/status")
    seen = await yuna.click(LIST)
    text = seen.text
    assert '<해오름> 지역아동센터 & "꿈터"' in text
    assert "🍱 도시락 배달 & 안부 확인 <b>굵게</b> 'quoted'" in text
    assert "&amp; 이미 이스케이프된 것처럼 보이는 수요처 &lt;tag&gt;" in text
    assert LONG_ACTIVITY not in text and "…" in text  # shortened in the list
    # The long record's own view has the whole text.
    for n in ("1", "2", "3", "4"):
        record = await yuna.click(n)
        if "사회복지법인" in record.text:
            assert LONG_ACTIVITY in record.text
            break
        await yuna.click("◀ 목록으로")
    else:
        raise AssertionError("no record view showed the long activity")
    assert sandbox.rejections == []


async def test_refresh_is_limited_to_once_per_30_seconds_on_the_clock(
    user: Callable[..., User], gateway: GatewaySandbox, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    await minji.send("/status")
    clock.advance(timedelta(seconds=10))
    seen = await minji.click(REFRESH)
    assert seen.toast is not None and "20초 뒤에" in seen.toast["text"]
    assert not seen.edited
    clock.advance(timedelta(seconds=60))
    seen = await minji.click(REFRESH)
    assert seen.edited, "the as-of minute moved, so the message is refreshed in place"
    assert not (seen.toast or {}).get("text")


async def test_gateway_down_shows_the_cache_with_its_age(
    user: Callable[..., User], gateway: GatewaySandbox, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    await minji.send("/status")
    gateway.set_outage(True)
    clock.advance(timedelta(minutes=3))
    seen = await minji.click(REFRESH)
    assert "3분 전 정보예요" in seen.text
    assert "미전송 4건" in seen.text and "연결할 수 없어" in seen.text
    # The list still pages from the cache.
    assert "전체 4건" in (await minji.click(LIST)).text
    # /status right after the failed try shows the cache too, still saying how old it is.
    assert "3분 전 정보예요" in (await minji.send("/status")).text


async def test_gateway_down_without_cache_says_try_again(
    user: Callable[..., User], gateway: GatewaySandbox, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    gateway.set_outage(True)
    seen = await minji.send("/status")
    assert "잠시 뒤에 /status 로 다시 확인해 주세요" in seen.text
    gateway.set_outage(False)
    clock.advance(timedelta(seconds=31))
    assert "미전송 4건" in (await minji.click(REFRESH)).text  # back once the gateway is


async def test_not_linked_is_shown_the_way_to_link(user: Callable[..., User]) -> None:
    minji = user(1001)
    await minji.send("/start")
    seen = await minji.send("/status")
    assert "아직 VMS 계정이 연결되어 있지 않아요" in seen.text
    assert data_of(seen.new[0], "🔗 VMS 계정 연결") == "menu:link"
    # /start status (a deep link) shows the same.
    assert "아직 VMS 계정이 연결되어" in (await minji.send("/start status")).text


async def test_forged_list_buttons_get_a_polite_toast(
    user: Callable[..., User], gateway: GatewaySandbox, sandbox: BotApiSandbox
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    sora = await linked(user(1002), gateway, "sora2008")
    await sora.send("/status")
    theirs = data_of((await sora.click(LIST)).edited[0], "1")
    await minji.send("/status")
    listed = (await minji.click(LIST)).edited[0]
    for data, expected in (
        ("st:list:all:999", "목록이 바뀌었어요"),
        ("st:list:all:99999", "목록이 바뀌었어요"),
        ("st:list:nope:0", "목록이 바뀌었어요"),
        ("st:rec:0123456789abcdef:all:0", "찾을 수 없어요"),
        (theirs, "찾을 수 없어요"),  # another user's record
        ("st:rec:<script>:all:0", "목록이 바뀌었어요"),
    ):
        seen = await minji.click_data(listed.message_id, data)
        assert seen.toast is not None and expected in seen.toast["text"], data
        assert not seen.edited and not seen.new
    assert sandbox.rejections == []


async def test_forget_removes_the_status_cache(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = await linked(user(1001), gateway, "yuna.kim")
    await minji.send("/status")
    await minji.click(LIST)
    db = bot.app.bot_data.backend.db  # type: ignore[union-attr]

    async def rows() -> int:
        found = 0
        for table in ("status_cache", "status_records"):
            row = await db.fetch_one(
                f"SELECT COUNT(*) AS n FROM {table} WHERE telegram_id = ?", (1001,)
            )
            found += row["n"] if row else 0
        return found

    assert await rows() == 5  # the summary and yuna's four records
    await minji.send("/forget")
    await minji.click("네, 모두 지워 주세요")
    assert await rows() == 0


async def test_english_status_reads_in_english(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001, language_code="en")
    await minji.send("/start")
    await link(minji, gateway, "kindly0904")
    seen = await minji.send("/status")
    assert "Unsent 4" in seen.text and "You can send now." in seen.text
    assert "📤 Send the 4 unsent" in seen.new[0].buttons


async def test_the_status_send_button_opens_the_send_confirmation_and_status_shows_the_wait(
    user: Callable[..., User], gateway: GatewaySandbox, clock: FakeClock
) -> None:
    """/status and /send together: the next step sends, and /status then names the wait."""
    minji = await linked(user(1001), gateway, "kindly0904")
    await minji.send("/status")
    seen = await minji.click("📤 미전송 4건 보내기")
    assert "1365로 보낼까요?" in seen.text and "미전송 실적 4건" in seen.text
    seen = await minji.click("보내기")
    assert "1365로 보냈어요" in seen.text
    clock.advance(timedelta(minutes=1))
    seen = await minji.send("/status")
    assert "부터 보낼 수 있어요(59분 남았어요)" in seen.text
    assert minji.sandbox.rejections == []


async def test_record_view_with_emoji_texts_fits_4096(
    user: Callable[..., User], gateway: GatewaySandbox, sandbox: BotApiSandbox
) -> None:
    gateway.add_records(
        "kindly0904",
        [
            {
                "activity_date": "2026-03-02",
                "host": "🍱" * 500,
                "activity": "🙂" * 2000,
                "minutes": 30,
            }
        ],
    )
    minji = await linked(user(1001), gateway, "kindly0904")
    await minji.send("/status")
    await minji.click(LIST)
    for n in ("1", "2", "3", "4", "5"):
        seen = await minji.click(n)
        if seen.edited and "🍱" in seen.text:
            break
        if seen.edited:
            await minji.click("◀ 목록으로")
    assert sandbox.rejections == [], sandbox.rejections


async def test_status_names_the_wait_the_gateway_429_set(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    """/send stored a 429 Retry-After (as SendService._refusal does); /status names it too."""
    minji = await linked(user(1001), gateway, "kindly0904")
    backend = bot.app.bot_data.backend  # type: ignore[union-attr]
    await SendRepository(backend.db).wait_until(1001, clock.now() + timedelta(minutes=40))
    seen = await minji.send("/send")
    assert "40분 남았어요" in seen.text, seen.text
    seen = await minji.send("/status")
    assert "지금 보낼 수 있어요" not in seen.text, seen.text
    assert "40분 남았어요" in seen.text


async def test_status_right_after_a_send_does_not_offer_to_send_again(
    user: Callable[..., User], gateway: GatewaySandbox, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    await minji.send("/status")
    await minji.click("📤 미전송 4건 보내기")
    assert "1365로 보냈어요" in (await minji.click("보내기")).text
    clock.advance(timedelta(seconds=10))
    seen = await minji.send("/status")  # within 30 s: the pre-send cache
    assert "지금 보낼 수 있어요" not in seen.text, seen.text
    assert "60분 남았어요" in seen.text
    assert not any(b.startswith("📤 미전송") for b in seen.new[0].buttons)


async def test_status_while_a_send_is_unsettled(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    backend = bot.app.bot_data.backend  # type: ignore[union-attr]
    # An open claim whose outcome is unknown (timeout after the request left).
    await SendRepository(backend.db).claim(
        1001, "k-unsettled", "whatever", None, now=clock.now(), cooldown=timedelta(hours=1)
    )
    assert "확인하고 있어요" in (await minji.send("/send")).text
    seen = await minji.send("/status")
    assert "지금 보낼 수 있어요" not in seen.text, seen.text
    assert "확인하고 있어요" in seen.text
