"""Thousands of generated updates through the real handlers: no unhandled exception, no change
to other users' data, and the bot still answers afterwards."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import app
from bot.config import Settings, load_settings
from bot.sandbox import Sandbox
from tests.helpers import seed_residents

ME, BYSTANDER, STRANGER = 9101, 9102, 9103


@pytest.fixture(name="settings")
def flood_guard_off(config_file: Path) -> Settings:
    """Thousands of updates from three users within seconds: the flood guard would drop most
    of them, and the handlers are what this test is about."""
    return load_settings(config_file, telegram={"flood_burst": 0})


GROUP = -9100
# Every command of the bot, and one it does not know.
COMMANDS = [*app.COMMANDS.names, "nonsense"]
CALLBACK_PREFIXES = [
    "consent",
    "consent:",
    "consentinv:",
    "join:",
    "leave:",
    "leaveall",
    "leaveall:yes",
    "forget:yes",
    "forget:no",
    "alert:send",
    "alert:toggle:",
    "alert:next",
    "arearm:",
    "arearmpick:",
    "arearmpage:",
    "joinpage:",
    "leavepage:",
    "alert:page:",
    "alert:all:",
    "tip:page:",
    "tip:",
    "",
]

words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
argument = st.one_of(
    words,
    st.sampled_from(["centrum", "norr", "692 31", "all", "sv", "en", "T-2026-000001", "1"]),
    st.just("x" * 5000),
    st.just("centrum'; DROP TABLE participants; --"),
)
command = st.builds(
    lambda name, args: " ".join([f"/{name}", *args]),
    st.sampled_from(COMMANDS),
    st.lists(argument, max_size=3),
)
callback_data = st.one_of(
    st.builds(lambda p, s: (p + s)[:64], st.sampled_from(CALLBACK_PREFIXES), words),
    st.text(max_size=64),
)
raw_update = st.dictionaries(
    st.sampled_from(["message", "edited_message", "callback_query", "poll", "my_chat_member"]),
    st.one_of(
        st.dictionaries(st.sampled_from(["text", "chat", "from", "date", "id"]), words),
        words,
        st.integers(),
        st.none(),
    ),
    max_size=2,
)
action = st.one_of(
    st.tuples(st.just("private"), st.one_of(command, words.filter(bool))),
    st.tuples(st.just("group"), command),
    st.tuples(st.just("stranger"), st.one_of(command, words.filter(bool))),
    st.tuples(st.just("press"), callback_data),
    st.tuples(st.just("group_press"), callback_data),
    st.tuples(st.just("edit"), st.one_of(command, words.filter(bool))),
    st.tuples(st.just("photo"), st.none()),
    st.tuples(st.just("location"), st.none()),
    st.tuples(st.just("raw"), raw_update),
)


def bystander_rows(rows) -> list:
    return [
        rows("SELECT * FROM participants WHERE user_id = ?", (BYSTANDER,)),
        rows("SELECT * FROM memberships WHERE user_id = ? ORDER BY area_id", (BYSTANDER,)),
        rows("SELECT count(*) FROM roles"),
        rows("SELECT count(*), group_concat(code) FROM areas"),
        rows("SELECT count(*) FROM alerts"),
    ]


def inject(sandbox: Sandbox, kind: str, payload) -> None:
    if kind == "private":
        sandbox.inject_message(ME, ME, payload)
    elif kind == "group":
        sandbox.inject_message(ME, GROUP, payload)
    elif kind == "stranger":
        sandbox.inject_message(STRANGER, STRANGER, payload)
    elif kind in ("press", "group_press"):
        chat, user = (ME, ME) if kind == "press" else (GROUP, STRANGER)
        mine = sandbox.messages(chat)
        message_id = mine[-1].message_id if mine else 1
        sandbox.inject_callback(user, chat, message_id, payload, check=False)
    elif kind == "edit":
        sandbox.inject_message(ME, ME, payload, edited_message_id=1)
    elif kind == "photo":
        sandbox.inject_message(ME, ME, photo=True)
    elif kind == "location":
        sandbox.inject_message(ME, ME, location=(59.12, 15.14))
    else:
        sandbox.inject_update(payload)


@pytest.fixture
def world(sandbox: Sandbox, bot, db_path):
    seed_residents(sandbox, db_path, [ME, BYSTANDER], ["centrum", "norr"])
    sandbox.user(STRANGER, "Främling")
    sandbox.group(GROUP, "Grannsamverkan Centrum")
    sandbox.inject_message(ME, ME, "hej")  # message 1 in my chat, the target of edits
    return sandbox


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(action, min_size=10, max_size=40))
async def test_generated_updates_never_break_the_bot(world: Sandbox, rows, caplog, actions):
    caplog.set_level(logging.ERROR)
    before = bystander_rows(rows)
    for kind, payload in actions:
        inject(world, kind, payload)
    # Updates are handled in order, so an answer to this proves all of the above were seen.
    probe = world.user(BYSTANDER, "Boende")
    answer = await probe.send("/help", timeout=30)
    assert "/join" in answer.text
    failures = [r.getMessage() for r in caplog.records if r.name == "handlers.common"]
    assert failures == []
    assert bystander_rows(rows) == before
    assert rows("PRAGMA integrity_check") == [("ok",)]


async def test_start_still_answers_after_garbage(world: Sandbox):
    for garbage in ({"update_id": "x"}, {"message": 5}, {"callback_query": {"id": None}}):
        world.inject_update(garbage)
    newcomer = world.user(9199, "Ny")
    welcome = await newcomer.send("/start")
    assert "112" in welcome.text
