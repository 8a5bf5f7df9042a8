"""The simulated Telegram world: users, chats, their messages and the bot's settings."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .errors import BLOCKED, CANT_INITIATE, CHAT_NOT_FOUND, DEACTIVATED, bad_request, forbidden
from .flood import FloodControl
from .records import Photo, Rejection, TranscriptEntry, TranscriptEvent
from .updates import UpdateQueue
from .webhook_state import WebhookState


@dataclass
class UserInfo:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    started: bool = False  # has written to the bot in private at least once
    blocked: bool = False
    deactivated: bool = False  # the account was deleted


@dataclass
class ChatInfo:
    id: int
    type: str
    title: str | None
    chat_instance: str
    entries: list[TranscriptEntry] = field(default_factory=list)
    by_id: dict[int, TranscriptEntry] = field(default_factory=dict)
    next_message_id: int = 1


@dataclass
class CallbackQueryState:
    chat_id: int
    created_at: float
    answer: dict[str, Any] | None = None


@dataclass(frozen=True)
class BotProfile:
    first_name: str
    username: str


class World:
    """All mutable sandbox state; bot methods and the user side both act on it."""

    def __init__(
        self,
        profile: BotProfile,
        bot_id: int,
        flood: FloodControl,
        clock: Callable[[], float],
    ) -> None:
        self.profile = profile
        self.bot_id = bot_id  # the first token's id, used where no request names one
        self.flood = flood
        self.clock = clock
        self.queue = UpdateQueue(clock)
        self.webhook = WebhookState(self.queue, clock)
        self.users: dict[int, UserInfo] = {}
        self.chats: dict[int, ChatInfo] = {}
        self.queries: dict[str, CallbackQueryState] = {}
        self.rejections: list[Rejection] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # setChatMenuButton: per private chat (None: the bot's default); absent = default.
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.texts: dict[tuple[str, str], str] = {}  # (name|description|short_description, lang)
        self.photos: dict[str, Photo] = {}  # file_id -> a photo the bot uploaded
        self._subscribers: list[asyncio.Queue[TranscriptEvent]] = []
        self._message_waiters: list[asyncio.Future[None]] = []
        self._query_seq = 0
        self._rng = random.Random(bot_id)

    # --- lookups -----------------------------------------------------------------------

    def ensure_chat(self, chat_id: int, chat_type: str, title: str | None) -> ChatInfo:
        chat = self.chats.get(chat_id)
        if chat is None:
            instance = str(self._rng.getrandbits(63) - (1 << 62))
            chat = self.chats[chat_id] = ChatInfo(chat_id, chat_type, title, instance)
        return chat

    def reachable_chat(self, chat_id: int) -> ChatInfo:
        """The chat the bot wants to act in, or Telegram's reason why it can't."""
        chat = self.chats.get(chat_id)
        user = self.users.get(chat_id)
        if user is None:
            if chat is None:
                raise bad_request(CHAT_NOT_FOUND)
            return chat
        # A private chat: the user must exist, have started the bot and not blocked it.
        if user.deactivated:
            raise forbidden(DEACTIVATED)
        if user.blocked:
            raise forbidden(BLOCKED)
        if not user.started or chat is None:
            raise forbidden(CANT_INITIATE)
        return chat

    def known_chat_id(self, chat_id: int) -> int:
        """For scopes and getChat: a private chat exists once the user has met the bot."""
        if chat_id in self.chats:
            return chat_id
        raise bad_request(CHAT_NOT_FOUND)

    def new_query_id(self) -> str:
        self._query_seq += 1
        # Real ids are long decimal strings; keep them unique and unguessable-looking.
        return str(self._rng.getrandbits(40) * 1_000_000 + self._query_seq)

    # --- messages ------------------------------------------------------------------------

    def add_message(self, chat: ChatInfo, entry: TranscriptEntry) -> TranscriptEntry:
        entry.message_id = chat.next_message_id
        chat.next_message_id += 1
        entry.date = int(time.time())
        entry.sent_at = self.clock()
        chat.entries.append(entry)
        chat.by_id[entry.message_id] = entry
        if entry.from_bot:
            self.publish("new", entry)
        return entry

    def publish(self, kind: Literal["new", "edit", "delete"], entry: TranscriptEntry) -> None:
        event = TranscriptEvent(kind, replace(entry, entities=list(entry.entities)))
        for queue in self._subscribers:
            queue.put_nowait(event)
        if kind == "new":
            waiters, self._message_waiters = self._message_waiters, []
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    def subscribe(self) -> asyncio.Queue[TranscriptEvent]:
        queue: asyncio.Queue[TranscriptEvent] = asyncio.Queue()
        self._subscribers.append(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[TranscriptEvent]) -> None:
        if queue in self._subscribers:
            self._subscribers.remove(queue)

    async def wait_bot_message(
        self, chat_id: int, after_message_id: int, timeout: float
    ) -> TranscriptEntry:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            chat = self.chats.get(chat_id)
            for entry in chat.entries if chat else []:
                if entry.from_bot and entry.message_id > after_message_id:
                    return entry
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no bot message in chat {chat_id} within {timeout}s")
            waiter: asyncio.Future[None] = loop.create_future()
            self._message_waiters.append(waiter)
            try:
                await asyncio.wait({waiter}, timeout=remaining)
            finally:
                if waiter in self._message_waiters:
                    self._message_waiters.remove(waiter)
