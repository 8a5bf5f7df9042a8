"""A link step's message coming a second time, on each engine: a person sending it twice, or
the same stored update run again by another webhook worker after the first one died between
finishing it and recording it as done (issue 16, part 7: the handler sees the same message
again, with the flow as the first run left it).

- the code, after the link is made and the flow closed: "already linked", not chat;
- the ID, at the code step, while its code still works: the same answer, and no second code
  (a second one would void the first, which the volunteer may be typing already).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.journey import User

MEMBER = "kindly0904"


@pytest.fixture
def database_url(each_engine_url: str | None) -> str | None:
    return each_engine_url


def codes_to(gateway: GatewaySandbox, vms_id: str) -> int:
    return sum(1 for d in gateway.deliveries if d.vms_id == vms_id)


async def test_the_code_again_after_linking_says_already_linked(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/link")
    await minji.send(MEMBER)
    code = await gateway.delivered_code(MEMBER)
    assert code is not None
    assert "연결했어요!" in (await minji.send(code)).text
    again = await minji.send(code)
    assert again.text.startswith("이미 연결되어 있어요.\nVMS 아이디 kin****04 ↔ 1365 아이디 ")
    assert again.text.endswith("다른 VMS 계정으로 바꾸려면 /link 를 눌러 주세요.")
    # Still linked, to the same member; nothing asked of the gateway again.
    assert "kin****04" in (await minji.send("/status")).text
    assert codes_to(gateway, MEMBER) == 1


async def test_a_code_from_someone_not_linked_is_still_chat(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    """No link to speak of: the code-shaped text gets the usual answer to chat."""
    seen = await user(1002).send("123456")
    assert "이미 연결되어 있어요" not in seen.text


async def test_the_id_again_at_the_code_step_asks_for_no_second_code(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await minji.send("/link")
    first = await minji.send(MEMBER)
    assert "6자리 인증번호가 가요" in first.text
    code = await gateway.delivered_code(MEMBER)
    clock.advance(timedelta(minutes=3))
    again = await minji.send(MEMBER)
    assert again.text.startswith("이 아이디로는 인증번호를 이미 요청했어요.")
    assert "등록된 휴대폰(010-" in again.text and "7분 안에 보내 주세요" in again.text
    assert again.new[0].buttons == first.new[0].buttons  # 🔁 asks for a new one, if wanted
    await gateway.settle_deliveries()
    assert codes_to(gateway, MEMBER) == 1
    assert "연결했어요!" in (await minji.send(code or "")).text
