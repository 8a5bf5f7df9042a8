"""sendMessage and the edits: validation first, then reachability, then flood control."""

from __future__ import annotations

import time
from typing import Any

from .call import Call
from .errors import NOT_MODIFIED, bad_request, too_many_requests
from .params import Params
from .records import Photo, TranscriptEntry
from .serialize import message_json
from .state import ChatInfo, World
from .validation import check_markup_chat, parse_reply_markup, parse_text


def _take_flood_slot(world: World, chat_id: int) -> None:
    retry_after = world.flood.acquire(chat_id)
    if retry_after is not None:
        raise too_many_requests(retry_after)


def _reply_target(params: Params, chat: ChatInfo) -> int | None:
    """The message this one replies to, per ReplyParameters (or the legacy
    reply_to_message_id): None when there is none, or when a missing one is allowed."""
    reply = params.get_json("reply_parameters", "reply parameters")
    target: Any = params.get_int("reply_to_message_id")
    lenient = params.get_bool("allow_sending_without_reply")
    if isinstance(reply, dict):
        target = reply.get("message_id")
        lenient = lenient or bool(reply.get("allow_sending_without_reply"))
        other = reply.get("chat_id")
        if other is not None and Params({"chat_id": other}).chat_id() != chat.id:
            # Replies across chats arrive as external_reply, which the sandbox does not model.
            raise bad_request("replies to messages in other chats are not implemented")
    elif reply is not None:
        raise bad_request("can't parse reply parameters JSON object")
    if target is None:
        return None
    entry = chat.by_id.get(target) if isinstance(target, int) else None
    if entry is None or entry.deleted:
        if lenient:
            return None
        raise bad_request("message to be replied not found")
    return entry.message_id


async def send_message(call: Call) -> dict[str, Any]:
    p = call.params
    chat_id = p.chat_id()
    content = parse_text(
        p.get_str("text"),
        p.get_str("parse_mode"),
        p.get_json("entities", "entities"),
        editing=False,
    )
    markup = parse_reply_markup(
        p.get_json("reply_markup", "reply keyboard markup"), inline_only=False
    )
    return post(call, chat_id, content, markup)


def post(
    call: Call, chat_id: int, content: Any, markup: Any, photo: Photo | None = None
) -> dict[str, Any]:
    """A new bot message in the chat, as sendMessage and sendPhoto record it: the chat must be
    reachable, a reply target must exist, and it takes a slot of the flood limit."""
    p, world = call.params, call.world
    chat = world.reachable_chat(chat_id)
    check_markup_chat(markup, chat.type)
    reply_to = _reply_target(p, chat)
    _take_flood_slot(world, chat.id)
    entry = TranscriptEntry(
        chat_id=chat.id,
        message_id=0,
        from_bot=True,
        user_id=call.bot_id,
        text=content.text,
        html=content.raw if content.parse_mode == "HTML" else None,
        parse_mode=content.parse_mode,
        entities=content.entities,
        reply_markup=markup,
        photo=photo,
        reply_to_message_id=reply_to,
    )
    world.add_message(chat, entry)
    return message_json(world, chat, entry)


def _edit_target(call: Call) -> tuple[ChatInfo, TranscriptEntry]:
    p = call.params
    if p.has("inline_message_id"):
        raise bad_request("inline messages are not implemented in the sandbox")
    chat_id = p.chat_id()
    message_id = p.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    chat = call.world.reachable_chat(chat_id)
    entry = chat.by_id.get(message_id)
    if entry is None or entry.deleted:
        raise bad_request("message to edit not found")
    if not entry.from_bot:
        raise bad_request("message can't be edited")
    return chat, entry


def _apply_edit(
    call: Call, chat: ChatInfo, entry: TranscriptEntry, **changes: Any
) -> dict[str, Any]:
    check_markup_chat(changes.get("reply_markup"), chat.type)
    current = {name: getattr(entry, name) for name in ("text", "entities", "reply_markup")}
    if all(current[name] == changes.get(name, current[name]) for name in current):
        raise bad_request(NOT_MODIFIED)
    _take_flood_slot(call.world, chat.id)
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.edited = True
    entry.edit_date = int(time.time())
    call.world.publish("edit", entry)
    return message_json(call.world, chat, entry)


async def edit_message_text(call: Call) -> dict[str, Any]:
    p = call.params
    content = parse_text(
        p.get_str("text"),
        p.get_str("parse_mode"),
        p.get_json("entities", "entities"),
        editing=True,
    )
    # Omitting reply_markup removes the keyboard, exactly as on Telegram.
    markup = parse_reply_markup(
        p.get_json("reply_markup", "reply keyboard markup"), inline_only=True
    )
    chat, entry = _edit_target(call)
    if entry.photo is not None:
        raise bad_request("there is no text in the message to edit")
    return _apply_edit(
        call,
        chat,
        entry,
        text=content.text,
        entities=content.entities,
        reply_markup=markup,
        html=content.raw if content.parse_mode == "HTML" else None,
        parse_mode=content.parse_mode,
    )


async def edit_message_reply_markup(call: Call) -> dict[str, Any]:
    p = call.params
    markup = parse_reply_markup(
        p.get_json("reply_markup", "reply keyboard markup"), inline_only=True
    )
    chat, entry = _edit_target(call)
    return _apply_edit(call, chat, entry, reply_markup=markup)
