"""/remind: staff list, pause, resume and delete scheduled reminders, and create new ones.

Creating one: when (monthly on a day, weekly on a weekday, or once), who (the broadcast
segments, always as a reminder), the text (checked and previewed like /broadcast), confirm.
At first use (no reminder yet) the center's default reminder is one tap away. What the flow
keeps (RemindData) and its steps up to the audience are in handlers/remind_steps.py.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any, ClassVar

from telegram import Bot, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.i18n import Html, raw, t
from bot.services.broadcasts import Audience
from bot.services.composer import counts
from bot.services.container import Services
from bot.services.flows import Flow, FlowCodec
from bot.services.reminders import (
    FIRE_REMINDER,
    Schedule,
    Skipped,
    parse_monthly,
    parse_once,
    parse_time,
)
from handlers.common import edit_in_place, reply
from handlers.compose_steps import (
    COMPOSE_BUTTONS,
    CONFIRM,
    TEXT,
    TEXT_EN,
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
from handlers.feature import Due, Feature
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
from handlers.formats import when
from handlers.remind_steps import (
    AUDIENCE,
    LIST,
    MONTHLY,
    REMIND_STEP_BUTTONS,
    TIME,
    TYPED_WHEN,
    RemindData,
    RemindSteps,
    cancel_row,
    pressed,
    staff_id,
)
from handlers.remind_views import describe
from handlers.staff_guard import require_staff

logger = logging.getLogger(__name__)


def _audience(flow: Flow[RemindData]) -> Audience:
    return Audience(flow.data.segment, flow.data.language, reminder=True)


class RemindFlow(RemindSteps, ComposeSteps[RemindData], FlowHandler[RemindData]):
    name = "remind"
    codec = FlowCodec(RemindData)
    commands = ("remind",)
    lifetime = timedelta(hours=2)
    expired_key = "remind.expired"

    async def enter(self, update: Update, context: BotContext) -> None:
        """Shows the reminders (or the default one to create) as a new message."""
        if not await require_staff(update, context):
            return
        flow = await open_flow(update, context, self, LIST)
        text, markup = await self._list(update, context, flow)
        await send_flow_message(update, context, flow, text, markup)

    # --- buttons (the `buttons` table below) -------------------------------------------

    async def button(
        self, update: Update, context: BotContext, flow: Flow[RemindData], action: str
    ) -> None:
        if await require_staff(update, context):
            await super().button(update, context, flow, action)

    async def _cancel(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        await self._end(update, context, flow, "remind.cancelled")

    async def _close(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        await self._end(update, context, flow, "remind.closed")

    async def _end(
        self, update: Update, context: BotContext, flow: Flow[RemindData], key: str
    ) -> None:
        query = pressed(update)
        await close_flow(update, context, flow)
        await query.answer()
        await edit_in_place(context, query, t(context.lang, key))

    async def _language(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        await pressed(update).answer()
        language = next_language(flow.data.language)
        stored = await advance_flow(
            update, context, flow, AUDIENCE, replace(flow.data, language=language)
        )
        if stored is not None:
            text, markup = await self._audience_screen(context, stored)
            await edit_flow_message(update, context, stored, text, markup)

    async def _segment(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        segment = picked_segment(context, argument)
        if segment is None:
            await stale_button(pressed(update), context)
            return
        await pressed(update).answer()
        stored = await advance_flow(
            update, context, flow, TEXT, replace(flow.data, segment=segment)
        )
        if stored is not None:
            await self._ask_text(update, context, stored)

    async def _rewrite(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        await pressed(update).answer()
        dropped = replace(flow.data, text_ko=None, text_en=None)
        stored = await advance_flow(update, context, flow, TEXT, dropped)
        if stored is not None:
            await self._ask_text(update, context, stored)

    # --- typed text ----------------------------------------------------------------------

    async def text(self, update: Update, context: BotContext, flow: Flow[RemindData]) -> None:
        """The day and time, or the reminder's text."""
        if not await require_staff(update, context):
            return
        if flow.step in TYPED_WHEN:
            await self._when_typed(update, context, flow)
        elif flow.step in (TEXT, TEXT_EN):
            await self.take_text(update, context, flow)
        elif not (flow.step == CONFIRM and await self.text_at_confirm(update, context, flow)):
            await answer_or_hint(update, context, "fallback.text")

    async def _when_typed(
        self, update: Update, context: BotContext, flow: Flow[RemindData]
    ) -> None:
        """ "25 10:00", "10:00" or "2026-12-25 10:00": read, refused, or on to the audience."""
        assert update.message is not None and update.message.text is not None
        schedule = _read_when(update.message.text, context, flow)
        if schedule is None:
            await reply(update, context, TYPED_WHEN[flow.step])
            return
        if context.services.reminders.next_run(schedule) is None:
            await reply(update, context, "remind.past")
            return
        stored = await advance_flow(update, context, flow, AUDIENCE, flow.data.scheduled(schedule))
        if stored is not None:
            text, markup = await self._audience_screen(context, stored)
            await send_flow_message(update, context, stored, text, markup)

    async def other(self, update: Update, context: BotContext, flow: Flow[RemindData]) -> None:
        await reply(update, context, "compose.not_text")

    # --- audience, text, preview, create -------------------------------------------------

    async def _audience_screen(
        self, context: BotContext, flow: Flow[RemindData]
    ) -> tuple[Html, InlineKeyboardMarkup]:
        lang, audience = context.lang, _audience(flow)
        live = await counts(context.services.broadcasts, audience.language, reminder=True)
        text = t(
            lang,
            "remind.ask_audience",
            schedule=describe(lang, flow.data.schedule(), context.services.reminders.tz),
            lines=audience_lines(
                lang, live, reminder=True, guide=context.services.broadcasts.self_reported
            ),
            language=language_label(lang, audience.language),
        )
        text = with_note(text, await fresh_note(context))
        rows = segment_buttons(lang, flow, live, guide=context.services.broadcasts.self_reported)
        label = raw(lang, "bc.button.language", language=language_label(lang, audience.language))
        rows.append([flow_button(flow, label, "lang")])
        rows.append(cancel_row(lang, flow))
        return text, InlineKeyboardMarkup(rows)

    async def _ask_text(self, update: Update, context: BotContext, flow: Flow[RemindData]) -> None:
        lang, audience = context.lang, _audience(flow)
        text = t(
            lang,
            "remind.ask_text",
            schedule=describe(lang, flow.data.schedule(), context.services.reminders.tz),
            segment=segment_of(context, audience.segment),
            language=language_label(lang, audience.language),
            howto=t(lang, "compose.howto"),
        )
        markup = InlineKeyboardMarkup([cancel_row(lang, flow)])
        await send_flow_message(update, context, flow, text, markup)

    async def confirm(
        self, update: Update, context: BotContext, stored: Flow[RemindData], text_en: str | None
    ) -> None:
        """The schedule, who it would reach now and its first run; the create button."""
        lang = context.lang
        service, audience, schedule = (
            context.services.reminders,
            _audience(stored),
            stored.data.schedule(),
        )
        live = await context.services.broadcasts.count(audience)
        first = service.next_run(schedule)
        text = t(
            lang,
            "remind.confirm",
            schedule=describe(lang, schedule, service.tz),
            segment=segment_of(context, audience.segment),
            language=language_label(lang, audience.language),
            recipients=live.recipients,
            notes=audience_notes(lang, 0, live.notices_off, reminder=True),
            first=when(lang, first, context.services.clock.now(), service.tz) if first else "—",
            texts=texts_note(lang, text_en),
        )
        if audience.segment in FACT_SEGMENTS:
            text = with_note(text, await fresh_note(context))
        create = raw(lang, "remind.button.create", count=live.recipients)
        markup = InlineKeyboardMarkup(
            [
                [flow_button(stored, create, "create")],
                [flow_button(stored, raw(lang, "compose.button.rewrite"), "rewrite")],
                cancel_row(lang, stored),
            ]
        )
        await send_flow_message(update, context, stored, text, markup)

    async def _create(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        query = pressed(update)
        await close_flow(update, context, flow)
        await query.answer()
        service, audience, lang = context.services.reminders, _audience(flow), context.lang
        created = await service.create(
            staff_id(update),
            flow.data.schedule(),
            audience.segment,
            audience.language,
            text_ko=flow.data.text_ko or "",
            text_en=flow.data.text_en or None,
        )
        if created is None or created.next_run_at is None:
            await edit_in_place(context, query, t(lang, "remind.past"))
            return
        first = when(lang, created.next_run_at, context.services.clock.now(), service.tz)
        await edit_in_place(context, query, t(lang, "remind.created", id=created.id, first=first))

    buttons: ClassVar[Buttons] = {
        **COMPOSE_BUTTONS,
        **REMIND_STEP_BUTTONS,
        (ANY_STEP, "cancel"): _cancel,
        (ANY_STEP, "close"): _close,
        (AUDIENCE, "lang"): _language,
        (AUDIENCE, "seg:"): _segment,
        (CONFIRM, "rewrite"): _rewrite,
        (CONFIRM, "create"): _create,
    }


def _read_when(typed: str, context: BotContext, flow: Flow[RemindData]) -> Schedule | None:
    """The schedule in what was typed at MONTHLY, TIME (the weekday chosen before) or ONCE."""
    if flow.step == MONTHLY:
        return parse_monthly(typed)
    if flow.step == TIME:
        at = parse_time(typed)
        return Schedule("weekly", flow.data.day or 0, at[0], at[1]) if at else None
    return parse_once(typed, context.services.reminders.tz)


REMIND_FLOW = RemindFlow()


def skip_notice(bot: Bot, services: Services) -> Callable[[Skipped], Awaitable[None]]:
    """Tells a skipped reminder's author (ReminderService.on_skipped), in their language."""

    async def tell(skipped: Skipped) -> None:
        author = skipped.reminder.created_by
        known = await services.users.get(author) if author is not None else None
        if author is None or known is None or known.blocked_at is not None:
            # Gone (/forget), never wrote to the bot, or blocked it: Telegram would refuse.
            # The skip is still in /remind and the audit log.
            return
        lang = await services.users.language_of(author, None)
        tz, now = services.reminders.tz, services.clock.now()
        following = (
            t(lang, "remind.next", when=when(lang, skipped.next_run_at, now, tz))
            if skipped.next_run_at is not None
            else t(lang, "remind.next.none")
        )
        text = t(
            lang,
            "remind.skipped.tell",
            id=skipped.reminder.id,
            when=when(lang, skipped.due_at, now, tz),
            next=following,
        )
        try:
            await bot.send_message(author, text)
        except TelegramError as exc:
            logger.info("a reminder's author could not be told of a skip: %s", type(exc).__name__)

    return tell


async def _fire(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await services.reminders.fire(key, payload)


async def _listen_for_skips(bot: Bot, services: Services) -> None:
    """Start-up: a skipped reminder's author is told (at most once, in this process)."""
    services.reminders.on_skipped.append(skip_notice(bot, services))


FEATURE = Feature(
    "reminders",
    flows=(REMIND_FLOW,),
    due_work={FIRE_REMINDER: Due(_fire)},
    on_process_start=(_listen_for_skips,),
)
