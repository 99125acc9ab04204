"""SQL for retention: the rows of each kind of personal data past their age.

Cut-offs are ISO 8601 UTC text (or a 'YYYY-MM-DD' date for dated columns), compared as text:
a row stamped at or before the cut-off is old enough to go."""

from __future__ import annotations

from storage.db import Executor

REPORT = "report"  # notices.purpose of an alert's delivery report; it goes with the alert


async def delete_tips(tx: Executor, cutoff: str) -> int:
    """Tips created at or before ``cutoff``; their status history, photos' ids, the copies
    sent to coordinators and those copies' parts go with them (ON DELETE CASCADE)."""
    cursor = await tx.execute("DELETE FROM tips WHERE created_at <= ?", (cutoff,))
    return cursor.rowcount


async def delete_deliveries(tx: Executor, cutoff: str) -> dict[str, int]:
    """Who got which message: settled outbox rows at or before ``cutoff``. Pending rows stay
    so that the outbox never loses work; the alerts themselves stay until their own period."""
    deliveries = await tx.execute(
        "DELETE FROM deliveries WHERE status != 'pending'"
        " AND alert_id IN (SELECT id FROM alerts WHERE created_at <= ?)",
        (cutoff,),
    )
    notices = await tx.execute(
        "DELETE FROM notices WHERE status != 'pending' AND created_at <= ?"
        " AND (purpose IS NULL OR purpose != ?)",
        (cutoff, REPORT),
    )
    copies = await tx.execute(
        "DELETE FROM tip_copies WHERE status != 'pending' AND updated_at <= ?", (cutoff,)
    )
    return {
        "deliveries": deliveries.rowcount,
        "notices": notices.rowcount,
        "tip_copies": copies.rowcount,
    }


async def delete_audit(tx: Executor, cutoff: str) -> int:
    cursor = await tx.execute("DELETE FROM audit_log WHERE at <= ?", (cutoff,))
    return cursor.rowcount


async def delete_alerts(tx: Executor, cutoff: str) -> int:
    """Alerts created at or before ``cutoff`` with their report notices; their areas and
    delivery rows go with them (ON DELETE CASCADE)."""
    await tx.execute(
        "DELETE FROM notices WHERE purpose = ? AND subject_id IN"
        " (SELECT id FROM alerts WHERE created_at <= ?)",
        (REPORT, cutoff),
    )
    cursor = await tx.execute("DELETE FROM alerts WHERE created_at <= ?", (cutoff,))
    return cursor.rowcount


async def inactive_participants(db: Executor, since: str, keep: list[int]) -> list[int]:
    """Participants inactive since ``since`` (a date) or earlier. Anyone holding a role, and
    the ``keep`` ids (staff named in the configuration), are never inactive: their actions
    stay attributable in the audit log."""
    marks = ", ".join("?" for _ in keep)
    keep_clause = f" AND p.user_id NOT IN ({marks})" if keep else ""
    rows = await db.fetchall(
        "SELECT p.user_id FROM participants p"
        " WHERE p.inactive_since IS NOT NULL AND p.inactive_since <= ?"
        " AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.user_id = p.user_id)"
        f"{keep_clause} ORDER BY p.user_id",
        (since, *keep),
    )
    return [row["user_id"] for row in rows]
