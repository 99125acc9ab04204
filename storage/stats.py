"""SQL for the weekly summary: one aggregate query per question, nothing loaded row by row.

Every bound is a UTC timestamp in the stored text format (for sign-up events, which keep no
time, a local date), so comparisons are plain string comparisons that the ``created_at``/``at``
indexes can serve. Week boundaries are computed in local time by the caller (DST-correct) and
passed in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from storage.db import Executor, from_row


@dataclass(frozen=True, slots=True)
class AreaMembers:
    area_id: int
    name: str
    members: int  # now


@dataclass(frozen=True, slots=True)
class KindCounts:
    kind: str
    alerts: int
    delivered: int
    deliveries: int


@dataclass(frozen=True, slots=True)
class TwoWeeks:
    key: str | None  # a category, or an area name (None: tips without an area)
    this_week: int
    last_week: int


@dataclass(frozen=True, slots=True)
class OpenTip:
    ref: str
    created_at: str


# Staff are not residents: whoever holds a granted role (police, area contact), and the ids
# the caller names (coordinators and police from the config), as a JSON array.
_NOT_STAFF = """{column} NOT IN (SELECT user_id FROM roles)
                AND {column} NOT IN (SELECT value FROM json_each(:staff))"""


async def participants_now(db: Executor, staff: Sequence[int] = ()) -> int:
    """Residents now: participants who are not staff."""
    return await db.fetchval(
        f"SELECT count(*) FROM participants WHERE {_NOT_STAFF.format(column='user_id')}",
        {"staff": json.dumps(list(staff))},
    )


async def members_per_area(db: Executor, staff: Sequence[int] = ()) -> list[AreaMembers]:
    """Residents per area now, staff not counted."""
    rows = await db.fetchall(
        f"""SELECT a.id AS area_id, a.name AS name,
                  (SELECT count(*) FROM memberships m WHERE m.area_id = a.id
                     AND {_NOT_STAFF.format(column="m.user_id")}) AS members
           FROM areas a ORDER BY a.name COLLATE NOCASE""",
        {"staff": json.dumps(list(staff))},
    )
    return [from_row(AreaMembers, r) for r in rows]


async def signup_events(db: Executor, start: str, end: str) -> dict[tuple[str, int | None], tuple]:
    """(event, area_id) -> (in [start, end), at or after end), where the bounds are local
    dates (``YYYY-MM-DD``) as the events carry no time. The second column lets the caller
    turn today's counts back into the counts at the end of a past week."""
    rows = await db.fetchall(
        """SELECT event, area_id, sum(at < :end) AS during, sum(at >= :end) AS after
           FROM signup_events WHERE at >= :start GROUP BY event, area_id""",
        {"start": start, "end": end},
    )
    return {(r["event"], r["area_id"]): (r["during"], r["after"]) for r in rows}


async def alerts_by_kind(db: Executor, start: str, end: str) -> list[KindCounts]:
    rows = await db.fetchall(
        """SELECT a.kind AS kind, count(DISTINCT a.id) AS alerts,
                  coalesce(sum(d.status = 'delivered'), 0) AS delivered, count(d.id) AS deliveries
           FROM alerts a LEFT JOIN deliveries d ON d.alert_id = a.id
           WHERE a.created_at >= ? AND a.created_at < ?
           GROUP BY a.kind""",
        (start, end),
    )
    return [from_row(KindCounts, r) for r in rows]


async def tips_by_category(db: Executor, last_start: str, start: str, end: str) -> list[TwoWeeks]:
    """Tips per category in [start, end) and in the week before, [last_start, start)."""
    rows = await db.fetchall(
        """SELECT category AS key, sum(created_at >= :start) AS this_week,
                  sum(created_at < :start) AS last_week
           FROM tips WHERE created_at >= :last_start AND created_at < :end
           GROUP BY category""",
        {"last_start": last_start, "start": start, "end": end},
    )
    return [from_row(TwoWeeks, r) for r in rows]


async def tips_by_area(db: Executor, last_start: str, start: str, end: str) -> list[TwoWeeks]:
    rows = await db.fetchall(
        """SELECT (SELECT name FROM areas WHERE id = t.area_id) AS key,
                  sum(t.created_at >= :start) AS this_week, sum(t.created_at < :start) AS last_week
           FROM tips t WHERE t.created_at >= :last_start AND t.created_at < :end
           GROUP BY t.area_id""",
        {"last_start": last_start, "start": start, "end": end},
    )
    return [from_row(TwoWeeks, r) for r in rows]


async def open_tips_before(db: Executor, cutoff: str, limit: int) -> tuple[int, list[OpenTip]]:
    """Tips still open (new, read, or with the police) that were created before ``cutoff``:
    how many, and the oldest few."""
    where = "status IN ('new', 'reviewed', 'forwarded') AND created_at < ?"
    count = await db.fetchval(f"SELECT count(*) FROM tips WHERE {where}", (cutoff,))
    rows = await db.fetchall(
        f"SELECT ref, created_at FROM tips WHERE {where} ORDER BY created_at LIMIT ?",
        (cutoff, limit),
    )
    return count, [from_row(OpenTip, r) for r in rows]


async def tips_with_police(db: Executor) -> int:
    """Tips handed to the police and not closed since: waiting on them."""
    return await db.fetchval("SELECT count(*) FROM tips WHERE status = 'forwarded'")


async def tips_per_week(db: Executor, bounds: list[str]) -> dict[tuple[int, str], int]:
    """(week index, category) -> tips, for the weeks [bounds[i], bounds[i+1])."""
    cases = " ".join(f"WHEN created_at < ? THEN {i}" for i in range(len(bounds) - 1))
    rows = await db.fetchall(
        f"""SELECT CASE {cases} END AS week, category, count(*) AS tips
            FROM tips WHERE created_at >= ? AND created_at < ?
            GROUP BY week, category""",
        (*bounds[1:], bounds[0], bounds[-1]),
    )
    return {(r["week"], r["category"]): r["tips"] for r in rows}
