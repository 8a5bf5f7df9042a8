"""The text steps /broadcast and /remind share: the text, the optional English one, the preview.

A flow mixes in ComposeSteps, calls `take_text` from its `text` step while at TEXT or TEXT_EN,
`skip_english` for the "same text for everyone" button, and implements `confirm`, which shows
its own confirmation once the preview went out.
"""

from __future__ import annotations

from typing import cast

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services.composer import check
from bot.services.flows import Flow
from core.types import Lang
from handlers.compose_views import advance_keeping, problem_text, send_preview, written_html
from handlers.flows import flow_button, send_flow_message

TEXT, TEXT_EN, CONFIRM = "text", "text_en", "confirm"


class ComposeSteps:
    """Text → (English text) → preview → the flow's own confirmation."""

    async def confirm(
        self, update: Update, context: BotContext, flow: Flow, text_en: str | None
    ) -> None:
        """Shows the confirmation (fresh counts on its button); the flow is at CONFIRM."""
        raise NotImplementedError

    async def take_text(self, update: Update, context: BotContext, flow: Flow) -> None:
        """A typed text at TEXT or TEXT_EN: refused with the rule it broke, or taken."""
        message = update.message
        assert message is not None
        html = written_html(message)
        problem = check(html)
        if problem is not None:
            await message.reply_text(problem_text(context.lang, problem))
            return
        if flow.step == TEXT_EN:
            await self._preview(update, context, flow, text_en=html)
            return
        stored = await advance_keeping(update, context, flow, TEXT, text_ko=html)
        if stored is None:
            return
        if cast(Lang | None, stored.data.get("language")) is not None:
            # One language only: the one text is what they all get.
            await self._preview(update, context, stored, text_en=None)
            return
        stored = await advance_keeping(update, context, stored, TEXT_EN)
        if stored is None:
            return
        lang = context.lang
        markup = InlineKeyboardMarkup(
            [
                [flow_button(stored, raw(lang, "compose.button.same_text"), "same")],
                [flow_button(stored, raw(lang, "bc.button.cancel"), "cancel")],
            ]
        )
        await send_flow_message(update, context, stored, t(lang, "compose.ask_text_en"), markup)

    async def skip_english(self, update: Update, context: BotContext, flow: Flow) -> None:
        """ "Same text for everyone"."""
        await self._preview(update, context, flow, text_en=None)

    async def _preview(
        self, update: Update, context: BotContext, flow: Flow, text_en: str | None
    ) -> None:
        text_ko = str(flow.data.get("text_ko") or "")
        refused = await send_preview(update, context, text_ko, text_en)
        if refused is not None:
            # Back to writing: the texts are dropped, nothing can be confirmed.
            await advance_keeping(update, context, flow, TEXT, text_ko=None, text_en=None)
            chat = update.effective_chat
            assert chat is not None
            why = t(context.lang, "compose.problem.telegram", detail=refused)
            await context.bot.send_message(
                chat.id, t(context.lang, "compose.problem", why=why, where="")
            )
            return
        stored = await advance_keeping(update, context, flow, CONFIRM, text_en=text_en)
        if stored is not None:
            await self.confirm(update, context, stored, text_en)
