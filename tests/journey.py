"""Journeys: `await user.send("/start")`, `await user.click("한국어")`."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox


@dataclass
class Seen:
    """What the user saw after one action: new bot messages, edited ones, and a callback toast."""

    new: list = field(default_factory=list)  # type: ignore[type-arg]
    edited: list = field(default_factory=list)  # type: ignore[type-arg]
    toast: dict | None = None  # type: ignore[type-arg]

    @property
    def texts(self) -> list[str]:
        return [m.text for m in [*self.new, *self.edited]]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


class User:
    """One Telegram user talking to the bot through the sandbox."""

    def __init__(
        self,
        sandbox: BotApiSandbox,
        runtime: BotRuntime,
        user_id: int,
        first_name: str = "민지",
        language_code: str | None = "ko",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> None:
        self.sandbox = sandbox
        self.runtime = runtime
        self.user_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.chat_id = chat_id if chat_id is not None else user_id
        self.chat_type = chat_type

    def _snapshot(self) -> dict[int, tuple[str, object]]:
        return {
            m.message_id: (m.text, m.reply_markup) for m in self.sandbox.bot_messages(self.chat_id)
        }

    def _diff(self, before: dict[int, tuple[str, object]]) -> Seen:
        seen = Seen()
        for message in self.sandbox.bot_messages(self.chat_id):
            old = before.get(message.message_id)
            if old is None:
                seen.new.append(message)
            elif old != (message.text, message.reply_markup):
                seen.edited.append(message)
        return seen

    async def send(self, text: str, *, reply_to: int | None = None) -> Seen:
        """Types a message and waits until the bot has fully handled it."""
        before = self._snapshot()
        sent = await self.sandbox.user_send(
            self.user_id,
            text,
            chat_id=self.chat_id,
            first_name=self.first_name,
            language_code=self.language_code,
            chat_type=self.chat_type,
            chat_title="봉사동아리" if self.chat_type != "private" else None,
            reply_to_message_id=reply_to,
        )
        await self.runtime.processor.wait_processed(sent.update_id)
        return self._diff(before)

    async def reply(self, message_id: int, text: str) -> Seen:
        """Answers one message of the chat with Telegram's reply (swipe left, type, send)."""
        return await self.send(text, reply_to=message_id)

    async def edit(self, message_id: int, text: str) -> Seen:
        """Edits one of this user's messages (Telegram sends an edited_message update)."""
        before = self._snapshot()
        sent = await self.sandbox.user_edit(self.user_id, message_id, text, chat_id=self.chat_id)
        await self.runtime.processor.wait_processed(sent.update_id)
        return self._diff(before)

    async def click(self, button_text: str, message_id: int | None = None) -> Seen:
        """Presses the button with this text on the given (default: latest such) bot message."""
        if message_id is None:
            message_id = self.message_with_button(button_text).message_id
        before = self._snapshot()
        sent = await self.sandbox.press(self.user_id, self.chat_id, message_id, button_text)
        await self.runtime.processor.wait_processed(sent.update_id)
        seen = self._diff(before)
        seen.toast = self.sandbox.callback_answer(sent.query_id) if sent.query_id else None
        return seen

    async def click_data(self, message_id: int, data: str) -> Seen:
        """Sends a callback with arbitrary data, as a forged or outdated client would."""
        before = self._snapshot()
        sent = await self.sandbox.user_click(self.user_id, self.chat_id, message_id, data)
        await self.runtime.processor.wait_processed(sent.update_id)
        seen = self._diff(before)
        seen.toast = self.sandbox.callback_answer(sent.query_id) if sent.query_id else None
        return seen

    def message_with_button(self, button_text: str):  # type: ignore[no-untyped-def]
        for message in reversed(self.sandbox.bot_messages(self.chat_id)):
            if button_text in message.buttons:
                return message
        raise AssertionError(f"no bot message has a button {button_text!r}")

    @property
    def last(self):  # type: ignore[no-untyped-def]
        messages = self.sandbox.bot_messages(self.chat_id)
        assert messages, "the bot has not said anything"
        return messages[-1]
