"""Plain questions and stray text: an answer with its next step, or a menu of questions.

Matching is bot/services/answers.py; the keywords and answers are catalog texts. Answer and
menu buttons (ans:<topic>, ans:menu) carry what they show, so they work on old messages too.
"""

from __future__ import annotations

from functools import cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import CATALOGS, Html, raw, t
from bot.services import answers
from core.types import LANGUAGES
from handlers import help_buttons, keyboards
from handlers.common import edit_in_place

# The questions the menu offers as buttons: the four a center hears most.
MENU_QUESTIONS: tuple[answers.Topic, ...] = (
    "when_visible",
    "send_failing",
    "neis",
    "consent_how",
)


@cache
def keyword_table(lang: str) -> answers.KeywordTable:
    return {
        topic: answers.parse_keywords(raw(lang, f"answers.keywords.{topic}"))
        for topic in answers.TOPICS
    }


def topic_of(lang: str, text: str) -> answers.Topic | None:
    """The user's own language first, then the other (a Korean client may write English)."""
    others = [code for code in LANGUAGES if code != lang]
    return answers.match(text, keyword_table(lang), *(keyword_table(c) for c in others))


def center_contact(context: BotContext, lang: str | None = None) -> Html:
    """How to reach the center: CENTER_CONTACT, or "ask your own center" when it is unset.

    `lang` is for a message to someone else than the sender of this update.
    """
    lang = lang or context.lang
    contact = context.services.settings.center_contact
    if contact:
        return t(lang, "contact.set", contact=contact)
    return t(lang, "contact.unset")


def center_rows(lang: str, *, ask: bool) -> list[list[InlineKeyboardButton]]:
    """Buttons under the center's contact details: write to the center's staff from here,
    only when a staff member can receive it (`ask`, from can_ask)."""
    return [[keyboards.ask_center_button(lang)]] if ask else []


async def can_ask(context: BotContext, user_id: int) -> bool:
    """Whether "센터에 질문 남기기" leads anywhere for this user: a staff member can get it.
    Read with the update's visit when it is this user's (no trip of its own to the store)."""
    visit = context.visit_of(user_id)
    if visit is not None:
        return visit.staff_reachable
    return await context.services.help_requests.can_ask(user_id)


def _more(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(raw(lang, "answers.button.more"), callback_data=help_buttons.MENU)]


def menu(lang: str, *, linked: bool) -> InlineKeyboardMarkup:
    """Questions people ask, then the next steps that make sense for this user."""
    rows = [
        [
            InlineKeyboardButton(
                raw(lang, f"answers.question.{q}"), callback_data=help_buttons.answer(q)
            )
        ]
        for q in MENU_QUESTIONS
    ]
    rows += keyboards.steps_keyboard(lang, answers.next_steps(None, linked=linked))
    return InlineKeyboardMarkup(rows)


def answer(
    context: BotContext, topic: answers.Topic | None, *, linked: bool, ask: bool
) -> tuple[Html, InlineKeyboardMarkup]:
    """The text and buttons for a topic; None (or a greeting) gets the menu."""
    lang = context.lang
    if topic is None or topic == "greeting":
        key = "answers.menu" if topic is None else "answers.greeting"
        return t(lang, key), menu(lang, linked=linked)
    if topic == "center":
        return center_contact(context), InlineKeyboardMarkup(
            [*center_rows(lang, ask=ask), _more(lang)]
        )
    rows = keyboards.steps_keyboard(lang, answers.next_steps(topic, linked=linked))
    key = f"answers.{topic}"
    if not linked and f"{key}.unlinked" in CATALOGS["ko"]:
        key += ".unlinked"  # its "check below" would point at a link button
    return t(lang, key), InlineKeyboardMarkup([*rows, _more(lang)])


async def linked(context: BotContext, user_id: int) -> bool:
    return await context.services.links.current(user_id) is not None


async def reply_to_text(update: Update, context: BotContext) -> None:
    """Answers a message no flow wanted: the matching answer, or the menu of questions."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    said = message.text or message.caption or ""
    topic = topic_of(context.lang, said) if said else None
    text, markup = answer(
        context, topic, linked=await linked(context, user.id), ask=await can_ask(context, user.id)
    )
    await message.reply_text(text, reply_markup=markup)


async def answer_in_flow(
    update: Update, context: BotContext, topic: answers.Topic, hint_key: str
) -> None:
    """A plain question typed during a flow: its answer, and the flow stays open where it was
    (`hint_key` says how to go on above)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    text, markup = answer(
        context, topic, linked=await linked(context, user.id), ask=await can_ask(context, user.id)
    )
    text = Html(text + "\n\n" + t(context.lang, hint_key))
    await message.reply_text(text, reply_markup=markup)


async def press(update: Update, context: BotContext) -> None:
    """A question or "other questions" button: shows that answer on the same message."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    await query.answer()
    pressed = help_buttons.parse(query.data)
    assert pressed is not None and not pressed.ask  # the pattern admits answers only
    topic = pressed.topic
    text, markup = answer(
        context, topic, linked=await linked(context, user.id), ask=await can_ask(context, user.id)
    )  # type: ignore[arg-type]
    await edit_in_place(context, query, text, markup)


def handlers() -> list[CallbackQueryHandler[BotContext, None]]:
    return [CallbackQueryHandler(press, pattern=help_buttons.ANSWER_PATTERN)]
