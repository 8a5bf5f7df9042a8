"""A volunteer's first minutes with the bot: /start, deep links, /help, /lang, stray input."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox
from store.users import UserRepository
from tests.journey import User


def users_repo(bot: BotRuntime) -> UserRepository:
    return UserRepository(bot.app.bot_data.backend.db)  # type: ignore[union-attr]


async def test_new_korean_user_gets_greeting_and_menu(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001, first_name="민지")
    seen = await minji.send("/start")
    assert len(seen.new) == 1
    assert "안녕하세요, 민지님!" in seen.text
    assert "두 사이트 모두에서 연계 동의" in seen.text
    assert seen.new[0].buttons == [
        "📋 연계 방법 안내",
        "🔗 VMS 계정 연결",
        "❓ 도움말",
        "⚙️ 설정",
        "🌐 언어 / Language",
    ]
    stored = await users_repo(bot).get(1001)
    assert stored is not None and stored.language == "ko" and not stored.language_chosen


async def test_english_client_is_answered_in_english(user: Callable[..., User]) -> None:
    tom = user(1002, first_name="Tom", language_code="en-GB")
    seen = await tom.send("/start")
    assert "Hello, Tom!" in seen.text
    assert seen.new[0].buttons[:3] == ["📋 How to link", "🔗 Link my VMS account", "❓ Help"]


async def test_other_client_languages_default_to_korean(user: Callable[..., User]) -> None:
    seen = await user(1003, first_name="Yuki", language_code="ja").send("/start")
    assert "안녕하세요" in seen.text


async def test_names_with_markup_are_escaped(user: Callable[..., User]) -> None:
    seen = await user(1004, first_name="<b>민&지</b>").send("/start")
    assert (
        "안녕하세요, <b>민&지</b>님!" in seen.text
    )  # shown literally, and the sandbox accepted the HTML


async def test_deep_links(user: Callable[..., User]) -> None:
    minji = user(1001)
    assert "이렇게 쓰시면 돼요" in (await minji.send("/start help")).text
    assert "사용할 언어를 골라 주세요" in (await minji.send("/start lang")).text
    seen = await minji.send("/start no-such-thing")
    assert "링크에 담긴 안내를 찾지 못해" in seen.text and "안녕하세요" in seen.text


async def test_help_lists_commands_and_warns_about_resident_numbers(
    user: Callable[..., User],
) -> None:
    seen = await user(1001).send("/help")
    for command in ("/start", "/help", "/settings", "/lang", "/cancel"):
        assert command in seen.text
    assert "주민등록번호는 절대 보내지 마세요" in seen.text


async def test_start_menu_buttons(user: Callable[..., User]) -> None:
    minji = user(1001)
    await minji.send("/start")
    seen = await minji.click("❓ 도움말")
    assert "이렇게 쓰시면 돼요" in seen.text
    seen = await minji.click("🌐 언어 / Language")
    assert seen.new[-1].buttons == ["한국어", "English"]


async def test_switch_language_to_english_and_back(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/lang")
    seen = await minji.click("English")
    assert seen.edited and "in English from now on" in seen.text
    assert "How to use me" in (await minji.send("/help")).text
    stored = await users_repo(bot).get(1001)
    assert stored is not None and stored.language == "en" and stored.language_chosen
    # An explicit choice outranks the Telegram client's language from now on.
    await minji.send("/lang")
    seen = await minji.click("한국어")
    assert "한국어로 안내해 드릴게요" in seen.text


async def test_pressing_a_language_twice_fast_is_not_an_error(user: Callable[..., User]) -> None:
    minji = user(1001)
    await minji.send("/lang")
    picker = minji.message_with_button("English")
    await minji.click_data(picker.message_id, "lang:en")
    seen = await minji.click_data(picker.message_id, "lang:en")
    assert seen.edited == []  # nothing to change; no "message is not modified" reached Telegram


async def test_unknown_command_and_stray_text_get_a_hint(user: Callable[..., User]) -> None:
    minji = user(1001)
    seen = await minji.send("/frobnicate now")
    assert "/frobnicate는 제가 모르는 명령이에요" in seen.text
    seen = await minji.send("오늘 날씨 좋네요")
    assert "무엇을 도와드릴까요?" in seen.text and "알아듣지 못했어요" not in seen.text
    assert seen.new[0].buttons  # never "use the buttons below" under a message without any


async def test_cancel_with_nothing_in_progress(user: Callable[..., User]) -> None:
    seen = await user(1001).send("/cancel")
    assert "진행 중인 일이 없어요" in seen.text


async def test_forged_and_stale_buttons_get_a_polite_answer(user: Callable[..., User]) -> None:
    minji = user(1001)
    await minji.send("/start")
    menu = minji.last
    for data in ("evil:payload", "lang:xx", "set:rem_off", "menu:help;drop table", "💥"):
        seen = await minji.click_data(menu.message_id, data)
        assert seen.toast is not None and "더 이상 쓸 수 없어요" in seen.toast["text"]
        assert seen.new == [] and seen.edited == []


async def test_command_menu_is_published_in_korean_and_english(
    sandbox: BotApiSandbox, bot: BotRuntime
) -> None:
    published = {
        key: [c["command"] for c in commands] for key, commands in sandbox.commands.items()
    }
    for commands in published.values():
        assert commands[:2] == ["start", "help"]
        assert {"link", "settings", "lang", "privacy", "forget", "cancel"} <= set(commands)
    by_language = {key[1]: commands for key, commands in sandbox.commands.items()}
    assert by_language[""][0]["description"] == "처음 화면"
    assert by_language["en"][0]["description"] == "Start menu"
