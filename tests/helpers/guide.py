"""Journey steps through the guide (the walk to 1365's own site)."""

from __future__ import annotations

from bot.runtime import BotRuntime
from sandbox.gateway import GatewaySandbox
from store.guide import GuideProgress, GuideRepository
from tests.journey import Seen, User

NEXT, PREV, STUCK, CHECK = "다음 ▶", "◀ 이전", "😥 막혔어요", "🔄 다시 확인"
BACK_TO_1365 = "◀ 1365 단계로"
# Only the last step of a site records its consent, and the button says which.
DONE_1365, DONE_VMS = "✅ 1365 정보제공 동의를 마쳤어요", "✅ VMS 연계 동의를 마쳤어요"
SEND, RESEND, STATUS = "📤 1365로 실적 보내기", "📤 실패한 실적 다시 보내기", "📊 연계 현황 보기"


async def progress(bot: BotRuntime, telegram_id: int) -> GuideProgress | None:
    return await GuideRepository(bot.app.bot_data.backend.db).get(telegram_id)  # type: ignore[union-attr]


async def link(bot: BotRuntime, gateway: GatewaySandbox, telegram_id: int, vms_id: str) -> None:
    """Links the user as /link would, straight through the link service."""
    links = bot.app.bot_data.services.links  # type: ignore[union-attr]
    sent = await links.request_code(telegram_id, vms_id)
    await links.confirm(telegram_id, sent.request_id, await gateway.delivered_code(vms_id) or "")


def only_edit(seen: Seen, message_id: int) -> str:
    """The one message this action changed is the guide message, edited in place."""
    assert seen.new == [], [m.text for m in seen.new]
    assert [m.message_id for m in seen.edited] == [message_id]
    return seen.edited[0].text


async def walk(user: User, steps: int) -> list[str]:
    """Presses 다음 ▶ `steps` times; every press edits the same message. Returns the texts."""
    guide = user.message_with_button(NEXT)
    return [only_edit(await user.click(NEXT), guide.message_id) for _ in range(steps)]


async def finish_site(user: User, done: str) -> Seen:
    """Walks from step 1 to step 5 of the current site and presses its consent button."""
    await walk(user, 4)
    return await user.click(done)
