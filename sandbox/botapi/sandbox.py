"""BotApiSandbox: a strict Bot API stand-in on loopback HTTP, with a user side for tests."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

from ..loopback import serve_on_loopback
from . import persist, user_side
from .errors import ApiError, not_found, unauthorized
from .flood import FloodControl
from .holds import Hold, Holds
from .params import redact
from .records import Rejection, SentUpdate, TranscriptEntry, TranscriptEvent
from .server import build_app
from .state import BotProfile, World
from .webhook import DEFAULT_TIMEOUT, WebhookDelivery
from .webhook_state import WebhookState

DEFAULT_TOKEN = "123456:SANDBOX-TOKEN-not-a-real-one"
_TOKEN_RE = re.compile(r"([0-9]+):[A-Za-z0-9_-]+")


class BotApiSandbox:
    """One simulated bot account: every token given drives the same chats and update queue."""

    def __init__(
        self,
        *,
        tokens: Iterable[str] = (DEFAULT_TOKEN,),
        bot_username: str = "yeongye_helper_bot",
        bot_first_name: str = "연계도우미",
        per_chat_per_second: float | None = None,
        per_bot_per_second: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        state_path: Path | None = None,
        webhook_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        webhook_timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """`state_path`: keep users, chats and the webhook setting in that file across
        restarts (the console demo does; tests leave it out and start empty).
        `webhook_sleep` waits out webhook backoff (tests pass one that moves their clock);
        `webhook_timeout` bounds one webhook POST in seconds."""
        self._tokens: dict[str, int] = {}
        for token in tokens:
            match = _TOKEN_RE.fullmatch(token)
            if match is None:
                raise ValueError("tokens look like '<digits>:<letters, digits, - or _>'")
            self._tokens[token] = int(match.group(1))
        if not self._tokens:
            raise ValueError("at least one token is needed")
        flood = FloodControl(per_chat_per_second, per_bot_per_second, clock)
        profile = BotProfile(bot_first_name, bot_username)
        self.world = World(profile, next(iter(self._tokens.values())), flood, clock)
        self.world.webhook.sleep = webhook_sleep
        self.world.webhook.timeout = webhook_timeout
        self._state_path = state_path
        # True when this sandbox carries on the chats of an earlier run.
        self.resumed = state_path is not None and persist.restore(self.world, state_path)
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None
        self.holds = Holds()

    def set_flood_limits(
        self,
        *,
        per_chat_per_second: float | None = None,
        per_bot_per_second: float | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Replaces the flood limits of a running sandbox (tests tighten them mid-way); the
        buckets may run on a clock of their own (a test's virtual seconds)."""
        self.world.flood = FloodControl(
            per_chat_per_second, per_bot_per_second, clock or self.world.clock
        )

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """ "http://127.0.0.1:PORT"; PTB wants base_url=f"{base_url}/bot"."""
        if self._base_url is None:
            raise RuntimeError("the sandbox is not started")
        return self._base_url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if self._runner is not None:
            raise RuntimeError("the sandbox is already started")
        self.world.queue.reopen()
        # handler_cancellation: a poll whose client hung up (PTB cancels it on stop) must not
        # linger and then be "terminated by other getUpdates request" when PTB confirms its
        # last offset.
        self._runner, self._base_url = await serve_on_loopback(
            build_app(self), host, port, handler_cancellation=True
        )
        await self.world.webhook.resume()

    async def stop(self) -> None:
        """Answer pending long polls at once, then close the server; safe to call twice."""
        runner, self._runner = self._runner, None
        self.world.queue.close()
        await self.world.webhook.pause()
        self.holds.release_all()
        if runner is not None:
            await runner.cleanup()
        self.save_state()

    @property
    def state_path(self) -> Path | None:
        return self._state_path

    def save_state(self) -> None:
        """Writes users and chats to `state_path` now (nothing without one)."""
        if self._state_path is not None:
            persist.save(self.world, self._state_path)

    async def __aenter__(self) -> BotApiSandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # --- used by the HTTP layer ------------------------------------------------------------

    def authenticate(self, token: str) -> int:
        """The bot id for a token: 404 if it isn't even token-shaped, 401 if unknown."""
        if _TOKEN_RE.fullmatch(token) is None:
            raise not_found()
        bot_id = self._tokens.get(token)
        if bot_id is None:
            raise unauthorized()
        return bot_id

    def record_rejection(self, method: str, raw: dict[str, Any], err: ApiError) -> None:
        params = redact(raw, frozenset(self._tokens))
        rejection = Rejection(method, params, err.error_code, err.description, self.world.clock())
        self.world.rejections.append(rejection)

    # --- what tests read ---------------------------------------------------------------------

    @property
    def rejections(self) -> list[Rejection]:
        return self.world.rejections

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """(scope key, language code or "") -> commands; scope keys read "default",
        "all_private_chats", "chat:<id>", "chat_administrators:<id>", "chat_member:<id>:<user>"."""
        return self.world.commands

    @property
    def chat_actions(self) -> list[tuple[int, str]]:
        return self.world.chat_actions

    @property
    def update_arrival(self) -> dict[int, float]:
        return self.world.queue.arrival

    @property
    def long_poll_waiting(self) -> bool:
        """True while the bot's getUpdates is held open (tests wait on it instead of sleeping)."""
        return self.world.queue.long_poll_waiting

    @property
    def delivered_update_ids(self) -> list[int]:
        """Update ids getUpdates has handed to the bot at least once, in that order."""
        return list(self.world.queue.delivered)

    @property
    def update_delivery(self) -> dict[int, float]:
        """update_id -> clock() when getUpdates first handed it out (for latency benchmarks)."""
        return self.world.queue.delivered

    @property
    def webhook(self) -> WebhookState:
        """The webhook setting, its last error and, while started, its sender."""
        return self.world.webhook

    @property
    def webhook_delivery(self) -> WebhookDelivery:
        """The running webhook sender (RuntimeError if no webhook is being served)."""
        delivery = self.world.webhook.delivery
        if delivery is None:
            raise RuntimeError("no webhook is set, or the sandbox is not started")
        return delivery

    def transcript(self, chat_id: int) -> list[TranscriptEntry]:
        chat = self.world.chats.get(chat_id)
        return list(chat.entries) if chat else []

    def bot_messages(self, chat_id: int) -> list[TranscriptEntry]:
        return [e for e in self.transcript(chat_id) if e.from_bot and not e.deleted]

    def photos(self, chat_id: int) -> list[TranscriptEntry]:
        """The bot's photo messages in the chat; `entry.photo.data` is the uploaded file."""
        return [e for e in self.bot_messages(chat_id) if e.photo is not None]

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        query = self.world.queries.get(query_id)
        return dict(query.answer) if query and query.answer is not None else None

    async def wait_bot_message(
        self, chat_id: int, *, after_message_id: int = 0, timeout: float = 5.0
    ) -> TranscriptEntry:
        """The first bot message in the chat newer than after_message_id (TimeoutError if none)."""
        return await self.world.wait_bot_message(chat_id, after_message_id, timeout)

    def hold(self, method: str, chat_id: int, needle: str, *, delivered: bool) -> Hold:
        """Stops the next `method` call to `chat_id` whose text contains `needle`: after it
        is carried out (`delivered`) or before (sandbox/botapi/holds.py)."""
        return self.holds.add(method, chat_id, needle, delivered=delivered)

    def subscribe(self) -> asyncio.Queue[TranscriptEvent]:
        return self.world.subscribe()

    def unsubscribe(self, queue: asyncio.Queue[TranscriptEvent]) -> None:
        self.world.unsubscribe(queue)

    # --- the user side -------------------------------------------------------------------

    async def user_send(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        first_name: str = "Tester",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ko",
        chat_type: str = "private",
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> SentUpdate:
        """The user writes; with reply_to_message_id, as a reply to that message of the chat."""
        return user_side.user_send(
            self.world,
            user_id,
            text,
            chat_id=chat_id,
            chat_type=chat_type,
            chat_title=chat_title,
            reply_to_message_id=reply_to_message_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )

    async def user_edit(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> SentUpdate:
        """The user edits their message `message_id` (in their private chat unless chat_id)."""
        return user_side.user_edit(
            self.world, user_id, user_id if chat_id is None else chat_id, message_id, text
        )

    async def user_click(
        self, user_id: int, chat_id: int, message_id: int, callback_data: str
    ) -> SentUpdate:
        return user_side.user_click(self.world, user_id, chat_id, message_id, callback_data)

    async def press(
        self, user_id: int, chat_id: int, message_id: int, button_text: str
    ) -> SentUpdate:
        """Tap the inline button labelled button_text (LookupError if absent, ValueError
        for URL and other non-callback buttons)."""
        data = user_side.find_button(self.world, chat_id, message_id, button_text)
        return await self.user_click(user_id, chat_id, message_id, data)

    async def user_block(self, user_id: int) -> SentUpdate:
        return user_side.set_blocked(self.world, user_id, True)

    async def user_unblock(self, user_id: int) -> SentUpdate:
        return user_side.set_blocked(self.world, user_id, False)

    async def user_deactivate(self, user_id: int) -> None:
        """The user deletes their Telegram account (403 "Forbidden: user is deactivated")."""
        user_side.deactivate(self.world, user_id)

    async def forget_chat(self, chat_id: int) -> None:
        """The bot loses the chat (400 "Bad Request: chat not found"); its transcript goes."""
        user_side.forget_chat(self.world, chat_id)
