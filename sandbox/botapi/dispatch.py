"""Which Bot API methods the sandbox implements, and the call path for one request."""

from __future__ import annotations

from typing import Any

from . import bot_methods, chat_methods, message_methods, photo_methods, webhook_methods
from .call import Call, Described, Handler
from .errors import bad_request, not_found
from .known_methods import CANONICAL_METHOD

IMPLEMENTED: dict[str, Handler] = {
    "getMe": bot_methods.get_me,
    "logOut": bot_methods.log_out,
    "close": bot_methods.log_out,
    "getUpdates": bot_methods.get_updates,
    "setWebhook": webhook_methods.set_webhook,
    "deleteWebhook": webhook_methods.delete_webhook,
    "getWebhookInfo": webhook_methods.get_webhook_info,
    "setMyCommands": bot_methods.set_my_commands,
    "getMyCommands": bot_methods.get_my_commands,
    "deleteMyCommands": bot_methods.delete_my_commands,
    "setChatMenuButton": bot_methods.set_chat_menu_button,
    "getChatMenuButton": bot_methods.get_chat_menu_button,
    **bot_methods.PROFILE_METHODS,
    "sendMessage": message_methods.send_message,
    "sendPhoto": photo_methods.send_photo,
    "editMessageText": message_methods.edit_message_text,
    "editMessageReplyMarkup": message_methods.edit_message_reply_markup,
    "deleteMessage": chat_methods.delete_message,
    "deleteMessages": chat_methods.delete_messages,
    "answerCallbackQuery": chat_methods.answer_callback_query,
    "sendChatAction": chat_methods.send_chat_action,
    "getChat": chat_methods.get_chat,
}


def canonical_name(method: str) -> str:
    """The Bot API spelling of a case-insensitive method name; 404 if Telegram has none."""
    name = CANONICAL_METHOD.get(method.lower())
    if name is None:
        raise not_found()
    return name


async def run(name: str, call: Call) -> dict[str, Any]:
    """Run an implemented method and wrap its result as Telegram's success body."""
    handler = IMPLEMENTED.get(name)
    if handler is None:
        raise bad_request(f"{name} is not implemented in the sandbox")
    result = await handler(call)
    if isinstance(result, Described):
        return {"ok": True, "result": result.result, "description": result.description}
    return {"ok": True, "result": result}
