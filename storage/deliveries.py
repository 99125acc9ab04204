"""SQL for alerts and the delivery outbox: one row per recipient chat, in ``deliveries`` for
alerts, notices and reminders, in ``tip_copies`` for the handlers' copies of a new tip, and
in ``notices`` for single messages to one chat."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from storage.db import Executor, utcnow

FINAL_STATUSES = ("delivered", "blocked", "failed")


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    kind: str
    sender_id: int | None
    area_names: str
    text: str
    created_at: str
    finished_at: str | None
    report_chat_id: int | None
    report_message_id: int | None
    text_key: str | None = None
    report_text: str | None = None  # what the report message shows now


def _alert(row) -> Alert:
    return Alert(
        id=row["id"],
        kind=row["kind"],
        sender_id=row["sender_id"],
        area_names=row["area_names"],
        text=row["text"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        report_chat_id=row["report_chat_id"],
        report_message_id=row["report_message_id"],
        text_key=row["text_key"],
        report_text=row["report_text"],
    )


ALERT = "alert"  # a row of ``deliveries``; its subject is an alert
TIP = "tip"  # a row of ``tip_copies``; its subject is a tip
NOTICE = "notice"  # a row of ``notices``; its subject, if any, depends on its purpose


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    subject_id: int  # the alert's id, or the tip's for a tip copy
    chat_id: int
    is_group: bool
    language: str
    attempts: int
    kind: str = ALERT


@dataclass(frozen=True, slots=True)
class Outcome:
    delivery_id: int
    subject_id: int
    chat_id: int
    status: str  # 'pending' (will be retried), or a final status
    attempts: int
    error: str | None = None
    kind: str = ALERT


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


async def insert_alert(
    tx: Executor,
    *,
    kind: str,
    sender_id: int | None,
    area_ids: list[int],
    area_names: str,
    text: str,
    text_key: str | None = None,
    draft_key: str | None = None,
    report_chat_id: int | None = None,
) -> int:
    cursor = await tx.execute(
        "INSERT INTO alerts (kind, sender_id, area_names, text, created_at, text_key, draft_key,"
        " report_chat_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (kind, sender_id, area_names, text, utcnow(), text_key, draft_key, report_chat_id),
    )
    alert_id = cursor.lastrowid
    await tx.executemany(
        "INSERT INTO alert_areas (alert_id, area_id) VALUES (?, ?)",
        [(alert_id, area_id) for area_id in area_ids],
    )
    return alert_id


async def enqueue_recipients(
    tx: Executor, alert_id: int, area_ids: list[int], group_language: str
) -> int:
    """One outbox row per reachable resident of the areas (once, however many of the areas
    they are in) and per linked group; returns how many rows were written."""
    marks = _marks(area_ids)
    people = await tx.execute(
        f"""INSERT OR IGNORE INTO deliveries (alert_id, chat_id, is_group, language)
            SELECT ?, p.user_id, 0, p.language
            FROM participants p
            WHERE p.active = 1 AND p.banned_at IS NULL
              AND p.user_id IN (SELECT user_id FROM memberships WHERE area_id IN ({marks}))
            ORDER BY p.user_id""",
        (alert_id, *area_ids),
    )
    groups = await tx.execute(
        f"""INSERT OR IGNORE INTO deliveries (alert_id, chat_id, is_group, language)
            SELECT ?, chat_id, 1, ? FROM group_links
            WHERE active = 1 AND area_id IN ({marks})""",
        (alert_id, group_language, *area_ids),
    )
    return people.rowcount + groups.rowcount


async def recipient_counts(db: Executor, area_ids: list[int]) -> tuple[int, int]:
    """(residents, groups) an alert to these areas would reach right now."""
    marks = _marks(area_ids)
    people = await db.fetchval(
        f"""SELECT count(*) FROM participants p
            WHERE p.active = 1 AND p.banned_at IS NULL
              AND p.user_id IN (SELECT user_id FROM memberships WHERE area_id IN ({marks}))""",
        area_ids,
    )
    groups = await db.fetchval(
        f"SELECT count(*) FROM group_links WHERE active = 1 AND area_id IN ({marks})", area_ids
    )
    return people, groups


async def alert_by_draft(db: Executor, draft_key: str) -> int | None:
    """The alert already sent from this draft, if any."""
    return await db.fetchval("SELECT id FROM alerts WHERE draft_key = ?", (draft_key,))


async def set_report_message(
    tx: Executor, alert_id: int, chat_id: int, message_id: int, text: str
) -> None:
    """The report's first message was sent: from now on it is edited, never sent again."""
    await tx.execute(
        "UPDATE alerts SET report_message_id = ?, report_text = ?"
        " WHERE id = ? AND report_chat_id = ?",
        (message_id, text, alert_id, chat_id),
    )


async def set_report_text(tx: Executor, alert_id: int, text: str) -> None:
    await tx.execute("UPDATE alerts SET report_text = ? WHERE id = ?", (text, alert_id))


async def reports_to_check(db: Executor, finished_since: str) -> list[int]:
    """Alerts whose report message may still be behind: unfinished, or finished lately."""
    rows = await db.fetchall(
        "SELECT id FROM alerts WHERE report_message_id IS NOT NULL"
        " AND (finished_at IS NULL OR finished_at >= ?) ORDER BY id",
        (finished_since,),
    )
    return [r["id"] for r in rows]


