"""The text steps /broadcast and /remind share: the text, the optional English one, the preview.

A flow keeps its data in a subclass of ComposeData, mixes in ComposeSteps, calls `take_text`
from its `text` step while at TEXT or TEXT_EN, puts COMPOSE_BUTTONS in its `buttons` table
(the split question, "same text for everyone"), and implements `confirm`, which shows its own
confirmation once the preview went out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services.composer import MAX_TEXT_UTF16, check
from bot.services.flows import Flow
from core.telegram_html import utf16_len
from core.types import Lang
from handlers.compose_views import problem_text, send_preview, written_html
from handlers.flows import Buttons, advance_flow, flow_button, send_flow_message, stale_button

TEXT, TEXT_EN, CONFIRM, SPLIT = "text", "text_en", "confirm", "split"
# Telegram clients send a text over one message's limit as several messages, seconds apart.
# A text this close to the limit followed this soon by another is asked about, not taken
# as the English text (or ignored at the confirmation).
SPLIT_NEAR = MAX_TEXT_UTF16 - 600
SPLIT_WITHIN = timedelta(seconds=30)


@dataclass(frozen=True)
class ComposeData:
    """What the text steps keep, in a flow's own data (a subclass adds the audience)."""

    language: Lang | None = None  # None: everyone, in their language
    text_ko: str | None = None  # the text as written (HTML); for everyone with one language
    text_en: str | None = None
    text_len: int | None = None  # the Korean text's length in UTF-16 units, as typed
    text_at: datetime | None = None  # when it came: a split notice's parts come seconds apart
    held: str | None = None  # the part that came second, while asked about
    held_from: str | None = None  # the step it came at


C = TypeVar("C", bound=ComposeData)


class ComposeSteps(Generic[C]):
    """Text → (English text) → preview → the flow's own confirmation."""

    async def confirm(
        self, update: Update, context: BotContext, flow: Flow[C], text_en: str | None
    ) -> None:
        """Shows the confirmation (fresh counts on its button); the flow is at CONFIRM."""
        raise NotImplementedError

    async def _ask_text(self, update: Update, context: BotContext, flow: Flow[C]) -> None:
        """Asks for the text again (the flow's own prompt); the flow is at TEXT."""
        raise NotImplementedError

    async def take_text(self, update: Update, context: BotContext, flow: Flow[C]) -> None:
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
        typed = replace(
            flow.data,
            text_ko=html,
            text_len=utf16_len(message.text or ""),
            text_at=context.services.clock.now(),
        )
        stored = await advance_flow(update, context, flow, TEXT, typed)
        if stored is None:
            return
        if stored.data.language is not None:
            # One language only: the one text is what they all get.
            await self._preview(update, context, stored, text_en=None)
            return
        stored = await advance_flow(update, context, stored, TEXT_EN)
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

    async def text_at_confirm(self, update: Update, context: BotContext, flow: Flow[C]) -> bool:
        """A text typed at the confirmation: True when it is a long notice's second part."""
        return await self._second_part(update, context, flow)

    async def _second_part(self, update: Update, context: BotContext, flow: Flow[C]) -> bool:
        """The rest of a long notice the client split in two: counted whole and asked about.
        False when this text is not that (it is then taken as usual)."""
        message = update.message
        assert message is not None
        first = _near_limit(flow, context.services.clock.now())
        if not message.text or first is None:
            return False
        whole = first + utf16_len(message.text)
        english_next = flow.step == TEXT_EN
        held = replace(flow.data, held=written_html(message), held_from=flow.step)
        stored = await advance_flow(update, context, flow, SPLIT, held)
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

    async def _split(
        self, update: Update, context: BotContext, flow: Flow[C], argument: str
    ) -> None:
        """The answer to the split question: "rewrite" shorter, or take the part as "en"."""
        query = update.callback_query
        assert query is not None
        if argument not in ("rewrite", "en"):
            await stale_button(query, context)
            return
        await query.answer()
        held = flow.data.held or ""
        if argument == "en" and flow.data.held_from == TEXT_EN and check(held) is None:
            await self._preview(update, context, flow, text_en=held)
            return
        # Shorter, in one message: both parts are dropped and the prompt comes again.
        dropped = replace(flow.data, text_ko=None, text_en=None, held=None, text_len=None)
        stored = await advance_flow(update, context, flow, TEXT, dropped)
        if stored is not None:
            await self._ask_text(update, context, stored)

    async def _same(
        self, update: Update, context: BotContext, flow: Flow[C], argument: str
    ) -> None:
        """ "Same text for everyone"."""
        assert update.callback_query is not None
        await update.callback_query.answer()
        await self._preview(update, context, flow, text_en=None)

    async def _preview(
        self, update: Update, context: BotContext, flow: Flow[C], text_en: str | None
    ) -> None:
        text_ko = flow.data.text_ko or ""
        refused = await send_preview(update, context, text_ko, text_en)
        if refused is not None:
            # Back to writing: the texts are dropped, nothing can be confirmed.
            dropped = replace(flow.data, text_ko=None, text_en=None)
            await advance_flow(update, context, flow, TEXT, dropped)
            chat = update.effective_chat
            assert chat is not None
            why = t(context.lang, "compose.problem.telegram", detail=refused)
            await context.bot.send_message(
                chat.id, t(context.lang, "compose.problem", why=why, where="")
            )
            return
        typed = replace(flow.data, text_en=text_en)
        stored = await advance_flow(update, context, flow, CONFIRM, typed)
        if stored is not None:
            await self.confirm(update, context, stored, text_en)


def _near_limit(flow: Flow[C], now: datetime) -> int | None:
    """The first part's length when a text typed now may be its second part: it came close
    to the limit within SPLIT_WITHIN, and the flow waits for the English text or confirms
    a single one."""
    data = flow.data
    english_next = flow.step == TEXT_EN
    single_language = flow.step == CONFIRM and data.text_en is None
    if data.text_len is None or data.text_at is None or not (english_next or single_language):
        return None
    if data.text_len < SPLIT_NEAR or now - data.text_at > SPLIT_WITHIN:
        return None
    return data.text_len


# The buttons every composing flow has, for its `buttons` table.
COMPOSE_BUTTONS: Buttons = {
    (SPLIT, "split:"): ComposeSteps._split,
    (TEXT_EN, "same"): ComposeSteps._same,
}
