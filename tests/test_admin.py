"""Roles, invites, area administration, group links, QR codes, audit log and menus."""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

import qrcode
from PIL import Image

from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import ban, grant_role, received, seed_residents

GROUP = -3001
RESIDENT, CONTACT, BANNED = 501, 502, 503


def dump_without_audit(db_path: Path) -> list[str]:
    """The whole database as SQL, except the audit log's rows."""
    with sqlite3.connect(db_path) as conn:
        return [line for line in conn.iterdump() if not line.startswith('INSERT INTO "audit_log"')]


async def test_authorization_matrix(sandbox: Sandbox, bot, db_path: Path, rows):
    seed_residents(sandbox, db_path, [RESIDENT, BANNED], ["centrum"])
    grant_role(db_path, CONTACT, "contact", "centrum")
    grant_role(db_path, BANNED, "police")
    ban(db_path, BANNED)
    sandbox.group(GROUP, "Grannsamverkan Norr")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO group_links (chat_id, area_id, linked_at)"
            " VALUES (?, (SELECT id FROM areas WHERE code = 'norr'), '2026-01-01T00:00:00Z')",
            (GROUP,),
        )
    actors = {
        RESIDENT: sandbox.user(RESIDENT, "Boende"),
        CONTACT: sandbox.user(CONTACT, "Ombud i Centrum"),
        POLICE_ID: sandbox.user(POLICE_ID, "Polis"),
        BANNED: sandbox.user(BANNED, "Avstängd polis"),
    }
    coordinator_only = [
        "/area add vaster Väster",
        "/area rename centrum Mitt",
        "/area remove centrum",
        "/area postcodes centrum 69299",
        "/invite police",
        "/invite contact norr",
        f"/revoke {RESIDENT}",
        f"/ban {RESIDENT}",
        f"/unban {RESIDENT}",
        "/audit",
        "/qr centrum",
    ]
    police_or_coordinator = ["/alert centrum Falskt larm"]
    own_area_only = ["/notice norr Hej", "/members norr"]
    group_commands = ["/linkgroup norr", "/unlinkgroup"]
    attempts = {
        RESIDENT: coordinator_only + police_or_coordinator + own_area_only,
        CONTACT: coordinator_only + police_or_coordinator + own_area_only,
        POLICE_ID: coordinator_only + own_area_only,
        BANNED: coordinator_only + police_or_coordinator + own_area_only,
    }
    before = dump_without_audit(db_path)
    tried = 0
    for user_id, commands in attempts.items():
        for command in commands:
            answer = await actors[user_id].send(command)
            assert "inte tillgängligt" in answer.text or "inte kontaktombud" in answer.text, (
                user_id,
                command,
                answer.text,
            )
            tried += 1
        for command in group_commands:
            answer = await actors[user_id].send(command, chat_id=GROUP)
            assert "inte tillgängligt" in answer.text or "inte kontaktombud" in answer.text
            tried += 1
    assert dump_without_audit(db_path) == before
    # Repeats of one action within the hour share a row (four /area attempts: one row).
    assert rows("SELECT sum(times), min(outcome), max(outcome) FROM audit_log") == [
        (tried, "refused", "refused")
    ]


def database_bytes(db_path: Path) -> bytes:
    return db_path.read_bytes() + Path(f"{db_path}-wal").read_bytes()


def invite_code(text: str) -> str:
    return re.search(r"start=inv_(\S+)", text).group(1)


