"""Journey steps for help requests: the staff team, a question asked, the copy staff get."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID
from tests.journey import User
from tests.staff.helpers import services

ASK = "✍️ 센터에 질문 남기기"


SENT = "센터에 전했어요. 담당자가 답하면 여기로 알려 드릴게요."


ALREADY = (
    "이미 답한 문의라서 이 답은 봉사자에게 가지 않았어요. "
    "문의 하나에는 답을 한 번만 전할 수 있어요."
)


QUESTION = "동의했는데 전송이 안 돼요 <b>왜</b> & 어떻게 하죠?"


async def staff_team(user: Callable[..., User], bot: BotRuntime) -> tuple[User, User]:
    admin, sujin = user(ADMIN_ID, first_name="관리"), user(2002, first_name="수진")
    await admin.send("/start")
    await sujin.send("/start")
    await services(bot).staff.add(2002, added_by=ADMIN_ID)
    return admin, sujin


async def ask(volunteer: User, question: str = QUESTION) -> str:
    await volunteer.send("/help")
    prompt = await volunteer.click(ASK)
    assert "센터 담당자에게 보낼 질문을 한 메시지로 써 주세요" in prompt.text
    return (await volunteer.send(question)).text


def copy_for(sandbox: BotApiSandbox, staff_id: int, request_id: int):  # type: ignore[no-untyped-def]
    found = [m for m in sandbox.bot_messages(staff_id) if f"문의 #{request_id}" in m.text]
    assert len(found) == 1, [m.text for m in sandbox.bot_messages(staff_id)]
    return found[0]
