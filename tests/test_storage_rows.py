"""Rows are read by column name: a column added to any table changes nothing that the row
readers of storage/ return (a reader that took ``SELECT *`` by position would fail or shift
its values)."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage import (
    areas,
    audit,
    bans,
    deliveries,
    events,
    flows,
    invites,
    notices,
    participants,
    privacy,
    reminders,
    retention,
    roles,
    stats,
    tip_copies,
    tips,
)
from storage.db import Database, from_row

RESIDENT, OFFICER, GROUP = 1001, 2002, -3003
FAR = "9999-12-31T00:00:00Z"


async def _seed(db: Database) -> None:
    """At least one row in every table a reader reads."""
    await areas.seed_areas(db, [("centrum", "Centrum", ["69231"]), ("norr", "Norr", [])])
    centrum = (await areas.area_by_code(db, "centrum")).id
    async with db.transaction() as tx:
        await participants.upsert_consent(tx, RESIDENT, "Anna", "sv", "2026-03-02")
        await participants.upsert_consent(tx, OFFICER, "Olle", "en", "2026-03-03")
        await participants.upsert_consent(tx, 5005, "Bo", "sv", "2026-03-04")
        await participants.add_membership(tx, RESIDENT, centrum, "2026-03-02")
        await events.record(tx, "consent", "2026-03-02")
        await events.record(tx, "join", "2026-03-02", [centrum])
        await roles.grant(tx, OFFICER, "police", None, None)
        await roles.grant(tx, RESIDENT, "contact", centrum, OFFICER)
        await audit.record(tx, OFFICER, "ban", target=str(RESIDENT), detail="why")
        await audit.record(tx, RESIDENT, "summary", outcome="refused", target=str(RESIDENT))
        await invites.insert(tx, "hash", "police", None, OFFICER, FAR)
        await bans.ban(tx, 4004, "spam")
        alert_id = await deliveries.insert_alert(
            tx,
            kind="police",
            sender_id=OFFICER,
            area_ids=[centrum],
            area_names="Centrum",
            text="Inbrott",
            report_chat_id=OFFICER,
        )
        await tx.execute(
            "INSERT INTO group_links (chat_id, area_id, title, linked_by, linked_at)"
            " VALUES (?, ?, 'Grupp', ?, '2026-03-02T10:00:00Z')",
            (GROUP, centrum, OFFICER),
        )
        await deliveries.enqueue_recipients(tx, alert_id, [centrum], "sv")
        await deliveries.set_report_message(tx, alert_id, OFFICER, 77, "Rapport")
        tip = await tips.insert_tip(
            tx,
            tips.NewTip("theft", centrum, "2026-03-01", "Cykel", RESIDENT, "phone", "0701234567"),
            2026,
            "K7QF",
        )
        await tips.set_status(tx, tip.id, "reviewed", "sett", OFFICER)
        await deliveries.enqueue_tip_copies(tx, tip.id, [OFFICER, GROUP], "sv")
        copy_id = await tx.fetchval("SELECT id FROM tip_copies ORDER BY id LIMIT 1")
        await tip_copies.record_part(tx, copy_id, "card", tip_copies.SENT)
        await notices.insert(
            tx, chat_id=OFFICER, text_key="k", vals="{}", about_id=RESIDENT, subject_id=alert_id
        )
        reminder_id = await reminders.insert(
            tx,
            schedule="once 2026-03-01 10:00",
            all_areas=False,
            area_ids=[centrum],
            text="Lås cykeln",
            created_by=OFFICER,
            next_run="2026-03-01T09:00:00Z",
        )
        await reminders.mark_missed(tx, reminder_id, "2026-03-01T09:00:00Z")
        await reminders.insert(
            tx,
            schedule="every monday 10:00",
            all_areas=True,
            area_ids=[],
            text="Veckans påminnelse",
            created_by=OFFICER,
            next_run="2026-03-09T09:00:00Z",
        )
        await flows.save(
            tx, [flows.FlowRow(RESIDENT, "tip", RESIDENT, '"s"', '{"a": 1}', "2026-03-02")]
        )
        await tx.execute("UPDATE participants SET inactive_since = '2026-01-01'")


def _readers(db: Database) -> dict[str, Callable[[], Awaitable[object]]]:
    async def first_tip() -> tips.Tip | None:
        return await tips.tip_by_ref(db, "T-2026-000001")

    async def tip_and_history() -> object:
        tip = await first_tip()
        return tip, await tips.history(db, tip.id)

    async def first_reminder() -> object:
        return await reminders.reminder(db, (await reminders.listed(db))[0].id)

    async def alerts() -> object:
        ids = await deliveries.unfinished_alert_ids(db)
        return ids, await deliveries.alerts_by_ids(db, ids), await deliveries.status_counts(db, 1)

    async def copy_parts() -> object:
        copies = await deliveries.pending_after(db, deliveries.TIP, 0, 10)
        return copies, await tip_copies.parts_done(db, copies[0].id)

    return {
        "all_areas": lambda: areas.all_areas(db),
        "area_by_code": lambda: areas.area_by_code(db, "centrum"),
        "area_by_postcode": lambda: areas.area_by_postcode(db, "69231"),
        "areas_by_ids": lambda: areas.areas_by_ids(db, [1, 2]),
        "postcode_owners": lambda: areas.postcode_owners(db, ["69231"]),
        "member_ids": lambda: areas.member_ids(db, 1),
        "member_names": lambda: areas.member_names(db, 1),
        "participant": lambda: participants.participant(db, RESIDENT),
        "areas_of": lambda: participants.areas_of(db, RESIDENT),
        "area_ids_of": lambda: events.area_ids_of(db, RESIDENT),
        "roles_of": lambda: roles.roles_of(db, RESIDENT),
        "privileged_users": lambda: roles.privileged_users(db),
        "audit_older": lambda: audit.older(db, None, 0, 10),
        "audit_newer": lambda: audit.newer(db, 0, 10),
        "audit_about": lambda: audit.about(db, RESIDENT),
        "invite": lambda: invites.by_hash(db, "hash"),
        "ban_of": lambda: bans.ban_of(db, 4004),
        "alerts": alerts,
        "recent_alerts_for": lambda: deliveries.recent_alerts_for(db, RESIDENT, 5),
        "pending_alerts": lambda: deliveries.pending_after(db, deliveries.ALERT, 0, 10),
        "pending_notices": lambda: deliveries.pending_after(db, deliveries.NOTICE, 0, 10),
        "copy_parts": copy_parts,
        "reports_to_check": lambda: deliveries.reports_to_check(db, "2000-01-01"),
        "notice": lambda: notices.notice(db, 1),
        "tip": tip_and_history,
        "list_tips": lambda: tips.list_tips(db, open_only=True, area_id=None, limit=5),
        "tips_created_between": lambda: tips.tips_created_between(db, None, None),
        "refs_of_reporter": lambda: tips.refs_of_reporter(db, RESIDENT),
        "police_officer_ids": lambda: tips.police_officer_ids(db),
        "participants_for_export": lambda: tips.participants_for_export(db, None, None),
        "reminder": first_reminder,
        "reminders_listed": lambda: reminders.listed(db),
        "reminders_active": lambda: reminders.active(db),
        "reminder_targets": lambda: reminders.target_area_ids(db, 2, True),
        "missed_unreported": lambda: reminders.missed_unreported(db, FAR),
        "flows": lambda: flows.all_flows(db),
        "members_per_area": lambda: stats.members_per_area(db),
        "signup_events": lambda: stats.signup_events(db, "2026-01-01", "2026-12-31"),
        "alerts_by_kind": lambda: stats.alerts_by_kind(db, "2000-01-01", FAR),
        "tips_by_category": lambda: stats.tips_by_category(db, "2000-01-01", "2001-01-01", FAR),
        "tips_by_area": lambda: stats.tips_by_area(db, "2000-01-01", "2001-01-01", FAR),
        "open_tips_before": lambda: stats.open_tips_before(db, FAR, 5),
        "tips_per_week": lambda: stats.tips_per_week(db, ["2000-01-01", FAR]),
        "rows_about": lambda: privacy.rows_about(db, RESIDENT),
        "inactive_participants": lambda: retention.inactive_participants(db, "2026-02-01", []),
    }


async def _read_all(db: Database) -> dict[str, object]:
    return {name: await read() for name, read in _readers(db).items()}


async def test_a_column_added_to_every_table_changes_no_reader(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        await _seed(db)
        before = await _read_all(db)
        empty = [name for name, value in before.items() if not value or value == (None, [])]
        assert empty == []
        tables = [
            r["name"]
            for r in await db.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        assert {"participants", "alerts", "tips", "audit_log", "invites"} <= set(tables)
        async with db.transaction() as tx:
            for table in tables:
                await tx.execute(f"ALTER TABLE {table} ADD COLUMN zz_added TEXT DEFAULT 'new'")
        after = await _read_all(db)
        assert after == before
    finally:
        await db.close()


@dataclass(frozen=True, slots=True)
class _Pair:
    left: int
    right: str


def test_from_row_goes_by_name_and_fails_on_a_missing_column() -> None:
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    row = conn.execute("SELECT 'extra' AS other, 'b' AS right, 1 AS left").fetchone()
    assert from_row(_Pair, row) == _Pair(1, "b")
    short = conn.execute("SELECT 1 AS left").fetchone()
    with pytest.raises(IndexError):
        from_row(_Pair, short)
