"""Tips after they are sent: routing, status buttons and /tipset, history, the reporter's
/tipstatus, anonymity in the whole database, /mydata and /forget, the retention job."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot import clock
from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from bot.tip_handling import UNDO_WINDOW
from handlers.jobs import RETENTION as RETENTION_JOB
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import grant_role, mydata_file, seed_residents
from tests.test_tips import full_reference_in, reference_in

RESIDENT = 401
SECRET_NAME = "Zebulon Hemligsson"
TEAM_CHAT = -7001
OFFICER = 402


@pytest.fixture(autouse=True)
def _clock_back() -> Iterator[None]:
    yield
    clock.reset()


@pytest.fixture(autouse=True)
def _handlers_known(sandbox: Sandbox) -> None:
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.user(POLICE_ID, "Polis")


async def send_tip(sandbox: Sandbox, user_id: int, text: str) -> str:
    return (await send_tip_refs(sandbox, user_id, text))[0]


async def send_tip_refs(sandbox: Sandbox, user_id: int, text: str) -> tuple[str, str]:
    """The reference in its short form (as stored) and in full (as the reporter types it)."""
    answer = await sandbox.user(user_id, f"Boende {user_id}").send(f"/tip {text}")
    return reference_in(answer.text), full_reference_in(answer.text)


async def test_coordinator_buttons_change_status_and_tell_the_reporter(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    ref, full_ref = await send_tip_refs(
        sandbox, RESIDENT, "inbrott Två män provar dörrhandtag på Storgatan"
    )
    await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) == 1)
    card = sandbox.messages(COORDINATOR_ID)[0]
    assert ref in card.text and "Inbrott" in card.text and "Centrum" in card.text
    assert "svar i Telegram" in card.text
    labels = [label for label, _ in card.buttons()]
    assert labels == ["Läst", "Till polisen", "Klar", "Ingen åtgärd"]
    # Police are not notified unless [tips] notify_police is set.
    assert sandbox.messages(POLICE_ID) == []

    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    edited = await kerstin.press("Läst")
    # Kerstin never signed up as a resident: the card names her role.
    assert "Status: Läst – Samordnaren, " in edited.text
    # The reporter hears of a change by button once it can no longer be undone.
    clock.advance(UNDO_WINDOW + timedelta(seconds=1))
    told = await sandbox.user(RESIDENT, "Boende 401").wait_text("Tack för ditt tips")
    assert full_ref in told.text and "läst" in told.text
    await kerstin.press("Ingen åtgärd")
    clock.advance(UNDO_WINDOW + timedelta(seconds=1))
    await sandbox.wait_for(lambda: "ingen åtgärd" in (sandbox.messages(RESIDENT)[-1].text or ""))

    done = await kerstin.send(f"/tipset {ref} closed Kontrollerat med grannen")
    assert "Klar" in done.text
    history = rows(
        "SELECT h.status, h.note, h.changed_by FROM tip_status_history h JOIN tips t"
        " ON t.id = h.tip_id WHERE t.ref = ? ORDER BY h.id",
        (ref,),
    )
    assert history == [
        ("new", None, None),
        ("reviewed", None, COORDINATOR_ID),
        ("false_alarm", None, COORDINATOR_ID),
        ("closed", "Kontrollerat med grannen", COORDINATOR_ID),
    ]
    assert rows("SELECT status FROM tips") == [("closed",)]
    status = await sandbox.user(RESIDENT, "Boende 401").send(f"/tipstatus {full_ref}")
    assert "Klar" in status.text and "Kontrollerat" not in status.text
    assert rows("SELECT count(*) FROM audit_log WHERE action = 'tipset'") == [(3,)]


async def test_resident_cannot_change_status(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT, 403], ["centrum"])
    ref = await send_tip(sandbox, RESIDENT, "stöld Cykel stulen")
    resident = sandbox.user(403, "Boende 403")
    assert "inte tillgängligt" in (await resident.send(f"/tipset {ref} closed")).text
    assert "inte tillgängligt" in (await resident.send("/tips all")).text
    tip_id = rows("SELECT id FROM tips")[0][0]
    # A forged press of a status button changes nothing either.
    sandbox.inject_callback(403, 403, 1, f"tipst:{tip_id}:closed")
    await sandbox.wait_for(
        lambda: any(a.get("text") for a in sandbox.callback_answers.values()), timeout=5
    )
    assert rows("SELECT status FROM tips") == [("new",)]
    assert rows("SELECT count(*) FROM tip_status_history") == [(1,)]
    assert rows("SELECT count(*) FROM audit_log WHERE outcome = 'refused'") == [(3,)]


async def test_anonymous_reporter_is_not_told_and_tipstatus_works(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    ref, full_ref = await send_tip_refs(sandbox, RESIDENT, "anonym narkotika Langning vid skolan")
    before = len(sandbox.messages(RESIDENT))
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    assert "Till polisen" in (await kerstin.send(f"/tipset {ref} forwarded")).text
    assert len(sandbox.messages(RESIDENT)) == before
    stranger = sandbox.user(499, "Vem som helst")
    answer = await stranger.send(f"/tipstatus {full_ref.lower()}")
    assert "Till polisen" in answer.text
    assert "inget tips" in (await stranger.send("/tipstatus T-1999-000001")).text
    assert "Skriv /tipstatus" in (await stranger.send("/tipstatus")).text


async def test_tipset_usage_and_unknown_reference(sandbox: Sandbox, bot, rows):
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    assert "STATUS är en av" in (await kerstin.send("/tipset")).text
    assert "STATUS är en av" in (await kerstin.send("/tipset T-2026-000001 solved")).text
    assert "inget tips" in (await kerstin.send("/tipset T-2026-000001 closed")).text


@pytest.fixture
async def routed_bot(config_file, db_path):
    settings = load_settings(
        config_file,
        tips={"notify_police": True},
        roles={
            "coordinators": [COORDINATOR_ID],
            "police": [POLICE_ID],
            "coordinator_chat_id": TEAM_CHAT,
        },
    )
    async with Grannbot(settings, poll_timeout=1) as running:
        yield running


async def test_routing_to_team_chat_and_police(sandbox: Sandbox, routed_bot, db_path, rows):
    sandbox.group(TEAM_CHAT, "Tipsgruppen")
    sandbox.user(OFFICER, "Inbjuden polis")
    grant_role(db_path, OFFICER, "police")
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    ref = await send_tip(sandbox, RESIDENT, "rattfylleri Bil kör sicksack på Kumlavägen")
    for chat in (COORDINATOR_ID, TEAM_CHAT, POLICE_ID, OFFICER):
        await sandbox.wait_for(lambda chat=chat: len(sandbox.messages(chat)) == 1)
        assert ref in sandbox.messages(chat)[0].text
    # An officer handles the tip from the card.
    officer = sandbox.user(OFFICER, "Inbjuden polis")
    edited = await officer.press("Till polisen")
    assert "Status: Till polisen – Ombud, " in edited.text  # the first name on record
    assert rows("SELECT changed_by FROM tip_status_history ORDER BY id") == [(None,), (OFFICER,)]
    listing = await officer.send("/tips all centrum")
    assert "Alla tips" in listing.text


async def test_tips_list_open_all_and_by_area(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    seed_residents(sandbox, db_path, [403], ["norr"])
    ref1 = await send_tip(sandbox, RESIDENT, "stöld Cykel stulen")
    ref2 = await send_tip(sandbox, 403, "skadegörelse Krossad busskur")
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    await kerstin.send(f"/tipset {ref1} closed")
    mark = len(sandbox.messages(COORDINATOR_ID))
    header = await kerstin.send("/tips")
    assert "Öppna tips" in header.text and "1 av 1" in header.text
    await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) == mark + 2)
    assert ref2 in sandbox.messages(COORDINATOR_ID)[-1].text
    assert "2 av 2" in (await kerstin.send("/tips all")).text
    assert "Norr" in (await kerstin.send("/tips all norr")).text
    assert "Okänt område" in (await kerstin.send("/tips open atlantis")).text
    assert "Inga öppna tips" in (await kerstin.send("/tips open centrum")).text


def scan(db_path: Path, needle: str) -> list[str]:
    """Every table.column whose text contains ``needle``, over the whole database."""
    found = []
    with sqlite3.connect(db_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for column in [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]:
                hits = conn.execute(
                    f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE ?',
                    (f"%{needle}%",),
                ).fetchone()[0]
                if hits:
                    found.append(f"{table}.{column}")
    return found


def raw_bytes(db_path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal"):
        path = Path(f"{db_path}{suffix}")
        if path.exists():
            data += path.read_bytes()
    return data


async def test_anonymous_tip_leaves_no_trace_of_the_reporter(sandbox: Sandbox, bot, db_path, rows):
    reporter = 777123
    seed_residents(sandbox, db_path, [reporter], ["centrum", "norr"])
    # The name Telegram shows for the reporter now; the bot must never write it down.
    user = sandbox.user(reporter, SECRET_NAME)
    before = scan(db_path, str(reporter))
    assert "participants.user_id" in before and not [c for c in before if "tip" in c]

    await user.send("/tip")
    await user.press("Narkotika")
    await user.press("Centrum")
    await user.press("Pågår nu")
    await user.press("Fortsätt ändå")
    await user.send("Langning bakom idrottshallen varje kväll")
    await user.send_photo()
    await user.send_location(59.1276543, 15.1432109)
    await user.press("Vidare")
    await user.press("Anonymt")
    await user.press("Skicka tipset")
    ref = reference_in((await user.wait_text("Tack!")).text)
    await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) == 3)
    await sandbox.user(COORDINATOR_ID, "Kerstin").send(f"/tipset {ref} reviewed Noterat")

    assert scan(db_path, str(reporter)) == before
    assert scan(db_path, SECRET_NAME) == []
    assert rows("SELECT reporter_id, phone, contact FROM tips") == [(None, None, "anonymous")]
    assert rows("SELECT DISTINCT changed_by FROM tip_status_history ORDER BY 1") == [
        (None,),
        (COORDINATOR_ID,),
    ]
    data = raw_bytes(db_path)
    assert b"Langning bakom idrottshallen" in data, "the scan does see the tip"
    assert SECRET_NAME.encode() not in data
    card = sandbox.messages(COORDINATOR_ID)[0].text
    assert str(reporter) not in card and SECRET_NAME not in card and "anonymt" in card


async def test_mydata_shows_my_tips_and_forget_unlinks_them(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 401")
    ref, full_ref = await send_tip_refs(sandbox, RESIDENT, "stöld Cykel stulen vid stationen")
    anonymous_ref = await send_tip(sandbox, RESIDENT, "anonym inbrott Förråd uppbrutet")
    await user.send("/tip")
    await user.press("Övrigt")
    await user.press("Pågår nu")
    await user.press("Fortsätt ändå")
    await user.send("Trasig belysning")
    await user.press("Vidare")
    await user.press("Ring mig")
    await user.send("070-111 22 33")
    await user.press("Skicka tipset")
    thanks = (await user.wait_text("Tack!")).text
    phone_ref, full_phone_ref = reference_in(thanks), full_reference_in(thanks)

    answer = await mydata_file(user)
    data = json.loads(answer.file_bytes)
    assert [t["ref"] for t in data["tips"]] == [full_ref, full_phone_ref]
    assert data["tips"][1]["phone"] == "0701112233"
    assert anonymous_ref not in answer.file_bytes.decode()

    await user.send("/forget")
    await user.press("Ja, radera allt")
    await user.wait_text("raderade")
    assert rows("SELECT ref, reporter_id, phone FROM tips ORDER BY id") == [
        (ref, None, None),
        (anonymous_ref, None, None),
        (phone_ref, None, None),
    ]
    assert scan(db_path, str(RESIDENT)) == []
    assert scan(db_path, "0701112233") == []


async def test_retention_job_deletes_exactly_the_old_tips(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 401")
    await user.send("/tip")
    await user.press("Stöld")
    await user.press("Pågår nu")
    await user.press("Fortsätt ändå")
    await user.send("Cykel stulen")
    await user.send_photo()
    await user.press("Vidare")
    await user.press("Anonymt")
    await user.press("Skicka tipset")
    old_ref = reference_in((await user.wait_text("Tack!")).text)
    young_ref = await send_tip(sandbox, RESIDENT, "stöld Moped stulen")
    border_ref = await send_tip(sandbox, RESIDENT, "stöld Sparkcykel stulen")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE tips SET created_at = '2020-01-01T00:00:00Z' WHERE ref = ?", (old_ref,)
        )
        # One day inside the 730-day retention period: kept.
        conn.execute(
            "UPDATE tips SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-729 days')"
            " WHERE ref = ?",
            (border_ref,),
        )
    jobs = bot.application.job_queue.get_jobs_by_name(RETENTION_JOB)
    assert len(jobs) == 1
    trigger = str(jobs[0].trigger)
    assert "hour='3'" in trigger and "minute='30'" in trigger
    assert str(jobs[0].trigger.timezone) == "Europe/Stockholm"
    await jobs[0].run(bot.application)
    assert rows("SELECT ref FROM tips ORDER BY id") == [(young_ref,), (border_ref,)]
    assert rows("SELECT count(*) FROM tip_attachments") == [(0,)]
    assert rows(
        "SELECT count(*) FROM tip_status_history WHERE tip_id NOT IN (SELECT id FROM tips)"
    ) == [(0,)]
    assert rows("SELECT count(*) FROM tip_status_history") == [(2,)]


async def test_coordinator_copy_survives_passing_network_trouble(
    sandbox: Sandbox, bot, db_path: Path
):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    # The first two tries to reach the coordinator fail: a 502, then a dropped connection.
    sandbox.faults.fail_next("sendMessage", status=502, chat_id=COORDINATOR_ID)
    sandbox.faults.fail_next("sendMessage", status="drop", chat_id=COORDINATOR_ID)
    ref = await send_tip(sandbox, RESIDENT, "stöld Cykel stulen vid stationen")
    await sandbox.wait_for(
        lambda: any(ref in (m.text or "") for m in sandbox.messages(COORDINATOR_ID)), timeout=15
    )
    failed = [c for c in sandbox.calls if c.chat_id == COORDINATOR_ID and c.status in (0, 502)]
    assert len(failed) == 2
