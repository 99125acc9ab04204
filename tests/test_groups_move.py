"""Groups that move: a basic group that becomes a supergroup gets a new id, and Telegram
refuses the old one. Alerts, links, tip copies and the configured team chat follow it,
whether the outbox meets the refusal first or the service message arrives first."""

from __future__ import annotations

import logging

import pytest

from bot import groups, summary
from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from handlers import senders
from storage.db import Database
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import received, seed_residents, until
from tests.test_alerts import link_group, send_alert
from tests.test_tip_copies import send_tip

GROUP = -6001
TEAM_CHAT = -6100
RESIDENT = 6201
HEADING = "Polisen informerar – Centrum"
MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"


def refused_as_moved(sandbox: Sandbox, chat_id: int) -> list:
    return [c for c in sandbox.calls if c.chat_id == chat_id and c.description == MIGRATED]


def config_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and groups.COORDINATOR_CHAT_KEY in r.getMessage()
    ]


async def test_group_migrated_between_two_alerts(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    await link_group(sandbox, GROUP, "Grannsamverkan Centrum", "centrum")
    await send_alert(sandbox, "centrum Första larmet")
    assert received(sandbox, GROUP, HEADING) == 1

    supergroup = sandbox.migrate_group(GROUP)
    report = await send_alert(sandbox, "centrum Andra larmet")

    assert received(sandbox, supergroup, HEADING) == 1
    assert "Andra larmet" in sandbox.messages(supergroup)[-1].text
    assert "2 av 2 har fått meddelandet" in report
    assert rows("SELECT chat_id, active FROM group_links") == [(supergroup, 1)]
    assert rows("SELECT count(*) FROM deliveries WHERE status != 'delivered'") == [(0,)]
    assert rows("SELECT chat_id FROM deliveries WHERE is_group = 1") == [
        (supergroup,),
        (supergroup,),
    ]


async def test_alert_on_its_way_when_the_group_moves_follows_it(
    sandbox: Sandbox, bot, db_path, rows
):
    await link_group(sandbox, GROUP, "Grannsamverkan Centrum", "centrum")
    # The first try fails, so the alert is still on its way (waiting to be retried, with
    # the old id in hand) when the group becomes a supergroup.
    sandbox.faults.fail_next("sendMessage", status=502, chat_id=GROUP)
    officer = sandbox.user(POLICE_ID, "Polis")
    await officer.send("/alert centrum Vattnet är avstängt på Storgatan")
    await officer.press("Skicka")
    await sandbox.wait_for(lambda: any(c.status == 502 for c in sandbox.calls))
    supergroup = sandbox.migrate_group(GROUP)

    # Paced like any group: at most 20 messages a minute, one every 3 seconds.
    await sandbox.wait_for(lambda: received(sandbox, supergroup, HEADING) == 1, timeout=15)
    assert len(refused_as_moved(sandbox, GROUP)) == 1, "the outbox met the old id once"
    await until(
        lambda: rows("SELECT chat_id, status FROM deliveries") == [(supergroup, "delivered")]
    )
    assert rows("SELECT chat_id FROM group_links") == [(supergroup,)]
    assert rows("SELECT count(*) FROM audit_log WHERE action = 'movegroup'") == [(1,)]


async def test_service_message_alone_moves_the_link(sandbox: Sandbox, bot, rows):
    await link_group(sandbox, GROUP, "Grannsamverkan Centrum", "centrum")
    calls_before = len(sandbox.calls)
    supergroup = sandbox.migrate_group(GROUP)

    await until(lambda: rows("SELECT chat_id, active FROM group_links") == [(supergroup, 1)])
    assert rows("SELECT old_chat_id, new_chat_id FROM chat_moves") == [(GROUP, supergroup)]
    # Both service messages arrived; the move was made (and audited) once, and the bot
    # never had to be told by a refused send.
    await sandbox.settle()
    assert sandbox.updates_pending() == 0
    assert rows("SELECT target FROM audit_log WHERE action = 'movegroup'") == [
        (f"{GROUP}:{supergroup}",)
    ]
    assert not [c for c in sandbox.calls[calls_before:] if c.chat_id == GROUP]
    # /unlinkgroup in the supergroup finds the moved link.
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    answer = await coordinator.send("/unlinkgroup", chat_id=supergroup)
    assert rows("SELECT count(*) FROM group_links") == [(0,)], answer.text


@pytest.fixture
def team_settings(config_file):
    return load_settings(
        config_file,
        roles={
            "coordinators": [COORDINATOR_ID],
            "police": [POLICE_ID],
            "coordinator_chat_id": TEAM_CHAT,
        },
    )


async def test_tip_copy_to_a_migrated_team_chat_reaches_it_also_after_a_restart(
    sandbox: Sandbox, team_settings, db_path, rows, caplog
):
    caplog.set_level(logging.INFO)
    sandbox.group(TEAM_CHAT, "Tipsgruppen")
    sandbox.user(COORDINATOR_ID, "Kerstin")
    async with Grannbot(team_settings, poll_timeout=1):
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        supergroup = sandbox.migrate_group(TEAM_CHAT)
        ref = await send_tip(sandbox, RESIDENT, "inbrott Källardörren uppbruten")
        await sandbox.wait_for(
            lambda: any(ref in (m.text or "") for m in sandbox.messages(supergroup))
        )
        await until(
            lambda: (
                rows("SELECT status FROM tip_copies WHERE chat_id = ?", (supergroup,))
                == [("delivered",)]
            )
        )
    assert len(config_warnings(caplog)) == 1, "said once, naming the config key"
    assert "change [roles] coordinator_chat_id" in config_warnings(caplog)[0]
    assert str(TEAM_CHAT) not in config_warnings(caplog)[0]
    assert str(supergroup) not in config_warnings(caplog)[0]

    # The config file still names the old group; after a restart the copy goes straight to
    # the supergroup and the operator is told again, once.
    caplog.clear()
    calls_before = len(sandbox.calls)
    async with Grannbot(team_settings, poll_timeout=1):
        second = await send_tip(sandbox, RESIDENT, "stöld Cykel stulen vid stationen")
        await sandbox.wait_for(
            lambda: any(second in (m.text or "") for m in sandbox.messages(supergroup))
        )
    assert not [c for c in sandbox.calls[calls_before:] if c.chat_id == TEAM_CHAT]
    assert len(config_warnings(caplog)) == 1


async def test_weekly_summary_follows_a_team_chat_that_moved(
    sandbox: Sandbox, team_settings, rows, caplog
):
    sandbox.group(TEAM_CHAT, "Tipsgruppen")
    async with Grannbot(team_settings, poll_timeout=1) as running:
        supergroup = sandbox.migrate_group(TEAM_CHAT)
        services = running.services
        report = await summary.compute(services, summary.Week(2026, 14))
        # Sent to the id the bot knew, whether or not the service message came first.
        await senders.send_summary_following_moves(
            services, running.application.bot, TEAM_CHAT, report, "sv"
        )
        assert [m.kind for m in sandbox.messages(supergroup)] == ["photo"]
        assert "vecka 14, 2026" in sandbox.messages(supergroup)[0].text
        assert await groups.coordinator_chat_id(services) == supergroup
    assert rows("SELECT new_chat_id FROM chat_moves") == [(supergroup,)]
    assert len(config_warnings(caplog)) == 1


async def test_moving_keeps_one_row_per_recipient(db_path):
    """A group moved while rows exist for both ids (linked again in the supergroup before
    the service message arrived): one pending row is sent, history is kept."""
    db = await Database.open(db_path)
    try:
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO areas (code, name, created_at) VALUES ('centrum', 'Centrum', 'x')"
            )
            for chat_id in (GROUP, -1000000006001):
                await tx.execute(
                    "INSERT INTO group_links (chat_id, area_id, linked_at) VALUES (?, 1, 'x')",
                    (chat_id,),
                )
            await tx.execute(
                "INSERT INTO alerts (id, kind, area_names, text, created_at)"
                " VALUES (1, 'police', 'Centrum', 'x', 'x'), (2, 'police', 'Centrum', 'y', 'x')"
            )
            await tx.executemany(
                "INSERT INTO deliveries (alert_id, chat_id, is_group, language, status)"
                " VALUES (?, ?, 1, 'sv', ?)",
                [
                    (1, GROUP, "delivered"),
                    (2, GROUP, "pending"),
                    (2, -1000000006001, "pending"),
                ],
            )
        moved = await groups.move_chat(db, GROUP, -1000000006001)
        again = await groups.move_chat(db, GROUP, -1000000006001)
        links = await db.fetchall("SELECT chat_id FROM group_links")
        deliveries = await db.fetchall(
            "SELECT alert_id, chat_id, status FROM deliveries ORDER BY alert_id"
        )
        audited = await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'movegroup'")
    finally:
        await db.close()
    assert moved.new and not again.new
    assert [tuple(r) for r in links] == [(-1000000006001,)]
    assert [tuple(r) for r in deliveries] == [
        (1, -1000000006001, "delivered"),
        (2, -1000000006001, "pending"),
    ]
    assert audited == 1
