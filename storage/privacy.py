"""SQL for a person's own data: everything that refers to them, and its removal."""

from __future__ import annotations

import json
from typing import Any

from storage import audit, bans
from storage.db import Executor


async def rows_about(db: Executor, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row that refers to the user, table by table."""
    queries = {
        "participant": "SELECT user_id, first_name, language, consent_at, active, banned_at,"
        " inactive_since FROM participants WHERE user_id = ?",
        "memberships": "SELECT a.code AS area, a.name AS area_name, m.joined_at"
        " FROM memberships m JOIN areas a ON a.id = m.area_id WHERE m.user_id = ?",
        "roles": "SELECT r.role, a.code AS area, r.granted_at FROM roles r"
        " LEFT JOIN areas a ON a.id = r.area_id WHERE r.user_id = ?",
        "messages_received": "SELECT d.alert_id, d.status, d.updated_at FROM deliveries d"
        " WHERE d.chat_id = ? ORDER BY d.id",
        "tip_copies_received": "SELECT t.ref, c.status, c.updated_at FROM tip_copies c"
        " JOIN tips t ON t.id = c.tip_id WHERE c.chat_id = ? ORDER BY c.id",
        "notices_received": 'SELECT text_key, vals AS "values", status, created_at, updated_at'
        " FROM notices WHERE chat_id = ? ORDER BY id",
        # Sent to someone else (e.g. the coordinator whose invite the user redeemed); the
        # recipient is not shown, the text about the user is.
        "notices_about_you": 'SELECT text_key, vals AS "values", created_at FROM notices'
        " WHERE about_id = ? ORDER BY id",
        "alerts_sent": "SELECT id, kind, area_names, text, created_at FROM alerts"
        " WHERE sender_id = ? ORDER BY id",
        "groups_linked": "SELECT chat_id, title, linked_at FROM group_links WHERE linked_by = ?",
        "audit_log": "SELECT at, action, target, outcome, times FROM audit_log WHERE actor_id = ?"
        " ORDER BY id",
        # Anonymous tips have no reporter_id, so they can never show up here.
        # The full reference, as the reporter was shown it.
        "tips": "SELECT t.ref || CASE t.ref_check WHEN '' THEN '' ELSE '-' || t.ref_check END"
        " AS ref, t.category, a.code AS area, t.occurred, t.description,"
        " t.contact, t.phone, t.latitude, t.longitude, t.status, t.created_at, t.updated_at,"
        " (SELECT count(*) FROM tip_attachments p WHERE p.tip_id = t.id) AS photos"
        " FROM tips t LEFT JOIN areas a ON a.id = t.area_id WHERE t.reporter_id = ?"
        " ORDER BY t.id",
        "tip_status_changes": "SELECT t.ref, h.status, h.note, h.changed_at"
        " FROM tip_status_history h JOIN tips t ON t.id = h.tip_id WHERE h.changed_by = ?"
        " ORDER BY h.id",
        # A tip or alert being written, kept over a restart until it is sent or times out.
        "in_progress": "SELECT name AS flow, value AS draft, touched_at AS last_active"
        " FROM flow_state WHERE user_id = ? ORDER BY name",
    }
    result = {}
    for name, sql in queries.items():
        result[name] = [dict(row) for row in await db.fetchall(sql, (user_id,))]
    # Entries about the user written by others: a revoke, a ban, a refusal in their chat.
    result["audit_about_you"] = await audit.about(db, user_id)
    # A ban is held under a keyed hash, also for someone who never registered or was erased.
    ban = await bans.ban_of(db, user_id)
    result["ban"] = [ban] if ban else []
    for name in ("notices_received", "notices_about_you"):
        for row in result[name]:
            row["values"] = json.loads(row["values"])
    return result


async def erase(tx: Executor, user_id: int) -> None:
    """Delete the person and cut every remaining link to them. Records others still need
    (an alert that was sent, an audit entry) stay, without the person's id."""
    await tx.execute("DELETE FROM deliveries WHERE chat_id = ?", (user_id,))
    await tx.execute("DELETE FROM tip_copies WHERE chat_id = ?", (user_id,))
    # Notices to the user, and notices to others that name the user.
    await tx.execute("DELETE FROM notices WHERE chat_id = ? OR about_id = ?", (user_id, user_id))
    await tx.execute("UPDATE alerts SET sender_id = NULL WHERE sender_id = ?", (user_id,))
    await tx.execute(
        "UPDATE alerts SET report_chat_id = NULL, report_message_id = NULL"
        " WHERE report_chat_id = ?",
        (user_id,),
    )
    await tx.execute("UPDATE group_links SET linked_by = NULL WHERE linked_by = ?", (user_id,))
    # What the user did as a coordinator or officer stays in force (a role they granted, an
    # invite still open, a reminder still going out) without saying who did it.
    await tx.execute("UPDATE roles SET granted_by = NULL WHERE granted_by = ?", (user_id,))
    await tx.execute("UPDATE invites SET created_by = NULL WHERE created_by = ?", (user_id,))
    await tx.execute("UPDATE reminders SET created_by = NULL WHERE created_by = ?", (user_id,))
    await audit.forget(tx, user_id)
    await bans.forget(tx, user_id)
    # The tips stay (the coordinator may still be handling them) but lose every link to the
    # reporter; a handler's status changes stay as history without who made them.
    await tx.execute(
        "UPDATE tips SET reporter_id = NULL, phone = NULL WHERE reporter_id = ?", (user_id,)
    )
    await tx.execute(
        "UPDATE tip_status_history SET changed_by = NULL WHERE changed_by = ?", (user_id,)
    )
    # A flow in progress (a half-written tip may hold a description and a phone number).
    await tx.execute("DELETE FROM flow_state WHERE user_id = ?", (user_id,))
    # memberships and roles go with the participant (ON DELETE CASCADE)
    await tx.execute("DELETE FROM participants WHERE user_id = ?", (user_id,))
