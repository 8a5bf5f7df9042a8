"""The HTML parser on its own: properties over arbitrary text, and edge cases."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.botapi.html_entities import EntityParseError, parse_html, utf16_len

any_text = st.text(st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_escaped_text_round_trips_without_entities(text: str) -> None:
    parsed = parse_html(html.escape(text))
    assert (parsed.text, parsed.entities) == (text, [])


@settings(max_examples=200, deadline=None)
@given(any_text, any_text.filter(bool), any_text)
def test_entity_offsets_count_utf16_units(before: str, inside: str, after: str) -> None:
    source = f"{html.escape(before)}<b>{html.escape(inside)}</b>{html.escape(after)}"
    parsed = parse_html(source)
    assert parsed.text == before + inside + after
    assert parsed.entities == [
        {"offset": utf16_len(before), "length": utf16_len(inside), "type": "bold"}
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_arbitrary_input_parses_or_fails_cleanly(source: str) -> None:
    try:
        parsed = parse_html(source)
    except EntityParseError:
        return
    size = utf16_len(parsed.text)
    assert all(0 <= e["offset"] < e["offset"] + e["length"] <= size for e in parsed.entities)


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_len("가😀a") == 4


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("<B>x</B>", "x", [{"offset": 0, "length": 1, "type": "bold"}]),
        ("<b>a</b><b>b</b>", "ab", [{"offset": 0, "length": 2, "type": "bold"}]),
        ("<b></b>x", "x", []),
        (
            "<a href='https://a.kr/?x=1&y=2'>l</a>",
            "l",
            [{"offset": 0, "length": 1, "type": "text_link", "url": "https://a.kr/?x=1&y=2"}],
        ),
        (
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            "👍",
            [
                {
                    "offset": 0,
                    "length": 2,
                    "type": "custom_emoji",
                    "custom_emoji_id": "5368324170671202286",
                }
            ],
        ),
        ("<pre>p</pre>", "p", [{"offset": 0, "length": 1, "type": "pre"}]),
        (
            "<u>u</u><s>s</s>",
            "us",
            [
                {"offset": 0, "length": 1, "type": "underline"},
                {"offset": 1, "length": 1, "type": "strikethrough"},
            ],
        ),
    ],
)
def test_accepted_markup(source: str, text: str, entities: list[dict[str, object]]) -> None:
    parsed = parse_html(source)
    assert (parsed.text, parsed.entities) == (text, entities)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("<b =x>y</b>", 'Empty attribute name in the tag "b" at byte offset 0'),
        ("&#0;", "Unsupported HTML entity at byte offset 0"),
        ("&#xD800;", "Unsupported HTML entity at byte offset 0"),
    ],
)
def test_rejected_markup(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value) == message
