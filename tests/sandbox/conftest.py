"""Fixtures: a started sandbox (always stopped again), a real PTB Bot and a raw client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Bot, CallbackQuery, Message, Update

from sandbox.botapi import DEFAULT_TOKEN, BotApiSandbox

TOKEN = DEFAULT_TOKEN
USER = 42


class FakeClock:
    """A monotonic clock that only moves when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sandbox(clock: FakeClock) -> AsyncIterator[BotApiSandbox]:
    async with BotApiSandbox(clock=clock) as started:
        yield started


@pytest.fixture
async def bot(sandbox: BotApiSandbox) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=f"{sandbox.base_url}/bot") as client:
        yield client


@pytest.fixture
async def http(sandbox: BotApiSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=10) as client:
        yield client


@pytest.fixture
async def started(sandbox: BotApiSandbox) -> int:
    """A user who has written /start to the bot in private; returns the chat id."""
    await sandbox.user_send(USER, "/start")
    return USER


async def call(
    http: httpx.AsyncClient, method: str, token: str = TOKEN, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST a Bot API method with a JSON body; returns (HTTP status, body)."""
    response = await http.post(f"/bot{token}/{method}", json=params)
    return response.status_code, response.json()


def last_description(sandbox: BotApiSandbox) -> str:
    return sandbox.rejections[-1].description


def message_of(update: Update) -> Message:
    """The update's message with its sender, narrowed for the type checker."""
    assert update.message is not None and update.message.from_user is not None
    return update.message


def query_of(update: Update) -> tuple[CallbackQuery, Message]:
    """The update's callback query and the (accessible) message it came from."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    return query, query.message
