"""Retention: every kind of personal data is deleted once it is older than its period in
``[retention]``. One daily run (its job is in handlers/jobs.py), one transaction per kind
with an audit row that gives counts only, then the erased rows leave the disk
(``Database.erase_traces``).

Ages are measured with :func:`bot.clock.now`, so that a test can move time instead of
waiting for it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, timedelta
from datetime import time as clock_time

from bot import clock
from bot.config import RetentionSettings, Settings
from bot.privacy import erase_within
from bot.services import Services
from storage import audit
from storage import retention as old_rows
from storage.db import Database, Executor

log = logging.getLogger(__name__)

RUN_AT = clock_time(3, 30)  # local time, when hardly anyone uses the bot
ACTION = "retention"  # audit action; the target names the kind
KINDS = ("tips", "alerts", "deliveries", "audit", "inactive_participants", "surveys")


def periods(settings: Settings) -> dict[str, int]:
    """The retention periods in days by kind, e.g. for the privacy notice."""
    return {kind: getattr(settings.retention, kind) for kind in KINDS}


def _cutoff(days: int) -> str:
    return clock.stamp(clock.now() - timedelta(days=days))


def _cutoff_date(days: int) -> str:
    # Dated columns hold the UTC day (SQLite's date('now')).
    return (clock.now().astimezone(UTC).date() - timedelta(days=days)).isoformat()


async def purge(
    db: Database, retention: RetentionSettings, keep: Iterable[int] = ()
) -> dict[str, int]:
    """Delete every kind past its period; returns the number of rows deleted per kind.
    ``keep``: user ids never deleted as inactive (staff named in the configuration)."""
    staff = sorted(set(keep))

    async def tips(tx: Executor) -> dict[str, int]:
        return {"tips": await old_rows.delete_tips(tx, _cutoff(retention.tips))}

    async def alerts(tx: Executor) -> dict[str, int]:
        return {"alerts": await old_rows.delete_alerts(tx, _cutoff(retention.alerts))}

    async def deliveries(tx: Executor) -> dict[str, int]:
        return await old_rows.delete_deliveries(tx, _cutoff(retention.deliveries))

    async def audit_rows(tx: Executor) -> dict[str, int]:
        return {"audit": await old_rows.delete_audit(tx, _cutoff(retention.audit))}

    async def inactive(tx: Executor) -> dict[str, int]:
        since = _cutoff_date(retention.inactive_participants)
        # Chosen inside the transaction: someone who joined an area a moment ago stays.
        gone = await old_rows.inactive_participants(tx, since, staff)
        for user_id in gone:
            await erase_within(tx, user_id)
        return {"participants": len(gone)}

    # Surveys do not exist yet: their period is configured and announced, nothing to delete.
    # The audit log first, so that the entries this run writes are never among what it
    # deletes, whatever the clock says.
    steps: dict[str, Callable[[Executor], Awaitable[dict[str, int]]]] = {
        "audit": audit_rows,
        "tips": tips,
        "alerts": alerts,
        "deliveries": deliveries,
        "inactive_participants": inactive,
    }
    counts: dict[str, int] = {}
    for kind, step in steps.items():
        async with db.transaction() as tx:
            deleted = await step(tx)
            if any(deleted.values()):
                detail = ", ".join(f"{n} {what}" for what, n in deleted.items() if n)
                await audit.record(tx, None, ACTION, target=kind, detail=f"{detail} deleted")
        counts.update(deleted)
    if any(counts.values()):
        log.info(
            "retention: deleted %s",
            ", ".join(f"{n} {what}" for what, n in counts.items() if n),
        )
    await db.erase_traces()
    return counts


async def run(services: Services) -> dict[str, int]:
    """The daily run: :func:`purge`, keeping the staff named in the configuration."""
    settings = services.settings
    return await purge(
        services.db, settings.retention, [*settings.roles.coordinators, *settings.roles.police]
    )
