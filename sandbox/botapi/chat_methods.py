"""Deleting messages, answering callback queries, chat actions and getChat."""

from __future__ import annotations

from typing import Any

from .call import Call
from .errors import CHAT_NOT_FOUND, QUERY_TOO_OLD, bad_request
from .serialize import chat_full_info
from .state import ChatInfo, World

QUERY_LIFETIME = 15 * 60  # seconds before Telegram forgets an unanswered callback query
MAX_ANSWER_TEXT = 200
MAX_DELETE_IDS = 100
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def _existing_chat(world: World, chat_id: int) -> ChatInfo:
    chat = world.chats.get(chat_id)
    if chat is None:
        raise bad_request(CHAT_NOT_FOUND)
    return chat


def _delete(world: World, chat: ChatInfo, message_id: int) -> str | None:
    """Delete one message; returns Telegram's complaint instead of raising."""
    entry = chat.by_id.get(message_id)
    if entry is None or entry.deleted:
        return "message to delete not found"
    if not entry.from_bot and chat.type != "private":
        # Bots delete others' messages only as admins; the sandbox bot is never one.
        return "message can't be deleted"
    entry.deleted = True
    world.publish("delete", entry)
    return None


async def delete_message(call: Call) -> bool:
    chat = _existing_chat(call.world, call.params.chat_id())
    message_id = call.params.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    problem = _delete(call.world, chat, message_id)
    if problem:
        raise bad_request(problem)
    return True


async def delete_messages(call: Call) -> bool:
    chat = _existing_chat(call.world, call.params.chat_id())
    ids = call.params.get_json("message_ids", "message identifiers")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, int) for i in ids):
        raise bad_request("message identifiers are not specified")
    if len(ids) > MAX_DELETE_IDS:
        raise bad_request("too many message identifiers specified")
    for message_id in ids:
        _delete(call.world, chat, message_id)  # missing ones are skipped, as documented
    return True


async def answer_callback_query(call: Call) -> bool:
    p, world = call.params, call.world
    text = p.get_str("text")
    if text is not None and len(text) > MAX_ANSWER_TEXT:
        raise bad_request("MESSAGE_TOO_LONG")
    query = world.queries.get(p.get_str("callback_query_id") or "")
    if (
        query is None
        or query.answer is not None
        or world.clock() - query.created_at > QUERY_LIFETIME
    ):
        raise bad_request(QUERY_TOO_OLD)
    query.answer = {
        "text": text,
        "show_alert": p.get_bool("show_alert"),
        "url": p.get_str("url"),
        "cache_time": p.get_int("cache_time") or 0,
    }
    return True


async def send_chat_action(call: Call) -> bool:
    chat = call.world.reachable_chat(call.params.chat_id())
    action = call.params.get_str("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    call.world.chat_actions.append((chat.id, action))
    return True


async def get_chat(call: Call) -> dict[str, Any]:
    chat = _existing_chat(call.world, call.params.chat_id())
    return chat_full_info(call.world, chat)
