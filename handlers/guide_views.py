"""How the consent guide reads: step texts, intros, endings, consent lines."""

from __future__ import annotations

from datetime import date

from bot.i18n import raw, t
from bot.services import guide as service
from bot.services.guide import STEPS
from core.types import Site
from handlers.link_views import format_date


def agreed(lang: str, key: str, site: Site, day: date | None) -> str:
    """A line naming a site's consent and, when the gateway knows it, its date."""
    name = raw(lang, f"guide.short.{site}")
    if day is None:
        return t(lang, f"{key}.undated", site=name)
    return t(lang, key, site=name, date=format_date(lang, day))


def step_text(lang: str, site: Site, step: int) -> str:
    header = t(
        lang,
        "guide.header",
        title=raw(lang, f"guide.title.{site}"),
        step=step,
        steps=STEPS,
        bar="●" * step + "○" * (STEPS - step),
    )
    what_to_do = t(lang, f"guide.step.{site}.{step}.do")
    what_you_see = t(lang, f"guide.step.{site}.{step}.see")
    return f"{header}\n\n👉 {what_to_do}\n\n👀 {what_you_see}"


def intro(lang: str, opening: service.Started) -> str:
    lines: list[str] = [t(lang, "guide.intro")]
    lines += [agreed(lang, "guide.skipped", s.site, s.agreed_on) for s in opening.skipped]
    if opening.offline:
        lines.append(t(lang, "guide.offline_at_start"))
    return "\n\n".join(lines)


def finished_text(lang: str, end: service.Finished) -> str:
    title = "guide.finished.vms_only" if end.missing_1365 else "guide.finished.title"
    lines: list[str] = [t(lang, title)]
    lines += [agreed(lang, "guide.skipped", s.site, s.agreed_on) for s in end.skipped]
    if end.missing_1365:
        lines.append(t(lang, "guide.finished.warn_1365"))
    if end.unconfirmed and not end.linked:
        lines.append(t(lang, "guide.finished.link_hint"))
    elif end.unconfirmed:
        lines.append(t(lang, "guide.finished.check_later"))
    lines.append(t(lang, "guide.next_send"))
    return "\n\n".join(lines)


def already_done_text(lang: str, done: service.AlreadyDone) -> str:
    lines: list[str] = [t(lang, "guide.already_done")]
    lines += [agreed(lang, "guide.agreed_line", s.site, s.agreed_on) for s in done.agreed]
    return "\n".join(lines) + "\n\n" + t(lang, "guide.next_send")


def site_closed_text(lang: str, outcome: service.Confirmed | service.SelfReported) -> str:
    if isinstance(outcome, service.Confirmed):
        return agreed(lang, "guide.confirmed", outcome.site, outcome.agreed_on)
    return t(lang, "guide.self_reported", site=raw(lang, f"guide.short.{outcome.site}"))


def topic_text(lang: str, site: Site, topic: service.Topic) -> str:
    # Account and menu questions differ by site; the others are the same wherever asked.
    key = f"guide.topic.{topic}.{site}" if topic in ("account", "menu") else f"guide.topic.{topic}"
    return t(lang, key)
