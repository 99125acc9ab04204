"""Attacks on who may see and do what: commands that show personal data typed in a group,
taking over another area's group with /linkgroup, and coordinators or officers named in the
config who have since been banned. Each attack is refused and leaves the database as it was,
apart from the audit rows that record the refusal."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from bot.sandbox.objects import Msg
from handlers import jobs
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import grant_role, seed_residents, until
from tests.test_tips import reference_in, to_contact

REPORTER = 483917
REPORTER_NAME = "Zebulon Hemligsson"
PHONE = "0701234567"
RESIDENTS_GROUP = -7301
TEAM_CHAT = -7302
OFFICER = 483920  # an officer granted the role in chat
NORR_CONTACT = 483921
BOTH_CONTACT = 483922
BANNED_COORDINATOR = 483930
BANNED_OFFICER = 483931
OTHER_RESIDENT = 483940

# Everything that would tie a message in a group to the person behind a tip or a sign-up.
PERSONAL = (REPORTER_NAME, "Zebulon", "Hemligsson", PHONE, "070-123", str(REPORTER))


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of every table except the audit log, in a stable order."""
    with sqlite3.connect(db_path) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if name != "audit_log"
        ]
        return {
            table: sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"'))) for table in tables
        }


def shown(msg: Msg) -> str:
    """All a member of the chat can get out of a message: its text, the HTML behind it, its
    links and buttons, and any file."""
    parts = [
        msg.text or "",
        msg.raw_text or "",
        json.dumps(msg.entities, ensure_ascii=False),
        json.dumps(msg.reply_markup or {}, ensure_ascii=False),
    ]
    if msg.file_bytes:
        parts.append(msg.file_bytes.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def leaks(sandbox: Sandbox, chat_id: int) -> list[str]:
    return [
        needle
        for msg in sandbox.messages(chat_id, include_deleted=True)
        for needle in PERSONAL
        if needle in shown(msg)
    ]


def menu_of(sandbox: Sandbox, user_id: int) -> list:
    """The commands set for this user's private chat, in any language."""
    scope = json.dumps({"chat_id": user_id, "type": "chat"}, separators=(",", ":"))
    return [commands for (key, _), commands in sandbox.commands.items() if key == scope]


def refusals(rows, action: str) -> list[tuple]:
    return rows(
        "SELECT actor_id, target FROM audit_log WHERE action = ? AND outcome = 'refused'",
        (action,),
    )


@pytest.fixture
async def team_bot(config_file, sandbox: Sandbox):
    """Tips go to the coordinator, the team chat and the officers."""
    sandbox.group(TEAM_CHAT, "Tipsgruppen")
    sandbox.group(RESIDENTS_GROUP, "Grannar i Centrum")
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.user(POLICE_ID, "Polis")
    sandbox.user(BANNED_COORDINATOR, "Avstängd samordnare")
    sandbox.user(BANNED_OFFICER, "Avstängd polis")
    settings = load_settings(
        config_file,
        tips={"notify_police": True},
        roles={
            "coordinators": [COORDINATOR_ID, BANNED_COORDINATOR],
            "police": [POLICE_ID, BANNED_OFFICER],
            "coordinator_chat_id": TEAM_CHAT,
        },
    )
    async with Grannbot(settings, poll_timeout=1) as running:
        yield running


async def send_phone_tip(sandbox: Sandbox, db_path: Path) -> str:
    """A named tip with a phone number from a resident of Centrum; returns its reference."""
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE participants SET first_name = ? WHERE user_id = ?", (REPORTER_NAME, REPORTER)
        )
    reporter = sandbox.user(REPORTER, REPORTER_NAME)
    await to_contact(reporter, "Två personer provar dörrhandtag på Storgatan")
    await reporter.press("Ring mig")
    await reporter.send("070-123 45 67")
    await reporter.wait_text("Kontrollera ditt tips")
    await reporter.press("Skicka tipset")
    return reference_in((await reporter.wait_text("Tack!")).text)


def tip_copies_delivered(rows) -> bool:
    return rows("SELECT count(*) FROM tip_copies WHERE status != 'delivered'") == [(0,)]


