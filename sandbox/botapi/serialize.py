"""Telegram JSON for users, chats and messages, in the shape PTB's de_json expects."""

from __future__ import annotations

from typing import Any

from .records import Photo, TranscriptEntry
from .state import ChatInfo, UserInfo, World

# The smaller copies Telegram makes of a photo (the longest side), smallest first.
PHOTO_SIZES = (90, 320, 800, 1280)


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def user_json(user: UserInfo) -> dict[str, Any]:
    return _drop_none(
        {
            "id": user.id,
            "is_bot": False,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "username": user.username,
            "language_code": user.language_code,
        }
    )


def bot_json(world: World, bot_id: int | None = None) -> dict[str, Any]:
    return {
        "id": bot_id if bot_id is not None else world.bot_id,
        "is_bot": True,
        "first_name": world.profile.first_name,
        "username": world.profile.username,
    }


def chat_json(world: World, chat: ChatInfo) -> dict[str, Any]:
    if chat.type != "private":
        return {"id": chat.id, "title": chat.title, "type": chat.type}
    user = world.users[chat.id]
    return _drop_none(
        {
            "id": chat.id,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "username": user.username,
            "type": "private",
        }
    )


def message_json(
    world: World, chat: ChatInfo, entry: TranscriptEntry, *, nested: bool = False
) -> dict[str, Any]:
    """A Message; a reply carries the message it answers, itself without reply_to_message
    (as the Bot API documents), and not at all once that message was deleted."""
    sender = (
        bot_json(world, entry.user_id)
        if entry.from_bot
        else user_json(world.users[entry.user_id or 0])
    )
    data: dict[str, Any] = {
        "message_id": entry.message_id,
        "from": sender,
        "chat": chat_json(world, chat),
        "date": entry.date,
    }
    if entry.edit_date is not None:
        data["edit_date"] = entry.edit_date
    target = chat.by_id.get(entry.reply_to_message_id) if entry.reply_to_message_id else None
    if target is not None and not target.deleted and not nested:
        data["reply_to_message"] = message_json(world, chat, target, nested=True)
    if entry.photo is not None:
        data["photo"] = photo_sizes(entry.photo)
        if entry.text:
            data["caption"] = entry.text
        if entry.entities:
            data["caption_entities"] = [dict(entity) for entity in entry.entities]
    else:
        data["text"] = entry.text
        if entry.entities:
            data["entities"] = [dict(entity) for entity in entry.entities]
    if entry.reply_markup:
        data["reply_markup"] = {"inline_keyboard": entry.reply_markup}
    return data


def photo_sizes(photo: Photo) -> list[dict[str, Any]]:
    """PhotoSize objects, smallest first as Telegram lists them; the last is the photo itself."""
    longest = max(photo.width, photo.height)
    bounds = [b for b in PHOTO_SIZES if b < longest][:4]
    sizes: list[dict[str, Any]] = []
    for bound in bounds:
        scale = bound / longest
        sizes.append(
            {
                "file_id": f"{photo.file_id}-{bound}",
                "file_unique_id": f"{photo.file_unique_id}{bound}",
                "width": max(1, round(photo.width * scale)),
                "height": max(1, round(photo.height * scale)),
            }
        )
    sizes.append(
        {
            "file_id": photo.file_id,
            "file_unique_id": photo.file_unique_id,
            "width": photo.width,
            "height": photo.height,
            "file_size": len(photo.data),
        }
    )
    return sizes


def chat_full_info(world: World, chat: ChatInfo) -> dict[str, Any]:
    """Minimal ChatFullInfo: the fields Bot API 10.1 marks required, plus the names."""
    data = chat_json(world, chat)
    data.update(
        accent_color_id=0,
        max_reaction_count=11,
        accepted_gift_types={
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    )
    return data
