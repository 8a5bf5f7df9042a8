"""/remind's data and its steps before the audience: the list (pause, resume, delete, the
default reminder) and when a new reminder runs (monthly, weekly on a weekday, or once).

RemindFlow (handlers/remind.py) mixes in RemindSteps and puts REMIND_STEP_BUTTONS in its
`buttons` table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import Html, raw, t
from bot.services.broadcasts import Segment
from bot.services.flows import Flow
from bot.services.reminders import DEFAULT_SCHEDULE, DEFAULT_SEGMENT, Repeat, Schedule
from handlers.compose_steps import ComposeData
from handlers.desk_buttons import desk_rows
from handlers.flows import Buttons, advance_flow, edit_flow_message, flow_button, stale_button
from handlers.remind_views import list_buttons, list_text

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


# "How often" buttons (rep:<repeat>): the step each leads to, the repeat kept, its prompt.
_REPEATS: dict[str, tuple[str, Repeat, str]] = {
    "monthly": (MONTHLY, "monthly", "remind.ask_monthly"),
    "weekly": (WEEKDAY, "weekly", "remind.ask_weekday"),
    "once": (ONCE, "once", "remind.ask_once"),
}
# What a typed "when" is read as, at each step that asks for one.
TYPED_WHEN = {MONTHLY: "remind.bad_monthly", TIME: "remind.bad_time", ONCE: "remind.bad_once"}


def staff_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def pressed(update: Update) -> CallbackQuery:
    assert update.callback_query is not None
    return update.callback_query


def cancel_row(lang: str, flow: Flow[RemindData]) -> list[Any]:
    return [flow_button(flow, raw(lang, "bc.button.cancel"), "cancel")]


class RemindSteps:
    """The list and the schedule's buttons (REMIND_STEP_BUTTONS)."""

    async def _list(
        self, update: Update, context: BotContext, flow: Flow[RemindData]
    ) -> tuple[Html, InlineKeyboardMarkup]:
        service = context.services.reminders
        reminders = await service.list()
        lang = context.lang
        buttons = list_buttons(lang, flow, reminders)
        # The staff desk's page for reminders, when WEB_URL is set (handlers/desk_buttons.py).
        buttons = InlineKeyboardMarkup(
            (*buttons.inline_keyboard, *desk_rows(update, context, "reminders"))
        )
        return list_text(lang, reminders, context.services.clock.now(), service.tz), buttons

    async def _show_list(
        self,
        update: Update,
        context: BotContext,
        flow: Flow[RemindData],
        toast: str | None = None,
    ) -> None:
        await pressed(update).answer(toast)
        stored = await advance_flow(update, context, flow, LIST)
        if stored is not None:
            text, markup = await self._list(update, context, stored)
            await edit_flow_message(update, context, stored, text, markup)

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
            await stale_button(pressed(update), context)
            return
        done = await change(int(argument), staff_id(update))
        key = toast if done else "remind.gone"
        await self._show_list(update, context, flow, raw(context.lang, key))

    async def _ask_delete(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        if not argument.isdigit():
            await stale_button(pressed(update), context)
            return
        await pressed(update).answer()
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
                staff_id(update),
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
        await pressed(update).answer()
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
                cancel_row(lang, stored),
            ]
        )
        await edit_flow_message(update, context, stored, t(lang, "remind.ask_repeat"), markup)

    async def _repeat(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        """Monthly, weekly or once: then the day and time, the weekday, or the date."""
        chosen = _REPEATS.get(argument)
        if chosen is None:
            await stale_button(pressed(update), context)
            return
        step, repeat, key = chosen
        await self._ask_when(update, context, flow, step, replace(flow.data, repeat=repeat), key)

    async def _weekday(
        self, update: Update, context: BotContext, flow: Flow[RemindData], argument: str
    ) -> None:
        """A weekday (0 = Monday): then the time."""
        if not (argument.isdigit() and int(argument) < 7):
            await stale_button(pressed(update), context)
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
        await pressed(update).answer()
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
        rows.append(cancel_row(lang, stored))
        weekday = raw(lang, f"remind.weekday.{stored.data.day or 0}")
        text = t(lang, key, weekday=weekday)
        await edit_flow_message(update, context, stored, text, InlineKeyboardMarkup(rows))


REMIND_STEP_BUTTONS: Buttons = {
    (LIST, "pause:"): RemindSteps._pause,
    (LIST, "resume:"): RemindSteps._resume,
    (LIST, "del:"): RemindSteps._ask_delete,
    (LIST, "default"): RemindSteps._create_default,
    (LIST, "new"): RemindSteps._ask_repeat,
    (DELETE, "delyes"): RemindSteps._delete,
    (DELETE, "back"): RemindSteps._back,
    # Either screen: a press left on the other one still means what it says.
    (REPEAT, "rep:"): RemindSteps._repeat,
    (WEEKDAY, "rep:"): RemindSteps._repeat,
    (REPEAT, "wd:"): RemindSteps._weekday,
    (WEEKDAY, "wd:"): RemindSteps._weekday,
}
