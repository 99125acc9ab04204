"""SQL for incident tips, their status history and photo attachments (schema: 0004_tips.sql).

An anonymous tip is written with ``reporter_id`` NULL and ``phone`` NULL, and its history row
with ``changed_by`` NULL: nothing in these tables can lead back to who sent it."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Executor, utcnow


@dataclass(frozen=True, slots=True)
class Tip:
    id: int
    ref: str
    category: str
    area_id: int | None
    area_code: str | None
    area_name: str | None
    occurred: str | None
    description: str
    reporter_id: int | None
    contact: str
    phone: str | None
    latitude: float | None
    longitude: float | None
    status: str
    created_at: str
    updated_at: str
    photos: tuple[str, ...] = ()  # Telegram file ids
    check: str = ""  # the random check part; empty only for a row written without one
    occurred_at: str | None = None  # a stamp: when the reporter said it was happening now

    @property
    def full_ref(self) -> str:
        """``T-2026-000042-K7QF``: what the reporter is shown and must type in /tipstatus.
        ``ref`` is the short form without the check part, for staff and the audit log."""
        return f"{self.ref}-{self.check}" if self.check else self.ref


@dataclass(frozen=True, slots=True)
class NewTip:
    """What a resident reported; ``reporter_id`` is None for an anonymous tip."""

    category: str
    area_id: int | None
    occurred: str | None
    description: str
    reporter_id: int | None
    contact: str
    phone: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    photos: tuple[tuple[str, str], ...] = ()  # (file_id, file_unique_id)
    area_code: str | None = None  # of area_id, for the returned record only
    area_name: str | None = None
    occurred_at: str | None = None


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: str
    note: str | None
    changed_by: int | None
    changed_at: str


_SELECT = """
SELECT t.*, a.code AS area_code, a.name AS area_name,
       (SELECT group_concat(file_id, ' ') FROM tip_attachments p WHERE p.tip_id = t.id)
         AS photo_ids
FROM tips t LEFT JOIN areas a ON a.id = t.area_id
"""


def _tip(row) -> Tip:
    return Tip(
        id=row["id"],
        ref=row["ref"],
        category=row["category"],
        area_id=row["area_id"],
        area_code=row["area_code"],
        area_name=row["area_name"],
        occurred=row["occurred"],
        description=row["description"],
        reporter_id=row["reporter_id"],
        contact=row["contact"],
        phone=row["phone"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        status=row["status"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        photos=tuple(row["photo_ids"].split()) if row["photo_ids"] else (),
        check=row["ref_check"],
        occurred_at=row["occurred_at"],
    )


def format_ref(year: int, seq: int) -> str:
    return f"T-{year}-{seq:06d}"


async def insert_tip(tx: Executor, tip: NewTip, year: int, check: str) -> Tip:
    """Insert the tip with the next reference of ``year``, its random ``check`` part and its
    first history row; returns the stored tip.

    The sequence number is read and used inside the caller's write transaction, which holds
    the database's single write lock, so two tips can never get the same number (and the
    UNIQUE (year, seq) constraint would refuse it if they did)."""
    seq = await tx.fetchval("SELECT COALESCE(MAX(seq), 0) + 1 FROM tips WHERE year = ?", (year,))
    ref = format_ref(year, seq)
    now = utcnow()
    cursor = await tx.execute(
        """INSERT INTO tips (ref, ref_check, year, seq, category, area_id, occurred,
                             description, reporter_id, contact, phone, latitude, longitude,
                             status, created_at, updated_at, occurred_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?)""",
        (
            ref,
            check,
            year,
            seq,
            tip.category,
            tip.area_id,
            tip.occurred,
            tip.description,
            tip.reporter_id,
            tip.contact,
            tip.phone,
            tip.latitude,
            tip.longitude,
            now,
            now,
            tip.occurred_at,
        ),
    )
    tip_id = cursor.lastrowid
    if tip.photos:
        await tx.executemany(
            "INSERT INTO tip_attachments (tip_id, kind, file_id, file_unique_id)"
            " VALUES (?, 'photo', ?, ?)",
            [(tip_id, file_id, unique_id) for file_id, unique_id in tip.photos],
        )
    # The first history row is the report itself; changed_by NULL means "the reporter".
    await add_history(tx, tip_id, "new", None, None)
    return Tip(
        id=tip_id,
        ref=ref,
        category=tip.category,
        area_id=tip.area_id,
        area_code=tip.area_code,
        area_name=tip.area_name,
        occurred=tip.occurred,
        description=tip.description,
        reporter_id=tip.reporter_id,
        contact=tip.contact,
        phone=tip.phone,
        latitude=tip.latitude,
        longitude=tip.longitude,
        status="new",
        created_at=now,
        updated_at=now,
        photos=tuple(file_id for file_id, _ in tip.photos),
        check=check,
        occurred_at=tip.occurred_at,
    )


async def add_history(
    tx: Executor, tip_id: int, status: str, note: str | None, changed_by: int | None
) -> None:
    await tx.execute(
        "INSERT INTO tip_status_history (tip_id, status, note, changed_by, changed_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (tip_id, status, note, changed_by, utcnow()),
    )


async def set_status(
    tx: Executor, tip_id: int, status: str, note: str | None, changed_by: int
) -> None:
    """A status change is an update of the tip plus a history row that is never deleted."""
    await tx.execute(
        "UPDATE tips SET status = ?, updated_at = ? WHERE id = ?", (status, utcnow(), tip_id)
    )
    await add_history(tx, tip_id, status, note, changed_by)


@dataclass(frozen=True, slots=True)
class LastChange:
    """A tip's latest status change by staff, as its card tells it."""

    id: int  # of the history row
    status: str
    previous: str  # the status before it
    changed_by: int
    changed_at: str
    first_name: str | None  # of who changed it, if they are still known
    roles: tuple[str, ...]  # of who changed it


