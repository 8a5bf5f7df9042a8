"""Bot-level methods: identity, updates, commands, names and descriptions.

setWebhook and friends are in webhook_methods.py."""

from __future__ import annotations

from typing import Any

from .call import Call
from .commands import check_commands, check_language_code, scope_key
from .errors import WEBHOOK_ACTIVE, ApiError, bad_request
from .params import Params
from .serialize import bot_json
from .validation import check_text_limit

# (stored key, parameter name, length limit) for setMyName/Description/ShortDescription.
_PROFILE_TEXTS = {
    "name": ("name", 64),
    "description": ("description", 512),
    "short_description": ("short_description", 120),
}


async def get_me(call: Call) -> dict[str, Any]:
    me = bot_json(call.world, call.bot_id)
    me.update(
        can_join_groups=True,
        can_read_all_group_messages=True,  # the sandbox has no group privacy mode
        supports_inline_queries=False,
        can_connect_to_business=False,
        has_main_web_app=False,
    )
    return me


async def log_out(call: Call) -> bool:
    return True


async def get_updates(call: Call) -> list[dict[str, Any]]:
    p, queue = call.params, call.world.queue
    if call.world.webhook.active:
        raise ApiError(409, WEBHOOK_ACTIVE)
    if p.has("allowed_updates"):
        kinds = p.get_json("allowed_updates", "allowed updates")
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise bad_request("can't parse allowed updates JSON object")
        queue.set_allowed(kinds)
    timeout = p.get_str("timeout")
    try:
        seconds = float(timeout) if timeout is not None else 0.0
    except ValueError:
        raise bad_request('field "timeout" must be of type Integer') from None
    limit = p.get_int("limit")
    return await queue.poll(p.get_int("offset") or 0, 100 if limit is None else limit, seconds)


def _commands_key(call: Call) -> tuple[str, str]:
    p, world = call.params, call.world

    def resolve(chat_id: Any) -> int:
        return world.known_chat_id(Params({"chat_id": chat_id}).chat_id())

    scope = scope_key(p.get_json("scope", "BotCommandScope"), resolve)
    return scope, check_language_code(p.get_str("language_code"))


async def set_my_commands(call: Call) -> bool:
    commands = check_commands(call.params.get_json("commands", "commands"))
    key = _commands_key(call)
    if commands:
        call.world.commands[key] = commands
    else:
        call.world.commands.pop(key, None)  # an empty list is the same as deleting
    return True


async def get_my_commands(call: Call) -> list[dict[str, Any]]:
    return [dict(command) for command in call.world.commands.get(_commands_key(call), [])]


async def delete_my_commands(call: Call) -> bool:
    call.world.commands.pop(_commands_key(call), None)
    return True


_MENU_TYPES = ("default", "commands", "web_app")


def _menu_chat(call: Call) -> int | None:
    """The private chat named by chat_id, or None for the bot's default button."""
    if not call.params.has("chat_id"):
        return None
    chat_id = call.world.known_chat_id(call.params.chat_id())
    if chat_id < 0:
        raise bad_request("chat not found")  # menu buttons exist in private chats only
    return chat_id


async def set_chat_menu_button(call: Call) -> bool:
    """As the Bot API: MenuButtonDefault (also when omitted), MenuButtonCommands, or
    MenuButtonWebApp with a text and an HTTPS web_app.url."""
    chat = _menu_chat(call)
    button = (
        call.params.get_json("menu_button", "MenuButton")
        if call.params.has("menu_button")
        else {"type": "default"}
    )
    if not isinstance(button, dict) or button.get("type") not in _MENU_TYPES:
        raise bad_request("can't parse menu button: unknown type")
    if button["type"] == "web_app":
        text, web_app = button.get("text"), button.get("web_app")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("can't parse menu button: text is empty")
        url = web_app.get("url") if isinstance(web_app, dict) else None
        if not isinstance(url, str) or not url.startswith("https://"):
            raise bad_request("BUTTON_URL_INVALID")
        shown: dict[str, Any] = {"type": "web_app", "text": text, "web_app": {"url": url}}
    else:
        shown = {"type": button["type"]}
    if shown["type"] == "default":
        call.world.menu_buttons.pop(chat, None)
    else:
        call.world.menu_buttons[chat] = shown
    return True


async def get_chat_menu_button(call: Call) -> dict[str, Any]:
    chat = _menu_chat(call)
    found = call.world.menu_buttons.get(chat)
    if found is None and chat is not None:
        found = call.world.menu_buttons.get(None)
    return dict(found) if found is not None else {"type": "commands"}


def _profile_setter(kind: str) -> Any:
    param, limit = _PROFILE_TEXTS[kind]

    async def setter(call: Call) -> bool:
        language = check_language_code(call.params.get_str("language_code"))
        value = check_text_limit(call.params.get_str(param), limit, f"bot {kind}")
        if value:
            call.world.texts[(kind, language)] = value
        else:
            call.world.texts.pop((kind, language), None)
        return True

    return setter


def _profile_getter(kind: str) -> Any:
    param, _ = _PROFILE_TEXTS[kind]

    async def getter(call: Call) -> dict[str, str]:
        language = check_language_code(call.params.get_str("language_code"))
        texts = call.world.texts
        value = texts.get((kind, language)) or texts.get((kind, ""))
        if value is None:
            value = call.world.profile.first_name if kind == "name" else ""
        return {param: value}

    return getter


PROFILE_METHODS = {
    f"{verb}My{suffix}": factory(kind)
    for kind, suffix in (
        ("name", "Name"),
        ("description", "Description"),
        ("short_description", "ShortDescription"),
    )
    for verb, factory in (("set", _profile_setter), ("get", _profile_getter))
}
