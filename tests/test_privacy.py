"""/mydata shows exactly the user's data; /forget removes every link to them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.sandbox import Sandbox
from tests.helpers import seed_residents
from tests.test_alerts import send_alert

ME = 4242
OTHER = 4343


def references(db_path: Path, value: int) -> list[str]:
    """Every table.column in the whole database that holds ``value``."""
    found = []
    with sqlite3.connect(db_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for column in [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]:
                hits = conn.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?', (value,)
                ).fetchone()[0]
                if hits:
                    found.append(f"{table}.{column}")
    return found


async def signed_up(sandbox: Sandbox, user_id: int, name: str, *areas: str):
    user = sandbox.user(user_id, name)
    await user.send("/start")
    await user.press("Jag godkänner")
    await user.wait_text("Välj ditt område")
    for area in areas:
        await user.send(f"/join {area}")
    return user


async def test_mydata_lists_exactly_my_rows(sandbox: Sandbox, bot, db_path: Path):
    me = await signed_up(sandbox, ME, "Maja", "centrum", "norr")
    await signed_up(sandbox, OTHER, "Olof", "centrum")
    await send_alert(sandbox, "centrum Cykelstölder vid stationen")
    summary = await me.send("/mydata")
    assert "Det här har vi sparat om dig" in summary.text, "the words come first"
    answer = await me.wait_text("(JSON)")
    assert answer.kind == "document" and answer.file_name == "grannbot-mydata.json"
    data = json.loads(answer.file_bytes)
    assert data["participant"][0]["user_id"] == ME
    assert data["participant"][0]["first_name"] == "Maja"
    assert sorted(m["area"] for m in data["memberships"]) == ["centrum", "norr"]
    assert len(data["messages_received"]) == 1
    assert data["roles"] == [] and data["alerts_sent"] == []
    text = answer.file_bytes.decode()
    assert str(OTHER) not in text and "Olof" not in text


async def test_forget_removes_every_reference(sandbox: Sandbox, bot, db_path: Path, rows):
    seed_residents(sandbox, db_path, [OTHER], ["centrum"])
    me = await signed_up(sandbox, ME, "Maja", "centrum")
    await send_alert(sandbox, "centrum Hej")
    assert references(db_path, ME), "the resident is in the database before /forget"

    await me.send("/forget")
    kept = await me.press("Nej, behåll")
    assert "inget raderades" in kept.text
    assert rows("SELECT count(*) FROM participants WHERE user_id = ?", (ME,)) == [(1,)]

    await me.send("/forget")
    done = await me.press("Ja, radera allt")
    assert "raderade" in done.text
    assert references(db_path, ME) == []
    # The other resident and the alert itself are untouched.
    assert rows("SELECT user_id FROM participants") == [(OTHER,)]
    assert rows("SELECT count(*) FROM deliveries WHERE chat_id = ?", (OTHER,)) == [(1,)]
    me_now = await me.send("/me")
    assert "inte registrerad" in me_now.text