# kind -> (outbox table, its columns named as a Delivery's fields). A notice has no language
# of its own: it is rendered in its recipient's language when it is sent.
_OUTBOX_TABLES = {
    ALERT: ("deliveries", "alert_id AS subject_id, chat_id, is_group, language"),
    TIP: ("tip_copies", "tip_id AS subject_id, chat_id, is_group, language"),
    NOTICE: (
        "notices",
        "COALESCE(subject_id, 0) AS subject_id, chat_id, chat_id < 0 AS is_group, '' AS language",
    ),
}


async def pending_after(db: Executor, kind: str, last_id: int, limit: int) -> list[Delivery]:
    """Pending rows of one outbox table (``kind``), oldest first, after ``last_id``. A notice
    held back until a moment is not among them (see :func:`held_due`)."""
    table, columns = _OUTBOX_TABLES[kind]
    held = " AND not_before IS NULL" if kind == NOTICE else ""
    rows = await db.fetchall(
        f"""SELECT id, {columns}, attempts FROM {table}
            WHERE status = 'pending' AND id > ?{held} ORDER BY id LIMIT ?""",
        (last_id, limit),
    )
    return _deliveries(kind, rows)


async def held_due(db: Executor, now: str, limit: int) -> tuple[list[Delivery], str | None]:
    """Pending notices held back until a moment that has come by ``now`` (oldest first), and
    the earliest moment still to come (None when nothing else is held)."""
    _, columns = _OUTBOX_TABLES[NOTICE]
    rows = await db.fetchall(
        f"""SELECT id, {columns}, attempts FROM notices
            WHERE status = 'pending' AND not_before IS NOT NULL AND not_before <= ?
            ORDER BY id LIMIT ?""",
        (now, limit),
    )
    later = await db.fetchval(
        "SELECT min(not_before) FROM notices"
        " WHERE status = 'pending' AND not_before IS NOT NULL AND not_before > ?",
        (now,),
    )
    return _deliveries(NOTICE, rows), later


def _deliveries(kind: str, rows) -> list[Delivery]:
    return [
        Delivery(
            r["id"],
            r["subject_id"],
            r["chat_id"],
            bool(r["is_group"]),
            r["language"],
            r["attempts"],
            kind,
        )
        for r in rows
    ]


async def alerts_by_ids(db: Executor, ids: Iterable[int]) -> dict[int, Alert]:
    ids = list(ids)
    rows = await db.fetchall(f"SELECT * FROM alerts WHERE id IN ({_marks(ids)})", ids)
    return {r["id"]: _alert(r) for r in rows}


async def record_outcomes(tx: Executor, outcomes: list[Outcome]) -> None:
    now = utcnow()
    for kind, (table, _) in _OUTBOX_TABLES.items():
        rows = [
            (o.status, o.attempts, o.error, now, o.delivery_id) for o in outcomes if o.kind == kind
        ]
        if rows:
            await tx.executemany(
                f"UPDATE {table} SET status = ?, attempts = ?, last_error = ?, updated_at = ?"
                " WHERE id = ?",
                rows,
            )


async def deactivate_chats(tx: Executor, chat_ids: list[int]) -> None:
    """Blocked the bot, left the group or chat gone: stop sending until they come back."""
    people = [c for c in chat_ids if c > 0]
    groups = [c for c in chat_ids if c < 0]
    if people:
        await tx.execute(
            f"UPDATE participants SET active = 0 WHERE user_id IN ({_marks(people)})", people
        )
    if groups:
        await tx.execute(
            f"UPDATE group_links SET active = 0 WHERE chat_id IN ({_marks(groups)})", groups
        )


async def finish_alerts(tx: Executor, alert_ids: list[int]) -> list[int]:
    """Mark alerts without pending rows as finished; returns the ones finished now."""
    finished = []
    for alert_id in alert_ids:
        cursor = await tx.execute(
            """UPDATE alerts SET finished_at = ? WHERE id = ? AND finished_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM deliveries
                               WHERE alert_id = ? AND status = 'pending')""",
            (utcnow(), alert_id, alert_id),
        )
        if cursor.rowcount:
            finished.append(alert_id)
    return finished


async def status_counts(db: Executor, alert_id: int) -> dict[str, int]:
    rows = await db.fetchall(
        "SELECT status, count(*) AS n FROM deliveries WHERE alert_id = ? GROUP BY status",
        (alert_id,),
    )
    counts = dict.fromkeys(("pending", *FINAL_STATUSES), 0)
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


async def unfinished_alert_ids(db: Executor) -> list[int]:
    rows = await db.fetchall("SELECT id FROM alerts WHERE finished_at IS NULL ORDER BY id")
    return [r["id"] for r in rows]


async def recent_alerts_for(db: Executor, user_id: int, limit: int) -> list[Alert]:
    """The latest alerts to any of the resident's current areas."""
    rows = await db.fetchall(
        """SELECT * FROM alerts WHERE id IN (
               SELECT aa.alert_id FROM alert_areas aa
               JOIN memberships m ON m.area_id = aa.area_id WHERE m.user_id = ?)
           AND kind != 'reminder'
           ORDER BY id DESC LIMIT ?""",
        (user_id, limit),
    )
    return [_alert(r) for r in rows]


# ------------------------------------------------------------------ tip copies


async def enqueue_tip_copies(
    tx: Executor, tip_id: int, chat_ids: list[int], default_language: str
) -> None:
    """One outbox row per handler chat, in the recipient's language when they are a
    participant (a group chat, or someone who never /started, gets ``default_language``)."""
    await tx.execute(
        """INSERT OR IGNORE INTO tip_copies (tip_id, chat_id, is_group, language)
           SELECT ?, r.value, r.value < 0, COALESCE(p.language, ?)
           FROM json_each(?) r LEFT JOIN participants p ON p.user_id = r.value""",
        (tip_id, default_language, json.dumps(chat_ids)),
    )