async def test_invite_lifecycle(sandbox: Sandbox, bot, db_path: Path, rows):
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    created = await coordinator.send("/invite police")
    assert "72 timmar" in created.text
    code = invite_code(created.text)
    assert code.encode() not in database_bytes(db_path), "only a hash of the code is stored"

    officer = sandbox.user(601, "Olle")
    prompt = await officer.send(f"/start inv_{code}")
    assert "112" in prompt.text, "a new user consents first"
    await officer.press("Jag godkänner")
    await officer.wait_text("Du kan nu skicka meddelanden från polisen")
    assert rows("SELECT role, area_id FROM roles WHERE user_id = 601") == [("police", None)]
    preview = await officer.send("/alert centrum Test")
    assert "Förhandsvisning" in preview.text
    await officer.send("/cancel")

    other = sandbox.user(602, "Otto")
    await other.send("/start")
    await other.press("Jag godkänner")
    await other.wait_text("Välj ditt område")
    assert "redan använts" in (await other.send(f"/redeem {code}")).text
    assert "finns inte" in (await other.send("/redeem not-a-code")).text

    expired = invite_code((await coordinator.send("/invite contact norr")).text)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE invites SET expires_at = '2020-01-01T00:00:00Z' WHERE used_at IS NULL")
    assert "gått ut" in (await other.send(f"/redeem {expired}")).text

    contact_code = invite_code((await coordinator.send("/invite contact norr")).text)
    welcome = await other.send(f"/redeem {contact_code}")
    assert "kontaktombud för Norr" in welcome.text
    assert rows(
        "SELECT r.role, a.code FROM roles r JOIN areas a ON a.id = r.area_id WHERE user_id = 602"
    ) == [("contact", "norr")]

    revoked = await coordinator.send("/revoke 601")
    assert "601" in revoked.text
    assert "inte tillgängligt" in (await officer.send("/alert centrum Test")).text
    assert rows("SELECT count(*) FROM roles WHERE user_id = 601") == [(0,)]
    # Three refused codes within the hour: one row that counts them, with the first reason.
    refused = rows(
        "SELECT detail, times FROM audit_log WHERE action = 'redeem' AND outcome = 'refused'"
    )
    assert refused == [("error_invite_used", 3)]


async def test_area_add_rename_postcodes_and_remove_with_members(
    sandbox: Sandbox, bot, db_path: Path, rows
):
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    assert "skapat" in (await coordinator.send("/area add vaster Västra delen")).text
    assert "redan" in (await coordinator.send("/area add vaster Igen")).text
    bad_code = await coordinator.send("/area add bad-code X")
    assert "a–z" in bad_code.text
    set_codes = await coordinator.send("/area postcodes vaster 692 35 69236")
    assert "69235 69236" in set_codes.text
    taken = await coordinator.send("/area postcodes vaster 69231")
    assert "hör redan till området centrum" in taken.text
    assert "inget postnummer" in (await coordinator.send("/area postcodes vaster 6923")).text

    resident = sandbox.user(701, "Vera")
    await resident.send("/start")
    await resident.press("Jag godkänner")
    await resident.wait_text("Välj ditt område")
    assert "Västra delen" in (await resident.send("/join 692 35")).text

    renamed = await coordinator.send("/area rename vaster Väster")
    assert "Västra delen heter nu Väster" in renamed.text
    assert "Väster" in (await resident.send("/areas")).text

    confirm = await coordinator.send("/area remove vaster")
    assert "1 boende i " in confirm.text
    kept = await coordinator.press("Nej, behåll")
    assert "kvar" in kept.text
    await coordinator.send("/area remove vaster")
    done = await coordinator.press("Ja, ta bort")
    assert "1 boende har fått besked" in done.text
    await sandbox.wait_for(lambda: received(sandbox, 701, "Kommunen informerar – Väster") == 1)
    assert "finns inte längre" in sandbox.messages(701)[-1].text
    assert rows("SELECT count(*) FROM areas WHERE code = 'vaster'") == [(0,)]
    assert rows("SELECT count(*) FROM memberships WHERE user_id = 701") == [(0,)]
    assert "postnumret 69235" in (await resident.send("/join 69235")).text
    actions = [a for (a,) in rows("SELECT action FROM audit_log WHERE outcome = 'ok' ORDER BY id")]
    assert actions == ["area_add", "area_postcodes", "area_rename", "area_remove"]


