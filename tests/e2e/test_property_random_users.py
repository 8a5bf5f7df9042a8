"""Random texts, commands and button presses from several users never break the bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import build_application
from bot.runtime import BotRuntime
from bot.services.privacy import contains_rrn
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import GATEWAY_KEY, TOKEN, make_settings
from tests.journey import User

USERS = (1001, 1002, 1003)
COMMANDS = [
    "/start",
    "/help",
    "/lang",
    "/settings",
    "/cancel",
    "/start help",
    "/start lang",
    "/nope",
    "/start x",
    "/link",
    "/start link",
    "/unlink",
    "/forget",
    "/privacy",
    "/howto",
    "/start howto",
    "kindly0904",
    "sora2008",
    "123456",
    "nobody_here",
]
RRNS = ["900101-1234567", "0303034123456", "850505 2345678"]

texts = st.one_of(
    st.sampled_from(COMMANDS),
    st.sampled_from(RRNS).map(lambda r: f"내 번호 {r}"),
    st.text(min_size=1, max_size=300).filter(lambda s: s.strip() != ""),
)
actions = st.lists(
    st.tuples(
        st.sampled_from(USERS),
        st.one_of(
            st.tuples(st.just("send"), texts),
            st.tuples(st.just("press"), st.integers(min_value=0, max_value=7)),
            st.tuples(st.just("forge"), st.text(max_size=70)),
        ),
        st.sampled_from(["ko", "en", None]),
    ),
    min_size=1,
    max_size=25,
)


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def play(steps: list, db_path: Path) -> None:  # type: ignore[type-arg]
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    try:
        gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=db_path.with_name("gw.sqlite3"))
        async with BotApiSandbox(tokens=[TOKEN]) as sandbox, gateway:
            app = await build_application(make_settings(sandbox, db_path, gateway))
            async with BotRuntime(app, poll_timeout=0.5) as runtime:
                for user_id, (kind, value), client in steps:
                    await act(User(sandbox, runtime, user_id, language_code=client), kind, value)
            assert sandbox.rejections == [], sandbox.rejections
    finally:
        logging.getLogger().removeHandler(errors)
    assert errors.records == [], [r.getMessage() for r in errors.records]
    # The bot's database and the gateway's: no value in any column looks like a resident
    # number (column by column: raw bytes would glue the digits of neighbouring columns or of
    # random salts into false alarms), and the numbers typed appear nowhere, not even in
    # free pages or the WAL.
    for path in db_path.parent.glob("*.sqlite3"):
        assert [hit for hit in shaped_like_rrn(path)] == [], path.name
    stored = b"".join(p.read_bytes() for p in db_path.parent.glob("*.sqlite3*"))
    for rrn in RRNS:
        for needle in (rrn, re.sub(r"\D", "", rrn)):
            assert needle.encode() not in stored, needle


# Machine-made ids (trn_3f09…, a flow token, a claim token): random hex, which holds 13 digits
# in a row now and then. Only values with a hex letter are skipped, so a bare 13-digit number
# typed by a user is still checked.
_OPAQUE_ID = re.compile(r"(?:[a-z]{2,5}_)?[0-9a-f]{12,}")


def opaque_id(value: str) -> bool:
    match = _OPAQUE_ID.fullmatch(value)
    return match is not None and any(c in "abcdef" for c in value.rpartition("_")[2])


def shaped_like_rrn(path: Path) -> list[str]:
    """table.column of every stored text value that holds a resident-number shape."""
    hits = []
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            for row in cursor:
                for name, value in zip(names, row, strict=True):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if isinstance(value, str) and not opaque_id(value) and contains_rrn(value):
                        hits.append(f"{table}.{name}")
    return hits


async def act(user: User, kind: str, value: object) -> None:
    if kind == "send":
        await user.send(str(value))
        return
    messages = [m for m in user.sandbox.bot_messages(user.chat_id) if m.reply_markup]
    if not messages:
        return
    message = messages[-1]
    if kind == "press":
        buttons = [b for row in message.reply_markup for b in row if b.get("callback_data")]
        if buttons:
            await user.click_data(
                message.message_id, buttons[int(value) % len(buttons)]["callback_data"]
            )  # type: ignore[call-overload]
    else:
        data = str(value)
        if 1 <= len(data.encode()) <= 64:  # anything a real client could send
            await user.click_data(message.message_id, data)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=actions)
def test_random_sessions_never_break_the_bot(steps: list, tmp_path_factory) -> None:  # type: ignore[no-untyped-def, type-arg]
    db_path = tmp_path_factory.mktemp("prop") / "bot.sqlite3"
    asyncio.run(play(steps, db_path))
