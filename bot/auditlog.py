"""/audit: the audit log a page at a time, newest first.

A page never passes Telegram's 4096 characters, whatever the rows hold: targets and details
(anything a coordinator typed) are cut, and a page takes fewer entries when they are long.
Pages are found by entry id rather than by number, so that entries written while someone
reads do not shift what the next page shows."""

from __future__ import annotations

from dataclasses import dataclass

from bot import dates
from bot.alerts import telegram_length
from bot.texts import Safe, t
from storage import audit
from storage.audit import Entry
from storage.db import Database

TEXT_LIMIT = 4096
PAGE_ROWS = 20
ACTION_CHARS = 32
TARGET_CHARS = 60
DETAIL_CHARS = 80


@dataclass(frozen=True, slots=True)
class View:
    """Which entries a page shows: those above ``floor`` (the entry just below the newest N
    for ``/audit N``, else 0), older than ``before`` or newer than ``after``; neither: the
    newest."""

    floor: int = 0
    before: int | None = None
    after: int | None = None


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    newer: View | None  # where "◀ Newer" leads, None on the newest page
    older: View | None  # where "Older ▶" leads, None on the oldest


async def refused(db: Database, actor_id: int | None, action: str, target: str) -> None:
    """Write down that ``action`` was refused to ``actor_id`` (None: no user behind it)."""
    async with db.transaction() as tx:
        await audit.record(tx, actor_id, action, target=target, outcome="refused")


async def first_view(db: Database, latest: int | None) -> View:
    """The newest page of the whole log, or of its newest ``latest`` entries."""
    return View(floor=await audit.floor_of_latest(db, latest) if latest else 0)


async def page(db: Database, lang: str, view: View) -> Page | None:
    """The page ``view`` asks for; the newest page when that one has gone (entries erased
    since the button was made). None when the log holds nothing to show."""
    entries = await _entries(db, view)
    if not entries and (view.before is not None or view.after is not None):
        view = View(view.floor)
        entries = await _entries(db, view)
    if not entries:
        return None
    lines = [line(lang, entry) for entry in entries]
    total = await audit.count_above(db, view.floor)
    while True:
        # Entries are in the order they were read: the ones nearest where the reader came
        # from first, so that a page cut short still joins on to the previous one.
        shown = entries if view.after is None else entries[::-1]
        shown_lines = lines if view.after is None else lines[::-1]
        newer_count = await audit.count_above(db, shown[0].id)
        header = t(
            lang,
            "audit_header",
            first=newer_count + 1,
            last=newer_count + len(shown),
            total=max(total, newer_count + len(shown)),
        )
        text = "\n".join([header, *shown_lines])
        if telegram_length(text) <= TEXT_LIMIT or len(entries) == 1:
            break
        entries, lines = entries[:-1], lines[:-1]
    newest, oldest = shown[0].id, shown[-1].id
    return Page(
        text,
        newer=View(view.floor, after=newest) if newer_count else None,
        older=View(view.floor, before=oldest)
        if await audit.count_between(db, view.floor, oldest)
        else None,
    )


async def _entries(db: Database, view: View) -> list[Entry]:
    if view.after is not None:
        return await audit.newer(db, view.after, PAGE_ROWS)
    return await audit.older(db, view.before, view.floor, PAGE_ROWS)


def line(lang: str, entry: Entry) -> str:
    """One entry as one line, its free text cut short."""
    times = t(lang, "audit_times", times=entry.times) if entry.times > 1 else ""
    detail = (
        t(lang, "audit_detail", detail=_cut(entry.detail, DETAIL_CHARS)) if entry.detail else ""
    )
    return t(
        lang,
        "audit_line",
        at=dates.moment(entry.at, lang),
        actor=entry.actor_id if entry.actor_id is not None else "–",
        action=_cut(entry.action, ACTION_CHARS),
        target=_cut(entry.target or "", TARGET_CHARS),
        outcome=t(lang, f"audit_{entry.outcome}"),
        times=Safe(times),
        detail=Safe(detail),
    )


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
