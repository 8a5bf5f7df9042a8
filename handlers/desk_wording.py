"""The chat's own wording, lent to the staff desk (bot/web/miniapp/), so the page says things
exactly as the chat does: an HTML problem, the freshness line, a segment's label, a schedule,
an audit entry. Pure functions of the catalogs; no Telegram calls.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from bot.i18n import raw
from bot.services.broadcasts import Freshness, Segment
from bot.services.composer import Problem
from bot.services.reminders import Schedule
from bot.services.staff import BY_BOT
from handlers.compose_views import freshness_line, problem_text, segment_name
from handlers.remind_views import describe

# Audit details that name a person: shown by name, or as "gone" after their /forget.
_PEOPLE = ("member", "invited_by")


class DeskWording:
    """What bot/web/miniapp's `Wording` protocol asks for."""

    def problem(self, lang: str, problem: Problem) -> str:
        return problem_text(lang, problem)

    def freshness(self, lang: str, fresh: Freshness | None, now: datetime, tz: tzinfo) -> str:
        return freshness_line(lang, fresh, now, tz)

    def segment(self, lang: str, segment: Segment, guide: bool) -> str:
        return segment_name(lang, segment, guide)

    def schedule_text(self, lang: str, schedule: Schedule, now: datetime, tz: tzinfo) -> str:
        # `now` is the protocol's; a schedule reads the same whenever it is read.
        return describe(lang, schedule, tz)

    def audit_line(
        self,
        lang: str,
        action: str,
        actor: int | None,
        detail: dict[str, object],
        name_of: Callable[[int], str],
    ) -> str:
        shown = dict(detail)
        for key in _PEOPLE:
            if key in shown:
                value = shown[key]
                shown[key] = (
                    name_of(value) if isinstance(value, int) else raw(lang, "staff.log.actor_gone")
                )
        try:
            what = raw(lang, f"staff.log.{action}", **shown)
        except (KeyError, IndexError):
            what = raw(lang, "staff.log.other", action=action)
        if actor is None:
            by_bot = detail.get(BY_BOT) is True
            who = raw(lang, "staff.log.actor_bot" if by_bot else "staff.log.actor_gone")
        else:
            who = name_of(actor)
        return f"{who}: {what}"