async def test_group_link_and_unlink(sandbox: Sandbox, settings, db_path: Path, rows):
    sandbox.group(GROUP, "Grannsamverkan Centrum")
    async with Grannbot(settings, poll_timeout=1):
        grant_role(db_path, CONTACT, "contact", "norr")
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        resident = sandbox.user(RESIDENT, "Boende")
        contact = sandbox.user(CONTACT, "Ombud i Norr")
        coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
        assert (
            "inte tillgängligt" in (await resident.send("/linkgroup centrum", chat_id=GROUP)).text
        )
        denied = await contact.send("/linkgroup centrum", chat_id=GROUP)
        assert "inte kontaktombud för Centrum" in denied.text
        assert rows("SELECT count(*) FROM group_links") == [(0,)]
        in_private = await coordinator.send("/linkgroup centrum")
        assert "i den gruppchatt" in in_private.text
        linked = await coordinator.send("/linkgroup centrum", chat_id=GROUP)
        assert "kopplad till Centrum" in linked.text
    async with Grannbot(settings, poll_timeout=1):
        # The link survives a restart: an alert to Centrum reaches the group.
        officer = sandbox.user(POLICE_ID, "Polis")
        await officer.send("/alert centrum Hej gruppen")
        await officer.press("Skicka")
        await sandbox.wait_for(lambda: received(sandbox, GROUP, "Polisen informerar") == 1)
        assert "inte tillgängligt" in (await resident.send("/unlinkgroup", chat_id=GROUP)).text
        unlinked = await coordinator.send("/unlinkgroup", chat_id=GROUP)
        assert "inte längre kopplad" in unlinked.text
        assert rows("SELECT count(*) FROM group_links") == [(0,)]
        again = await coordinator.send("/unlinkgroup", chat_id=GROUP)
        assert "inte kopplad" in again.text


async def test_qr_png_encodes_the_area_deep_link(sandbox: Sandbox, bot):
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    answer = await coordinator.send("/qr centrum")
    assert answer.kind == "document" and answer.file_name == "grannsamverkan-centrum.png"
    png = answer.file_bytes
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png)).convert("L")
    assert 250 <= image.width <= 1000 and image.height > image.width, "QR with a caption band"
    link = "https://t.me/grannbot_sandbox_bot?start=area_centrum"
    assert link in answer.text
    # Read the modules back from the picture and compare them with the code for the link.
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    expected.add_data(link)
    expected.make(fit=True)
    matrix = expected.get_matrix()
    box = image.width // len(matrix)
    seen = [
        [image.getpixel((x * box + box // 2, y * box + box // 2)) < 128 for x in range(len(matrix))]
        for y in range(len(matrix))
    ]
    assert seen == matrix


async def test_members_for_own_area_and_audit_log(sandbox: Sandbox, bot, db_path: Path):
    seed_residents(sandbox, db_path, [801, 802], ["norr"])
    grant_role(db_path, CONTACT, "contact", "norr")
    contact = sandbox.user(CONTACT, "Ombud")
    listing = await contact.send("/members norr")
    assert "2 boende:" in listing.text and "Boende 801" in listing.text
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    await coordinator.send("/ban 801 hot mot andra")
    assert "inte avstängd" in (await coordinator.send("/unban 802")).text
    log = await coordinator.send("/audit 5")
    assert "ban 801" in log.text and "nekad" not in log.text


async def test_menus_per_role(sandbox: Sandbox, settings):
    def menu(scope_type: str, lang: str | None, chat_id: int | None = None) -> list[str]:
        for (scope, language), commands in sandbox.commands.items():
            if (
                f'"{scope_type}"' in scope
                and language == lang
                and (chat_id is None or str(chat_id) in scope)
            ):
                return [c["command"] for c in commands]
        return []

    # Telegram only accepts a chat menu for someone who has opened the chat with the bot.
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.user(POLICE_ID, "Polis")
    async with Grannbot(settings, poll_timeout=1):
        pass
    resident_menu = menu("all_private_chats", "sv")
    assert "join" in resident_menu and "alert" not in resident_menu and "area" not in resident_menu
    # The same commands; the Swedish menu under their Swedish names where they have one.
    english_menu = menu("all_private_chats", "en")
    assert "help" in english_menu and "hjalp" in resident_menu
    assert len(english_menu) == len(resident_menu)
    assert "area" in menu("chat", "sv", COORDINATOR_ID)
    police_menu = menu("chat", "en", POLICE_ID)
    assert "alert" in police_menu and "area" not in police_menu
