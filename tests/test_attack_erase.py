"""/forget leaves no trace: not in any row, not in any byte of the database, its WAL or a
backup taken afterwards; the files are readable by their owner only."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import sqlite3
import stat
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from storage.db import Database
from tests.conftest import COORDINATOR_ID
from tests.helpers import clean_env, mydata_file, seed_residents, until

# An id of six bytes in SQLite's record format and a name found nowhere else, so that a
# byte search for either can only hit what the bot stored about this person.
FORGOTTEN = 7_340_812_345
NAME = "Zlatimira"
OFFICER = 602
NEIGHBOUR = 603


def needles(user_id: int, name: str) -> dict[str, bytes]:
    """The person as bytes: decimal text (JSON, audit targets), SQLite's big-endian integer
    of a record and the varint of a rowid or index key, and the name in UTF-8."""
    varint = bytearray()
    value = user_id
    varint.insert(0, value & 0x7F)
    value >>= 7
    while value:
        varint.insert(0, 0x80 | (value & 0x7F))
        value >>= 7
    return {
        "decimal": str(user_id).encode(),
        "integer": user_id.to_bytes(6, "big"),
        "varint": bytes(varint),
        "name": name.encode(),
    }


async def found_in(path: Path, user_id: int, name: str) -> list[str]:
    """Which needles the file holds, read by another process: closing a file of the database
    in this one, where the bot runs, would drop the bot's SQLite locks on it (POSIX locks
    belong to the process), and SQLite would then let another connection delete the WAL."""
    process = await asyncio.create_subprocess_exec("cat", str(path), stdout=asyncio.subprocess.PIPE)
    data, _ = await process.communicate()
    assert process.returncode == 0
    return [kind for kind, needle in needles(user_id, name).items() if needle in data]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def invite_code(text: str) -> str:
    return re.search(r"start=inv_(\S+)", text).group(1)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which files are created world-readable unless asked not to."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def coordinator_config(config_file: Path) -> Path:
    """The person to be forgotten is a second coordinator: a coordinator leaves the most
    traces (invites, reminders, alerts, audit entries)."""
    config_file.write_text(
        config_file.read_text(encoding="utf-8").replace(
            f"coordinators = [{COORDINATOR_ID}]", f"coordinators = [{COORDINATOR_ID}, {FORGOTTEN}]"
        ),
        encoding="utf-8",
    )
    return config_file


@pytest.fixture
async def coordinator_bot(coordinator_config: Path, umask_022) -> AsyncIterator[Grannbot]:
    async with Grannbot(load_settings(coordinator_config), poll_timeout=1) as running:
        yield running


async def backup_with_cli(config_file: Path, dest: Path) -> None:
    """`python -m bot backup`, the operator's command, while the bot is running."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "backup",
        str(dest),
        "--config",
        str(config_file),
        env=clean_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()


async def leave_every_trace(sandbox: Sandbox, db_path: Path) -> None:
    """Registered, joined, a named tip, a role granted by the coordinator (after one was
    revoked), an invite redeemed by someone else, a reminder, an alert."""
    me = sandbox.user(FORGOTTEN, NAME)
    await me.send("/start")
    await me.press("Jag godkänner")
    await me.wait_text("Välj ditt område")
    await me.send("/join centrum")

    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    first = invite_code((await kerstin.send("/invite contact centrum")).text)
    assert "kontaktombud för Centrum" in (await me.send(f"/redeem {first}")).text
    assert str(FORGOTTEN) in (await kerstin.send(f"/revoke {FORGOTTEN}")).text
    second = invite_code((await kerstin.send("/invite contact centrum")).text)
    assert "kontaktombud för Centrum" in (await me.send(f"/redeem {second}")).text

    police = invite_code((await me.send("/invite police")).text)
    officer = sandbox.user(OFFICER, "Olle")
    await officer.send(f"/start inv_{police}")
    await officer.press("Jag godkänner")
    await officer.wait_text("Du kan nu skicka meddelanden från polisen")

    saved = await me.send("/remind weekly tis 18:30 centrum Grannmöte i Folkets hus kl 19")
    assert "sparad" in saved.text
    tip = await me.send("/tip inbrott Två män provar dörrhandtag på Storgatan")
    ref = re.search(r"T-\d{4}-\d{6}", tip.text).group(0)

    preview = await me.send("/alert centrum Cykelstölder vid stationen")
    assert "Förhandsvisning" in preview.text
    await me.press("Skicka")

    def shown(chat_id: int, text: str) -> bool:
        return any(text in (m.text or "") for m in sandbox.messages(chat_id))

    # Everything settled before /forget: the report final, the tip's copies delivered (the
    # person, a coordinator, gets one too, and their alert as a resident of centrum).
    await sandbox.wait_for(
        lambda: shown(FORGOTTEN, "Klart") and shown(FORGOTTEN, ref) and shown(COORDINATOR_ID, ref),
        timeout=60,
    )


