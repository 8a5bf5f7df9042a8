"""Bot command lists: validation of commands, scopes and language codes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import bad_request

MAX_COMMANDS = 100
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_CHATLESS_SCOPES = ("default", "all_private_chats", "all_group_chats", "all_chat_administrators")
_CHAT_SCOPES = ("chat", "chat_administrators", "chat_member")


def check_language_code(code: str | None) -> str:
    """ "" or a two-letter ISO 639-1 code."""
    if code is None or code == "":
        return ""
    if not _LANGUAGE_RE.fullmatch(code):
        raise bad_request("invalid language code specified")
    return code


def check_commands(commands: Any) -> list[dict[str, str]]:
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many bot commands specified")
    checked = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not isinstance(description, str):
            raise bad_request("can't parse BotCommand JSON object")
        if not _COMMAND_RE.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description.strip()) <= 256 or len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": command, "description": description})
    return checked


def scope_key(scope: Any, resolve_chat: Callable[[Any], int]) -> str:
    """A readable key for a BotCommandScope: "default", "chat:-100", "chat_member:-100:7"."""
    if scope is None:
        return "default"
    if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = scope["type"]
    if kind in _CHATLESS_SCOPES:
        return kind
    if kind not in _CHAT_SCOPES:
        raise bad_request("unsupported bot command scope type")
    chat_id = resolve_chat(scope.get("chat_id"))
    if kind != "chat_member":
        return f"{kind}:{chat_id}"
    user_id = scope.get("user_id")
    if isinstance(user_id, str) and user_id.lstrip("-").isdigit():
        user_id = int(user_id)
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise bad_request("user not found")
    return f"chat_member:{chat_id}:{user_id}"
