"""/export: tips and participants as CSV files that open in Excel.

UTF-8 with a byte-order mark (without it Excel reads å, ä, ö as two characters each) and
semicolons between fields (Swedish Excel uses the comma as decimal sign and expects ";")."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot import clock, tips
from bot.services import Services
from storage import audit
from storage import participants as people
from storage import tips as tip_rows

KINDS = ("tips", "participants")
DELIMITER = ";"
TIP_COLUMNS = (
    "ref",
    "created",
    "category",
    "category_name",
    "area",
    "occurred",
    "status",
    "status_changed",
    "description",
    "contact",
    "reporter_id",
    "reporter_name",
    "phone",
    "latitude",
    "longitude",
    "photos",
)
PARTICIPANT_COLUMNS = (
    "user_id",
    "first_name",
    "language",
    "consent_at",
    "areas",
    "roles",
    "active",
    "banned_at",
)
# A cell starting with one of these is a formula to Excel; a tip's text must never run.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Period:
    start: str | None  # UTC ISO timestamps, end exclusive
    end: str | None
    first: date | None
    last: date | None

    @property
    def days(self) -> tuple[str | None, str | None]:
        """The period as local dates [first, after last), for what is stored as a date."""
        after = self.last + timedelta(days=1) if self.last else None
        return (
            self.first.isoformat() if self.first else None,
            after.isoformat() if after else None,
        )

    @property
    def label(self) -> str:
        return f"{self.first or '…'}–{self.last or '…'}"


def parse_period(args: list[str], tz: tzinfo) -> Period | None:
    """``[FROM [TO]]`` as local dates, both inclusive; None if a date is malformed."""
    try:
        days = [date.fromisoformat(a) for a in args]
    except ValueError:
        return None
    first = days[0] if days else None
    last = days[1] if len(days) > 1 else None
    if first and last and last < first:
        return None

    def utc(day: date) -> str:
        local = datetime.combine(day, time(0, 0), tzinfo=tz)
        return clock.stamp(local)

    return Period(
        utc(first) if first else None,
        utc(last + timedelta(days=1)) if last else None,
        first,
        last,
    )


def file_name(kind: str, period: Period) -> str:
    parts = ["grannbot", kind]
    if period.first:
        parts.append(period.first.isoformat())
    if period.last:
        parts.append(period.last.isoformat())
    return "-".join(parts) + ".csv"


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _local(stamp: str, tz: tzinfo) -> str:
    return clock.parse_stamp(stamp).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _csv(columns: tuple[str, ...], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


async def export_csv(
    services: Services, kind: str, period: Period, lang: str, actor_id: int
) -> tuple[bytes, int]:
    """(CSV bytes, number of data rows); the audit row naming who took it is written before
    the file is handed out."""
    if kind == "tips":
        columns, rows = TIP_COLUMNS, await _tip_rows(services, period, lang)
    else:
        # Consent and ban are stored as dates: the file (which travels by mail and shared
        # drives) holds no time of day that could tie a resident to an anonymous tip.
        found = await tip_rows.participants_for_export(services.db, *period.days)
        columns, rows = PARTICIPANT_COLUMNS, [[p[c] for c in PARTICIPANT_COLUMNS] for p in found]
    async with services.db.transaction() as tx:
        await audit.record(
            tx, actor_id, "export", target=kind, detail=f"{len(rows)} rows {period.label}"
        )
    return _csv(columns, rows), len(rows)


async def _tip_rows(services: Services, period: Period, lang: str) -> list[list[object]]:
    """One row per tip. Anonymous tips leave every identity column empty."""
    tz = services.settings.municipality.tz
    names: dict[int, str] = {}
    rows = []
    for tip in await tip_rows.tips_created_between(services.db, period.start, period.end):
        reporter_id = None if tip.contact == "anonymous" else tip.reporter_id
        name = None
        if reporter_id is not None:
            if reporter_id not in names:
                person = await people.participant(services.db, reporter_id)
                names[reporter_id] = person.first_name if person else ""
            name = names[reporter_id]
        rows.append(
            [
                tip.ref,
                _local(tip.created_at, tz),
                tip.category,
                tips.category_name(lang, tip.category),
                tip.area_code,
                tip.occurred,
                tip.status,
                _local(tip.updated_at, tz),
                tip.description,
                tip.contact,
                reporter_id,
                name,
                tip.phone if reporter_id is not None else None,
                tip.latitude,
                tip.longitude,
                len(tip.photos),
            ]
        )
    return rows
