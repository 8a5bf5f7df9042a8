"""The composer's checks, by the same parser the sandbox Bot API applies to every message."""

from __future__ import annotations

import pytest

from bot.i18n import t
from bot.services.composer import Problem, check
from core.telegram_html import EntityParseError, parse_html
from handlers.compose_views import problem_text


@pytest.mark.parametrize(
    ("text", "reason", "tag"),
    [
        ("<b>x", "unclosed", "b"),
        ("<b><i>x</b></i>", "mismatch", "i"),
        ("x</b>", "unopened", None),
        ("<font>x</font>", "tag", "font"),
        ("a & b", "amp", None),
        ("a > b", "gt", None),
        ("a < b", "lt", ""),
        ("&nbsp;", "entity", None),
        ('<span class="x">x</span>', "span", "span"),
        ("<a>x</a>", "href", "a"),
        ('<tg-emoji emoji-id="x">🙂</tg-emoji>', "emoji", "tg-emoji"),
        ("<b x>y</b>", "syntax", None),
        ("<b></b>  ", "empty", None),
    ],
)
def test_each_rule_is_named_so_staff_read_what_to_fix(
    text: str, reason: str, tag: str | None
) -> None:
    problem = check(text)
    assert problem is not None and problem.reason == reason
    assert problem.tag == tag or reason in ("lt", "empty")
    # The same text is refused by the parser the sandbox Bot API uses (empty aside: the
    # sandbox refuses an empty message itself).
    if reason != "empty":
        with pytest.raises(EntityParseError):
            parse_html(text)
    assert "{" not in problem_text("ko", problem) and "{" not in problem_text("en", problem)


def test_telegram_html_that_is_allowed_passes() -> None:
    ok = (
        "<b>굵게</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins> <s>s</s>"
        ' <strike>k</strike> <del>d</del> <span class="tg-spoiler">비밀</span>'
        ' <tg-spoiler>t</tg-spoiler> <a href="https://www.1365.go.kr/?a=1&b=2">링크</a>'
        ' <code>c</code> <pre><code class="language-python">p</code></pre>'
        " <blockquote>q</blockquote> &lt;&gt;&amp;&quot; &#127881;"
        ' <tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert check(ok) is None


def test_the_limit_is_counted_after_the_tags_are_gone_in_utf16_units() -> None:
    assert check("<b>" + "가" * 4096 + "</b>") is None
    assert check("가" * 4097) == Problem("too_long", length=4097)
    # An emoji outside the BMP is two UTF-16 units, as Telegram counts.
    assert check("🎉" * 2048) is None
    problem = check("🎉" * 2049)
    assert problem is not None and problem.length == 4098
    assert "4098자" in problem_text("ko", problem)


def test_the_position_points_at_the_character_in_what_staff_wrote() -> None:
    problem = check("안녕 <blink>")
    assert problem is not None and problem.position == 4
    assert problem_text("ko", problem).startswith("이 글은 보낼 수 없어요. ")
    assert t("ko", "compose.where", position=4) in problem_text("ko", problem)
