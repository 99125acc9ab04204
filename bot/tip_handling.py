"""What coordinators and officers do with a tip: list them, change a tip's status (and tell
a reporter who chose to be reachable, through the outbox)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot import area_names, clock, notices
from bot.services import Services
from bot.tips import MAX_NOTE, STATUSES
from storage import areas as area_rows
from storage import audit
from storage import tips as tip_rows
from storage.areas import Area
from storage.db import Database
from storage.tips import Tip

# A status set by button can be taken back for this long; the reporter hears of it after.
UNDO_WINDOW = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class Change:
    tip: Tip  # after the change
    previous: str
    undoable: int | None = None  # the history row an "Undo" may take back, while it may


async def change_status(
    services: Services,
    tip_id: int,
    status: str,
    note: str | None,
    actor_id: int,
    *,
    by_button: bool = False,
) -> Change | None:
    """Set the status, keep the change as history (who, when, note), audit it and, for a
    reporter who chose to be reachable, queue their notice: one transaction, so that a
    recorded change is always told and a told change always recorded. A false alarm stays
    in the database and counts in the statistics as such. An anonymous reporter is never
    told (nothing links the tip to them).

    A change made by one tap (``by_button``) may be a mis-tap: its notice is held back for
    :data:`UNDO_WINDOW`, during which :func:`undo` takes it back unsent. A notice still held
    from an earlier change is withdrawn: the reporter hears of the latest status only."""
    if status not in STATUSES:
        raise ValueError(status)
    note = (note or "").strip()[:MAX_NOTE] or None
    told = False
    undoable = None
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
        if by_button:
            last = await tip_rows.last_change(tx, tip_id)
            undoable = last.id if last else None
        if reachable(after) and status != before.status:
            await notices.withdraw_held(tx, notices.TIP_STATUS, tip_id)
            hold = clock.stamp(clock.now() + UNDO_WINDOW) if by_button else None
            await notices.queue(tx, status_notice(after, not_before=hold))
            told = True
    if told:
        notices.wake(services)
    return Change(after, before.status, undoable)


async def undo(services: Services, tip_id: int, change_id: int, actor_id: int) -> Change | None:
    """Take back the status change ``change_id`` if it is still the tip's latest and younger
    than :data:`UNDO_WINDOW`: the status goes back, the reporter's held notice is deleted,
    and both are audited, in one transaction. None when it is too late (or the tip is gone);
    the change then stands and its notice goes out."""
    async with services.db.transaction() as tx:
        last = await tip_rows.last_change(tx, tip_id)
        if last is None or last.id != change_id:
            return None
        if clock.parse_stamp(last.changed_at) + UNDO_WINDOW <= clock.now():
            return None
        before = await tip_rows.tip_by_id(tx, tip_id)
        if before is None:
            return None
        await tip_rows.set_status(tx, tip_id, last.previous, None, actor_id)
        withdrawn = await notices.withdraw_held(tx, notices.TIP_STATUS, tip_id)
        await audit.record(
            tx,
            actor_id,
            "tipundo",
            target=before.ref,
            detail=f"{last.status}->{last.previous}; notices withdrawn: {withdrawn}",
        )
        after = await tip_rows.tip_by_id(tx, tip_id)
        assert after is not None
        # The undone tap may have replaced a held notice about the status that now stands
        # again (two taps within the window): the reporter must still hear of that one.
        told = False
        if reachable(after) and after.status != "new":
            latest = await notices.latest_key(tx, notices.TIP_STATUS, tip_id)
            if latest != status_notice(after).key:
                await notices.queue(tx, status_notice(after))
                told = True
    if told:
        notices.wake(services)
    return Change(after, last.status)


def reachable(tip: Tip) -> bool:
    """A reporter who gave their name and is still known (not anonymous, not forgotten)."""
    return tip.reporter_id is not None and tip.contact != "anonymous"


def status_notice(tip: Tip, *, not_before: str | None = None) -> notices.Notice:
    """Neutral and thankful, one text per status: the reporter reads what happened, not a
    label."""
    assert tip.reporter_id is not None
    return notices.Notice(
        tip.reporter_id,
        f"tip_notice_{tip.status}",
        {"ref": tip.full_ref},
        purpose=notices.TIP_STATUS,
        subject_id=tip.id,
        not_before=not_before,
    )


async def tip_for_card(db: Database, tip_id: int) -> Tip | None:
    return await tip_rows.tip_by_id(db, tip_id)


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
