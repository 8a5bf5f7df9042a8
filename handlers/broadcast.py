"""/broadcast: staff pick an audience with live counts, write the text, preview it, confirm.

The flow ends in BroadcastService.launch(), which snapshots the audience and queues the
sender. "/broadcast cancel" is not this flow's: the entry's filter leaves it to the sender's
own handler (it stops a running broadcast).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import ClassVar

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import BotContext
from bot.i18n import Html, raw, t
from bot.services.broadcasts import Audience, Segment
from bot.services.composer import counts
from bot.services.flows import Flow, FlowCodec
from handlers.common import edit_in_place, reply
from handlers.compose_steps import (
    COMPOSE_BUTTONS,
    CONFIRM,
    TEXT,
    TEXT_EN,
    ComposeData,
    ComposeSteps,
)
from handlers.compose_views import (
    FACT_SEGMENTS,
    audience_lines,
    audience_notes,
    fresh_note,
    language_label,
    next_language,
    picked_segment,
    segment_buttons,
    segment_of,
    texts_note,
    with_note,
)
from handlers.desk_buttons import desk_rows
from handlers.feature import Feature
from handlers.flows import (
    ANY_STEP,
    Buttons,
    FlowHandler,
    advance_flow,
    answer_or_hint,
    close_flow,
    edit_flow_message,
    flow_button,
    open_flow,
    send_flow_message,
    stale_button,
)
from handlers.staff_guard import require_staff

AUDIENCE = "audience"
# "/broadcast cancel" (any case, any addressee) belongs to the sender's handler.
CANCEL_ARGUMENT = filters.Regex(re.compile(r"^/\S+\s+cancel\b", re.IGNORECASE))


@dataclass(frozen=True)
class BroadcastData(ComposeData):
    """What the composer keeps: the audience picked, and the texts (ComposeData)."""

    segment: Segment = "all"
    reminder: bool = False  # sent as a center reminder: those with reminders off left out


def _audience(flow: Flow[BroadcastData]) -> Audience:
    data = flow.data
    return Audience(data.segment, data.language, data.reminder)


def _staff_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


class BroadcastFlow(ComposeSteps[BroadcastData], FlowHandler[BroadcastData]):
    name = "broadcast"
    codec = FlowCodec(BroadcastData)
    lifetime = timedelta(hours=2)
    expired_key = "bc.expired"

    async def enter(self, update: Update, context: BotContext) -> None:
        """Opens the composer at the audience picker."""
        if not await require_staff(update, context):
            return
        flow = await open_flow(update, context, self, AUDIENCE)
        text, markup = await self._picker(update, context, flow)
        await send_flow_message(update, context, flow, text, markup)

    async def _picker(
        self, update: Update, context: BotContext, flow: Flow[BroadcastData]
    ) -> tuple[Html, InlineKeyboardMarkup]:
        lang, audience = context.lang, _audience(flow)
        live = await counts(context.services.broadcasts, audience.language, audience.reminder)
        text = t(
            lang,
            "bc.audience",
            lines=audience_lines(
                lang, live, audience.reminder, guide=context.services.broadcasts.self_reported
            ),
            language=language_label(lang, audience.language),
            reminder=raw(lang, "bc.on" if audience.reminder else "bc.off"),
        )
        text = with_note(text, await fresh_note(context))
        rows = segment_buttons(lang, flow, live, guide=context.services.broadcasts.self_reported)
        rows.append(
            [
                flow_button(
                    flow,
                    raw(
                        lang, "bc.button.language", language=language_label(lang, audience.language)
                    ),
                    "lang",
                )
            ]
        )
        key = "bc.button.reminder_on" if audience.reminder else "bc.button.reminder_off"
        rows.append([flow_button(flow, raw(lang, key), "rem")])
        rows.append([flow_button(flow, raw(lang, "bc.button.cancel"), "cancel")])
        rows += desk_rows(update, context, "broadcast")
        return text, InlineKeyboardMarkup(rows)

    async def button(
        self, update: Update, context: BotContext, flow: Flow[BroadcastData], action: str
    ) -> None:
        """Audience choices, 'same text for everyone', rewrite, send, cancel: `buttons`."""
        if await require_staff(update, context):
            await super().button(update, context, flow, action)

    async def _cancel(
        self, update: Update, context: BotContext, flow: Flow[BroadcastData], argument: str
    ) -> None:
        query = update.callback_query
        assert query is not None
        await close_flow(update, context, flow)
        await query.answer()
        await edit_in_place(context, query, t(context.lang, "bc.cancelled"))

    async def _language(
        self, update: Update, context: BotContext, flow: Flow[BroadcastData], argument: str
    ) -> None:
        language = next_language(flow.data.language)
        await self._toggled(update, context, flow, replace(flow.data, language=language))

    async def _reminder(
        self, update: Update, context: BotContext, flow: Flow[BroadcastData], argument: str
    ) -> None:
        reminder = not flow.data.reminder
        await self._toggled(update, context, flow, replace(flow.data, reminder=reminder))

    async def _toggled(
        self, update: Update, context: BotContext, flow: Flow[BroadcastData], data: BroadcastData
    ) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        stored = await advance_flow(update, context, flow, AUDIENCE, data)
        if stored is not None:
            text, markup = await self._picker(update, context, stored)
            await edit_flow_message(update, context, stored, text, markup)

    async def _pick(
        self, update: Update, context: BotContext, flow: Flow[BroadcastData], argument: str
    ) -> None:
        query = update.callback_query
        assert query is not None
        segment = picked_segment(context, argument)
        if segment is None:
            await stale_button(query, context)
            return
        audience = _audience(flow)
        live = await context.services.broadcasts.count(
            Audience(segment, audience.language, audience.reminder)
        )
        if live.recipients == 0:
            await query.answer(raw(context.lang, "bc.nobody"), show_alert=True)
            return
        await query.answer()
        stored = await advance_flow(
            update, context, flow, AUDIENCE, replace(flow.data, segment=segment)
        )
        if stored is not None:
            await self._ask_text(update, context, stored)

    async def _rewrite(
        self, update: Update, context: BotContext, flow: Flow[BroadcastData], argument: str
    ) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        await self._ask_text(update, context, flow)

    async def _ask_text(
        self, update: Update, context: BotContext, flow: Flow[BroadcastData]
    ) -> None:
        lang, audience = context.lang, _audience(flow)
        live = await context.services.broadcasts.count(audience)
        dropped = replace(flow.data, text_ko=None, text_en=None)
        stored = await advance_flow(update, context, flow, TEXT, dropped)
        if stored is None:
            return
        text = t(
            lang,
            "bc.ask_text",
            segment=segment_of(context, audience.segment),
            language=language_label(lang, audience.language),
            recipients=live.recipients,
            howto=t(lang, "compose.howto"),
        )
        markup = InlineKeyboardMarkup(
            [[flow_button(stored, raw(lang, "bc.button.cancel"), "cancel")]]
        )
        await send_flow_message(update, context, stored, text, markup)

    async def text(self, update: Update, context: BotContext, flow: Flow[BroadcastData]) -> None:
        """The text (then the English one): checked, then previewed."""
        if not await require_staff(update, context):
            return
        if flow.step in (TEXT, TEXT_EN):
            await self.take_text(update, context, flow)
        elif not (flow.step == CONFIRM and await self.text_at_confirm(update, context, flow)):
            await answer_or_hint(update, context, "fallback.text")

    async def other(self, update: Update, context: BotContext, flow: Flow[BroadcastData]) -> None:
        await reply(update, context, "compose.not_text")

    async def confirm(
        self, update: Update, context: BotContext, stored: Flow[BroadcastData], text_en: str | None
    ) -> None:
        """What goes to whom, counted now, with the count on the send button."""
        lang = context.lang
        audience = _audience(stored)
        live = await context.services.broadcasts.count(audience)
        # A broadcast not sent as a reminder reaches those with notices off too: not said here.
        notes = audience_notes(
            lang, live.blocked, live.notices_off if audience.reminder else 0, reminder=True
        )
        text = t(
            lang,
            "bc.confirm",
            segment=segment_of(context, audience.segment),
            language=language_label(lang, audience.language),
            recipients=live.recipients,
            notes=notes,
            texts=texts_note(lang, text_en),
        )
        if audience.segment in FACT_SEGMENTS:
            text = with_note(text, await fresh_note(context))
        markup = InlineKeyboardMarkup(
            [
                [flow_button(stored, raw(lang, "bc.button.send", count=live.recipients), "go")],
                [flow_button(stored, raw(lang, "compose.button.rewrite"), "rewrite")],
                [flow_button(stored, raw(lang, "bc.button.cancel"), "cancel")],
            ]
        )
        await send_flow_message(update, context, stored, text, markup)

    async def _launch(
        self, update: Update, context: BotContext, flow: Flow[BroadcastData], argument: str
    ) -> None:
        """Closes the flow first: a double tap finds a stale button, never a second broadcast."""
        query, chat = update.callback_query, update.effective_chat
        assert query is not None and chat is not None
        await close_flow(update, context, flow)
        await query.answer()
        launched = await context.services.broadcasts.launch(
            created_by=_staff_id(update),
            audience=_audience(flow),
            text_ko=flow.data.text_ko or "",
            text_en=flow.data.text_en or None,
            progress_chat_id=chat.id,
        )
        await edit_in_place(
            context,
            query,
            t(
                context.lang,
                "bc.launched",
                id=launched.broadcast_id,
                recipients=launched.recipients,
            ),
        )

    buttons: ClassVar[Buttons] = {
        **COMPOSE_BUTTONS,
        (ANY_STEP, "cancel"): _cancel,
        (AUDIENCE, "lang"): _language,
        (AUDIENCE, "rem"): _reminder,
        (AUDIENCE, "seg:"): _pick,
        (CONFIRM, "rewrite"): _rewrite,
        (CONFIRM, "go"): _launch,
    }


BROADCAST_FLOW = BroadcastFlow()


async def start(update: Update, context: BotContext) -> None:
    """/broadcast (without "cancel"): opens the composer."""
    await BROADCAST_FLOW.enter(update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    # New messages only: an edit of an old message never re-runs a staff command.
    return [
        CommandHandler("broadcast", start, filters=filters.UpdateType.MESSAGE & ~CANCEL_ARGUMENT)
    ]


# /broadcast opens the composer; "/broadcast cancel" is left to broadcast_run's handler.
FEATURE = Feature("broadcast", flows=(BROADCAST_FLOW,), handlers=handlers)
