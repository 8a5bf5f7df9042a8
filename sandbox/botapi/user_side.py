"""What a simulated user does: write, tap buttons, block and unblock the bot."""

from __future__ import annotations

import re
import time
from typing import Any

from .html_entities import utf16_len
from .records import SentUpdate, TranscriptEntry
from .serialize import bot_json, chat_json, message_json, user_json
from .state import CallbackQueryState, ChatInfo, UserInfo, World

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")
_CHAT_TYPES = ("private", "group", "supergroup")


def _receipt(update_id: int | None, message_id: int | None, query_id: str | None) -> SentUpdate:
    return SentUpdate(update_id or 0, message_id, query_id, delivered=update_id is not None)


def _upsert_user(world: World, user_id: int, **profile: Any) -> UserInfo:
    if user_id <= 0:
        raise ValueError("user ids are positive")
    user = world.users.get(user_id)
    if user is None:
        user = world.users[user_id] = UserInfo(user_id, **profile)
    else:
        for name, value in profile.items():
            setattr(user, name, value)
    return user


def _message_chat(
    world: World, user_id: int, chat_id: int | None, chat_type: str, title: str | None
) -> ChatInfo:
    if chat_type not in _CHAT_TYPES:
        raise ValueError(f"chat_type must be one of {_CHAT_TYPES}")
    if chat_type == "private":
        if chat_id not in (None, user_id):
            raise ValueError("a private chat's id is the user's id")
        return world.ensure_chat(user_id, "private", None)
    if chat_id is None or chat_id >= 0:
        raise ValueError("group chats need a negative chat_id")
    chat = world.ensure_chat(chat_id, chat_type, title or "Test group")
    if title:
        chat.title = title
    return chat


def command_entities(text: str) -> list[dict[str, Any]]:
    """Telegram marks a leading /command (with an optional @botname) as bot_command."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    return [{"offset": 0, "length": utf16_len(match.group(0)), "type": "bot_command"}]


def user_send(
    world: World,
    user_id: int,
    text: str,
    *,
    chat_id: int | None,
    chat_type: str,
    chat_title: str | None,
    reply_to_message_id: int | None = None,
    **profile: Any,
) -> SentUpdate:
    """A message from the user; with reply_to_message_id, a reply to that message of the chat
    (the user's client only offers replies to messages it shows: LookupError otherwise)."""
    if user_id <= 0:
        raise ValueError("user ids are positive")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("users can't send empty messages")
    if utf16_len(text) > 4096:
        raise ValueError("users can't send more than 4096 UTF-16 code units either")
    chat = _message_chat(world, user_id, chat_id, chat_type, chat_title)
    if reply_to_message_id is not None:
        _current_message(world, chat.id, reply_to_message_id)
    user = _upsert_user(world, user_id, **profile)
    if chat.type == "private":
        user.started = True  # writing to the bot starts it; blocking stays as it was
    entry = TranscriptEntry(
        chat_id=chat.id,
        message_id=0,
        from_bot=False,
        user_id=user_id,
        text=text,
        html=None,
        parse_mode=None,
        entities=command_entities(text),
        reply_to_message_id=reply_to_message_id,
    )
    world.add_message(chat, entry)
    update_id = world.queue.push("message", message_json(world, chat, entry))
    return _receipt(update_id, entry.message_id, None)


def user_edit(world: World, user_id: int, chat_id: int, message_id: int, text: str) -> SentUpdate:
    """The user edits one of their own messages: Telegram sends an `edited_message` update
    with the new text (and its command entity, if it now starts with one)."""
    chat, entry = _current_message(world, chat_id, message_id)
    if entry.from_bot or entry.user_id != user_id:
        raise ValueError("users can only edit their own messages")
    if not text.strip() or utf16_len(text) > 4096:
        raise ValueError("an edit needs 1 to 4096 UTF-16 code units")
    entry.text = text
    entry.entities = command_entities(text)
    entry.edit_date = int(time.time())
    update_id = world.queue.push("edited_message", message_json(world, chat, entry))
    return _receipt(update_id, entry.message_id, None)


def _current_message(
    world: World, chat_id: int, message_id: int
) -> tuple[ChatInfo, TranscriptEntry]:
    chat = world.chats.get(chat_id)
    entry = chat.by_id.get(message_id) if chat else None
    if chat is None or entry is None or entry.deleted:
        raise LookupError(f"no message {message_id} in chat {chat_id}")
    return chat, entry


def user_click(
    world: World, user_id: int, chat_id: int, message_id: int, callback_data: str
) -> SentUpdate:
    """A callback query for any data, button or not: tests use it to forge presses."""
    chat, entry = _current_message(world, chat_id, message_id)
    user = world.users.get(user_id) or _upsert_user(
        world, user_id, first_name="Tester", language_code="ko"
    )
    query_id = world.new_query_id()
    world.queries[query_id] = CallbackQueryState(chat_id, world.clock())
    payload = {
        "id": query_id,
        "from": user_json(user),
        "message": message_json(world, chat, entry),
        "chat_instance": chat.chat_instance,
        "data": callback_data,
    }
    update_id = world.queue.push("callback_query", payload)
    return _receipt(update_id, None, query_id)


def find_button(world: World, chat_id: int, message_id: int, button_text: str) -> str:
    """The callback_data of the button labelled button_text in the message as it is now."""
    _, entry = _current_message(world, chat_id, message_id)
    for row in entry.reply_markup or []:
        for button in row:
            if button["text"] != button_text:
                continue
            if "callback_data" not in button:
                kind = "URL" if "url" in button else "non-callback"
                raise ValueError(f"{kind} button {button_text!r} can't be pressed in the sandbox")
            return str(button["callback_data"])
    raise LookupError(f"no button {button_text!r}; buttons are {entry.buttons}")


def set_blocked(world: World, user_id: int, blocked: bool) -> SentUpdate:
    """Block or unblock; Telegram tells the bot through a my_chat_member update."""
    user = world.users.get(user_id) or _upsert_user(
        world, user_id, first_name="Tester", language_code="ko"
    )
    chat = world.chats.get(user_id)
    if user.blocked == blocked or chat is None:
        user.blocked = blocked
        return _receipt(None, None, None)
    user.blocked = blocked
    bot = bot_json(world)
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    payload = {
        "chat": chat_json(world, chat),
        "from": user_json(user),
        "date": int(time.time()),
        "old_chat_member": _member(bot, old),
        "new_chat_member": _member(bot, new),
    }
    return _receipt(world.queue.push("my_chat_member", payload), None, None)


def _member(bot: dict[str, Any], status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"user": bot, "status": status}
    if status == "kicked":
        member["until_date"] = 0
    return member


def deactivate(world: World, user_id: int) -> None:
    """The user deletes their account: sends to them answer 403 "user is deactivated"
    (Telegram sends the bot no update for it)."""
    user = world.users.get(user_id) or _upsert_user(
        world, user_id, first_name="Deleted Account", language_code=None
    )
    user.deactivated = True


def forget_chat(world: World, chat_id: int) -> None:
    """The chat disappears from the bot's view (a user id it never met, or a chat Telegram
    dropped): sends to it answer 400 "chat not found"."""
    world.users.pop(chat_id, None)
    world.chats.pop(chat_id, None)
