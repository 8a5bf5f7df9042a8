"""One function per API operation (openapi.yaml's operationIds), each calling the services."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, tzinfo
from typing import Any

from aiohttp import web

from bot.services.broadcasts import Audience
from bot.services.desk import QuestionList
from bot.services.reminders import ReminderRow, Schedule
from bot.web.miniapp import views
from bot.web.miniapp.api import (
    ABOUT,
    DRAFT,
    ApiError,
    Caller,
    Desk,
    body,
    int_query,
    json_response,
    language,
    previews,
    require_ok,
    segment,
    text_field,
)

TODAY_QUESTIONS = 5
TODAY_REMINDERS = 3


def _json(data: dict[str, Any], status: int = 200) -> web.Response:
    return json_response(data, status=status)


class Endpoints:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.s = desk.services

    # --- me, nonce, today -------------------------------------------------------------------

    async def me(self, request: web.Request, caller: Caller) -> web.Response:
        return _json(
            {
                "id": caller.id,
                "role": caller.role,
                "language": caller.lang,
                "tz": self.s.settings.timezone,
                "first_name": caller.first_name,
            }
        )

    async def nonce(self, request: web.Request, caller: Caller) -> web.Response:
        key, expires_at = await self.s.desk.issue_key(caller.id)
        return _json({"key": key, "expires_at": views.iso(expires_at)})

    async def today(self, request: web.Request, caller: Caller) -> web.Response:
        # Four reads that need nothing from each other, asked at once: on SQLite they share
        # one wake of the store's thread (store/db.py _Turns) instead of one each, and the
        # week's count runs on the read-only connection meanwhile.
        async with asyncio.TaskGroup() as reads:
            page = reads.create_task(
                self.s.desk.question_page(answered=False, limit=TODAY_QUESTIONS)
            )
            recent = reads.create_task(self.s.broadcasts.recent(20))
            listed = reads.create_task(self.s.reminders.list())
            week = reads.create_task(self.s.stats.week())
        open_questions = page.result()
        running = [b for b in recent.result() if b.state == "sending"]
        reminders = sorted(
            (r for r in listed.result() if r.state == "active" and r.next_run_at),
            key=lambda r: r.next_run_at or datetime.max.replace(tzinfo=UTC),
        )[:TODAY_REMINDERS]
        weekly, counted_at = week.result()
        return _json(
            {
                "open_questions": open_questions.open_count,
                "questions": await self._listed(open_questions, caller),
                "running": [await self._broadcast(b) for b in running],
                "reminders": [await self._reminder(r, caller) for r in reminders],
                "week": {
                    "weeks": [views.day(w) for w in weekly.weeks],
                    "sends": weekly.sends,
                    "failures": weekly.failures,
                },
                "counted_at": views.iso(counted_at),
            }
        )

    # --- segments and previews --------------------------------------------------------------

    async def segments(self, request: web.Request, caller: Caller) -> web.Response:
        lang_filter = language(request.query.get("language"))
        reminder = request.query.get("reminder", "false")
        if reminder not in ("true", "false"):
            raise ApiError(400, "bad_request")
        broadcasts = self.s.broadcasts
        guide = broadcasts.self_reported
        rows = []
        live, fresh = await broadcasts.picker(lang_filter, reminder == "true")
        for seg, count in live.items():
            rows.append(
                {
                    "segment": seg,
                    "label": self.desk.wording.segment(caller.lang, seg, guide),
                    "recipients": count.recipients,
                    "blocked": count.blocked,
                    "notices_off": count.notices_off,
                }
            )
        now = self.s.clock.now()
        return _json(
            {
                "segments": rows,
                "freshness": {
                    "as_of": views.iso(fresh.oldest if fresh else None),
                    "unknown": fresh.unknown if fresh else 0,
                    "self_reported": guide,
                    "text": self.desk.wording.freshness(
                        caller.lang, fresh, now, self.s.settings.tz
                    ),
                },
            }
        )

    async def preview(self, request: web.Request, caller: Caller) -> web.Response:
        data = await body(request)
        text_ko = text_field(data, "text_ko", required=True)
        assert text_ko is not None
        text_en = text_field(data, "text_en", required=False)
        return _json(previews(self.desk, caller.lang, text_ko, text_en))

    # --- broadcasts ---------------------------------------------------------------------------

    async def _broadcast(self, row: Any) -> dict[str, Any]:
        return views.broadcast(row, await self.s.broadcasts.tally(row.id), self.s.desk.rate())

    async def list_broadcasts(self, request: web.Request, caller: Caller) -> web.Response:
        limit = int_query(request, "limit", 20, 1, 100)
        assert limit is not None
        rows = await self.s.broadcasts.recent(limit)
        return _json({"broadcasts": [await self._broadcast(r) for r in rows]})

    async def get_broadcast(self, request: web.Request, caller: Caller) -> web.Response:
        row = await self.s.broadcasts.get(_path_int(request, "broadcast_id"))
        if row is None:
            raise ApiError(404, "not_found")
        return _json({"broadcast": await self._broadcast(row)})

    async def create_draft(self, request: web.Request, caller: Caller) -> web.Response:
        data = await body(request)
        seg = segment(data.get("segment"), self.s.broadcasts.segments)
        lang_filter = language(data.get("language"))
        text_ko = text_field(data, "text_ko", required=True)
        text_en = text_field(data, "text_en", required=False) or None
        assert text_ko is not None
        pair = previews(self.desk, caller.lang, text_ko, text_en)
        require_ok(pair)
        count = await self.s.broadcasts.count(Audience(seg, lang_filter))
        draft = {"segment": seg, "language": lang_filter, "text_ko": text_ko, "text_en": text_en}
        confirm_key, expires_at = await self.s.desk.issue_key(caller.id, draft=draft)
        return _json(
            {
                "draft": {
                    "id": confirm_key,
                    **draft,
                    "recipients": count.recipients,
                    "preview": pair,
                    "confirm_key": confirm_key,
                    "expires_at": views.iso(expires_at),
                }
            },
            status=201,
        )

    async def confirm_draft(self, request: web.Request, caller: Caller) -> web.Response:
        draft = request.get(DRAFT)
        key = request.headers.get("Idempotency-Key")
        if draft is None or request.match_info["draft_id"] != key:
            raise ApiError(404, "not_found")
        # Checked again: the draft was checked when stored, but the rule is the composer's.
        require_ok(previews(self.desk, caller.lang, draft["text_ko"], draft["text_en"]))
        launched = await self.s.broadcasts.launch(
            created_by=caller.id,
            audience=Audience(draft["segment"], draft["language"]),
            text_ko=draft["text_ko"],
            text_en=draft["text_en"],
            # The page shows the progress; the chat gets no progress message of its own.
            progress_chat_id=None,
        )
        row = await self.s.broadcasts.get(launched.broadcast_id)
        assert row is not None
        return _json({"broadcast": await self._broadcast(row)}, status=201)

    async def cancel_broadcast(self, request: web.Request, caller: Caller) -> web.Response:
        broadcast_id = _path_int(request, "broadcast_id")
        if await self.s.broadcasts.get(broadcast_id) is None:
            raise ApiError(404, "not_found")
        cancelled = await self.s.broadcasts.cancel(broadcast_id, by=caller.id)
        row = await self.s.broadcasts.get(broadcast_id)
        assert row is not None
        return _json({"broadcast": await self._broadcast(row), "cancelled": cancelled is not None})

    # --- reminders ----------------------------------------------------------------------------

    async def _reminder(self, row: ReminderRow, caller: Caller) -> dict[str, Any]:
        history = []
        for run in await self.s.desk.reminder_runs(row.id):
            tally, reason = None, run.skip_reason
            if run.broadcast_id is not None:
                # It went out: its tally as it is now, never a guess that nobody was in its
                # audience (recipients who later used /forget take their deliveries along).
                tally = views.tally(await self.s.broadcasts.tally(run.broadcast_id))
                reason = None
            history.append(
                {
                    "at": views.iso(run.at),
                    "outcome": "skipped" if reason is not None else "ran",
                    "skip_reason": reason,
                    "broadcast_id": run.broadcast_id,
                    "tally": tally,
                }
            )
        text = self.desk.wording.schedule_text(
            caller.lang, row.schedule, self.s.clock.now(), self.s.settings.tz
        )
        return views.reminder(row, text, history)

    async def list_reminders(self, request: web.Request, caller: Caller) -> web.Response:
        rows = await self.s.reminders.list()
        return _json({"reminders": [await self._reminder(r, caller) for r in rows]})

    async def get_reminder(self, request: web.Request, caller: Caller) -> web.Response:
        row = await self.s.reminders.get(_path_int(request, "reminder_id"))
        if row is None:
            raise ApiError(404, "not_found")
        return _json({"reminder": await self._reminder(row, caller)})

    async def create_reminder(self, request: web.Request, caller: Caller) -> web.Response:
        data = await body(request)
        schedule = _schedule(data.get("schedule"), self.s.settings.tz)
        seg = segment(data.get("segment"), self.s.broadcasts.segments)
        lang_filter = language(data.get("language"))
        text_ko = text_field(data, "text_ko", required=True)
        text_en = text_field(data, "text_en", required=False) or None
        assert text_ko is not None
        require_ok(previews(self.desk, caller.lang, text_ko, text_en))
        row = await self.s.reminders.create(
            caller.id,
            schedule,
            seg,
            lang_filter,
            text_ko,
            text_en,
        )
        if row is None:
            raise ApiError(422, "no_run_left")
        return _json({"reminder": await self._reminder(row, caller)}, status=201)

    async def change_reminder(self, request: web.Request, caller: Caller) -> web.Response:
        reminder_id = _path_int(request, "reminder_id")
        action = request.match_info["action"]
        reminders = self.s.reminders
        if await reminders.get(reminder_id) is None:
            raise ApiError(404, "not_found")
        if action == "pause":
            changed = await reminders.pause(reminder_id, caller.id)
        elif action == "resume":
            changed = await reminders.resume(reminder_id, caller.id)
        elif action == "delete":
            changed = await reminders.delete(reminder_id, caller.id)
        else:
            raise ApiError(404, "not_found")
        row = await reminders.get(reminder_id)
        shown = await self._reminder(row, caller) if row is not None else None
        return _json({"reminder": shown, "changed": changed})

    # --- questions and volunteers -------------------------------------------------------------

    async def _listed(self, page: QuestionList, caller: Caller) -> list[dict[str, Any]]:
        """A list's questions (askers and count read with them: DeskService.question_page)."""
        # One read for the list, not one per answer; none for a list nobody answered yet
        # (open questions, the page staff open most).
        answered = any(q.answered_by is not None for q in page.questions)
        names = await self.s.staff.names() if answered else {}
        return [
            self._question_view(q, caller, names, *page.askers[q.telegram_id])
            for q in page.questions
        ]

    async def _question(self, q: Any, caller: Caller) -> dict[str, Any]:
        askers = await self.s.desk.askers([q.telegram_id])
        names = await self.s.staff.names() if q.answered_by is not None else {}
        return self._question_view(q, caller, names, *askers[q.telegram_id])

    def _question_view(
        self, q: Any, caller: Caller, names: dict[int, str], found: Any, open_ids: list[int]
    ) -> dict[str, Any]:
        answered_by = None
        if q.answered_at is not None:
            name = names.get(q.answered_by) if q.answered_by is not None else None
            answered_by = views.staff_ref(q.answered_by, name, caller.id)
        return {
            "id": q.id,
            "created_at": views.iso(q.created_at),
            "text": q.question,
            "expires_at": views.iso(q.expires_at),
            "state": views.question_state(q),
            "answered_at": views.iso(q.answered_at),
            "answered_by": answered_by,
            "asker": views.volunteer(found, open_ids),
        }

    async def list_questions(self, request: web.Request, caller: Caller) -> web.Response:
        state = request.query.get("state", "open")
        if state not in ("open", "answered"):
            raise ApiError(400, "bad_request")
        limit = int_query(request, "limit", 50, 1, 100)
        assert limit is not None
        page = await self.s.desk.question_page(answered=state == "answered", limit=limit)
        return _json({"questions": await self._listed(page, caller), "open_count": page.open_count})

    async def answer_question(self, request: web.Request, caller: Caller) -> web.Response:
        data = await body(request)
        text = data.get("text")
        if not isinstance(text, str) or len(text) > 8192:
            raise ApiError(400, "bad_request")
        if not text.strip():
            raise ApiError(422, "text_empty")
        q = await self.s.desk.question(_path_int(request, "question_id"))
        if q is None:
            raise ApiError(404, "not_found")
        request[ABOUT] = q.telegram_id
        if q.answered_at is not None:
            raise ApiError(409, "already_answered")
        done = await self.desk.relay(q, caller.id, caller.first_name, text)
        match done.outcome:
            case "relayed":
                pass
            case "already":
                raise ApiError(409, "already_answered")
            case "expired":
                raise ApiError(410, "expired")
            case "too_long":
                raise ApiError(
                    422,
                    "too_long",
                    {"over": done.over, "limit": done.limit},
                    over=done.over,
                    limit=done.limit,
                )
            case "text_only":
                raise ApiError(422, "text_empty")
            case _:
                reason = done.outcome if done.outcome != "undelivered" else "network"
                raise ApiError(502, "undelivered", {"reason": reason})
        after = await self.s.desk.question(q.id)
        assert after is not None
        return _json({"question": await self._question(after, caller)})

    async def find_volunteer(self, request: web.Request, caller: Caller) -> web.Response:
        vms_id = request.query.get("vms_id")
        has_question = "question" in request.query
        if (vms_id is None) == (not has_question) or (vms_id is not None and not vms_id.strip()):
            raise ApiError(400, "bad_request")
        question = int_query(request, "question", None, 1, 2**62)
        found = await self.s.desk.find(caller.id, vms_id=vms_id, question=question)
        if found is None:
            return _json({"volunteers": []})
        ids = await self.s.desk.open_question_ids(found.telegram_id)
        return _json({"volunteers": [views.volunteer(found, ids)]})

    async def audit(self, request: web.Request, caller: Caller) -> web.Response:
        before = int_query(request, "before", None, 1, 2**62)
        limit = int_query(request, "limit", 50, 1, 100)
        assert limit is not None
        entries = await self.s.desk.audit_page(before, limit + 1)
        page, more = entries[:limit], len(entries) > limit
        shown = []
        names = await self.s.staff.names()  # one read for the page, not one per entry
        for e in page:
            actor = None
            if e.actor is not None:
                actor = views.staff_ref(e.actor, names.get(e.actor), caller.id)
            shown.append(
                {
                    "id": e.id,
                    "at": views.iso(e.at),
                    "actor": actor,
                    "action": e.action,
                    "text": self.desk.wording.audit_line(
                        caller.lang,
                        e.action,
                        e.actor,
                        dict(e.detail),
                        lambda i: names.get(i) or str(i),
                    ),
                    "detail": dict(e.detail),
                }
            )
        return _json({"entries": shown, "next_before": page[-1].id if more and page else None})


