"""Each flow's data is a frozen dataclass read and written by its FlowCodec only.

Rows the previous release wrote (plain dicts, read with `.get` and `cast`) still read as the
same values; anything else reads as None, which the router closes politely; and nothing in
the product reads a flow's stored data but the codec.
"""

from __future__ import annotations

import ast
import json
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.features import FEATURES
from bot.services.flows import NO_DATA, FlowCodec, NoData
from handlers.broadcast import BroadcastData
from handlers.link import LinkData
from handlers.remind import RemindData
from handlers.send import SendData

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("app", "bot", "core", "handlers", "linkage", "store")
# Where stored flow data may be read: the codec. Button data (`query.data`) is not flow data.
CODEC_HOME = ROOT / "bot" / "services" / "flows.py"
BUTTON_DATA = {"query", "callback_query"}

KST = timezone(timedelta(hours=9))
AT = datetime(2026, 3, 2, 18, 0, tzinfo=KST)


# What the previous release stored, key by key as its steps wrote them (json.dumps of the
# dicts its `advance_keeping` built), and what they read as now.
PREVIOUS_RELEASE: list[tuple[FlowCodec[Any], dict[str, Any], object]] = [
    (FlowCodec(LinkData), {}, LinkData()),
    (
        FlowCodec(LinkData),
        {"request_id": "req-7f3a", "vms_id": "kindly0904"},
        LinkData("req-7f3a", "kindly0904"),
    ),
    (FlowCodec(SendData), {}, SendData()),
    (
        FlowCodec(SendData),
        {"record_ids": ["r-1", "r-2"], "warning": "identity"},
        SendData(("r-1", "r-2"), "identity"),
    ),
    (FlowCodec(SendData), {"warning": "consent_1365"}, SendData(None, "consent_1365")),
    (FlowCodec(BroadcastData), {"language": None, "reminder": False}, BroadcastData()),
    (
        FlowCodec(BroadcastData),
        {
            "language": "ko",
            "reminder": True,
            "segment": "never_sent",
            "text_ko": "<b>안녕하세요</b>",
            "text_len": 5,
            "text_at": AT.isoformat(),
            "text_en": None,
        },
        BroadcastData(
            language="ko",
            reminder=True,
            segment="never_sent",
            text_ko="<b>안녕하세요</b>",
            text_len=5,
            text_at=AT,
        ),
    ),
    (FlowCodec(RemindData), {}, RemindData()),
    (FlowCodec(RemindData), {"delete": 4}, RemindData(delete=4)),
    (FlowCodec(RemindData), {"repeat": "weekly", "day": 0}, RemindData(repeat="weekly", day=0)),
    (
        FlowCodec(RemindData),
        {
            "repeat": "once",
            "day": None,
            "hour": 10,
            "minute": 30,
            "once_at": "2026-12-25T10:30:00+09:00",
            "segment": "all",
            "language": None,
            "text_ko": "a" * 3500,
            "text_len": 3500,
            "text_at": AT.isoformat(),
            "held": "the rest",
            "held_from": "text_en",
        },
        RemindData(
            repeat="once",
            hour=10,
            minute=30,
            once_at=datetime(2026, 12, 25, 10, 30, tzinfo=KST),
            segment="all",
            text_ko="a" * 3500,
            text_len=3500,
            text_at=AT,
            held="the rest",
            held_from="text_en",
        ),
    ),
    (NO_DATA, {}, NoData()),
]


@pytest.mark.parametrize(("codec", "stored", "expected"), PREVIOUS_RELEASE)
def test_rows_of_the_previous_release_read_as_they_were_meant(
    codec: FlowCodec[Any], stored: dict[str, Any], expected: object
) -> None:
    # Through JSON text, as the row holds it; a key a later release dropped is ignored.
    row = json.loads(json.dumps({**stored, "dropped_since": [1, 2]}, ensure_ascii=False))
    assert codec.decode(row) == expected
    assert codec.decode(codec.encode(codec.decode(row))) == expected


@pytest.mark.parametrize(
    ("codec", "stored"),
    [
        (FlowCodec(LinkData), {"request_id": 7}),
        (FlowCodec(SendData), {"record_ids": "r-1"}),
        (FlowCodec(SendData), {"record_ids": [1, 2]}),
        (FlowCodec(SendData), {"warning": "unknown"}),
        (FlowCodec(BroadcastData), {"reminder": "yes"}),
        (FlowCodec(BroadcastData), {"segment": "everyone"}),
        (FlowCodec(BroadcastData), {"language": "fr"}),
        (FlowCodec(RemindData), {"day": "월"}),
        (FlowCodec(RemindData), {"hour": True}),
        (FlowCodec(RemindData), {"text_at": "yesterday"}),
        (FlowCodec(RemindData), {"repeat": "daily"}),
    ],
)
def test_data_of_the_wrong_type_is_unreadable_not_guessed(
    codec: FlowCodec[Any], stored: dict[str, Any]
) -> None:
    assert codec.decode(stored) is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
