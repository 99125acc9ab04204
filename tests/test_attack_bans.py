"""Bans that hold: a ban is kept under a keyed hash of the user id, so that it can be set on
someone who never registered and outlives /forget; a banned user gets no way back in through
/start, its deep links, the consent button or /redeem, and gets no alert."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.sandbox import Sandbox
from bot.signup import Consent, register
from storage import bans as ban_rows
from storage import deliveries as outbox_rows
from storage.areas import area_by_code
from storage.db import Database
from tests.conftest import COORDINATOR_ID
from tests.helpers import ban_hash, mydata_file, old_database, seed_residents
from tests.test_alerts import send_alert
from tests.test_attack_erase import found_in, invite_code

# Ten digits and a name found nowhere else, so that a byte search can only hit what the bot
# stored about this person (see test_attack_erase.needles).
BANNED = 7_340_812_377
NAME = "Wendelina"
STRANGER = 7_340_812_388
RESIDENT = 811
NEIGHBOUR = 812
REFUSED = "Du kan inte använda Grannbot"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def lines_naming(db_path: Path, user_id: int) -> list[str]:
    """Every line of the database dumped as SQL that holds the user id in decimal."""
    with sqlite3.connect(db_path) as conn:
        return [line for line in conn.iterdump() if str(user_id) in line]


def last_callback_answer(sandbox: Sandbox) -> str:
    return list(sandbox.callback_answers.values())[-1].get("text") or ""


async def test_ban_before_registration_refuses_start_and_consent(
    sandbox: Sandbox, bot, db_path: Path, rows
):
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    stranger = sandbox.user(STRANGER, NAME)
    code = invite_code((await coordinator.send("/invite contact centrum")).text)
    # The consent prompts are open on the stranger's screen when the ban comes in.
    prompt = await stranger.send("/start")
    assert "avstängningen som en kod" in prompt.text, "the privacy notice speaks of bans"
    assert prompt.buttons() == [("✅ Jag godkänner", "consent")]
    invited = await stranger.send(f"/start inv_{code}")
    assert invited.buttons() == [("✅ Jag godkänner", f"consentinv:{code}")]

    answer = await coordinator.send(f"/ban {STRANGER} hot mot grannar")
    assert "är avstängd" in answer.text
    assert rows("SELECT user_hash, reason FROM bans") == [
        (ban_hash(db_path, STRANGER), "hot mot grannar")
    ]
    assert DATE.match(rows("SELECT banned_on FROM bans")[0][0]), "a date, not a time"

    # The invite's consent button (the newest one), then the plain one.
    for label in (f"consentinv:{code}", "consent"):
        await stranger.press(label)
        assert REFUSED in last_callback_answer(sandbox), label
    for command in ("/start", "/start area_centrum", f"/start inv_{code}", f"/redeem {code}"):
        answer = await stranger.send(command)
        assert REFUSED in answer.text, command
        assert answer.reply_markup is None, command

    assert rows("SELECT count(*) FROM participants") == [(0,)]
    assert rows("SELECT used_at FROM invites") == [(None,)]
    assert rows("SELECT count(*) FROM roles WHERE user_id = ?", (STRANGER,)) == [(0,)]
    # Nothing names them but the audit log (the coordinator's ban and each refusal); the ban
    # itself holds only the hash.
    naming = lines_naming(db_path, STRANGER)
    assert naming and all(line.startswith('INSERT INTO "audit_log"') for line in naming), naming
    refused = rows(
        "SELECT action, sum(times) FROM audit_log WHERE actor_id = ? AND outcome = 'refused'"
        " GROUP BY action ORDER BY action",
        (STRANGER,),
    )
    assert refused == [("consent", 1), ("redeem", 3), ("start", 2)]
    with sqlite3.connect(db_path) as conn:
        assert not any(NAME in line for line in conn.iterdump())


async def test_ban_outlives_forget_and_leaves_no_trace_of_the_person(
    sandbox: Sandbox, bot, db_path: Path, rows
):
    me = sandbox.user(BANNED, NAME)
    await me.send("/start")
    await me.press("Jag godkänner")
    await me.wait_text("Välj ditt område")
    await me.send("/join centrum")
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    assert "är avstängd" in (await coordinator.send(f"/ban {BANNED} {NAME} hotade grannar")).text

    mydata = await mydata_file(me)
    assert "Du är avstängd" in mydata.text
    data = json.loads(mydata.file_bytes)
    assert data["ban"] == [
        {"banned_on": datetime.now(UTC).date().isoformat(), "reason": f"{NAME} hotade grannar"}
    ]
    assert data["participant"][0]["banned_at"] == data["ban"][0]["banned_on"]

    await me.send("/forget")
    assert "raderade" in (await me.press("Ja, radera allt")).text
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        assert await found_in(path, BANNED, NAME) == [], path.name
    # The ban stays, without its reason (it named the person).
    assert rows("SELECT user_hash, reason FROM bans") == [(ban_hash(db_path, BANNED), None)]

    # Signing up again is refused, by every way in.
    for command in ("/start", "/start area_centrum"):
        answer = await me.send(command)
        assert REFUSED in answer.text and answer.reply_markup is None, command
    assert rows("SELECT count(*) FROM participants") == [(0,)]
    mydata = await mydata_file(me)
    assert "Du är avstängd" in mydata.text
    assert json.loads(mydata.file_bytes)["ban"][0]["reason"] is None


async def test_banned_resident_cannot_redeem_and_invite_stays_unused(
    sandbox: Sandbox, bot, db_path: Path, rows
):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    code = invite_code((await coordinator.send("/invite contact centrum")).text)
    await coordinator.send(f"/ban {RESIDENT}")
    resident = sandbox.user(RESIDENT, f"Boende {RESIDENT}")
    for command in (f"/redeem {code}", f"/start inv_{code}"):
        assert REFUSED in (await resident.send(command)).text, command
    assert rows("SELECT used_at FROM invites") == [(None,)]
    assert rows("SELECT count(*) FROM roles") == [(0,)]

    # Lifted, the same invite works: it was never used up.
    assert "inte längre avstängd" in (await coordinator.send(f"/unban {RESIDENT}")).text
    assert "kontaktombud för Centrum" in (await resident.send(f"/redeem {code}")).text
    assert rows("SELECT role FROM roles WHERE user_id = ?", (RESIDENT,)) == [("contact",)]


async def test_unban_lets_a_stranger_sign_up(sandbox: Sandbox, bot, db_path: Path, rows):
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    stranger = sandbox.user(STRANGER, NAME)
    await coordinator.send(f"/ban {STRANGER}")
    assert REFUSED in (await stranger.send("/start")).text

    assert "inte längre avstängd" in (await coordinator.send(f"/unban {STRANGER}")).text
    assert rows("SELECT count(*) FROM bans") == [(0,)]
    assert "inte avstängd" in (await coordinator.send(f"/unban {STRANGER}")).text
    prompt = await stranger.send("/start area_centrum")
    assert prompt.buttons() == [("✅ Jag godkänner", "consent:centrum")]
    await stranger.press("Jag godkänner")
    await stranger.wait_text("Centrum")
    assert rows("SELECT banned_at FROM participants WHERE user_id = ?", (STRANGER,)) == [(None,)]
    assert rows("SELECT count(*) FROM memberships WHERE user_id = ?", (STRANGER,)) == [(1,)]


async def test_banned_resident_gets_no_alert(sandbox: Sandbox, bot, db_path: Path, rows):
    seed_residents(sandbox, db_path, [RESIDENT, NEIGHBOUR], ["centrum"])
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    await coordinator.send(f"/ban {RESIDENT}")
    report = await send_alert(sandbox, "centrum Inbrott på Storgatan i natt")
    assert "1 av 1 har fått meddelandet" in report
    assert any("Storgatan" in (m.text or "") for m in sandbox.messages(NEIGHBOUR))
    assert not any("Storgatan" in (m.text or "") for m in sandbox.messages(RESIDENT))
    assert rows("SELECT chat_id FROM deliveries") == [(NEIGHBOUR,)]


async def test_consent_racing_a_ban_registers_the_person_as_banned(tmp_path: Path):
    """A ban committed between the handler's check and the consent's own transaction: the
    new participant row takes the ban's flag in the same statement, so no alert reaches them."""
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        await db.write(
            "INSERT INTO areas (code, name, created_at) VALUES ('centrum', 'Centrum', 'x')"
        )
        area = await area_by_code(db, "centrum")
        async with db.transaction() as tx:
            await ban_rows.ban(tx, STRANGER, None)
        assert await register(db, STRANGER, Consent(NAME, "sv"), area)
        flag = await db.fetchval(
            "SELECT banned_at FROM participants WHERE user_id = ?", (STRANGER,)
        )
        assert flag is not None and DATE.match(flag)
        assert await outbox_rows.recipient_counts(db, [area.id]) == (0, 0)
    finally:
        await db.close()