def _path_int(request: web.Request, name: str) -> int:
    raw = request.match_info[name]
    if not raw.isdigit() or not 1 <= int(raw) < 2**62:
        raise ApiError(404, "not_found")
    return int(raw)


# A repeat's day, and the days it may be: a day of the month, or of the week (Monday 0).
_DAYS = {"monthly": range(1, 32), "weekly": range(7)}


def _schedule(value: object, tz: tzinfo) -> Schedule:
    """A reminder's schedule from the page's JSON; 422 for anything the chat could not set."""
    if not isinstance(value, dict):
        raise ApiError(400, "bad_request")
    repeat, day = value.get("repeat"), value.get("day")
    hour, minute = value.get("hour"), value.get("minute")
    if not isinstance(hour, int) or not isinstance(minute, int):
        raise ApiError(422, "schedule_invalid")
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ApiError(422, "schedule_invalid")
    if repeat in _DAYS and isinstance(day, int) and day in _DAYS[repeat]:
        return Schedule(repeat, day=day, hour=hour, minute=minute)
    if repeat == "once" and isinstance(value.get("once_at"), str):
        return _once(str(value["once_at"]), tz)
    raise ApiError(422, "schedule_invalid")


def _once(text: str, tz: tzinfo) -> Schedule:
    try:
        once_at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(422, "schedule_invalid") from None
    if once_at.tzinfo is None:
        raise ApiError(422, "schedule_invalid")
    local = once_at.astimezone(tz)
    return Schedule("once", hour=local.hour, minute=local.minute, once_at=once_at.astimezone(UTC))
