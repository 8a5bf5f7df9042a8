"""The guide's callback data: short ASCII, parsed back exactly, and nothing else accepted."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from bot.services.guide import STEPS, TOPICS
from bot.services.status import Failed
from core.types import LANGUAGES
from handlers import guide_keyboards as kb
from handlers.help_buttons import ASK as ASK_CENTER

TOKEN = "0a1b2c"


def every_press() -> list[kb.Press]:
    presses = [kb.Press(TOKEN, "resume"), kb.Press(TOKEN, "restart")]
    for site in ("1365", "vms"):
        presses += [kb.Press(TOKEN, "done", site), kb.Press(TOKEN, "next", site)]
        for step in range(1, STEPS + 1):
            presses += [kb.Press(TOKEN, a, site, step) for a in ("go", "stuck", "center")]
            presses += [kb.Press(TOKEN, "help", site, step, topic) for topic in TOPICS]
    return presses  # type: ignore[return-value]


def test_every_press_round_trips_in_at_most_64_ascii_bytes() -> None:
    for press in every_press():
        data = kb.data(press.token, press.action, press.site, press.step, press.topic)
        assert data.isascii() and len(data.encode()) <= 64
        assert kb.parse(data) == press


def test_every_keyboard_carries_only_guide_data_a_site_url_or_the_ask_center_button() -> None:
    markups = []
    for lang, site in itertools.product(LANGUAGES, ("1365", "vms")):
        markups += [kb.step_keyboard(lang, TOKEN, site, step) for step in range(1, STEPS + 1)]  # type: ignore[arg-type]
        markups += [
            kb.not_visible_keyboard(lang, TOKEN, site),  # type: ignore[arg-type]
            kb.offline_keyboard(lang, TOKEN, site),  # type: ignore[arg-type]
            kb.stuck_menu(lang, TOKEN, site, 3),  # type: ignore[arg-type]
            kb.answer_keyboard(lang, TOKEN, site, 3),  # type: ignore[arg-type]
            kb.resume_keyboard(lang, TOKEN, site, 3),  # type: ignore[arg-type]
        ]
    for markup in markups:
        for button in itertools.chain.from_iterable(markup.inline_keyboard):
            if button.url is not None:
                assert button.url in ("https://www.1365.go.kr", "https://www.vms.or.kr")
            elif button.callback_data == ASK_CENTER:
                continue  # the help-request flow's entry, answered by the flow router
            else:
                assert button.callback_data is not None
                assert kb.parse(str(button.callback_data)) is not None


def test_step_keyboard_buttons() -> None:
    """Only the last step records a consent, and its button says which; VMS 1 leads back."""

    def texts(lang: str, site: str, step: int) -> list[str]:
        markup = kb.step_keyboard(lang, TOKEN, site, step)  # type: ignore[arg-type]
        return [b.text for row in markup.inline_keyboard for b in row]

    assert texts("ko", "1365", 1) == ["다음 ▶", "😥 막혔어요", "🌐 1365 열기"]
    assert texts("ko", "1365", 2) == ["◀ 이전", "다음 ▶", "😥 막혔어요", "🌐 1365 열기"]
    assert texts("en", "vms", 3) == ["◀ Back", "Next ▶", "😥 I'm stuck", "🌐 Open VMS"]
    assert texts("ko", "1365", 5) == [
        "◀ 이전",
        "✅ 1365 정보제공 동의를 마쳤어요",
        "😥 막혔어요",
        "🌐 1365 열기",
    ]
    assert texts("ko", "vms", 5) == [
        "◀ 이전",
        "✅ VMS 연계 동의를 마쳤어요",
        "😥 막혔어요",
        "🌐 VMS 열기",
    ]
    assert texts("ko", "vms", 1) == ["◀ 1365 단계로", "다음 ▶", "😥 막혔어요", "🌐 VMS 열기"]
    back = kb.step_keyboard("ko", TOKEN, "vms", 1).inline_keyboard[0][0]
    assert back.callback_data == "g:0a1b2c:go:1365:5"
    for lang, site, step in itertools.product(LANGUAGES, ("1365", "vms"), range(1, STEPS)):
        done = f"g:{TOKEN}:done:{site}"
        markup = kb.step_keyboard(lang, TOKEN, site, step)  # type: ignore[arg-type]
        assert done not in [b.callback_data for row in markup.inline_keyboard for b in row]


def test_end_keyboards_lead_to_the_next_step() -> None:
    """The guide's last message never ends in a dead end: send, link, or back to 1365."""

    def layout(markup: object) -> list[tuple[str, object]]:
        return [
            (b.text, b.callback_data or b.url)
            for row in markup.inline_keyboard  # type: ignore[attr-defined]
            for b in row
        ]

    assert layout(kb.end_keyboard("ko", linked=False, failed=None)) == [
        ("🔗 VMS 계정 연결", "menu:link")
    ]
    assert layout(kb.end_keyboard("ko", linked=True, failed=None)) == [
        ("📤 1365로 실적 보내기", "send:start"),
        ("📊 연계 현황 보기", "st:open"),
    ]
    failed = Failed(resendable=3, top_reason="consent_1365_missing")
    assert layout(kb.end_keyboard("ko", linked=True, failed=failed))[0] == (
        "📤 실패한 실적 다시 보내기",
        "send:failed",  # the failed ones only, as the label says (not the unsent too)
    )
    assert layout(kb.end_keyboard("ko", linked=True, failed=None, missing_1365=True)) == [
        ("📋 1365 정보제공 동의 방법 보기", "st:guide:1365")
    ]


