"""What coordinators and officers do with a tip: list them, change a tip's status (and tell
a reporter who chose to be reachable, through the outbox)."""

from __future__ import annotations

from dataclasses import dataclass

from bot import area_names, notices
from bot.services import Services
from bot.tips import MAX_NOTE, STATUSES
from storage import areas as area_rows
from storage import audit
from storage import tips as tip_rows
from storage.areas import Area
from storage.db import Database
from storage.tips import Tip


@dataclass(frozen=True, slots=True)
class Change:
    tip: Tip  # after the change
    previous: str


async def change_status(
    services: Services, tip_id: int, status: str, note: str | None, actor_id: int
) -> Change | None:
    """Set the status, keep the change as history (who, when, note), audit it and, for a
    reporter who chose to be reachable, queue their notice: one transaction, so that a
    recorded change is always told and a told change always recorded. A false alarm stays
    in the database and counts in the statistics as such. An anonymous reporter is never
    told (nothing links the tip to them)."""
    if status not in STATUSES:
        raise ValueError(status)
    note = (note or "").strip()[:MAX_NOTE] or None
    told = False
    async with services.db.transaction() as tx:
        before = await tip_rows.tip_by_id(tx, tip_id)
        if before is None:
            return None
        if before.status == status and note is None:
            return Change(before, before.status)  # a second press on the same button
        await tip_rows.set_status(tx, tip_id, status, note, actor_id)
        await audit.record(tx, actor_id, "tipset", target=before.ref, detail=status)
        after = await tip_rows.tip_by_id(tx, tip_id)
        assert after is not None
        if reachable(after) and status != before.status:
            await notices.queue(tx, status_notice(after))
            told = True
    if told:
        notices.wake(services)
    return Change(after, before.status)


def reachable(tip: Tip) -> bool:
    """A reporter who gave their name and is still known (not anonymous, not forgotten)."""
    return tip.reporter_id is not None and tip.contact != "anonymous"


def status_notice(tip: Tip) -> notices.Notice:
    assert tip.reporter_id is not None
    return notices.Notice(
        tip.reporter_id,
        "tip_status_changed",
        {"ref": tip.full_ref, "status": notices.Term(f"tip_status_{tip.status}")},
        purpose=notices.TIP_STATUS,
        subject_id=tip.id,
    )


async def list_for_handlers(
    db: Database, scope: str, area_code: str | None, limit: int
) -> tuple[list[Tip], int, Area | None] | None:
    """``/tips [open|all] [AREA]``; None when no area has that code or name."""
    area = None
    if area_code:
        area = area_names.resolve(await area_rows.all_areas(db), area_code).area
        if area is None:
            return None
    found, total = await tip_rows.list_tips(
        db, open_only=scope != "all", area_id=area.id if area else None, limit=limit
    )
    return found, total, area
