"""/staff: the list, removal (admins only, confirmed, audited), the log, and scoped menus."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import BotRuntime
from bot.services.staff import STAFF_COMMANDS
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID, StartBot
from tests.journey import User
from tests.staff.helpers import ONLY, invite_link, services

REMOVE_SUJIN = "수진님 내보내기"
YES = "네, 내보낼게요"


def menu(sandbox: BotApiSandbox, chat: int | None, lang: str = "") -> list[str]:
    scope = "default" if chat is None else f"chat:{chat}"
    return [c["command"] for c in sandbox.commands.get((scope, lang), [])]


async def joined(admin: User, member: User) -> None:
    _, payload = await invite_link(admin)
    await member.send(f"/start {payload}")


async def test_staff_menus_carry_the_staff_commands_and_volunteers_never_do(
    user: Callable[..., User], sandbox: BotApiSandbox
) -> None:
    admin, sujin, minji = user(ADMIN_ID), user(2002, first_name="수진"), user(1001)
    await minji.send("/start")
    await joined(admin, sujin)
    for lang in ("", "en"):
        assert not set(STAFF_COMMANDS) & set(menu(sandbox, None, lang))
        for chat in (ADMIN_ID, 2002):
            assert set(STAFF_COMMANDS) <= set(menu(sandbox, chat, lang)), (chat, lang)
            assert "status" in menu(sandbox, chat, lang)  # the volunteer commands stay
    assert menu(sandbox, 1001) == []  # no chat scope: the default menu applies
    assert sandbox.commands[(f"chat:{ADMIN_ID}", "en")][-1]["description"] == "Statistics"


async def test_removal_is_confirmed_audited_and_ends_access_and_the_menu(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    admin, sujin = user(ADMIN_ID, first_name="관리"), user(2002, first_name="수진")
    await joined(admin, sujin)
    listing = await admin.send("/staff")
    assert "• 관리 — 관리자" in listing.text and "• 수진 — 담당자 (" in listing.text
    confirm = await admin.click(REMOVE_SUJIN)
    assert "수진님을 담당자에서 내보낼까요?" in confirm.text
    assert await services(bot).staff.is_staff(2002)  # asking removes nobody
    done = await admin.click(YES)
    assert "수진님을 담당자에서 내보냈어요." in done.text
    assert REMOVE_SUJIN not in done.edited[0].buttons
    assert not await services(bot).staff.is_staff(2002)
    assert (await sujin.send("/broadcast")).texts == [ONLY]
    assert menu(sandbox, 2002) == [] and menu(sandbox, 2002, "en") == []
    entry = (await services(bot).staff.recent_actions())[0]
    assert (entry.actor, entry.action, entry.detail) == (ADMIN_ID, "staff.remove", {"member": 2002})
    # A second tap on the old confirmation changes nothing.
    again = await admin.click_data(confirm.edited[0].message_id, "staff:rmok:2002")
    assert again.toast is not None and again.toast["text"] == "이미 담당자가 아니에요."


async def test_forged_staff_buttons_are_refused_to_volunteers_and_to_plain_staff(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    admin, sujin, minho = user(ADMIN_ID), user(2002), user(2003)
    await joined(admin, sujin)
    await joined(admin, minho)
    minji = user(1001)
    await minji.send("/start")
    forged = await minji.click_data(minji.last.message_id, "staff:rmok:2002")
    assert forged.toast is not None
    assert forged.toast["text"] == "센터 담당자만 쓸 수 있는 버튼이에요."
    # Staff see the list without remove buttons, and a forged admin button is refused.
    listing = await sujin.send("/staff")
    assert listing.new[0].buttons == []
    for data in ("staff:rmok:2003", "staff:rm:2003", "staff:log"):
        seen = await sujin.click_data(listing.new[0].message_id, data)
        assert seen.toast is not None and seen.toast["text"] == "관리자만 할 수 있어요."
        assert not seen.new and not seen.edited
    assert await services(bot).staff.is_staff(2003)


async def test_the_log_tells_the_last_actions_in_words(user: Callable[..., User]) -> None:
    admin, sujin = user(ADMIN_ID, first_name="관리"), user(2002, first_name="수진")
    await joined(admin, sujin)
    log = await admin.send("/staff log")
    lines = log.text.splitlines()
    assert lines[0] == "최근 담당자 기록"
    assert lines[1].endswith("· 수진 · 초대 링크로 담당자가 됨")
    assert lines[2].endswith("· 관리 · 초대 링크 만듦")
    assert lines[1].startswith("• 오후 6시 · ")  # the fake clock's 09:00 UTC, in KST: today
    from_button = await admin.click("최근 기록", (await admin.send("/staff")).new[0].message_id)
    assert from_button.new[0].text == log.text


async def test_a_restart_gives_stored_staff_their_menu_and_skips_unknown_chats(
    user: Callable[..., User], bot: BotRuntime, start_bot: StartBot, sandbox: BotApiSandbox
) -> None:
    sujin = user(2002)
    await sujin.send("/start")
    await services(bot).staff.add(2002, added_by=ADMIN_ID)
    await bot.stop()
    sandbox.commands.clear()
    await start_bot()
    assert set(STAFF_COMMANDS) <= set(menu(sandbox, 2002))
    # The admin never wrote to the bot: no chat scope was asked for (Telegram would refuse it).
    assert menu(sandbox, ADMIN_ID) == []
    assert sandbox.rejections == []
