"""The sandbox's users, chats and webhook in a file, so a demo that restarts keeps what the bot
remembers.

Telegram never forgets a chat or a message because the bot restarted, and the bot's database
remembers both (guide messages it edits later, users it notifies). A sandbox that starts empty
answers those calls "chat not found" or "message to edit not found". Only users and chats with
their messages are kept: update ids, callback queries, flood counters and the command menu
start afresh, as they would for a bot process that restarts against the real Telegram.
The webhook setting is kept too (URL, secret, max_connections, allowed_updates), because
Telegram keeps it until deleteWebhook: a restarted sandbox goes on delivering to it. A file
without one (older files) means no webhook.

Fields are read by name with their defaults for what a file lacks, so fields added to
`UserInfo` or `TranscriptEntry` later are saved without touching this module.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from .records import Photo, TranscriptEntry
from .state import ChatInfo, UserInfo, World
from .webhook import WebhookSettings

FORMAT = 1


def dump(world: World) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "users": [asdict(user) for user in world.users.values()],
        "chats": [
            {
                "id": chat.id,
                "type": chat.type,
                "title": chat.title,
                "chat_instance": chat.chat_instance,
                "next_message_id": chat.next_message_id,
                "entries": [_entry(entry) for entry in chat.entries],
            }
            for chat in world.chats.values()
        ],
        "webhook": _webhook(world),
    }


def _webhook(world: World) -> dict[str, Any] | None:
    settings = world.webhook.settings
    if settings is None:
        return None
    return {**asdict(settings), "allowed_updates": world.queue.allowed_updates}


def _load_webhook(world: World, data: Any) -> None:
    if data is None:
        return
    settings = WebhookSettings(**_known(WebhookSettings, data))
    allowed = [str(kind) for kind in data.get("allowed_updates") or []]
    world.webhook.settings = settings
    world.queue.set_allowed(allowed)


def _entry(entry: TranscriptEntry) -> dict[str, Any]:
    data = asdict(entry)
    if entry.photo is not None:
        # Photos (the /stats chart) keep their bytes, as base64 text in the JSON file.
        data["photo"] = {**data["photo"], "data": base64.b64encode(entry.photo.data).decode()}
    return data


def _restore(data: dict[str, Any]) -> TranscriptEntry:
    values = _known(TranscriptEntry, data)
    photo = values.get("photo")
    if isinstance(photo, dict):
        values["photo"] = Photo(**{**_known(Photo, photo), "data": base64.b64decode(photo["data"])})
    return TranscriptEntry(**values)


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def load(world: World, data: dict[str, Any]) -> None:
    """Replaces the world's users and chats with the dumped ones (ValueError if unreadable)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a sandbox state file of a known format")
    try:
        users = [UserInfo(**_known(UserInfo, u)) for u in data["users"]]
        chats = []
        for c in data["chats"]:
            chat = ChatInfo(c["id"], c["type"], c["title"], c["chat_instance"])
            chat.entries = [_restore(e) for e in c["entries"]]
            chat.by_id = {e.message_id: e for e in chat.entries}
            chat.next_message_id = max(
                [c["next_message_id"], *(e.message_id + 1 for e in chat.entries)]
            )
            chats.append(chat)
        _load_webhook(world, data.get("webhook"))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"sandbox state file is damaged: {type(exc).__name__}") from None
    world.users = {u.id: u for u in users}
    world.chats = {c.id: c for c in chats}
    world.photos = {
        e.photo.file_id: e.photo for c in chats for e in c.entries if e.photo is not None
    }


def save(world: World, path: Path) -> None:
    """Writes atomically: a crash mid-write leaves the previous file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(dump(world), ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def restore(world: World, path: Path) -> bool:
    """Loads the file if there is one; False if there was none. An unreadable file is moved
    aside (never overwritten, so nothing is lost) and the sandbox starts empty."""
    if not path.exists():
        return False
    try:
        load(world, json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError is a ValueError
        os.replace(path, path.with_name(path.name + ".unreadable"))
        return False
    return True