async def test_forget_leaves_no_byte_on_disk_and_files_are_private(
    sandbox: Sandbox, coordinator_bot, config_file: Path, db_path: Path, rows, tmp_path: Path
):
    seed_residents(sandbox, db_path, [NEIGHBOUR], ["centrum"])
    await leave_every_trace(sandbox, db_path)
    wal = Path(f"{db_path}-wal")
    shm = Path(f"{db_path}-shm")
    before = await found_in(db_path, FORGOTTEN, NAME) + await found_in(wal, FORGOTTEN, NAME)
    assert {"decimal", "name"} <= set(before), "the search sees the person before /forget"
    assert rows("SELECT created_by FROM invites WHERE role = 'police'") == [(FORGOTTEN,)]
    assert rows("SELECT created_by FROM reminders") == [(FORGOTTEN,)]
    assert rows("SELECT count(*) FROM audit_log WHERE target = ?", (str(FORGOTTEN),)) == [(1,)]

    me = sandbox.user(FORGOTTEN, NAME)
    await me.send("/forget")
    done = await me.press("Ja, radera allt")
    assert "raderade" in done.text

    backup = tmp_path / "after-forget.sqlite3"
    await backup_with_cli(config_file, backup)
    for path in (db_path, wal, shm, backup):
        assert await found_in(path, FORGOTTEN, NAME) == [], path.name

    # What others still need stays, naming nobody.
    assert rows("SELECT role, granted_by FROM roles WHERE user_id = ?", (OFFICER,)) == [
        ("police", None)
    ]
    assert rows("SELECT created_by FROM invites WHERE role = 'police'") == [(None,)]
    assert rows("SELECT status, created_by FROM reminders") == [("active", None)]
    assert rows("SELECT actor_id, target, detail FROM audit_log WHERE action = 'revoke'") == [
        (COORDINATOR_ID, None, None)
    ]
    assert rows("SELECT reporter_id, contact FROM tips") == [(None, "telegram")]
    assert rows("SELECT sender_id, report_chat_id FROM alerts") == [(None, None)]

    # The bot keeps running: the officer keeps the role the forgotten coordinator's invite
    # gave, and the forgotten person is a stranger to the bot.
    assert "polis" in (await sandbox.user(OFFICER, "Olle").send("/me")).text
    assert "inte registrerad" in (await me.send("/me")).text

    for path in (db_path, wal, shm, backup):
        assert mode_of(path) == 0o600, f"{path.name}: {oct(mode_of(path))}"


async def test_mydata_lists_the_audit_entries_about_the_user(sandbox: Sandbox, bot, db_path: Path):
    seed_residents(sandbox, db_path, [NEIGHBOUR], ["centrum"])
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    code = invite_code((await kerstin.send("/invite contact centrum")).text)
    neighbour = sandbox.user(NEIGHBOUR, f"Boende {NEIGHBOUR}")
    assert "kontaktombud" in (await neighbour.send(f"/redeem {code}")).text
    await kerstin.send(f"/revoke {NEIGHBOUR}")

    answer = await mydata_file(neighbour)
    data = json.loads(answer.file_bytes)
    assert [(e["action"], e["outcome"]) for e in data["audit_about_you"]] == [("revoke", "ok")]
    assert [e["action"] for e in data["audit_log"]] == ["redeem"], "their own actions"
    assert str(COORDINATOR_ID) not in answer.file_bytes.decode(), "who did it is not shown"


