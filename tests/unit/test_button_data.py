"""Every feature's callback data has one home that builds and parses it (handlers/*_buttons.py,
handlers/guide_keyboards.py for the guide, handlers/flows.py for flow buttons).

For each home: what a builder makes parses back to what was built and fits Telegram's 64
bytes; a parser never raises on arbitrary text and accepts only what a builder would make
(so a forged, mutated or stale press is refused, never misread); what a handler's pattern lets
through, the parser reads. And no other module of the product spells a home's data itself.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.answers import TOPICS
from bot.services.guide import STEPS
from bot.services.guide_mode import LATER_CHOICES
from bot.services.status import FILTERS
from core.types import LANGUAGES, SITES
from handlers import (
    flows,
    guide_keyboards,
    guide_mode_buttons,
    help_buttons,
    menu_buttons,
    privacy_buttons,
    send_buttons,
    staff_buttons,
    status_buttons,
)

ROOT = Path(__file__).resolve().parents[2]
TELEGRAM_LIMIT = 64  # bytes of callback_data

_hex = st.text("0123456789abcdef", min_size=16, max_size=16)
_pages = st.integers(0, status_buttons.MAX_PAGE)


@dataclass(frozen=True)
class Home:
    module: str  # handlers/<module>.py
    prefixes: tuple[str, ...]  # the data it owns start with one of these
    parse: Callable[[str], Any]
    built: st.SearchStrategy[tuple[str, Any]]  # (builder output, what parse must return)
    rebuild: Callable[[Any], str]  # from a parsed press back through the builders
    patterns: tuple[tuple[str, Callable[[Any], bool]], ...] = ()  # handler pattern, admits


def _send_rebuild(p: send_buttons.Press) -> str:
    if p.action == "record":
        return send_buttons.record(p.ref or "")
    if p.action == "guide":
        assert p.site is not None
        return send_buttons.guide(p.site)
    return {"start": send_buttons.START, "failed": send_buttons.FAILED}[p.action]


def _status_rebuild(p: status_buttons.Press) -> str:
    if p.action == "list":
        assert p.filter is not None and p.page is not None
        return status_buttons.page(p.filter, p.page)
    if p.action == "record":
        assert p.filter is not None and p.page is not None and p.ref is not None
        return status_buttons.record(p.ref, p.filter, p.page)
    if p.action == "guide":
        assert p.site is not None
        return status_buttons.guide(p.site)
    fixed = {"open": status_buttons.OPEN, "refresh": status_buttons.REFRESH}
    return fixed.get(p.action, status_buttons.HOME)


_MENU: dict[menu_buttons.Action, str] = {
    "howto": menu_buttons.HOWTO,
    "link": menu_buttons.LINK,
    "help": menu_buttons.HELP,
    "settings": menu_buttons.SETTINGS,
    "lang": menu_buttons.LANG,
}


def _menu_rebuild(p: menu_buttons.Press) -> str:
    if p.action == "language":
        return menu_buttons.language(p.language or "")
    return _MENU[p.action]


def _help_rebuild(p: help_buttons.Press) -> str:
    if p.ask:
        return help_buttons.ASK
    return help_buttons.MENU if p.topic is None else help_buttons.answer(p.topic)


def _guide_rebuild(p: guide_keyboards.Press) -> str:
    return guide_keyboards.data(p.token, p.action, p.site, p.step, p.topic)


def _flow_rebuild(p: tuple[str, str]) -> str:
    return flows.flow_data(*p)


def _staff_rebuild(p: staff_buttons.Press) -> str:
    if p.action in ("rm", "rmok"):
        assert p.member is not None
        return staff_buttons.member(p.action, p.member)
    if p.action == "ivx":
        assert p.invite is not None
        return staff_buttons.revoke_invite(p.invite)
    if p.action in ("bcre", "bcgo", "bcno"):
        assert p.broadcast is not None
        return staff_buttons.resend(p.action, p.broadcast)
    return {"list": staff_buttons.LIST, "log": staff_buttons.LOG}[p.action]


_GUIDE_MODE: dict[guide_mode_buttons.Action, str] = {
    "sent": guide_mode_buttons.SENT,
    "yes": guide_mode_buttons.YES,
    "no": guide_mode_buttons.NO,
    "later": guide_mode_buttons.LATER,
    "guide": guide_mode_buttons.GUIDE_1365,
}


def _guide_mode_rebuild(p: guide_mode_buttons.Press) -> str:
    if p.action == "at":
        assert p.later is not None
        return guide_mode_buttons.at(p.later)
    return _GUIDE_MODE[p.action]


def _privacy_rebuild(p: privacy_buttons.Press) -> str:
    if p.area == "unlink":
        return privacy_buttons.unlink(p.yes, p.tag)
    return privacy_buttons.forget(p.yes, p.stamp)


_sites = st.sampled_from(SITES)
_send_built = st.one_of(
    st.just((send_buttons.START, send_buttons.Press("start"))),
    st.just((send_buttons.FAILED, send_buttons.Press("failed"))),
    _hex.map(lambda r: (send_buttons.record(r), send_buttons.Press("record", ref=r))),
    _sites.map(lambda s: (send_buttons.guide(s), send_buttons.Press("guide", site=s))),
)
_status_built = st.one_of(
    st.sampled_from(
        [
            (status_buttons.OPEN, status_buttons.Press("open")),
            (status_buttons.REFRESH, status_buttons.Press("refresh")),
            (status_buttons.HOME, status_buttons.Press("home")),
        ]
    ),
    st.tuples(st.sampled_from(FILTERS), _pages).map(
        lambda a: (status_buttons.page(*a), status_buttons.Press("list", a[0], a[1]))
    ),
    st.tuples(_hex, st.sampled_from(FILTERS), _pages).map(
        lambda a: (status_buttons.record(*a), status_buttons.Press("record", a[1], a[2], ref=a[0]))
    ),
    _sites.map(lambda s: (status_buttons.guide(s), status_buttons.Press("guide", site=s))),
)
_menu_built = st.one_of(
    st.sampled_from([(data, menu_buttons.Press(action)) for action, data in _MENU.items()]),
    st.sampled_from(LANGUAGES).map(
        lambda c: (menu_buttons.language(c), menu_buttons.Press("language", c))
    ),
)
_help_built = st.one_of(
    st.just((help_buttons.ASK, help_buttons.Press(ask=True))),
    st.just((help_buttons.MENU, help_buttons.Press())),
    st.sampled_from(TOPICS).map(lambda t: (help_buttons.answer(t), help_buttons.Press(topic=t))),
)
_tokens = st.text("0123456789abcdef", min_size=6, max_size=6)
_steps = st.integers(1, STEPS)
_guide_presses = st.one_of(
    st.builds(
        guide_keyboards.Press,
        _tokens,
        st.sampled_from(["go", "stuck", "center"]),
        _sites,
        _steps,
    ),
    st.builds(guide_keyboards.Press, _tokens, st.sampled_from(["done", "next"]), _sites),
    st.builds(
        guide_keyboards.Press,
        _tokens,
        st.just("help"),
        _sites,
        _steps,
        st.sampled_from(guide_keyboards.TOPICS),
    ),
    st.builds(guide_keyboards.Press, _tokens, st.sampled_from(["resume", "restart"])),
)
_flow_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_flow_built = st.tuples(
    st.text(_flow_alphabet, min_size=8, max_size=8),
    st.text(_flow_alphabet + ".:", min_size=1, max_size=40),
).map(lambda a: (flows.flow_data(*a), a))

_members = st.integers(1, 10**15 - 1)
_broadcasts = st.integers(1, 10**9 - 1)
_staff_built = st.one_of(
    st.sampled_from(
        [
            (staff_buttons.LIST, staff_buttons.Press("list")),
            (staff_buttons.LOG, staff_buttons.Press("log")),
        ]
    ),
    st.tuples(st.sampled_from(["rm", "rmok"]), _members).map(
        lambda a: (staff_buttons.member(*a), staff_buttons.Press(a[0], member=a[1]))
    ),
    _hex.map(lambda r: (staff_buttons.revoke_invite(r), staff_buttons.Press("ivx", invite=r))),
    st.tuples(st.sampled_from(["bcre", "bcgo", "bcno"]), _broadcasts).map(
        lambda a: (staff_buttons.resend(*a), staff_buttons.Press(a[0], broadcast=a[1]))
    ),
)
_guide_mode_built = st.one_of(
    st.sampled_from([(data, guide_mode_buttons.Press(a)) for a, data in _GUIDE_MODE.items()]),
    st.sampled_from(LATER_CHOICES).map(
        lambda c: (guide_mode_buttons.at(c), guide_mode_buttons.Press("at", later=c))
    ),
)
_stamps = st.one_of(st.just(""), st.integers(0, 10**12 - 1).map(str))
_privacy_built = st.one_of(
    st.tuples(st.booleans(), st.text("0123456789abcdef", min_size=10, max_size=10)).map(
        lambda a: (privacy_buttons.unlink(*a), privacy_buttons.Press("unlink", a[0], tag=a[1]))
    ),
    st.tuples(st.booleans(), _stamps).map(
        lambda a: (privacy_buttons.forget(*a), privacy_buttons.Press("forget", a[0], stamp=a[1]))
    ),
)

HOMES = (
    Home(
        "send_buttons",
        ("send:",),
        send_buttons.parse,
        _send_built,
        _send_rebuild,
        (
            (send_buttons.GUIDE_PATTERN, lambda p: p is not None and p.action == "guide"),
            # Every send:rec: reaches the handler, which tells a forged ref "unknown record".
            (send_buttons.RESEND_PATTERN, lambda p: p is None or p.action in ("failed", "record")),
        ),
    ),
    Home(
        "status_buttons",
        ("st:",),
        status_buttons.parse,
        _status_built,
        _status_rebuild,
        ((status_buttons.PATTERN, lambda p: True),),  # anything else gets a toast there
    ),
    Home(
        "menu_buttons",
        ("menu:", "lang:"),
        menu_buttons.parse,
        _menu_built,
        _menu_rebuild,
        (
            (menu_buttons.MENU_PATTERN, lambda p: p is not None and p.action in ("help", "lang")),
            (menu_buttons.LANG_PATTERN, lambda p: p is not None and p.action == "language"),
        ),
    ),
    Home(
        "help_buttons",
        ("help:", "ans:"),
        help_buttons.parse,
        _help_built,
        _help_rebuild,
        ((help_buttons.ANSWER_PATTERN, lambda p: p is not None and not p.ask),),
    ),
    Home(
        "guide_keyboards",
        ("g:",),
        guide_keyboards.parse,
        _guide_presses.map(lambda p: (_guide_rebuild(p), p)),
        _guide_rebuild,
        ((guide_keyboards.PATTERN, lambda p: p is not None),),
    ),
    Home("flows", ("f:",), flows.parse_flow_data, _flow_built, _flow_rebuild),
    Home(
        "staff_buttons",
        ("staff:",),
        staff_buttons.parse,
        _staff_built,
        _staff_rebuild,
        (
            (
                staff_buttons.STAFF_PATTERN,
                lambda p: p is not None and p.action in ("list", "log", "rm", "rmok"),
            ),
            (staff_buttons.INVITE_PATTERN, lambda p: p is not None and p.action == "ivx"),
            (
                staff_buttons.RESEND_PATTERN,
                lambda p: p is not None and p.action in ("bcre", "bcgo", "bcno"),
            ),
        ),
    ),
    Home(
        "guide_mode_buttons",
        ("gm:",),
        guide_mode_buttons.parse,
        _guide_mode_built,
        _guide_mode_rebuild,
        ((guide_mode_buttons.PATTERN, lambda p: True),),  # anything else gets a toast there
    ),
    Home(
        "privacy_buttons",
        ("unlink:", "forget:"),
        privacy_buttons.parse,
        _privacy_built,
        _privacy_rebuild,
        (
            (privacy_buttons.UNLINK_PATTERN, lambda p: p is not None and p.area == "unlink"),
            (privacy_buttons.FORGET_PATTERN, lambda p: p is not None and p.area == "forget"),
        ),
    ),
)

# Strings that start like callback data but are none: flow actions (inside f:<token>:<action>)
# are a flow's own words (the settings flow's "lang:<code>" is read by that flow only); a
# send's idempotency key hashes "send:<id>:<token>" (changing it would re-key sends in flight);
# a claim's lock is named "send:<id>".
_NOT_CALLBACK_DATA = {
    ("handlers/settings.py", "lang:"),
    ("bot/services/sending/gateway_rules.py", "send:"),
    ("store/sends.py", "send:"),
}
# The product's packages: none but a home spells a home's data (sandbox/ is the test double).
PRODUCT = ("app", "bot", "core", "handlers", "linkage", "store")


def _check(home: Home, data: str) -> None:
    """Never raises; accepts only what the builders make; each pattern admits what it routes."""
    parsed = home.parse(data)
    if parsed is not None:
        assert home.rebuild(parsed) == data
    for pattern, admits in home.patterns:
        if re.match(pattern, data):
            assert admits(parsed), (pattern, data, parsed)


@given(st.data())
def test_builders_and_parsers_round_trip_within_telegrams_64_bytes(data: st.DataObject) -> None:
    for home in HOMES:
        built, expected = data.draw(home.built, label=home.module)
        assert built.isascii() and len(built.encode()) <= TELEGRAM_LIMIT
        assert built.startswith(home.prefixes)
        assert home.parse(built) == expected
        _check(home, built)


@given(st.text(max_size=80))
def test_parsers_refuse_arbitrary_text_politely(text: str) -> None:
    for home in HOMES:
        for data in (text, home.prefixes[0] + text):
            _check(home, data)


# Characters data is made of come first: a near miss is likelier to slip through than noise.
_chars = st.one_of(st.sampled_from("0123456789abcdef:_-.\n Z"), st.characters())
_mutations = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 70), _chars),
    st.tuples(st.just("replace"), st.integers(0, 70), _chars),
    st.tuples(st.just("delete"), st.integers(0, 70), st.just("")),
    st.tuples(st.just("double"), st.integers(0, 70), st.just("")),  # "…:0" → "…:00"
    st.tuples(st.just("append"), st.just(0), st.sampled_from(["\n", ":", "0", " ", ":x"])),
)


def _mutate(data: str, how: tuple[str, int, str]) -> str:
    kind, at, char = how
    at = at % (len(data) + 1)
    if kind == "insert":
        return data[:at] + char + data[at:]
    if kind == "replace":
        return data[:at] + char + data[at + 1 :]
    if kind == "delete":
        return data[:at] + data[at + 1 :]
    if kind == "double":
        return data[:at] + data[at : at + 1] + data[at:]
    return data + char


@settings(max_examples=1000)
@given(st.data(), st.lists(_mutations, min_size=1, max_size=3))
def test_parsers_never_misread_mutated_builder_output(
    data: st.DataObject, mutations: list[tuple[str, int, str]]
) -> None:
    for home in HOMES:
        built, _ = data.draw(home.built, label=home.module)
        for how in mutations:
            built = _mutate(built, how)
        _check(home, built)


def test_a_final_newline_is_refused() -> None:
    for data in (
        send_buttons.START,
        status_buttons.OPEN,
        menu_buttons.HELP,
        help_buttons.MENU,
        staff_buttons.LIST,
        guide_mode_buttons.SENT,
        privacy_buttons.forget(True, "1"),
    ):
        for home in HOMES:
            assert home.parse(data + "\n") is None
            for pattern, _ in home.patterns:
                if pattern not in (status_buttons.PATTERN, guide_mode_buttons.PATTERN):
                    assert not re.match(pattern, data + "\n")


def _string_constants(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((node.lineno, first.value))
    return found


def test_no_module_spells_another_homes_callback_data() -> None:
    owners = {prefix: f"handlers/{home.module}.py" for home in HOMES for prefix in home.prefixes}
    spelled = []
    paths = sorted(path for package in PRODUCT for path in (ROOT / package).rglob("*.py"))
    assert len(paths) > 100
    for path in paths:
        module = path.relative_to(ROOT).as_posix()
        for line, text in _string_constants(ast.parse(path.read_text(encoding="utf-8"))):
            text = text.removeprefix("^")
            for prefix, owner in owners.items():
                if (
                    text.startswith(prefix)
                    and module != owner
                    and (module, prefix) not in _NOT_CALLBACK_DATA
                ):
                    spelled.append(f"{module}:{line}: {text!r} (home: {owner})")
    assert spelled == []