async def test_personal_data_commands_in_a_group_show_nothing(
    sandbox: Sandbox, team_bot, db_path: Path, rows
):
    ref = await send_phone_tip(sandbox, db_path)
    await until(lambda: rows("SELECT count(*) FROM tip_copies") != [(0,)])
    await until(lambda: tip_copies_delivered(rows))
    grant_role(db_path, OFFICER, "police")
    sandbox.user(OFFICER, "Inbjuden polis")
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    officer = sandbox.user(OFFICER, "Inbjuden polis")
    # The cards in the coordinator's private chat do carry the phone number: the test can
    # tell a leak from its absence.
    assert any(PHONE in shown(m) for m in sandbox.messages(COORDINATOR_ID))
    assert sandbox.messages(RESIDENTS_GROUP) == []
    before = snapshot(db_path)

    attempts = [
        (coordinator, "/tips all"),
        (coordinator, "/tips"),
        (coordinator, "/tips all centrum"),
        (coordinator, f"/tipset {ref} closed"),
        (officer, "/tips all"),
        (officer, f"/tipset {ref} reviewed"),
        (coordinator, "/export tips"),
        (coordinator, "/export participants"),
        (coordinator, "/members centrum"),
        (coordinator, "/audit"),
        (coordinator, "/mydata"),
    ]
    for user, command in attempts:
        answer = await user.send(command, chat_id=RESIDENTS_GROUP)
        assert "privat chatt" in answer.text, command
        assert [url for _, url in answer.buttons()] == [
            f"https://t.me/{sandbox.bot_username}?start=from_group"
        ], command
    await sandbox.settle()
    group = sandbox.messages(RESIDENTS_GROUP, include_deleted=True)
    assert len(group) == len(attempts), "one redirect per command and nothing else"
    assert {m.kind for m in group} == {"text"}
    assert leaks(sandbox, RESIDENTS_GROUP) == []
    assert snapshot(db_path) == before

    # A status button pressed on any bot message in that group (an old card, or forged
    # data) changes nothing and redraws nothing there either.
    tip_id = rows("SELECT id FROM tips")[0][0]
    query = sandbox.inject_callback(
        COORDINATOR_ID, RESIDENTS_GROUP, group[0].message_id, f"tipst:{tip_id}:closed"
    )
    await until(lambda: query in sandbox.callback_answers)
    await sandbox.settle()
    assert not any(m.edited for m in sandbox.messages(RESIDENTS_GROUP))
    assert leaks(sandbox, RESIDENTS_GROUP) == []
    assert snapshot(db_path) == before


async def test_team_chat_keeps_tips_and_status_buttons(
    sandbox: Sandbox, team_bot, db_path: Path, rows
):
    ref = await send_phone_tip(sandbox, db_path)
    await until(lambda: rows("SELECT count(*) FROM tip_copies") != [(0,)])
    await until(lambda: tip_copies_delivered(rows))
    officer = sandbox.user(POLICE_ID, "Polis")
    listing = await officer.send("/tips all", chat_id=TEAM_CHAT)
    assert "Alla tips" in listing.text
    await sandbox.wait_for(
        lambda: sum(ref in (m.text or "") for m in sandbox.messages(TEAM_CHAT)) == 2
    )
    edited = await officer.press("Läst", chat_id=TEAM_CHAT)
    assert "Status: Läst" in edited.text
    assert rows("SELECT status FROM tips") == [("reviewed",)]
    # /tipset is for a private chat, also in the team chat.
    redirect = await officer.send(f"/tipset {ref} closed", chat_id=TEAM_CHAT)
    assert "privat chatt" in redirect.text
    assert rows("SELECT status FROM tips") == [("reviewed",)]


async def test_linkgroup_cannot_take_another_areas_group(
    sandbox: Sandbox, team_bot, db_path: Path, rows
):
    grant_role(db_path, NORR_CONTACT, "contact", "norr")
    grant_role(db_path, BOTH_CONTACT, "contact", "norr")
    grant_role(db_path, BOTH_CONTACT, "contact", "centrum")
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    intruder = sandbox.user(NORR_CONTACT, "Ombud i Norr")
    linked = await coordinator.send("/linkgroup centrum", chat_id=RESIDENTS_GROUP)
    assert "kopplad till Centrum" in linked.text
    centrum = rows("SELECT id FROM areas WHERE code = 'centrum'")[0][0]
    before = snapshot(db_path)

    refused = await intruder.send("/linkgroup norr", chat_id=RESIDENTS_GROUP)
    assert "kopplad till Centrum" in refused.text and "kan flytta den" in refused.text
    assert snapshot(db_path) == before
    assert rows("SELECT area_id FROM group_links WHERE chat_id = ?", (RESIDENTS_GROUP,)) == [
        (centrum,)
    ]
    assert refusals(rows, "linkgroup") == [(NORR_CONTACT, "centrum")]

    # Someone with rights over both areas may move it; the move is audited.
    both = sandbox.user(BOTH_CONTACT, "Ombud i båda")
    moved = await both.send("/linkgroup norr", chat_id=RESIDENTS_GROUP)
    assert "kopplad till Norr" in moved.text
    norr = rows("SELECT id FROM areas WHERE code = 'norr'")[0][0]
    assert rows("SELECT area_id FROM group_links WHERE chat_id = ?", (RESIDENTS_GROUP,)) == [
        (norr,)
    ]
    assert rows(
        "SELECT actor_id, target FROM audit_log WHERE action = 'linkgroup' AND outcome = 'ok'"
        " ORDER BY id"
    ) == [(COORDINATOR_ID, f"{RESIDENTS_GROUP}:centrum"), (BOTH_CONTACT, f"{RESIDENTS_GROUP}:norr")]


