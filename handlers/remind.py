"""/remind: staff list, pause, resume and delete scheduled reminders, and create new ones.

Creating one: when (monthly on a day, weekly on a weekday, or once), who (the broadcast
segments, always as a reminder), the text (checked and previewed like /broadcast), confirm.
At first use (no reminder yet) the center's default reminder is one tap away.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.i18n import Html, raw, t
from bot.services.broadcasts import Audience, Segment
from bot.services.composer import counts
from bot.services.container import Services
from bot.services.flows import Flow, FlowCodec
from bot.services.reminders import (
    DEFAULT_SCHEDULE,
    DEFAULT_SEGMENT,
    FIRE_REMINDER,
    Repeat,
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
from handlers.remind_views import describe, list_buttons, list_text
from handlers.staff_guard import require_staff

logger = logging.getLogger(__name__)

LIST, REPEAT, MONTHLY, WEEKDAY, TIME, ONCE = "list", "repeat", "monthly", "weekday", "time", "once"
AUDIENCE, DELETE = "audience", "delete"


@dataclass(frozen=True)
class RemindData(ComposeData):
    """What /remind keeps: the schedule as it is chosen, the audience, the texts (ComposeData),
    and the reminder a delete asks about."""

    repeat: Repeat = "monthly"
    day: int | None = None  # of the month (1–31), or of the week (0 = Monday)
    hour: int = 0
    minute: int = 0
    once_at: datetime | None = None
    segment: Segment = DEFAULT_SEGMENT
    delete: int | None = None

    def schedule(self) -> Schedule:
        return Schedule(self.repeat, self.day, self.hour, self.minute, self.once_at)

    def scheduled(self, schedule: Schedule) -> RemindData:
        return replace(
            self,
            repeat=schedule.repeat,
            day=schedule.day,
            hour=schedule.hour,
            minute=schedule.minute,
            once_at=schedule.once_at,
        )


# The buttons of the "how often" and weekday screens: (step, data changes, next prompt).
_REPEATS: dict[str, tuple[str, Repeat, str]] = {
    "monthly": (MONTHLY, "monthly", "remind.ask_monthly"),
    "weekly": (WEEKDAY, "weekly", "remind.ask_weekday"),
    "once": (ONCE, "once", "remind.ask_once"),
}
# What a typed "when" is read as, at each step that asks for one.
_TYPED_WHEN = {MONTHLY: "remind.bad_monthly", TIME: "remind.bad_time", ONCE: "remind.bad_once"}


def _audience(flow: Flow[RemindData]) -> Audience:
    return Audience(flow.data.segment, flow.data.language, reminder=True)


def _staff_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _query(update: Update) -> CallbackQuery:
    assert update.callback_query is not None
    return update.callback_query


def _cancel_row(lang: str, flow: Flow[RemindData]) -> list[Any]:
    return [flow_button(flow, raw(lang, "bc.button.cancel"), "cancel")]


class RemindFlow(ComposeSteps[RemindData], FlowHandler[RemindData]):
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
        text, markup = await self._list(context, flow)
        await send_flow_message(update, context, flow, text, markup)

    async def _list(
        self, context: BotContext, flow: Flow[RemindData]
    ) -> tuple[Html, InlineKeyboardMarkup]:
        service = context.services.reminders
        reminders = await service.list()
        lang = context.lang
        return list_text(lang, reminders, context.services.clock.now(), service.tz), list_buttons(
            lang, flow, reminders
        )

    async def _show_list(
        self,
        update: Update,
        context: BotContext,
        flow: Flow[RemindData],
        toast: str | None = None,
    ) -> None:
        await _query(update).answer(toast)
        stored = await advance_flow(update, context, flow, LIST)
        if stored is not None:
            text, markup = await self._list(context, stored)
            await edit_flow_message(update, context, stored, text, markup)

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
        query = _query(update)
        await close_flow(update, context, flow)
        await query.answer()
        await edit_in_place(context, query, t(context.lang, key))

    async def _pause(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        reminders = context.services.reminders
        await self._changed(update, context, flow, argument, reminders.pause, "remind.paused")

    async def _resume(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        reminders = context.services.reminders
        await self._changed(update, context, flow, argument, reminders.resume, "remind.resumed")

    async def _delete(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        """The deletion asked about (DELETE step): done, then the list again."""
        reminders, asked = context.services.reminders, str(flow.data.delete or 0)
        await self._changed(update, context, flow, asked, reminders.delete, "remind.deleted")

    async def _changed(
        self,
        update: Update,
        context: BotContext,
        flow: Flow[RemindData],
        argument: str,
        change: Callable[[int, int], Awaitable[bool]],
        toast: str,
    ) -> None:
        """Pause, resume or delete the reminder `argument` names; the list again, with a toast."""
        if not argument.isdigit():
            await stale_button(_query(update), context)
            return
        done = await change(int(argument), _staff_id(update))
        key = toast if done else "remind.gone"
        await self._show_list(update, context, flow, raw(context.lang, key))

    async def _ask_delete(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        if not argument.isdigit():
            await stale_button(_query(update), context)
            return
        await _query(update).answer()
        reminder_id, lang = int(argument), context.lang
        asked = replace(flow.data, delete=reminder_id)
        stored = await advance_flow(update, context, flow, DELETE, asked)
        if stored is None:
            return
        markup = InlineKeyboardMarkup(
            [
                [flow_button(stored, raw(lang, "remind.button.delete_yes"), "delyes")],
                [flow_button(stored, raw(lang, "button.back"), "back")],
            ]
        )
        text = t(lang, "remind.delete_confirm", id=reminder_id)
        await edit_flow_message(update, context, stored, text, markup)

    async def _back(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        await self._show_list(update, context, flow)

    async def _create_default(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        """One tap: the center's reminder, in Korean and English, from the catalogs.

        Offered while there is no reminder at all, so a double tap creates it once."""
        if not await context.services.reminders.any():
            await context.services.reminders.create(
                _staff_id(update),
                DEFAULT_SCHEDULE,
                DEFAULT_SEGMENT,
                None,
                text_ko=str(t("ko", "remind.default.text")),
                text_en=str(t("en", "remind.default.text")),
            )
        await self._show_list(update, context, flow)

    async def _ask_repeat(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        await _query(update).answer()
        lang = context.lang
        stored = await advance_flow(update, context, flow, REPEAT)
        if stored is None:
            return
        markup = InlineKeyboardMarkup(
            [
                [
                    flow_button(stored, raw(lang, f"remind.button.{r}"), f"rep:{r}")
                    for r in ("monthly", "weekly", "once")
                ],
                _cancel_row(lang, stored),
            ]
        )
        await edit_flow_message(update, context, stored, t(lang, "remind.ask_repeat"), markup)

    async def _repeat(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        """Monthly, weekly or once: then the day and time, the weekday, or the date."""
        chosen = _REPEATS.get(argument)
        if chosen is None:
            await stale_button(_query(update), context)
            return
        step, repeat, key = chosen
        await self._ask_when(update, context, flow, step, replace(flow.data, repeat=repeat), key)

    async def _weekday(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        """A weekday (0 = Monday): then the time."""
        if not (argument.isdigit() and int(argument) < 7):
            await stale_button(_query(update), context)
            return
        data = replace(flow.data, repeat="weekly", day=int(argument))
        await self._ask_when(update, context, flow, TIME, data, "remind.ask_time")

    async def _ask_when(
        self,
        update: Update,
        context: BotContext,
        flow: Flow[RemindData],
        step: str,
        data: RemindData,
        key: str,
    ) -> None:
        await _query(update).answer()
        lang = context.lang
        stored = await advance_flow(update, context, flow, step, data)
        if stored is None:
            return
        rows = []
        if step == WEEKDAY:
            rows = [
                [flow_button(stored, raw(lang, f"remind.weekday.{d}"), f"wd:{d}") for d in days]
                for days in ((0, 1, 2, 3), (4, 5, 6))
            ]
        rows.append(_cancel_row(lang, stored))
        weekday = raw(lang, f"remind.weekday.{stored.data.day or 0}")
        text = t(lang, key, weekday=weekday)
        await edit_flow_message(update, context, stored, text, InlineKeyboardMarkup(rows))

    async def _language(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        await _query(update).answer()
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
            await stale_button(_query(update), context)
            return
        await _query(update).answer()
        stored = await advance_flow(
            update, context, flow, TEXT, replace(flow.data, segment=segment)
        )
        if stored is not None:
            await self._ask_text(update, context, stored)

    async def _rewrite(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        await _query(update).answer()
        dropped = replace(flow.data, text_ko=None, text_en=None)
        stored = await advance_flow(update, context, flow, TEXT, dropped)
        if stored is not None:
            await self._ask_text(update, context, stored)

    # --- typed text ----------------------------------------------------------------------

    async def text(self, update: Update, context: BotContext, flow: Flow[RemindData]) -> None:
        """The day and time, or the reminder's text."""
        if not await require_staff(update, context):
            return
        if flow.step in _TYPED_WHEN:
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
            await reply(update, context, _TYPED_WHEN[flow.step])
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
            schedule=describe(
                lang,
                flow.data.schedule(),
                context.services.clock.now(),
                context.services.reminders.tz,
            ),
            lines=audience_lines(
                lang, live, reminder=True, guide=context.services.broadcasts.self_reported
            ),
            language=language_label(lang, audience.language),
        )
        text = with_note(text, await fresh_note(context))
        rows = segment_buttons(lang, flow, live, guide=context.services.broadcasts.self_reported)
        label = raw(lang, "bc.button.language", language=language_label(lang, audience.language))
        rows.append([flow_button(flow, label, "lang")])
        rows.append(_cancel_row(lang, flow))
        return text, InlineKeyboardMarkup(rows)

    async def _ask_text(self, update: Update, context: BotContext, flow: Flow[RemindData]) -> None:
        lang, audience = context.lang, _audience(flow)
        text = t(
            lang,
            "remind.ask_text",
            schedule=describe(
                lang,
                flow.data.schedule(),
                context.services.clock.now(),
                context.services.reminders.tz,
            ),
            segment=segment_of(context, audience.segment),
            language=language_label(lang, audience.language),
            howto=t(lang, "compose.howto"),
        )
        markup = InlineKeyboardMarkup([_cancel_row(lang, flow)])
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
            schedule=describe(lang, schedule, context.services.clock.now(), service.tz),
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
                _cancel_row(lang, stored),
            ]
        )
        await send_flow_message(update, context, stored, text, markup)

    async def _create(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        query = _query(update)
        await close_flow(update, context, flow)
        await query.answer()
        service, audience, lang = context.services.reminders, _audience(flow), context.lang
        created = await service.create(
            _staff_id(update),
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
        (ANY_STEP, "cancel"): _cancel,
        (ANY_STEP, "close"): _close,
        (LIST, "pause:"): _pause,
        (LIST, "resume:"): _resume,
        (LIST, "del:"): _ask_delete,
        (LIST, "default"): _create_default,
        (LIST, "new"): _ask_repeat,
        (DELETE, "delyes"): _delete,
        (DELETE, "back"): _back,
        # Either screen: a press left on the other one still means what it says.
        (REPEAT, "rep:"): _repeat,
        (WEEKDAY, "rep:"): _repeat,
        (REPEAT, "wd:"): _weekday,
        (WEEKDAY, "wd:"): _weekday,
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
    on_start=(_listen_for_skips,),
)
