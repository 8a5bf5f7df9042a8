"""Group chats get no personal data; resident registration numbers are kept nowhere."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path

from bot.logging_setup import configure_logging
from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox
from store.users import UserRepository
from tests.conftest import ADMIN_ID, TOKEN
from tests.journey import User

RRN = "050101-3123456"


def database_bytes(db_path: Path) -> bytes:
    parts = [db_path, db_path.with_name(db_path.name + "-wal")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


async def test_group_commands_invite_to_a_private_chat(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    in_group = user(2001, first_name="지훈", chat_id=-100123, chat_type="supergroup")
    seen = await in_group.send("/start")
    assert "1:1 대화에서만 도와드려요" in seen.text
    assert "지훈" not in seen.text
    button = seen.new[0].reply_markup[0][0]
    assert button["url"] == f"https://t.me/{bot.app.bot.username}"
    # Plain chatter in the group is ignored, and nobody in a group gets a user record.
    assert (await in_group.send("안녕")).new == []
    assert await UserRepository(bot.app.bot_data.backend.db).get(2001) is None  # type: ignore[union-attr]


async def test_commands_for_another_bot_are_ignored_in_a_private_chat_too(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji, admin = user(1001), user(ADMIN_ID)
    name = bot.app.bot.username
    assert "저는 연계도우미예요" in (await minji.send(f"/start@{name}")).text
    await minji.send("/link")
    for command in ("/staff@other_bot", "/x@other_bot", "/help@Other_Bot", "/cancel@other_bot"):
        assert (await minji.send(command)).new == [], command
        assert (await admin.send(command)).new == [], command
    # Silent, and the /link flow is still open: the next text is read as the ID.
    assert "인증번호" in (await minji.send("kindly0904")).text
    assert "이렇게 쓰시면 돼요" in (await minji.send(f"/help@{name}")).text


async def test_resident_number_is_deleted_and_stored_nowhere(
    user: Callable[..., User], sandbox: BotApiSandbox, bot: BotRuntime, db_path: Path
) -> None:
    minji = user(1001)
    await minji.send("/start")
    seen = await minji.send(f"제 주민번호는 {RRN} 이에요")
    assert "주민등록번호로 보이는 내용이 있어 메시지를 지웠어요" in seen.text
    user_messages = [m for m in sandbox.transcript(1001) if not m.from_bot]
    assert user_messages[-1].deleted
    for variant in ("0501013123456", "050101 3123456"):
        assert "지웠어요" in (await minji.send(variant)).text
    raw = database_bytes(db_path)
    for needle in (RRN, "0501013123456", "3123456"):
        assert needle.encode() not in raw


async def test_numbers_that_are_not_resident_numbers_pass(user: Callable[..., User]) -> None:
    seen = await user(1001).send("010-1234-5678 로 연락 주세요")
    assert (
        "주민등록번호" not in seen.text and "자원봉사센터" in seen.text
    )  # answered: 연락 → center


async def test_token_and_resident_numbers_never_reach_the_logs(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    configure_logging("DEBUG", [TOKEN], stream=stream)
    try:
        logging.getLogger("telegram").setLevel(logging.DEBUG)
        minji = user(1001)
        await minji.send("/start")
        await minji.send(f"주민번호 {RRN}")
        await minji.click("❓ 도움말")
        logging.getLogger("httpx").warning("GET https://api.telegram.org/bot%s/getMe", TOKEN)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    logged = stream.getvalue()
    assert "sendMessage" in logged  # DEBUG really was on and PTB really logged its calls
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged
    assert RRN not in logged and "3123456" not in logged
    assert logging.getLogger("httpx").level == logging.WARNING
