"""The text steps /broadcast and /remind share: the text, the optional English one, the preview.

A flow mixes in ComposeSteps, calls `take_text` from its `text` step while at TEXT or TEXT_EN,
`skip_english` for the "same text for everyone" button, and implements `confirm`, which shows
its own confirmation once the preview went out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services.composer import MAX_TEXT_UTF16, check
from bot.services.flows import Flow
from core.telegram_html import utf16_len
from core.types import Lang
from handlers.compose_views import advance_keeping, problem_text, send_preview, written_html
from handlers.flows import flow_button, send_flow_message

TEXT, TEXT_EN, CONFIRM, SPLIT = "text", "text_en", "confirm", "split"
# Telegram clients send a text over one message's limit as several messages, seconds apart.
# A text this close to the limit followed this soon by another is asked about, not taken
# as the English text (or ignored at the confirmation).
SPLIT_NEAR = MAX_TEXT_UTF16 - 600
SPLIT_WITHIN = timedelta(seconds=30)


class ComposeSteps:
    """Text → (English text) → preview → the flow's own confirmation."""

    async def confirm(
        self, update: Update, context: BotContext, flow: Flow, text_en: str | None
    ) -> None:
        """Shows the confirmation (fresh counts on its button); the flow is at CONFIRM."""
        raise NotImplementedError

    async def _ask_text(self, update: Update, context: BotContext, flow: Flow) -> None:
        """Asks for the text again (the flow's own prompt); the flow is at TEXT."""
        raise NotImplementedError

    async def take_text(self, update: Update, context: BotContext, flow: Flow) -> None:
        """A typed text at TEXT or TEXT_EN: refused with the rule it broke, or taken."""
        message = update.message
        assert message is not None
        if await self._second_part(update, context, flow):
            return
        html = written_html(message)
        problem = check(html)
        if problem is not None:
            await message.reply_text(problem_text(context.lang, problem))
            return
        if flow.step == TEXT_EN:
            await self._preview(update, context, flow, text_en=html)
            return
        stored = await advance_keeping(
            update,
            context,
            flow,
            TEXT,
            text_ko=html,
            text_len=utf16_len(message.text or ""),
            text_at=context.services.clock.now().isoformat(),
        )
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

    async def text_at_confirm(self, update: Update, context: BotContext, flow: Flow) -> bool:
        """A text typed at the confirmation: True when it is a long notice's second part."""
        return await self._second_part(update, context, flow)

    async def _second_part(self, update: Update, context: BotContext, flow: Flow) -> bool:
        """The rest of a long notice the client split in two: counted whole and asked about.
        False when this text is not that (it is then taken as usual)."""
        message = update.message
        assert message is not None
        first, at = flow.data.get("text_len"), flow.data.get("text_at")
        english_next = flow.step == TEXT_EN
        single_language = flow.step == CONFIRM and flow.data.get("text_en") is None
        if (
            not message.text
            or not isinstance(first, int)
            or not isinstance(at, str)
            or not (english_next or single_language)
            or first < SPLIT_NEAR
            or context.services.clock.now() - datetime.fromisoformat(at) > SPLIT_WITHIN
        ):
            return False
        whole = first + utf16_len(message.text)
        stored = await advance_keeping(
            update, context, flow, SPLIT, held=written_html(message), held_from=flow.step
        )
        if stored is None:
            return True
        lang = context.lang
        rows = [[flow_button(stored, raw(lang, "compose.button.split_rewrite"), "split:rewrite")]]
        if english_next:
            rows.append([flow_button(stored, raw(lang, "compose.button.split_en"), "split:en")])
        rows.append([flow_button(stored, raw(lang, "bc.button.cancel"), "cancel")])
        text = t(
            lang,
            "compose.split",
            length=whole,
            limit=MAX_TEXT_UTF16,
            over=whole - MAX_TEXT_UTF16,
        )
        await send_flow_message(update, context, stored, text, InlineKeyboardMarkup(rows))
        return True

    async def split_choice(
        self, update: Update, context: BotContext, flow: Flow, action: str
    ) -> bool:
        """The answer to the split question; False for any other button."""
        if flow.step != SPLIT or action not in ("split:rewrite", "split:en"):
            return False
        query = update.callback_query
        assert query is not None
        await query.answer()
        if action == "split:en" and flow.data.get("held_from") == TEXT_EN:
            held = str(flow.data.get("held") or "")
            problem = check(held)
            if problem is None:
                await self._preview(update, context, flow, text_en=held)
                return True
        # Shorter, in one message: both parts are dropped and the prompt comes again.
        stored = await advance_keeping(
            update, context, flow, TEXT, text_ko=None, text_en=None, held=None, text_len=None
        )
        if stored is not None:
            await self._ask_text(update, context, stored)
        return True

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