async def last_change(db: Executor, tip_id: int) -> LastChange | None:
    """The latest change of the tip's status made by someone other than the reporter; None
    while the tip is as it was sent."""
    row = await db.fetchone(
        """SELECT h.id, h.status, h.changed_by, h.changed_at, p.first_name,
                  (SELECT status FROM tip_status_history b
                   WHERE b.tip_id = h.tip_id AND b.id < h.id ORDER BY b.id DESC LIMIT 1)
                    AS previous,
                  (SELECT group_concat(role, ' ') FROM
                     (SELECT DISTINCT role FROM roles r WHERE r.user_id = h.changed_by
                      ORDER BY role)) AS roles
           FROM tip_status_history h LEFT JOIN participants p ON p.user_id = h.changed_by
           WHERE h.tip_id = ? ORDER BY h.id DESC LIMIT 1""",
        (tip_id,),
    )
    if row is None or row["changed_by"] is None:
        return None
    return LastChange(
        id=row["id"],
        status=row["status"],
        previous=row["previous"] or "new",
        changed_by=row["changed_by"],
        changed_at=row["changed_at"],
        first_name=row["first_name"],
        roles=tuple((row["roles"] or "").split()),
    )


async def tip_by_ref(db: Executor, ref: str) -> Tip | None:
    """The tip with the short reference ``ref``; whoever asks on a resident's behalf must
    still compare the check part."""
    row = await db.fetchone(_SELECT + " WHERE t.ref = ?", (ref,))
    return _tip(row) if row else None


async def tip_by_id(db: Executor, tip_id: int) -> Tip | None:
    row = await db.fetchone(_SELECT + " WHERE t.id = ?", (tip_id,))
    return _tip(row) if row else None


async def history(db: Executor, tip_id: int) -> list[StatusChange]:
    rows = await db.fetchall(
        "SELECT status, note, changed_by, changed_at FROM tip_status_history"
        " WHERE tip_id = ? ORDER BY id",
        (tip_id,),
    )
    return [StatusChange(r["status"], r["note"], r["changed_by"], r["changed_at"]) for r in rows]


async def list_tips(
    db: Executor, *, open_only: bool, area_id: int | None, limit: int
) -> tuple[list[Tip], int]:
    """The newest tips (open ones: new, read or with the police), and how many match in
    all."""
    where, params = [], []
    if open_only:
        where.append("t.status IN ('new', 'reviewed', 'forwarded')")
    if area_id is not None:
        where.append("t.area_id = ?")
        params.append(area_id)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = await db.fetchval(f"SELECT count(*) FROM tips t{clause}", params)
    rows = await db.fetchall(_SELECT + clause + " ORDER BY t.id DESC LIMIT ?", [*params, limit])
    return [_tip(r) for r in rows], total


async def tips_created_between(db: Executor, start: str | None, end: str | None) -> list[Tip]:
    """Tips created in [start, end) (UTC ISO timestamps; None means unbounded), oldest first."""
    rows = await db.fetchall(
        _SELECT + " WHERE (? IS NULL OR t.created_at >= ?) AND (? IS NULL OR t.created_at < ?)"
        " ORDER BY t.id",
        (start, start, end, end),
    )
    return [_tip(r) for r in rows]


async def refs_of_reporter(db: Executor, user_id: int) -> list[str]:
    """Full references (with the check part) of the tips this person sent under their name."""
    rows = await db.fetchall(
        "SELECT ref, ref_check FROM tips WHERE reporter_id = ? ORDER BY id",
        (user_id,),
    )
    return [f"{r['ref']}-{r['ref_check']}" if r["ref_check"] else r["ref"] for r in rows]


async def police_officer_ids(db: Executor) -> list[int]:
    """Officers granted the police role in chat (not banned), for routing new tips."""
    rows = await db.fetchall(
        "SELECT DISTINCT r.user_id FROM roles r JOIN participants p ON p.user_id = r.user_id"
        " WHERE r.role = 'police' AND p.banned_at IS NULL"
    )
    return [r["user_id"] for r in rows]


async def participants_for_export(
    db: Executor, start: str | None, end: str | None
) -> list[dict[str, object]]:
    """Participants who consented in [start, end) (local dates), with their area codes and
    roles."""
    rows = await db.fetchall(
        """SELECT p.user_id, p.first_name, p.language, p.consent_at, p.active, p.banned_at,
                  (SELECT group_concat(code, ' ') FROM
                     (SELECT a.code FROM memberships m JOIN areas a ON a.id = m.area_id
                      WHERE m.user_id = p.user_id ORDER BY a.code)) AS areas,
                  (SELECT group_concat(role, ' ') FROM
                     (SELECT DISTINCT role FROM roles r WHERE r.user_id = p.user_id
                      ORDER BY role)) AS roles
           FROM participants p
           WHERE (? IS NULL OR p.consent_at >= ?) AND (? IS NULL OR p.consent_at < ?)
           ORDER BY p.consent_at, p.user_id""",
        (start, start, end, end),
    )
    return [dict(r) for r in rows]