async def test_files_are_private_under_umask_022_and_existing_ones_are_fixed(
    tmp_path: Path, umask_022
):
    path = tmp_path / "new.sqlite3"
    db = await Database.open(path)
    try:
        await db.write("INSERT INTO areas (code, name, created_at) VALUES ('a', 'A', 'now')")
        backup = tmp_path / "copy.sqlite3"
        await db.backup(backup)
        for made in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), backup):
            assert mode_of(made) == 0o600, f"{made.name}: {oct(mode_of(made))}"
    finally:
        await db.close()

    # Files from before, world-readable (a WAL and SHM left behind by a crash), are made
    # private when the bot opens the database.
    for made in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if not made.exists():
            made.write_bytes(b"")
        made.chmod(0o644)
    db = await Database.open(path)
    try:
        assert await db.fetchval("SELECT name FROM areas") == "A"
        for made in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert mode_of(made) == 0o600, f"{made.name}: {oct(mode_of(made))}"
    finally:
        await db.close()


async def test_secure_delete_is_on_for_readers_and_writer(tmp_path: Path):
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        assert await db.fetchval("PRAGMA secure_delete") == 1
        async with db.transaction() as tx:
            assert await tx.fetchval("PRAGMA secure_delete") == 1
    finally:
        await db.close()


async def test_a_transaction_cancelled_while_it_begins_leaves_the_database_writable(
    tmp_path: Path,
):
    """The bot stops its tasks by cancelling them: one may be waiting for its BEGIN, which
    then still runs. Left open, every later write (an erasure too) would fail."""
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        started = asyncio.Event()

        async def write() -> None:
            started.set()
            async with db.transaction() as tx:
                await tx.execute("SELECT 1")

        task = asyncio.create_task(write())
        await started.wait()  # the task now waits for its BEGIN
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await db.write("INSERT INTO areas (code, name, created_at) VALUES ('a', 'A', 'now')")
        assert await db.fetchval("SELECT count(*) FROM areas") == 1
    finally:
        await db.close()


ANONYMOUS = 7_340_812_377
ANONYMOUS_NAME = "Wendelina"
# The person's own record: what /forget removes, and the only rows allowed to name them.
OWN_RECORD = {"participants", "memberships"}


def rows_naming(db_path: Path, needles_: tuple[str, ...]) -> dict[str, list[tuple]]:
    """Every row of every table (but the person's own record) that holds a needle."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in OWN_RECORD
        ]
        found = {
            table: [
                row
                for row in conn.execute(f'SELECT * FROM "{table}"')
                if any(needle in repr(row) for needle in needles_)
            ]
            for table in tables
        }
    return {table: hits for table, hits in found.items() if hits}


async def test_an_anonymous_tip_sent_through_faults_names_its_sender_nowhere(
    sandbox: Sandbox, settings, db_path: Path, rows
):
    sandbox.user(COORDINATOR_ID, "Kerstin")
    async with Grannbot(settings, poll_timeout=0.5, backoff=0.05):
        reporter = sandbox.user(ANONYMOUS, ANONYMOUS_NAME)
        await reporter.send("/start")
        await reporter.press("Jag godkänner")
        await reporter.wait_text("Välj ditt område")
        await reporter.send("/join centrum")

        # Faults on every call around the tip: its confirmation fails several times over.
        sandbox.faults.seed(11)
        sandbox.faults.rates("*", p_5xx=0.2, p_drop=0.1)
        sandbox.faults.fail_next("sendMessage", status=502, chat_id=ANONYMOUS, count=3)
        sandbox.inject_message(ANONYMOUS, ANONYMOUS, "/tip anonym narkotika Langning vid skolan")
        await until(lambda: rows("SELECT count(*) FROM tips") == [(1,)], within=30)
        sandbox.faults.clear()
        await sandbox.wait_for(
            lambda: any("Langning" in (m.text or "") for m in sandbox.messages(COORDINATOR_ID)),
            timeout=30,
        )
        assert rows("SELECT reporter_id, contact FROM tips") == [(None, "anonymous")]
        assert rows_naming(db_path, (str(ANONYMOUS), ANONYMOUS_NAME)) == {}

        # Once the person is forgotten, no byte of the files leads from the tip to them.
        wal = Path(f"{db_path}-wal")
        seen = await found_in(db_path, ANONYMOUS, ANONYMOUS_NAME) + await found_in(
            wal, ANONYMOUS, ANONYMOUS_NAME
        )
        assert "name" in seen, "the search sees the person before /forget"
        await reporter.send("/forget")
        assert "raderade" in (await reporter.press("Ja, radera allt")).text
        for path in (db_path, wal):
            assert await found_in(path, ANONYMOUS, ANONYMOUS_NAME) == [], path.name
    assert rows("SELECT description FROM tips") == [("Langning vid skolan",)]
