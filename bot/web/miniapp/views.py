"""The API's JSON shapes (openapi.yaml's schemas) from the services' rows. No I/O here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.services.broadcasts import BroadcastRow, Tally
from bot.services.desk import Found
from bot.services.help_requests import HelpRequest
from bot.services.reminders import ReminderRow, Schedule


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")


def day(moment: datetime | date) -> str:
    return (moment.date() if isinstance(moment, datetime) else moment).isoformat()


def tally(t: Tally) -> dict[str, int]:
    return {
        "recipients": t.total,
        "sent": t.sent,
        "failed": t.failed - t.unknown,
        "unknown": t.unknown,
        "blocked": t.blocked,
        "gone": t.gone,
        "left": t.remaining,
    }


def broadcast(row: BroadcastRow, t: Tally, rate: float) -> dict[str, Any]:
    sending = row.state == "sending"
    return {
        "id": row.id,
        "state": row.state,
        "segment": row.audience.segment,
        "language": row.audience.language,
        "reminder_id": row.reminder_id,
        "resend_of": row.resend_of,
        "created_at": iso(row.created_at),
        "finished_at": iso(row.finished_at),
        "text_ko": row.text_ko,
        "text_en": row.text_en,
        "tally": tally(t),
        "eta_seconds": round(t.remaining / rate) if sending and rate > 0 else 0,
    }


def schedule(s: Schedule) -> dict[str, Any]:
    return {
        "repeat": s.repeat,
        "day": s.day,
        "hour": s.hour,
        "minute": s.minute,
        "once_at": iso(s.once_at),
    }


def reminder(row: ReminderRow, schedule_text: str, history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": row.id,
        "state": row.state,
        "schedule": schedule(row.schedule),
        "schedule_text": schedule_text,
        "segment": row.segment,
        "language": row.language,
        "text_ko": row.text_ko,
        "text_en": row.text_en,
        "next_run_at": iso(row.next_run_at),
        "last_run_at": iso(row.last_run_at),
        "history": history,
    }


def volunteer(found: Found, question_ids: list[int]) -> dict[str, Any]:
    p = found.profile
    return {
        "question_ids": question_ids,
        "linked": p.vms_id is not None,
        "vms_id_masked": found.vms_id_masked,
        "language": p.language if p.language in ("ko", "en") else "ko",
        "segments": list(p.segments),
        "blocked": p.blocked,
        "notices_off": p.notices_off,
        "facts": {
            "as_of": iso(p.facts_at),
            "consent_1365": p.consent_1365,
            "consent_vms": p.consent_vms,
            "unsent": p.unsent,
            "failed": p.failed,
            "last_sent_at": iso(p.last_sent_at),
        },
    }


def question_state(q: HelpRequest) -> str:
    if q.answered_at is not None:
        return "answered"
    return "expired" if q.expired_at is not None else "open"


def staff_ref(telegram_id: int | None, name: str | None, me: int) -> dict[str, Any]:
    return {"id": telegram_id, "name": name, "me": telegram_id == me}