def test_the_target_step_is_in_the_data() -> None:
    markup = kb.step_keyboard("ko", TOKEN, "vms", 3)
    assert [b.callback_data for b in markup.inline_keyboard[0]] == [
        "g:0a1b2c:go:vms:2",
        "g:0a1b2c:go:vms:4",
    ]


def _encoded(press: kb.Press) -> str:
    return kb.data(press.token, press.action, press.site, press.step, press.topic)


@st.composite
def near_guide_data(draw: st.DrawFn) -> str:
    """Real guide data with one character inserted, deleted or replaced (sometimes none)."""
    value = _encoded(draw(st.sampled_from(every_press())))
    at = draw(st.integers(0, len(value)))
    edit = draw(st.sampled_from(["keep", "insert", "delete", "replace"]))
    char = draw(st.sampled_from("0123456789abcdefgvmsAZ:\n -"))
    if edit == "insert":
        return value[:at] + char + value[at:]
    if edit == "delete":
        return value[:at] + value[at + 1 :]
    if edit == "replace":
        return value[:at] + char + value[at + 1 :]
    return value


@given(near_guide_data())
def test_data_is_parsed_only_when_it_is_exactly_guide_data(value: str) -> None:
    # Unlike random text, these strings parse often (a replaced hex digit is another valid
    # token), so both branches run: what parses must encode back to exactly the same bytes.
    press = kb.parse(value)
    if press is not None:
        assert _encoded(press) == value
    else:
        assert value not in {_encoded(p) for p in every_press_with_token(value[2:8])}


def every_press_with_token(token: str) -> list[kb.Press]:
    return [
        kb.Press(token, p.action, p.site, p.step, p.topic)
        for p in every_press()
        if len(token) == 6 and all(c in "0123456789abcdef" for c in token)
    ]


def test_near_misses_are_refused() -> None:
    for value in (
        "g:0a1b2c:go:1365:6",
        "g:0a1b2c:go:1365:0",
        "g:0A1B2C:go:1365:1",
        "g:0a1b2:go:1365:1",
        "g:0a1b2c:go:naver:1",
        "g:0a1b2c:help:1365:1:other",
        "g:0a1b2c:done:1365:1",
        "g:0a1b2c:resume:",
        "g:0a1b2c:go:1365:1\n",
        "menu:howto",
    ):
        assert kb.parse(value) is None, value
