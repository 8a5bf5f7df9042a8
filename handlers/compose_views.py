"""What /broadcast and /remind share: the audience picker, the text checks, the preview."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from telegram import InlineKeyboardButton, Message, MessageEntity, Update
from telegram.error import BadRequest

from bot.context import BotContext
from bot.i18n import CATALOGS, Html, raw, t
from bot.services.broadcasts import AudienceCount, Freshness, Segment
from bot.services.composer import MAX_TEXT_UTF16, Problem
from bot.services.flows import Flow
from core.types import LANGUAGES, Lang
from handlers.flows import flow_button
from handlers.formats import when

# Formatting a staff member applied with the Telegram client (not typed as tags). Links and
# mentions the client detects by itself are not formatting: they come out the same anyway.
_FORMATTING = {
    MessageEntity.BOLD,
    MessageEntity.ITALIC,
    MessageEntity.UNDERLINE,
    MessageEntity.STRIKETHROUGH,
    MessageEntity.SPOILER,
    MessageEntity.CODE,
    MessageEntity.PRE,
    MessageEntity.TEXT_LINK,
    MessageEntity.BLOCKQUOTE,
    MessageEntity.EXPANDABLE_BLOCKQUOTE,
    MessageEntity.CUSTOM_EMOJI,
}


def written_html(message: Message) -> str:
    """The HTML a staff member meant: tags they typed, or the formatting their client applied.

    Typed tags arrive as plain text and are read as HTML. Formatting made with the client's
    own bold/italic arrives as entities; then the message is turned into HTML by PTB (which
    escapes any literal "<" in it), since the writer did not type tags.
    """
    if any(e.type in _FORMATTING for e in message.entities):
        return message.text_html
    return message.text or ""


def language_label(lang: str, language: Lang | None) -> str:
    return raw(lang, f"bc.language.{language or 'any'}")


def next_language(language: Lang | None) -> Lang | None:
    """All languages → Korean only → English only → all languages."""
    cycle: list[Lang | None] = [None, *LANGUAGES]
    return cycle[(cycle.index(language) + 1) % len(cycle)]


def audience_notes(lang: str, blocked: int, notices_off: int, *, reminder: bool) -> Html:
    """ " (봇을 차단한 2명은 빠져요, …)" beside a count: who is left out or let in, never a 0."""
    notes: list[str] = []
    if blocked:
        notes.append(raw(lang, "bc.note.blocked", count=blocked))
    if notices_off:
        key = "bc.note.notices_off_left_out" if reminder else "bc.note.notices_off_included"
        notes.append(raw(lang, key, count=notices_off))
    if not notes:
        return Html("")
    return t(lang, "bc.notes", notes=raw(lang, "bc.note.separator").join(notes))


def segment_name(lang: str, segment: Segment, guide: bool, *, short: bool = False) -> str:
    """A segment's name; in guide mode the ones counted from the volunteers' own word say so."""
    kind = "segment_short" if short else "segment"
    key = f"bc.{kind}.guide.{segment}"
    return raw(lang, key if guide and key in CATALOGS["ko"] else f"bc.{kind}.{segment}")


def freshness_line(lang: str, fresh: Freshness | None, now: datetime, tz: tzinfo) -> Html:
    """How fresh the counts are: "… 기준" (None: guide mode, the volunteers' own word)."""
    if fresh is None:
        return t(lang, "bc.fresh.guide")
    if fresh.oldest is None:
        return Html("")
    line = t(lang, "bc.fresh", when=when(lang, fresh.oldest, now, tz))
    if fresh.unknown:
        line = Html(line + " " + t(lang, "bc.fresh.unknown", count=fresh.unknown))
    return line


# Segments counted from what the bot learned of each volunteer (or their word, in guide mode).
FACT_SEGMENTS: tuple[Segment, ...] = ("consent_incomplete", "unsent_or_failed", "never_sent")


async def fresh_note(context: BotContext) -> Html:
    """The freshness line under counts, for this bot's mode."""
    broadcasts = context.services.broadcasts
    fresh = None if broadcasts.self_reported else await broadcasts.freshness()
    return freshness_line(
        context.lang, fresh, context.services.clock.now(), context.services.settings.tz
    )


def with_note(text: Html, note: Html) -> Html:
    return Html(text + "\n\n" + note) if note else text


def segment_of(context: BotContext, segment: Segment, *, short: bool = False) -> str:
    return segment_name(
        context.lang, segment, context.services.broadcasts.self_reported, short=short
    )


def audience_lines(
    lang: str, counts: Mapping[Segment, AudienceCount], reminder: bool, *, guide: bool = False
) -> Html:
    lines = [
        t(
            lang,
            "bc.line",
            segment=segment_name(lang, s, guide),
            recipients=c.recipients,
            notes=audience_notes(lang, c.blocked, c.notices_off, reminder=reminder),
        )
        for s, c in counts.items()
    ]
    return Html("\n".join(lines))


def picked_segment(context: BotContext, argument: str) -> Segment | None:
    """The segment a `seg:<segment>` button names, if staff may pick it in this bot's mode."""
    return next((s for s in context.services.broadcasts.segments if s == argument), None)


def segment_buttons(
    lang: str, flow: Flow[Any], counts: Mapping[Segment, AudienceCount], *, guide: bool = False
) -> list[list[InlineKeyboardButton]]:
    """One button per segment, its live count on it; action `seg:<segment>`."""
    return [
        [
            flow_button(
                flow,
                raw(
                    lang,
                    "bc.button.segment",
                    segment=segment_name(lang, s, guide, short=True),
                    count=counts[s].recipients,
                ),
                f"seg:{s}",
            )
        ]
        for s in counts
    ]


def problem_text(lang: str, problem: Problem) -> Html:
    why = t(
        lang,
        f"compose.problem.{problem.reason}",
        tag=problem.tag or "",
        length=problem.length or 0,
        limit=MAX_TEXT_UTF16,
    )
    where = (
        t(lang, "compose.where", position=problem.position) if problem.position is not None else ""
    )
    return t(lang, "compose.problem", why=why, where=Html(where))


async def send_preview(
    update: Update, context: BotContext, text_ko: str, text_en: str | None
) -> str | None:
    """Sends each text as recipients will get it (HTML, as is); Telegram's refusal or None.

    The composer's checks follow Telegram's rules, so a refusal here is rare; it is shown to
    the writer like any other problem, and nothing is launched.
    """
    chat = update.effective_chat
    assert chat is not None
    lang = context.lang
    await context.bot.send_message(chat.id, t(lang, "compose.preview"))
    texts: list[tuple[str, str]] = [("ko" if text_en else "all", text_ko)]
    if text_en:
        texts.append(("en", text_en))
    for audience, text in texts:
        label = raw(lang, f"compose.for.{audience}")
        await context.bot.send_message(chat.id, t(lang, "compose.preview_for", language=label))
        try:
            await context.bot.send_message(chat.id, text)
        except BadRequest as exc:
            return exc.message
    return None


def texts_note(lang: str, text_en: str | None) -> str:
    return raw(lang, "bc.confirm.two_texts" if text_en else "bc.confirm.one_text")
