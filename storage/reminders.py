"""SQL for scheduled reminders, the weekly summary's sent weeks and the schedule's state."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Executor, utcnow


@dataclass(frozen=True, slots=True)
class ReminderRow:
    id: int
    schedule: str
    all_areas: bool
    text: str
    created_by: int | None
    created_at: str
    next_run: str | None
    last_run: str | None
    status: str
    area_codes: tuple[str, ...]
    area_names: tuple[str, ...] = ()  # in the order of the codes


# Area names may hold commas; the unit separator never appears in a name.
_NAME_SEPARATOR = "\x1f"

_SELECT = """
SELECT r.id, r.schedule, r.all_areas, r.text, r.created_by, r.created_at, r.next_run,
       r.last_run, r.status,
       (SELECT group_concat(code, ',') FROM
          (SELECT a.code FROM reminder_areas ra JOIN areas a ON a.id = ra.area_id
           WHERE ra.reminder_id = r.id ORDER BY a.code)) AS codes,
       (SELECT group_concat(name, char(31)) FROM
          (SELECT a.name FROM reminder_areas ra JOIN areas a ON a.id = ra.area_id
           WHERE ra.reminder_id = r.id ORDER BY a.code)) AS names
FROM reminders r
"""


def _row(r) -> ReminderRow:
    codes = tuple(r["codes"].split(",")) if r["codes"] else ()
    return ReminderRow(
        r["id"],
        r["schedule"],
        bool(r["all_areas"]),
        r["text"],
        r["created_by"],
        r["created_at"],
        r["next_run"],
        r["last_run"],
        r["status"],
        codes,
        tuple(r["names"].split(_NAME_SEPARATOR)) if r["names"] else (),
    )


async def insert(
    tx: Executor,
    *,
    schedule: str,
    all_areas: bool,
    area_ids: list[int],
    text: str,
    created_by: int | None,
    next_run: str,
) -> int:
    cursor = await tx.execute(
        "INSERT INTO reminders (schedule, all_areas, text, created_by, created_at, next_run)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (schedule, int(all_areas), text, created_by, utcnow(), next_run),
    )
    reminder_id = cursor.lastrowid
    await tx.executemany(
        "INSERT INTO reminder_areas (reminder_id, area_id) VALUES (?, ?)",
        [(reminder_id, area_id) for area_id in area_ids],
    )
    return reminder_id


async def reminder(db: Executor, reminder_id: int) -> ReminderRow | None:
    row = await db.fetchone(_SELECT + " WHERE r.id = ?", (reminder_id,))
    return _row(row) if row else None


async def listed(db: Executor) -> list[ReminderRow]:
    """What /reminders shows: everything still to go out, and missed one-offs."""
    rows = await db.fetchall(
        _SELECT + " WHERE r.status IN ('active', 'missed') ORDER BY r.status, r.next_run, r.id"
    )
    return [_row(r) for r in rows]


async def active(db: Executor) -> list[ReminderRow]:
    rows = await db.fetchall(_SELECT + " WHERE r.status = 'active' ORDER BY r.next_run, r.id")
    return [_row(r) for r in rows]


async def target_area_ids(db: Executor, reminder_id: int, all_areas: bool) -> list[int]:
    if all_areas:
        rows = await db.fetchall("SELECT id AS area_id FROM areas ORDER BY name COLLATE NOCASE")
    else:
        rows = await db.fetchall(
            "SELECT area_id FROM reminder_areas WHERE reminder_id = ?", (reminder_id,)
        )
    return [r["area_id"] for r in rows]


async def claim_run(
    tx: Executor, reminder_id: int, due: str, ran_at: str, next_run: str | None
) -> bool:
    """Move a reminder past the run that was ``due``; False if it was removed or that run was
    already taken (a late catch-up and the job must not both send it)."""
    cursor = await tx.execute(
        """UPDATE reminders SET last_run = ?, next_run = ?,
               status = CASE WHEN ? IS NULL THEN 'done' ELSE 'active' END
           WHERE id = ? AND status = 'active' AND next_run = ?""",
        (ran_at, next_run, next_run, reminder_id, due),
    )
    return cursor.rowcount == 1


async def skip_to(tx: Executor, reminder_id: int, due: str, next_run: str) -> bool:
    cursor = await tx.execute(
        "UPDATE reminders SET next_run = ? WHERE id = ? AND status = 'active' AND next_run = ?",
        (next_run, reminder_id, due),
    )
    return cursor.rowcount == 1


async def mark_missed(tx: Executor, reminder_id: int, due: str) -> bool:
    cursor = await tx.execute(
        "UPDATE reminders SET status = 'missed'"
        " WHERE id = ? AND status = 'active' AND next_run = ?",
        (reminder_id, due),
    )
    return cursor.rowcount == 1


async def delete(tx: Executor, reminder_id: int) -> bool:
    cursor = await tx.execute("DELETE FROM reminders WHERE id = ?", (reminder_id,))
    return cursor.rowcount == 1


async def missed_unreported(db: Executor, due_before: str) -> list[ReminderRow]:
    """One-off reminders that were missed (bot down too long) and not yet in a summary."""
    rows = await db.fetchall(
        _SELECT + " WHERE r.status = 'missed' AND r.missed_reported_at IS NULL"
        " AND r.next_run < ? ORDER BY r.next_run",
        (due_before,),
    )
    return [_row(r) for r in rows]


async def mark_missed_reported(tx: Executor, reminder_ids: list[int]) -> None:
    await tx.executemany(
        "UPDATE reminders SET missed_reported_at = ? WHERE id = ?",
        [(utcnow(), reminder_id) for reminder_id in reminder_ids],
    )


# -- the weekly summary's bookkeeping -------------------------------------------------------


async def state_value(db: Executor, key: str) -> str | None:
    return await db.fetchval("SELECT value FROM schedule_state WHERE key = ?", (key,))


async def set_state_default(tx: Executor, key: str, value: str) -> None:
    await tx.execute(
        "INSERT OR IGNORE INTO schedule_state (key, value) VALUES (?, ?)", (key, value)
    )


async def summary_sent(db: Executor, week: str) -> bool:
    return await db.fetchval("SELECT 1 FROM summary_runs WHERE week = ?", (week,)) is not None


async def claim_summary_week(tx: Executor, week: str, scheduled_for: str) -> bool:
    """Record that the summary for ``week`` goes out now; False if it already did."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO summary_runs (week, scheduled_for, sent_at) VALUES (?, ?, ?)",
        (week, scheduled_for, utcnow()),
    )
    return cursor.rowcount == 1
