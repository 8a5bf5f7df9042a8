"""SqlitePersistence called directly: JSON round trips, refusals, deletes, drop_user."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram.ext import PersistenceInput

from store.db import Database
from store.persistence import SqlitePersistence

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
user_data = st.dictionaries(st.text(max_size=12), json_values, max_size=6)
conversation_keys = st.lists(
    st.integers(-(2**62), 2**62) | st.text(max_size=6), min_size=1, max_size=3
).map(tuple)
states = st.none() | st.integers() | st.text(max_size=10)

# Hypothesis reuses one database per test function; examples keep apart by id or name.
EXAMPLES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_names = itertools.count()


@pytest.fixture
def persistence(db: Database) -> SqlitePersistence:
    return SqlitePersistence(db, update_interval=5)


async def test_empty_database(persistence: SqlitePersistence) -> None:
    assert await persistence.get_user_data() == {}
    assert await persistence.get_chat_data() == {}
    assert await persistence.get_bot_data() == {}
    assert await persistence.get_callback_data() is None
    assert await persistence.get_conversations("conv") == {}


def test_settings(db: Database) -> None:
    p = SqlitePersistence(db, store_data=PersistenceInput(chat_data=False), update_interval=5)
    assert p.update_interval == 5
    assert not p.store_data.chat_data
    assert not p.store_data.callback_data  # JSON cannot hold callback data


async def test_data_round_trips_and_overwrites(persistence: SqlitePersistence) -> None:
    await persistence.update_user_data(1, {"a": 1})
    await persistence.update_user_data(1, {"a": 2, "이름": "김"})
    await persistence.update_chat_data(-100, {"members": [1, 2]})
    await persistence.update_bot_data({"version": "x"})

    assert await persistence.get_user_data() == {1: {"a": 2, "이름": "김"}}
    assert await persistence.get_chat_data() == {-100: {"members": [1, 2]}}
    assert await persistence.get_bot_data() == {"version": "x"}


@pytest.mark.parametrize(
    "bad",
    [{"a": (1, 2)}, {1: "int key"}, {"a": float("nan")}, {"a": object()}, {"a": {1, 2}}],
)
async def test_data_that_would_not_round_trip_is_refused(
    persistence: SqlitePersistence, bad: dict[Any, Any]
) -> None:
    with pytest.raises(TypeError, match="user_data of user 1"):
        await persistence.update_user_data(1, bad)
    with pytest.raises(TypeError, match="state of conversation"):
        await persistence.update_conversation("conv", (1,), bad)
    assert await persistence.get_user_data() == {}
    assert await persistence.get_conversations("conv") == {}


async def test_drop_user_and_chat_data(persistence: SqlitePersistence) -> None:
    await persistence.update_user_data(1, {"a": 1})
    await persistence.update_user_data(2, {"b": 2})
    await persistence.update_chat_data(1, {"c": 3})
    await persistence.drop_user_data(1)
    await persistence.drop_chat_data(1)
    assert await persistence.get_user_data() == {2: {"b": 2}}
    assert await persistence.get_chat_data() == {}


async def test_drop_user_removes_only_that_user(persistence: SqlitePersistence) -> None:
    for user_id in (42, 43):
        await persistence.update_user_data(user_id, {"who": user_id})
        await persistence.update_chat_data(user_id, {"private": True})
    await persistence.update_chat_data(-100, {"group": True})
    for key in [(42, 42), (42,), (-100, 42), (-100, 43), (43, 43), (43,), (-100, 42, "m")]:
        await persistence.update_conversation("conv", key, "STATE")
    await persistence.update_conversation("other", (42,), 1)
    await persistence.update_conversation("other", ("42",), 1)  # a string, not the user id

    await persistence.drop_user(42)

    assert await persistence.get_user_data() == {43: {"who": 43}}
    assert await persistence.get_chat_data() == {43: {"private": True}, -100: {"group": True}}
    assert await persistence.get_conversations("conv") == {
        (-100, 43): "STATE",
        (43, 43): "STATE",
        (43,): "STATE",
    }
    assert await persistence.get_conversations("other") == {("42",): 1}


async def test_flush_is_harmless(persistence: SqlitePersistence) -> None:
    await persistence.update_user_data(1, {"a": 1})
    await persistence.flush()
    assert await persistence.get_user_data() == {1: {"a": 1}}


@EXAMPLES
@given(user_id=st.integers(-(2**62), 2**62), data=user_data)
async def test_user_data_round_trips_exactly(
    persistence: SqlitePersistence, user_id: int, data: dict[str, Any]
) -> None:
    await persistence.update_user_data(user_id, data)
    await persistence.update_chat_data(user_id, data)
    # PTB hands out {} for anyone missing, so "no row" and {} are the same to it.
    assert (await persistence.get_user_data()).get(user_id, {}) == data
    assert (await persistence.get_chat_data()).get(user_id, {}) == data


async def test_empty_data_leaves_no_row(persistence: SqlitePersistence) -> None:
    await persistence.update_user_data(5, {"k": 1})
    await persistence.update_user_data(5, {})
    await persistence.update_chat_data(5, {})
    assert 5 not in await persistence.get_user_data()
    assert 5 not in await persistence.get_chat_data()


@EXAMPLES
@given(updates=st.lists(st.tuples(conversation_keys, states), max_size=12))
async def test_conversations_round_trip_and_none_deletes(
    persistence: SqlitePersistence, updates: list[tuple[tuple[int | str, ...], object]]
) -> None:
    name = f"conv-{next(_names)}"
    model: dict[tuple[int | str, ...], object] = {}
    for key, state in updates:
        await persistence.update_conversation(name, key, state)
        if state is None:
            model.pop(key, None)
        else:
            model[key] = state
    assert await persistence.get_conversations(name) == model
