"""The weekly summary as people read it: the text in each language and the chart. What it
says is computed in :mod:`bot.summary`; the Telegram side sends it (handlers/senders.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta, tzinfo

from bot import chart, dates
from bot.alerts import Kind
from bot.clock import parse_stamp
from bot.summary import WeeklySummary
from bot.telegram_text import TEXT_LIMIT, telegram_length
from bot.texts import Safe, t
from storage import stats


def trend(this: int, last: int, lang: str) -> str:
    """The change from last week in words ("2 fler än förra veckan"): arrows and signs are
    read aloud by screen readers as "uppåtpil plus två"."""
    change = this - last
    if change > 0:
        return t(lang, "summary_more", count=change)
    if change < 0:
        return t(lang, "summary_fewer", count=-change)
    return t(lang, "summary_same")


def _changes(lang: str, key: str, joined: int, left: int, **values: object) -> str:
    """A count with who came and who left, the changes only when there were any."""
    if joined == 0 and left == 0:
        return t(lang, f"{key}_same", **values)
    return t(lang, key, new=joined, left=left, **values)


def render(summary: WeeklySummary, lang: str, tz: tzinfo) -> str:
    """The summary as an HTML message in ``lang``."""
    first = summary.week.monday
    last = (summary.until - timedelta(microseconds=1)).astimezone(tz).date()
    days = dates.day_range(first, last, lang)
    lines = [
        t(lang, "summary_title", week=summary.week.number, year=summary.week.year),
        t(lang, "summary_dates_partial" if summary.partial else "summary_dates", dates=days),
        "",
        _changes(
            lang, "summary_participants", summary.new, summary.left, total=summary.participants
        ),
    ]
    for area in summary.areas:
        lines.append(
            _changes(
                lang,
                "summary_area_line",
                area.joined,
                area.left,
                area=area.name,
                members=area.members,
            )
        )
    lines += ["", t(lang, "summary_sent_header")]
    for kind in (Kind.POLICE, Kind.MUNICIPALITY, Kind.NOTICE, Kind.REMINDER):
        counts = summary.sent.get(kind)
        name = t(lang, f"summary_kind_{kind}")
        if counts is None or counts.deliveries == 0:
            count = counts.alerts if counts else 0
            lines.append(t(lang, "summary_kind_line_none", kind=Safe(name), count=count))
        else:
            rate = round(100 * counts.delivered / counts.deliveries)
            lines.append(
                t(lang, "summary_kind_line", kind=Safe(name), count=counts.alerts, rate=rate)
            )
    lines += [
        "",
        t(
            lang,
            "summary_tips",
            this=summary.tips_this,
            trend=Safe(trend(summary.tips_this, summary.tips_last, lang)),
        ),
    ]
    if summary.by_category:
        lines.append(t(lang, "summary_by_category"))
        lines += _tip_lines(
            lang, ((t(lang, f"summary_cat_{r.key}"), r) for r in summary.by_category)
        )
    if summary.by_area:
        lines.append(t(lang, "summary_by_area"))
        named = [(r.key or t(lang, "summary_no_area"), r) for r in summary.by_area]
        lines += _tip_lines(lang, sorted(named, key=lambda item: item[0].casefold()))
    lines += ["", t(lang, "summary_open", count=summary.open_tips)]
    if summary.with_police:
        lines.append(t(lang, "summary_with_police", count=summary.with_police))
    if summary.oldest_open:
        items = ", ".join(
            t(
                lang,
                "summary_open_item",
                ref=tip.ref,
                days=(summary.until - parse_stamp(tip.created_at)).days,
            )
            for tip in summary.oldest_open
        )
        lines.append(t(lang, "summary_open_oldest", items=Safe(items)))
    if summary.missed:
        lines += ["", t(lang, "summary_missed_header")]
        for row in summary.missed:
            due = dates.moment(row.next_run, lang, tz=tz)
            lines.append(t(lang, "summary_missed_item", id=row.id, text=row.text[:60], due=due))
    return "\n".join(lines)


def _tip_lines(lang: str, named: Iterable[tuple[str, stats.TwoWeeks]]) -> list[str]:
    return [
        t(
            lang,
            "summary_tip_line",
            name=name,
            this=row.this_week,
            trend=Safe(trend(row.this_week, row.last_week, lang)),
        )
        for name, row in named
    ]


def render_chart(summary: WeeklySummary, lang: str) -> bytes:
    weeks = [w.number for w in summary.chart_weeks]
    return chart.tips_chart(weeks, summary.chart_counts, lang, focus=summary.chart_focus)


def split_message(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Whole lines per message, each under Telegram's limit."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if current and telegram_length(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current:
        chunks.append(current)
    return chunks
