"""The console's one line about due work: what a pass ran, or that nothing was due and what
comes next. Pure text from the poller's report and the store's items."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import tzinfo

from bot.background.poller import RunReport
from sandbox.console_texts import TEXTS, kind_name, when
from store.due_work import DueItem

NEXT_DUE_SHOWN = 3


def ran_ids(report: RunReport) -> list[int]:
    """Items the pass ran. Superseded ones count: an item that rescheduled itself while it
    ran (the daily notice does) cannot complete its old revision, yet it ran; in the
    one-process demo no other worker takes a lease."""
    return report.done + report.superseded


def summary(
    lang: str,
    tz: tzinfo,
    report: RunReport,
    kinds: Mapping[int, str],
    waiting: Iterable[DueItem],
) -> str:
    texts = TEXTS[lang]
    ran = ran_ids(report)
    if not (ran or report.retried or report.given_up):
        return texts["due_none"] + _next_due(lang, tz, waiting)
    counted = Counter(kind_name(lang, kinds.get(i, "")) for i in ran)
    items = ", ".join(
        texts["due_item"].format(kind=kind, count=count) for kind, count in counted.items()
    )
    line = texts["due_ran"].format(items=items or "-")
    if report.retried:
        line += texts["due_retry"].format(count=len(report.retried))
    if report.given_up:
        line += texts["due_given_up"].format(count=len(report.given_up))
    return line


def _next_due(lang: str, tz: tzinfo, waiting: Iterable[DueItem]) -> str:
    """The soonest waiting item of each kind, a few at most ("" when none waits)."""
    soonest: dict[str, str] = {}
    for item in waiting:  # soonest first, as the store lists them
        if item.given_up_at is None and item.kind not in soonest:
            soonest[item.kind] = TEXTS[lang]["due_next_item"].format(
                kind=kind_name(lang, item.kind), when=when(lang, item.next_try_at, tz)
            )
    if not soonest:
        return ""
    return TEXTS[lang]["due_next"].format(items=", ".join(list(soonest.values())[:NEXT_DUE_SHOWN]))