CODECS = [NO_DATA, *(FlowCodec(k) for k in (LinkData, SendData, BroadcastData, RemindData))]
FIELDS = sorted({f for c in CODECS for f in c.kind.__dataclass_fields__})


@given(
    codec=st.sampled_from(CODECS),
    raw=JSON | st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=6),
)
def test_any_stored_json_reads_as_data_or_none_never_an_error(
    codec: FlowCodec[Any], raw: object
) -> None:
    data = codec.decode(raw)
    assert data is None or isinstance(data, codec.kind)
    if data is not None:
        assert codec.decode(json.loads(json.dumps(codec.encode(data)))) == data


def _moments(zone: tzinfo) -> st.SearchStrategy[datetime]:
    """Moments a flow can hold. Before 1912 Seoul's offset had seconds (+8:27:52), which an
    ISO offset in minutes cannot carry; no reminder is set for then."""
    return st.datetimes(
        min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(zone)
    )


@given(
    data=st.builds(
        RemindData,
        text_at=_moments(UTC) | st.none(),
        once_at=_moments(KST) | st.none(),
    )
    | st.builds(BroadcastData, text_at=_moments(UTC) | st.none())
    | st.builds(LinkData)
    | st.builds(SendData)
)
def test_what_a_flow_keeps_round_trips_through_its_json(data: Any) -> None:
    codec = FlowCodec(type(data))
    assert codec.decode(json.loads(json.dumps(codec.encode(data)))) == data


def test_a_fresh_flow_stores_an_empty_object() -> None:
    """The store's expiry compares data with `{}`; defaults are never written."""
    assert all(c.encode(c.empty()) == {} for c in CODECS)


def test_every_flow_the_bot_routes_has_a_codec() -> None:
    flows = [f for feature in FEATURES for f in feature.flows]
    assert len(flows) >= 8
    for flow in flows:
        assert isinstance(flow.codec, FlowCodec), flow.name


def _button_data(node: ast.expr) -> bool:
    """`query.data`, `update.callback_query.data`: a button's own data, not a flow's."""
    if isinstance(node, ast.Name):
        return node.id in BUTTON_DATA
    return isinstance(node, ast.Attribute) and node.attr in BUTTON_DATA


def _mapping(node: ast.expr) -> bool:
    """Some `x.data` that is not button data."""
    return isinstance(node, ast.Attribute) and node.attr == "data" and not _button_data(node.value)


def _reads_as_mapping(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "get":
            return _mapping(func.value)
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        inside = [n for a in node.args for n in ast.walk(a) if isinstance(n, ast.expr)]
        return name == "cast" and any(_mapping(n) for n in inside)
    if isinstance(node, ast.Subscript):
        return _mapping(node.value)
    if isinstance(node, ast.Compare):
        pairs = zip(node.ops, node.comparators, strict=True)
        return any(isinstance(op, ast.In | ast.NotIn) and _mapping(c) for op, c in pairs)
    if isinstance(node, ast.Dict):
        return any(k is None and _mapping(v) for k, v in zip(node.keys, node.values, strict=True))
    return isinstance(node, ast.keyword) and node.arg is None and _mapping(node.value)


def _loose_reads(tree: ast.AST) -> list[int]:
    """Lines reading some `x.data` as a mapping: `.get(`, `[...]`, `in`, `**`, or `cast(`."""
    return sorted({n.lineno for n in ast.walk(tree) if _reads_as_mapping(n)})  # type: ignore[attr-defined]


def test_no_flow_data_is_read_as_a_mapping_outside_the_codec() -> None:
    found = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == CODEC_HOME:
                continue
            for line in _loose_reads(ast.parse(path.read_text(), str(path))):
                found.append(f"{path.relative_to(ROOT)}:{line}")
    assert found == []


def test_the_check_sees_the_reads_it_forbids() -> None:
    source = """
a = flow.data.get("x")
b = cast(Lang, stored.data.get("language"))
c = "request_id" in flow.data
d = flow.data["request_id"]
e = {**flow.data, **changes}
f = advance(**flow.data)
ok = query.data.split(":")
ok = update.callback_query.data
"""
    assert _loose_reads(ast.parse(source)) == [2, 3, 4, 5, 6, 7]
