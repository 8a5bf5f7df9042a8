"""How the consent guide reads: step texts, intros, endings, consent lines."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardMarkup

from bot.i18n import raw, t
from bot.services import guide as service
from bot.services.guide import STEPS
from bot.services.status import Failed
from core.types import Site
from handlers import guide_keyboards as kb
from handlers.link_views import format_date


def consent_name(lang: str, site: Site) -> str:
    """The consent as the site labels it: "1365 정보제공 동의", "VMS 연계 동의"."""
    return raw(lang, f"guide.consent.{site}")


def agreed(lang: str, key: str, site: Site, day: date | None) -> str:
    """A line naming a site's consent and, when the gateway knows it, its date."""
    name = consent_name(lang, site)
    if day is None:
        return t(lang, f"{key}.undated", consent=name)
    return t(lang, key, consent=name, date=format_date(lang, day))


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


def intro(lang: str, opening: service.Started, *, guide_mode: bool = False) -> str:
    lines: list[str] = [t(lang, "guide.intro")]
    if opening.said_done:
        lines.append(t(lang, _mode_key("guide.said_done", guide_mode)))
    lines += [agreed(lang, "guide.skipped", s.site, s.agreed_on) for s in opening.skipped]
    if opening.void_1365 is not None:
        # The gateway shows a 1365 consent, yet the guide starts at 1365 step 1: say why.
        known = opening.void_1365 == "not_found"
        lines.append(t(lang, "guide.void_1365.not_found" if known else "guide.void_1365.other"))
    if opening.offline:
        lines.append(t(lang, "guide.offline_at_start"))
    return "\n\n".join(lines)


def needs_reset(failed: Failed | None) -> bool:
    """Records failed on a changed resident number: the 1365 consent must be reset and given
    again (the seed's fix), however fine both consents look at the gateway."""
    return failed is not None and failed.top_reason == "identity_mismatch"


def _next_step(lang: str, failed: Failed | None, *, reset: bool) -> list[str]:
    """What to do after the consents, for a linked volunteer: send, or send the failed again."""
    if reset and failed is not None:
        return [
            t(lang, "guide.identity.failed", count=failed.resendable),
            t(lang, "guide.topic.rrn"),
            t(lang, "guide.identity.then_resend"),
        ]
    if failed is not None and failed.resendable:
        return [
            t(lang, "guide.resend_failed", count=failed.resendable),
            t(lang, "guide.when_visible"),
        ]
    return [t(lang, "guide.next_send"), t(lang, "guide.when_visible")]


def _mode_key(key: str, guide_mode: bool) -> str:
    """Guide mode (no gateway) has its own wording where the text would offer /link."""
    return f"{key}.guide_mode" if guide_mode else key


def finished_text(lang: str, end: service.Finished, *, guide_mode: bool = False) -> str:
    # A site found done on the way comes first, then the verdict: the messages read in order.
    lines = [agreed(lang, "guide.skipped", s.site, s.agreed_on) for s in end.skipped]
    title = "guide.finished.vms_only" if end.missing_1365 else "guide.finished.title"
    if not end.missing_1365 and end.unconfirmed:
        # Known only from the volunteer's taps: their word, never a verified "🎉 done".
        title = "guide.finished.self_reported"
    lines.append(t(lang, title))
    if end.missing_1365:
        lines.append(t(lang, "guide.finished.warn_1365"))
        return "\n\n".join(lines)  # sending now would fail: the button leads to 1365
    if not end.linked:
        hint = t(lang, _mode_key("guide.finished.link_hint", guide_mode))
        lines += [hint, t(lang, "guide.next_send.unlinked")]
        return "\n\n".join(lines)
    if end.unconfirmed:
        lines.append(t(lang, "guide.finished.check_later"))
    # Consent was just given here: failures from before (a reset included) are sent again.
    lines += _next_step(lang, end.failed, reset=False)
    return "\n\n".join(lines)


def finished_keyboard(
    lang: str, end: service.Finished, *, guide_mode: bool = False
) -> InlineKeyboardMarkup:
    if guide_mode and not end.missing_1365:
        return kb.guide_mode_end_keyboard(lang)  # /send leads through sending on VMS
    return kb.end_keyboard(
        lang, linked=end.linked, failed=end.failed, missing_1365=end.missing_1365
    )


def already_done_text(lang: str, done: service.AlreadyDone) -> str:
    reset = needs_reset(done.failed)
    # With an identity mismatch the consents are there but no longer work: no green verdict.
    title = "guide.already_done.identity" if reset else "guide.already_done"
    lines: list[str] = [t(lang, title)]
    lines += [agreed(lang, "guide.agreed_line", s.site, s.agreed_on) for s in done.agreed]
    next_step = _next_step(lang, done.failed, reset=reset)
    return "\n".join(lines) + "\n\n" + "\n\n".join(next_step)


def already_done_keyboard(lang: str, done: service.AlreadyDone) -> InlineKeyboardMarkup:
    return kb.end_keyboard(lang, linked=True, failed=done.failed, reset=needs_reset(done.failed))


def site_closed_text(
    lang: str, outcome: service.Confirmed | service.SelfReported, *, guide_mode: bool = False
) -> str:
    if isinstance(outcome, service.Confirmed):
        return agreed(lang, "guide.confirmed", outcome.site, outcome.agreed_on)
    key = _mode_key("guide.self_reported", guide_mode)
    return t(lang, key, consent=consent_name(lang, outcome.site))


def topic_text(lang: str, site: Site, topic: service.Topic) -> str:
    # Account and menu questions differ by site; the others are the same wherever asked.
    key = f"guide.topic.{topic}.{site}" if topic in ("account", "menu") else f"guide.topic.{topic}"
    return t(lang, key)