async def test_banned_config_coordinator_and_officer_get_nothing(
    sandbox: Sandbox, team_bot, db_path: Path, rows
):
    seed_residents(sandbox, db_path, [BANNED_COORDINATOR, BANNED_OFFICER], ["centrum"])
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    await until(lambda: menu_of(sandbox, BANNED_COORDINATOR) != [])
    for user_id in (BANNED_COORDINATOR, BANNED_OFFICER):
        assert "är avstängd" in (await coordinator.send(f"/ban {user_id} missbruk")).text
    # Their personal command menus are gone with the roles.
    await until(lambda: menu_of(sandbox, BANNED_COORDINATOR) == [])
    await until(lambda: menu_of(sandbox, BANNED_OFFICER) == [])
    assert menu_of(sandbox, COORDINATOR_ID) != []
    banned_coordinator = sandbox.user(BANNED_COORDINATOR, "Avstängd samordnare")
    banned_officer = sandbox.user(BANNED_OFFICER, "Avstängd polis")

    ref = await send_phone_tip(sandbox, db_path)
    await until(lambda: rows("SELECT count(*) FROM tip_copies") != [(0,)])
    await until(lambda: tip_copies_delivered(rows))
    assert sorted(c for (c,) in rows("SELECT chat_id FROM tip_copies")) == sorted(
        [COORDINATOR_ID, TEAM_CHAT, POLICE_ID]
    )
    assert any(ref in (m.text or "") for m in sandbox.messages(COORDINATOR_ID))

    fire = datetime.now(UTC)
    assert await jobs.run_weekly_summary(team_bot.services, team_bot.application.bot, fire)
    await sandbox.settle()
    assert any(
        (m.text or "").startswith("Veckosammanfattning") for m in sandbox.messages(COORDINATOR_ID)
    )
    for user_id in (BANNED_COORDINATOR, BANNED_OFFICER):
        assert not any(ref in (m.text or "") for m in sandbox.messages(user_id))
        assert not any("Veckosammanfattning" in (m.text or "") for m in sandbox.messages(user_id))
        assert leaks(sandbox, user_id) == []

    before = snapshot(db_path)
    refused_before = rows("SELECT count(*) FROM audit_log WHERE outcome = 'refused'")[0][0]
    for user, command in (
        (banned_coordinator, "/tips all"),
        (banned_coordinator, f"/tipset {ref} closed"),
        (banned_coordinator, "/alert centrum Falskt larm"),
        (banned_coordinator, "/export tips"),
        (banned_officer, "/tips all"),
        (banned_officer, "/alert centrum Falskt larm"),
        (banned_officer, f"/tipset {ref} closed"),
    ):
        answer = await user.send(command)
        assert "inte tillgängligt" in answer.text, command
    await sandbox.settle()
    assert leaks(sandbox, BANNED_COORDINATOR) == [] and leaks(sandbox, BANNED_OFFICER) == []
    assert snapshot(db_path) == before
    refused = rows("SELECT count(*) FROM audit_log WHERE outcome = 'refused'")[0][0]
    assert refused > refused_before
    assert rows("SELECT count(*) FROM alerts") == [(0,)]

    # A forged status press by the banned officer changes nothing.
    tip_id = rows("SELECT id FROM tips")[0][0]
    query = sandbox.inject_callback(BANNED_OFFICER, BANNED_OFFICER, 1, f"tipst:{tip_id}:closed")
    await until(lambda: query in sandbox.callback_answers)
    await sandbox.settle()
    assert snapshot(db_path) == before


async def test_tip_copy_waiting_for_a_retry_is_not_sent_after_a_ban(
    sandbox: Sandbox, team_bot, db_path: Path, rows
):
    seed_residents(sandbox, db_path, [BANNED_OFFICER], ["centrum"])
    # The officer's chat fails until the ban is in: the copy waits for a retry meanwhile.
    sandbox.faults.fail_next("sendMessage", status=502, count=100, chat_id=BANNED_OFFICER)
    await send_phone_tip(sandbox, db_path)

    def officer_copy() -> list[tuple]:
        return rows(
            "SELECT status, attempts > 0 FROM tip_copies WHERE chat_id = ?", (BANNED_OFFICER,)
        )

    await until(lambda: officer_copy() == [("pending", 1)])
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    assert "är avstängd" in (await coordinator.send(f"/ban {BANNED_OFFICER}")).text
    sandbox.faults.clear()
    await until(lambda: officer_copy() != [("pending", 1)], within=20)
    assert rows(
        "SELECT p.part, p.status, p.reason FROM tip_copy_parts p JOIN tip_copies c"
        " ON c.id = p.copy_id WHERE c.chat_id = ?",
        (BANNED_OFFICER,),
    ) == [("card", "refused", "recipient banned")]
    assert not any(
        c.status == 200
        for c in sandbox.calls
        if c.chat_id == BANNED_OFFICER and c.method == "sendMessage"
    )
