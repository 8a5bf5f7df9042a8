"""/remind: staff list, pause, resume and delete scheduled reminders, and create new ones.

Creating one: when (monthly on a day, weekly on a weekday, or once), who (the broadcast
segments, always as a reminder), the text (checked and previewed like /broadcast), confirm.
At first use (no reminder yet) the center's default reminder is one tap away.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, cast

from telegram import Bot, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.i18n import Html, raw, t
from bot.services.broadcasts import Audience, Segment
from bot.services.composer import counts
from bot.services.container import Services
from bot.services.flows import Flow
from bot.services.reminders import (
    DEFAULT_SCHEDULE,
    DEFAULT_SEGMENT,
    FIRE_REMINDER,
    Schedule,
    Skipped,
    parse_monthly,
    parse_once,
    parse_time,
)
from core.types import Lang
from handlers.common import edit_in_place, reply
from handlers.compose_steps import CONFIRM, TEXT, TEXT_EN, ComposeSteps
from handlers.compose_views import (
    FACT_SEGMENTS,
    advance_keeping,
    audience_lines,
    audience_notes,
    fresh_note,
    language_label,
    next_language,
    segment_buttons,
    segment_of,
    texts_note,
    with_note,
)
from handlers.feature import Due, Feature
from handlers.flows import (
    FlowHandler,
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


def _schedule(flow: Flow) -> Schedule:
    data = flow.data
    once_at = data.get("once_at")
    return Schedule(
        data.get("repeat", "monthly"),
        data.get("day"),
        int(data.get("hour", 0)),
        int(data.get("minute", 0)),
        datetime.fromisoformat(once_at) if once_at else None,
    )


def _stored(schedule: Schedule) -> dict[str, Any]:
    return {
        "repeat": schedule.repeat,
        "day": schedule.day,
        "hour": schedule.hour,
        "minute": schedule.minute,
        "once_at": schedule.once_at.isoformat() if schedule.once_at else None,
    }


def _audience(flow: Flow) -> Audience:
    return Audience(
        cast(Segment, flow.data.get("segment", DEFAULT_SEGMENT)),
        cast(Lang | None, flow.data.get("language")),
        reminder=True,
    )


def _staff_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _cancel_row(lang: str, flow: Flow) -> list[Any]:
    return [flow_button(flow, raw(lang, "bc.button.cancel"), "cancel")]


class RemindFlow(ComposeSteps, FlowHandler):
    name = "remind"
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

    async def _list(self, context: BotContext, flow: Flow) -> tuple[Html, InlineKeyboardMarkup]:
        service = context.services.reminders
        reminders = await service.list()
        lang = context.lang
        return list_text(lang, reminders, context.services.clock.now(), service.tz), list_buttons(
            lang, flow, reminders
        )

    async def _show_list(
        self, update: Update, context: BotContext, flow: Flow, toast: str | None = None
    ) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer(toast)
        stored = await advance_keeping(update, context, flow, LIST)
        if stored is not None:
            text, markup = await self._list(context, stored)
            await edit_flow_message(update, context, stored, text, markup)

    # --- buttons -------------------------------------------------------------------------

    async def button(self, update: Update, context: BotContext, flow: Flow, action: str) -> None:
        query = update.callback_query
        assert query is not None
        if not await require_staff(update, context):
            return
        if await self.split_choice(update, context, flow, action):
            return
        verb, _, argument = action.partition(":")
        if action in ("cancel", "close"):
            await close_flow(update, context, flow)
            await query.answer()
            key = "remind.cancelled" if action == "cancel" else "remind.closed"
            await edit_in_place(context, query, t(context.lang, key))
        elif (flow.step == LIST and verb in ("pause", "resume", "del")) or (
            flow.step == DELETE and verb in ("delyes", "back")
        ):
            await self._manage(update, context, flow, verb, argument)
        elif flow.step == LIST and action == "default":
            await self._create_default(update, context, flow)
        elif flow.step == LIST and action == "new":
            await self._ask_repeat(update, context, flow)
        elif flow.step in (REPEAT, WEEKDAY) and verb in ("rep", "wd"):
            await self._when(update, context, flow, verb, argument)
        elif flow.step == AUDIENCE and action == "lang":
            await query.answer()
            language = next_language(_audience(flow).language)
            stored = await advance_keeping(update, context, flow, AUDIENCE, language=language)
            if stored is not None:
                text, markup = await self._audience_screen(context, stored)
                await edit_flow_message(update, context, stored, text, markup)
        elif (
            flow.step == AUDIENCE
            and verb == "seg"
            and argument in context.services.broadcasts.segments
        ):
            await query.answer()
            stored = await advance_keeping(update, context, flow, TEXT, segment=argument)
            if stored is not None:
                await self._ask_text(update, context, stored)
        elif flow.step == TEXT_EN and action == "same":
            await query.answer()
            await self.skip_english(update, context, flow)
        elif flow.step == CONFIRM and action == "rewrite":
            await query.answer()
            stored = await advance_keeping(update, context, flow, TEXT, text_ko=None, text_en=None)
            if stored is not None:
                await self._ask_text(update, context, stored)
        elif flow.step == CONFIRM and action == "create":
            await self._create(update, context, flow)
        else:
            await stale_button(query, context)

    async def _manage(
        self, update: Update, context: BotContext, flow: Flow, verb: str, argument: str
    ) -> None:
        query = update.callback_query
        assert query is not None
        service, lang, actor = context.services.reminders, context.lang, _staff_id(update)
        if verb == "back":
            await self._show_list(update, context, flow)
            return
        reminder_id = int(argument) if argument.isdigit() else int(flow.data.get("delete", 0))
        if verb == "del":
            await query.answer()
            stored = await advance_keeping(update, context, flow, DELETE, delete=reminder_id)
            if stored is not None:
                markup = InlineKeyboardMarkup(
                    [
                        [flow_button(stored, raw(lang, "remind.button.delete_yes"), "delyes")],
                        [flow_button(stored, raw(lang, "button.back"), "back")],
                    ]
                )
                text = t(lang, "remind.delete_confirm", id=reminder_id)
                await edit_flow_message(update, context, stored, text, markup)
            return
        if verb == "pause":
            done, toast = await service.pause(reminder_id, actor), "remind.paused"
        elif verb == "resume":
            done, toast = await service.resume(reminder_id, actor), "remind.resumed"
        else:
            done, toast = await service.delete(reminder_id, actor), "remind.deleted"
        await self._show_list(update, context, flow, raw(lang, toast if done else "remind.gone"))

    async def _create_default(self, update: Update, context: BotContext, flow: Flow) -> None:
        """One tap: the center's reminder, in Korean and English, from the catalogs.

        Offered while there is no reminder at all, so a double tap creates it once."""
        if await context.services.reminders.any():
            await self._show_list(update, context, flow)
            return
        await context.services.reminders.create(
            _staff_id(update),
            DEFAULT_SCHEDULE,
            DEFAULT_SEGMENT,
            None,
            text_ko=str(t("ko", "remind.default.text")),
            text_en=str(t("en", "remind.default.text")),
        )
        await self._show_list(update, context, flow)

    async def _ask_repeat(self, update: Update, context: BotContext, flow: Flow) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        lang = context.lang
        stored = await advance_keeping(update, context, flow, REPEAT)
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

    async def _when(
        self, update: Update, context: BotContext, flow: Flow, verb: str, argument: str
    ) -> None:
        query = update.callback_query
        assert query is not None
        lang = context.lang
        if verb == "wd" and argument.isdigit() and int(argument) < 7:
            step, changes, key = TIME, {"repeat": "weekly", "day": int(argument)}, "remind.ask_time"
        elif verb == "rep" and argument == "monthly":
            step, changes, key = MONTHLY, {"repeat": "monthly"}, "remind.ask_monthly"
        elif verb == "rep" and argument == "once":
            step, changes, key = ONCE, {"repeat": "once"}, "remind.ask_once"
        elif verb == "rep" and argument == "weekly":
            step, changes, key = WEEKDAY, {"repeat": "weekly"}, "remind.ask_weekday"
        else:
            await stale_button(query, context)
            return
        await query.answer()
        stored = await advance_keeping(update, context, flow, step, **changes)
        if stored is None:
            return
        rows = []
        if step == WEEKDAY:
            rows = [
                [flow_button(stored, raw(lang, f"remind.weekday.{d}"), f"wd:{d}") for d in days]
                for days in ((0, 1, 2, 3), (4, 5, 6))
            ]
        rows.append(_cancel_row(lang, stored))
        weekday = raw(lang, f"remind.weekday.{stored.data.get('day', 0)}")
        text = t(lang, key, weekday=weekday)
        await edit_flow_message(update, context, stored, text, InlineKeyboardMarkup(rows))

    # --- typed text ----------------------------------------------------------------------

    async def text(self, update: Update, context: BotContext, flow: Flow) -> None:
        """The day and time, or the reminder's text."""
        if not await require_staff(update, context):
            return
        if flow.step in (MONTHLY, TIME, ONCE):
            await self._when_typed(update, context, flow)
        elif flow.step in (TEXT, TEXT_EN):
            await self.take_text(update, context, flow)
        elif not (flow.step == CONFIRM and await self.text_at_confirm(update, context, flow)):
            await answer_or_hint(update, context, "fallback.text")

    async def _when_typed(self, update: Update, context: BotContext, flow: Flow) -> None:
        """ "25 10:00", "10:00" or "2026-12-25 10:00": read, refused, or on to the audience."""
        assert update.message is not None and update.message.text is not None
        typed, service = update.message.text, context.services.reminders
        schedule: Schedule | None
        if flow.step == MONTHLY:
            schedule, bad = parse_monthly(typed), "remind.bad_monthly"
        elif flow.step == TIME:
            at, bad = parse_time(typed), "remind.bad_time"
            day = int(flow.data.get("day", 0))
            schedule = Schedule("weekly", day, at[0], at[1]) if at else None
        else:
            schedule, bad = parse_once(typed, service.tz), "remind.bad_once"
        if schedule is None:
            await reply(update, context, bad)
            return
        if service.next_run(schedule) is None:
            await reply(update, context, "remind.past")
            return
        stored = await advance_keeping(update, context, flow, AUDIENCE, **_stored(schedule))
        if stored is not None:
            text, markup = await self._audience_screen(context, stored)
            await send_flow_message(update, context, stored, text, markup)

    async def other(self, update: Update, context: BotContext, flow: Flow) -> None:
        await reply(update, context, "compose.not_text")

    # --- audience, text, preview, create -------------------------------------------------

    async def _audience_screen(
        self, context: BotContext, flow: Flow
    ) -> tuple[Html, InlineKeyboardMarkup]:
        lang, audience = context.lang, _audience(flow)
        live = await counts(context.services.broadcasts, audience.language, reminder=True)
        text = t(
            lang,
            "remind.ask_audience",
            schedule=describe(
                lang, _schedule(flow), context.services.clock.now(), context.services.reminders.tz
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

    async def _ask_text(self, update: Update, context: BotContext, flow: Flow) -> None:
        lang, audience = context.lang, _audience(flow)
        text = t(
            lang,
            "remind.ask_text",
            schedule=describe(
                lang, _schedule(flow), context.services.clock.now(), context.services.reminders.tz
            ),
            segment=segment_of(context, audience.segment),
            language=language_label(lang, audience.language),
            howto=t(lang, "compose.howto"),
        )
        markup = InlineKeyboardMarkup([_cancel_row(lang, flow)])
        await send_flow_message(update, context, flow, text, markup)

    async def confirm(
        self, update: Update, context: BotContext, stored: Flow, text_en: str | None
    ) -> None:
        """The schedule, who it would reach now and its first run; the create button."""
        lang = context.lang
        service, audience, schedule = (
            context.services.reminders,
            _audience(stored),
            _schedule(stored),
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

    async def _create(self, update: Update, context: BotContext, flow: Flow) -> None:
        query = update.callback_query
        assert query is not None
        await close_flow(update, context, flow)
        await query.answer()
        service, audience, lang = context.services.reminders, _audience(flow), context.lang
        created = await service.create(
            _staff_id(update),
            _schedule(flow),
            audience.segment,
            audience.language,
            text_ko=str(flow.data.get("text_ko") or ""),
            text_en=flow.data.get("text_en") or None,
        )
        if created is None or created.next_run_at is None:
            await edit_in_place(context, query, t(lang, "remind.past"))
            return
        first = when(lang, created.next_run_at, context.services.clock.now(), service.tz)
        await edit_in_place(context, query, t(lang, "remind.created", id=created.id, first=first))


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
