"""Plain questions ("봉사시간 언제 들어와요?") matched to a topic by keywords; no language model.

The keywords live in the catalogs (`answers.keywords.<topic>`, one list per language), so a
center can tune them with the texts; this module only matches. A keyword is a word to find
anywhere in the message, spaces ignored ("안 돼요" and "안돼요" are the same to a volunteer);
"a+b" needs both parts. The topic with the most keywords found wins; on a tie, the one listed
first in TOPICS (the specific before the general: NEIS before "when does it show").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Literal, get_args

Topic = Literal[
    "neis",
    "rrn_changed",
    "dormant",
    "send_failing",
    "when_visible",
    "consent_how",
    "send_how",
    "status",
    "forgot_id",  # before link_how: "아이디를 모르겠어요" is not "how do I link"
    "link_how",
    "center",
    "thanks",
    "greeting",
]
TOPICS: tuple[Topic, ...] = get_args(Topic)

# What a volunteer can do next from an answer; handlers turn each into a button.
Step = Literal["guide", "status", "send", "link", "open_1365", "open_vms", "center"]

_NEXT: dict[Topic, tuple[Step, ...]] = {
    "neis": ("status",),
    "rrn_changed": ("open_1365", "center"),
    "dormant": ("open_1365", "guide"),
    "send_failing": ("status", "guide", "center"),
    "when_visible": ("status", "send"),
    "consent_how": ("guide",),
    "send_how": ("send", "status"),
    "status": ("status", "send"),
    "forgot_id": ("open_vms", "link"),
    "link_how": ("link",),
    "center": (),
    "thanks": (),
    "greeting": (),
}
# Steps that only mean something with a linked VMS account; without one, linking comes first.
_NEEDS_LINK: frozenset[Step] = frozenset({"status", "send"})

# Whitespace and the punctuation people end questions with; kept out of both sides of a match.
_NOISE = re.compile(r"[\s?!.,~…·'\"“”‘’()]+")


def normalise(text: str) -> str:
    """Lower case, full-width folded (NFKC), without spaces or question marks."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


def parse_keywords(listed: str) -> tuple[tuple[str, ...], ...]:
    """ "언제|전송+안" → (("언제",), ("전송", "안")): alternatives, each needing all its parts."""
    found = []
    for alternative in listed.split("|"):
        parts = tuple(p for p in (normalise(x) for x in alternative.split("+")) if p)
        if parts:
            found.append(parts)
    return tuple(found)


KeywordTable = Mapping[Topic, tuple[tuple[str, ...], ...]]


def _score(text: str, keywords: Iterable[tuple[str, ...]]) -> int:
    return sum(1 for parts in keywords if all(part in text for part in parts))


def match(text: str, *tables: KeywordTable) -> Topic | None:
    """The topic the message asks about, or None; tables are tried in order (own language first)."""
    said = normalise(text)
    if not said:
        return None
    for table in tables:
        best: Topic | None = None
        best_score = 0
        for topic in TOPICS:
            score = _score(said, table.get(topic, ()))
            if score > best_score:  # strictly more: a tie keeps the topic listed first
                best, best_score = topic, score
        if best is not None:
            return best
    return None


def next_steps(topic: Topic | None, *, linked: bool) -> tuple[Step, ...]:
    """The buttons under an answer: without a link, /status and /send give way to /link."""
    steps = _NEXT[topic] if topic is not None else ("guide", "status", "center")
    if linked:
        return steps
    shown: list[Step] = []
    for step in steps:
        step = "link" if step in _NEEDS_LINK else step
        if step not in shown:
            shown.append(step)
    return tuple(shown)
