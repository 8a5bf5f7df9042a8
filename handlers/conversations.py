"""One open conversation per user: starting one ends the others."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application


def end_conversations(
    app: Application[Any, Any, Any, Any, Any, Any], user_id: int, *, keep: str | None = None
) -> None:
    """Ends the user's open conversations, all or all but `keep`.

    Only one handler per group runs, so with two conversations open the first registered
    would swallow free text meant for the other (an ID typed for /link read as a settings
    hint). PTB has no public call to end a conversation for a given user; the persistent
    conversations' state dicts are the only place that state lives, and popping a key also
    makes the next persistence run delete the stored row.
    """
    for name, states in app._conversation_handler_conversations.items():
        if name == keep:
            continue
        for key in [k for k in states if user_id in k]:
            states.pop(key)
