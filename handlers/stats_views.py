"""How /stats reads: counts only, numbers as "1,234", times in the bot's zone (KST)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.i18n import Html, raw, t
from bot.services.charts import ChartTexts
from bot.services.stats import BroadcastTotals, Stats
from handlers.formats import when
from handlers.status_views import reason_short


def n(value: int) -> str:
    """1234 → "1,234" (both catalogs group thousands with a comma)."""
    return f"{value:,}"


def stats_text(lang: str, stats: Stats, now: datetime, tz: tzinfo) -> Html:
    """The whole /stats message: volunteers, consents, records and sends, requests, notices."""
    c = stats.cache
    parts = [
        t(lang, "stats.title", at=when(lang, stats.at, now, tz)),
        t(lang, "stats.volunteers", active=n(stats.volunteers.active),
          blocked=n(stats.volunteers.blocked), linked=n(c.linked)),
        _consents(lang, stats),
        _records(lang, stats),
        t(lang, "stats.help_requests", count=n(stats.open_help_requests)),
        _broadcasts(lang, stats.broadcasts, now, tz),
    ]  # fmt: skip
    return Html("\n\n".join(parts))


def _consents(lang: str, stats: Stats) -> str:
    c = stats.cache
    lines = [
        t(lang, "stats.consents", agreed_1365=n(c.consent_1365),
          missing_1365=n(c.checked - c.consent_1365), agreed_vms=n(c.consent_vms),
          missing_vms=n(c.checked - c.consent_vms)),
    ]  # fmt: skip
    if stats.unknown:
        lines.append(t(lang, "stats.consents.unknown", unknown=n(stats.unknown)))
    return "\n".join(lines)


def _records(lang: str, stats: Stats) -> str:
    c, s = stats.cache, stats.sends
    lines = [
        t(lang, "stats.records", unsent=n(c.unsent), week=n(s.last_7_days),
          month=n(s.last_30_days), succeeded=n(s.records_succeeded_30_days)),
    ]  # fmt: skip
    rate = stats.success_rate
    if rate is None:
        lines.append(t(lang, "stats.success_rate.none"))
    else:
        lines.append(t(lang, "stats.success_rate", rate=f"{rate * 100:.1f}",
                       succeeded=n(c.succeeded), failed=n(c.failed)))  # fmt: skip
    if stats.top_reasons:
        lines.append(t(lang, "stats.reasons"))
        for rank, (code, count) in enumerate(stats.top_reasons, start=1):
            reason = reason_short(lang, code)
            lines.append(t(lang, "stats.reason", rank=rank, reason=reason, count=n(count)))
    return "\n".join(lines)


def _broadcasts(lang: str, broadcasts: list[BroadcastTotals], now: datetime, tz: tzinfo) -> str:
    if not broadcasts:
        return t(lang, "stats.broadcasts.none")
    lines = [t(lang, "stats.broadcasts")]
    for b in broadcasts:
        key = "stats.broadcast" if b.finished else "stats.broadcast.running"
        if b.stopped:
            key = "stats.broadcast.stopped"
        lines.append(t(lang, key, at=when(lang, b.started_at, now, tz), recipients=n(b.recipients),
                       sent=n(b.sent), failed=n(b.failed), blocked=n(b.blocked)))  # fmt: skip
    return "\n".join(lines)


def chart_texts(lang: str, tz: tzinfo) -> ChartTexts:
    """The chart's words; week labels are the Monday of each week, in the bot's zone."""

    def week(monday: datetime) -> str:
        local = monday.astimezone(tz)
        return raw(lang, "stats.chart.week", month=local.month, day=local.day)

    return ChartTexts(
        title=raw(lang, "stats.chart.title"),
        sends=raw(lang, "stats.chart.sends"),
        failures=raw(lang, "stats.chart.failures"),
        axis=raw(lang, "stats.chart.axis"),
        week=week,
    )
