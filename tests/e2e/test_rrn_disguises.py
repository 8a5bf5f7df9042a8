"""A resident number in disguise (full width, odd separators, zero-width characters) typed
into /link is deleted like a plain one: it reaches neither the gateway nor any table."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from bot.services.privacy import contains_rrn, for_detection
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.disguises import DISGUISED, disguised_numbers
from tests.journey import User


def _values(path: Path) -> list[tuple[str, str]]:
    """(table, text) of every stored text value of a database file."""
    found = []
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                found += [(table, v) for v in row if isinstance(v, str)]
    return found


def assert_kept_nowhere(typed: str, gateway: GatewaySandbox, tmp_path: Path) -> None:
    """Nothing of `typed` in the gateway's link requests, nor in any file or table of ours."""
    digits = re.sub(r"[^0-9]", "", for_detection(typed))
    assert gateway.deliveries == []
    gateway_db = tmp_path / "gateway.sqlite3"
    with contextlib.closing(sqlite3.connect(gateway_db)) as conn:
        assert conn.execute("SELECT vms_id FROM link_requests").fetchall() == []
    ours = tmp_path / "bot.sqlite3"
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("bot.sqlite3*"))
    for needle in (typed, digits, digits[6:]):
        assert needle.encode() not in stored, needle
    for table, value in _values(ours):
        assert not contains_rrn(value), table
    with contextlib.closing(sqlite3.connect(ours)) as conn:
        assert not any(digits[6:] in d for (d,) in conn.execute("SELECT data FROM flows"))


async def send_into_link(minji: User, sandbox: BotApiSandbox, typed: str) -> None:
    seen = await minji.send(typed)
    assert "주민등록번호로 보이는 내용이 있어 메시지를 지웠어요" in seen.text, typed
    assert [m for m in sandbox.transcript(minji.chat_id) if not m.from_bot][-1].deleted


@pytest.mark.parametrize("typed", DISGUISED)
async def test_a_disguised_resident_number_typed_into_link_is_deleted_and_kept_nowhere(
    typed: str,
    user: Callable[..., User],
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    tmp_path: Path,
) -> None:
    minji = user(1001)
    await minji.send("/link")
    await send_into_link(minji, sandbox, typed)
    assert_kept_nowhere(typed, gateway, tmp_path)
    # The flow still waits for an ID, and a real one still links.
    assert "인증번호" in (await minji.send("kindly0904")).text


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(number=disguised_numbers())
async def test_no_disguise_reaches_the_gateway_or_a_table(
    number: str,
    user: Callable[..., User],
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    tmp_path: Path,
) -> None:
    # One bot for every example (the fixtures are the test's): each one opens /link anew.
    minji = user(1001)
    await minji.send("/link")
    await send_into_link(minji, sandbox, number)
    await send_into_link(minji, sandbox, f"제 아이디는 {number} 이에요")
    assert_kept_nowhere(number, gateway, tmp_path)
