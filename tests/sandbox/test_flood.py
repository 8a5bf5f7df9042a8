"""Flood control: 429 with retry_after, measured on the injected clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot
from telegram.error import RetryAfter

from sandbox.botapi import BotApiSandbox
from sandbox.botapi.flood import FloodControl

from .conftest import TOKEN, FakeClock, call


@pytest.fixture
async def limited(clock: FakeClock) -> AsyncIterator[BotApiSandbox]:
    async with BotApiSandbox(clock=clock, per_chat_per_second=1, per_bot_per_second=2) as sb:
        for user in (1, 2, 3):
            await sb.user_send(user, "/start")
        yield sb


async def test_per_chat_limit_answers_429_with_retry_after(
    limited: BotApiSandbox, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22 warns on every RetryAfter unless opted in to timedelta periods.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with Bot(TOKEN, base_url=f"{limited.base_url}/bot") as bot:
        sent = await bot.send_message(1, "one")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(1, "two")
        assert caught.value.retry_after == dt.timedelta(seconds=1)
        with pytest.raises(RetryAfter):
            await sent.edit_text("edits count too")
        clock.advance(1)
        assert await sent.edit_text("edited after waiting")
    rejection = limited.rejections[-1]
    assert (rejection.error_code, rejection.description) == (
        429,
        "Too Many Requests: retry after 1",
    )


async def test_429_body_has_telegrams_parameters(limited: BotApiSandbox) -> None:
    async with httpx.AsyncClient(base_url=limited.base_url) as http:
        await call(http, "sendMessage", chat_id=1, text="a")
        assert await call(http, "sendMessage", chat_id=1, text="b") == (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            },
        )


async def test_per_bot_limit_spans_chats(
    limited: BotApiSandbox, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with Bot(TOKEN, base_url=f"{limited.base_url}/bot") as bot:
        await bot.send_message(1, "a")
        await bot.send_message(2, "b")
        with pytest.raises(RetryAfter):
            await bot.send_message(3, "c")
        clock.advance(0.5)
        assert await bot.send_message(3, "c")
    assert [e.text for e in limited.bot_messages(3)] == ["c"]


def test_slow_rates_round_retry_after_up() -> None:
    clock = FakeClock()
    flood = FloodControl(per_chat=0.25, per_bot=None, clock=clock)
    assert flood.acquire(1) is None
    assert flood.acquire(1) == 4
    clock.advance(3.5)
    assert flood.acquire(1) == 1
    clock.advance(0.5)
    assert flood.acquire(1) is None
    assert flood.acquire(2) is None  # another chat has its own bucket


def test_rejected_calls_take_nothing() -> None:
    clock = FakeClock()
    flood = FloodControl(per_chat=1, per_bot=1, clock=clock)
    assert flood.acquire(1) is None
    assert flood.acquire(2) == 1  # bot bucket empty: chat 2's token must stay
    clock.advance(1)
    assert flood.acquire(2) is None