async def test_migration_moves_existing_bans_to_keyed_hashes(tmp_path: Path):
    """A database from before: bans in participants.banned_at/ban_reason move to hash rows
    under a new random key, in the migration's own transaction."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        old_database(conn)
        conn.executemany(
            "INSERT INTO participants (user_id, first_name, language, consent_at, banned_at,"
            " ban_reason) VALUES (?, ?, 'sv', '2026-01-01T00:00:00Z', ?, ?)",
            [
                (RESIDENT, "Boende", "2026-03-04T05:06:07Z", "skräppost"),
                (NEIGHBOUR, "Granne", None, None),
            ],
        )
    db = await Database.open(path)
    await db.close()
    assert ban_hash(path, RESIDENT) != ban_hash(path, NEIGHBOUR)
    with sqlite3.connect(path) as conn:
        key = conn.execute("SELECT value FROM bot_secrets WHERE name = 'ban_key'").fetchone()[0]
        assert len(key) == 32
        assert conn.execute("SELECT user_hash, banned_on, reason FROM bans").fetchall() == [
            (ban_hash(path, RESIDENT), "2026-03-04", "skräppost")
        ]
        assert conn.execute(
            "SELECT user_id, banned_at FROM participants ORDER BY 1"
        ).fetchall() == [
            (RESIDENT, "2026-03-04"),
            (NEIGHBOUR, None),
        ]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(participants)")]
        assert "ban_reason" not in columns
    # A second database gets its own key.
    other = await Database.open(tmp_path / "other.sqlite3")
    await other.close()
    assert ban_hash(tmp_path / "other.sqlite3", RESIDENT) != ban_hash(path, RESIDENT)
