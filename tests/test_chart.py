"""The weekly summary's chart as a phone shows it: rendered 400 px wide, its matplotlib
artists inspected (legend texts and their sizes in pixels, the drawn bars, the totals, where
each sits), in both languages, for a table of inputs."""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from bot import chart, clock, summary, summary_text
from bot.config import ConfigError, Settings, load_settings
from bot.sandbox import Sandbox
from bot.summary import Week
from tests.conftest import COORDINATOR_ID

PHONE = 400
WEEKS = [48, 49, 50, 51, 52, 53, 1, 2]  # over a year change: 2026 has a week 53


@dataclass(frozen=True)
class Case:
    name: str
    lang: str
    counts: dict[tuple[int, str], int]
    focus: tuple[str, ...]
    # What the chart must show, written out by hand rather than derived from the chart code.
    stack: list[str]  # drawn categories, bottom of the stack first
    legend: list[str]  # legend texts, top first
    totals: list[str]  # the number above each week's bar
    title: str
    note: str | None = None  # the line about focus categories without tips


CASES = [
    Case(
        "one category in one week",
        "sv",
        {(7, "theft"): 2},
        (),
        stack=["theft"],
        legend=["Stöld"],
        totals=["0", "0", "0", "0", "0", "0", "0", "2"],
        title="Tips per kategori, de senaste 8 veckorna",
    ),
    Case(
        "focus categories at the bottom, marked",
        "sv",
        {
            (0, "other"): 1,
            (1, "burglary"): 3,
            (1, "theft"): 1,
            (5, "traffic"): 2,
            (5, "burglary"): 1,
            (6, "vandalism"): 4,
            (7, "drugs"): 1,
        },
        ("traffic", "burglary"),
        # Focus categories in catalogue order (burglary before traffic), then the rest.
        stack=["burglary", "traffic", "drugs", "theft", "vandalism", "other"],
        legend=[
            "Övrigt",
            "Skadegörelse",
            "Stöld",
            "Narkotika",
            "Rattfylleri/drograttfylleri (fokus)",
            "Inbrott (fokus)",
        ],
        totals=["1", "4", "0", "0", "0", "3", "4", "1"],
        title="Tips per kategori, de senaste 8 veckorna",
    ),
    Case(
        "the same in English",
        "en",
        {
            (0, "other"): 1,
            (1, "burglary"): 3,
            (1, "theft"): 1,
            (5, "traffic"): 2,
            (5, "burglary"): 1,
            (6, "vandalism"): 4,
            (7, "drugs"): 1,
        },
        ("traffic", "burglary"),
        stack=["burglary", "traffic", "drugs", "theft", "vandalism", "other"],
        legend=[
            "Other",
            "Vandalism",
            "Theft",
            "Drugs",
            "Drink or drug driving (focus)",
            "Burglary (focus)",
        ],
        totals=["1", "4", "0", "0", "0", "3", "4", "1"],
        title="Tips per category, the last 8 weeks",
    ),
    Case(
        "a focus category without tips is named, not drawn",
        "sv",
        {(2, "unsafe_place"): 5, (3, "unsafe_place"): 1, (3, "burglary"): 2},
        ("drugs", "burglary"),
        stack=["burglary", "unsafe_place"],
        legend=["Otrygg plats", "Inbrott (fokus)"],
        totals=["0", "0", "5", "3", "0", "0", "0", "0"],
        title="Tips per kategori, de senaste 8 veckorna",
        note="Fokus utan tips de här veckorna: Narkotika",
    ),
    Case(
        "every category, the legend at its longest",
        "en",
        {
            (i, category): i + 1
            for i, category in enumerate(
                [
                    "drugs",
                    "burglary",
                    "theft",
                    "traffic",
                    "vandalism",
                    "suspicious",
                    "unsafe_place",
                    "other",
                ]
            )
        }
        | {(7, "drugs"): 900, (7, "burglary"): 400},
        ("drugs",),
        stack=[
            "drugs",
            "burglary",
            "theft",
            "traffic",
            "vandalism",
            "suspicious",
            "unsafe_place",
            "other",
        ],
        legend=[
            "Other",
            "Unsafe place",
            "Suspicious activity",
            "Vandalism",
            "Drink or drug driving",
            "Theft",
            "Burglary",
            "Drugs (focus)",
        ],
        # Week 8: 900 + 400 + its own "other" 8, with the language's thousands separator.
        totals=["1", "2", "3", "4", "5", "6", "7", "1,308"],
        title="Tips per category, the last 8 weeks",
    ),
]


def px(figure: Figure, text: Text) -> float:
    """A text's font size in pixels of the rendered picture."""
    return text.get_fontsize() * figure.dpi / 72


def extent(figure: Figure, artist) -> Bbox:
    renderer = figure.canvas.get_renderer()
    return artist.get_window_extent(renderer)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def bars(figure: Figure) -> list[BarContainer]:
    return [c for c in figure.axes[0].containers if isinstance(c, BarContainer)]


def totals(figure: Figure) -> list[Text]:
    return [t for t in figure.axes[0].texts if t.get_gid() == chart.TOTAL_GID]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_chart_at_phone_width(case: Case):
    png = chart.tips_chart(WEEKS, case.counts, case.lang, focus=case.focus, width_px=PHONE)
    assert png_size(png) == (PHONE, chart.PHONE_HEIGHT_PX)

    figure = chart.draw(WEEKS, case.counts, case.lang, focus=case.focus, width_px=PHONE)
    figure.canvas.draw()
    assert figure.bbox.width == PHONE
    axes = figure.axes[0]

    # Only the categories that occurred are drawn, in the stated order, each with its
    # counts, focus categories hatched and the others not.
    drawn = bars(figure)
    assert [c.get_label() for c in drawn] == case.stack
    for container in drawn:
        heights = [round(p.get_height()) for p in container.patches]
        assert heights == [case.counts.get((i, container.get_label()), 0) for i in range(8)]
        hatched = {p.get_hatch() for p in container.patches}
        assert hatched == ({chart.FOCUS_HATCH} if container.get_label() in case.focus else {None})
    colours = {c.patches[0].get_facecolor() for c in drawn}
    assert len(colours) == len(drawn), "two categories share a colour"

    # The legend: the expected names, top of the stack first, focus entries hatched too.
    [legend] = figure.legends
    assert isinstance(legend, Legend)
    assert [t.get_text() for t in legend.get_texts()] == case.legend
    hatches = [p.get_hatch() for p in legend.get_patches()]
    assert hatches == [chart.FOCUS_HATCH if "(fo" in name else None for name in case.legend]
    # Readable on a phone: at least LEGEND_MIN_PX and not smaller than any axis label.
    axis_texts = [*axes.get_xticklabels(), *axes.get_yticklabels(), axes.yaxis.label]
    axis_px = max(px(figure, t) for t in axis_texts if t.get_text())
    for text in legend.get_texts():
        assert px(figure, text) >= chart.LEGEND_MIN_PX >= 12
        assert px(figure, text) >= axis_px

    # A total above every bar, equal to the week's sum.
    shown = totals(figure)
    assert [t.get_text() for t in shown] == case.totals
    for week, text in enumerate(shown):
        bar_top = sum(case.counts.get((week, c), 0) for c in case.stack)
        assert text.xy == (week, bar_top)
        assert extent(figure, text).y0 >= axes.transData.transform((week, bar_top))[1] - 1

    # Nothing overlaps the bars, nothing sticks out of the picture or out of the axes.
    plot = extent(figure, axes.patch)
    legend_box = extent(figure, legend)
    assert legend_box.y1 < plot.y0, "the legend reaches into the bars"
    for text in shown:
        box = extent(figure, text)
        assert plot.x0 <= box.x0 and box.x1 <= plot.x1 and box.y1 <= plot.y1, text.get_text()
        assert not box.overlaps(legend_box)
    for artist in [legend, *figure.texts, *axis_texts]:
        box = extent(figure, artist)
        assert 0 <= box.x0 and box.x1 <= PHONE and 0 <= box.y0, artist
        assert box.y1 <= chart.PHONE_HEIGHT_PX, artist
    labels = [legend, *figure.texts, axes.yaxis.label]
    for i, first in enumerate(labels):
        for second in labels[i + 1 :]:
            assert not extent(figure, first).overlaps(extent(figure, second)), (first, second)
    assert not extent(figure, axes.yaxis.label).overlaps(plot)

    # The title, the line saying what the numbers are, and the focus line when due.
    figure_texts = [t.get_text() for t in figure.texts]
    assert figure_texts[0] == case.title
    assert any(text.startswith(("Siffran över", "The number above")) for text in figure_texts)
    notes = [t for t in figure.texts if t.get_text().startswith(("Fokus utan", "Focus with"))]
    assert [t.get_text() for t in notes] == ([case.note] if case.note else [])
    for note in notes:
        assert not extent(figure, note).overlaps(legend_box)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_chart_without_tips_says_so_and_has_no_legend(lang: str):
    figure = chart.draw(WEEKS, {}, lang, focus=("drugs",), width_px=PHONE)
    figure.canvas.draw()
    assert bars(figure) == [] and figure.legends == [] and totals(figure) == []
    expected = {"sv": "Inga tips under perioden", "en": "No tips in this period"}[lang]
    assert [t.get_text() for t in figure.axes[0].texts] == [expected]


def test_a_wider_picture_is_the_same_layout_sharper():
    counts = {(1, "burglary"): 3, (2, "theft"): 1}
    small = chart.draw(WEEKS, counts, "sv", width_px=PHONE)
    sent = chart.draw(WEEKS, counts, "sv")
    png = chart.tips_chart(WEEKS, counts, "sv")
    assert png_size(png) == (chart.WIDTH_PX, chart.HEIGHT_PX)
    assert chart.WIDTH_PX >= PHONE and chart.WIDTH_PX + chart.HEIGHT_PX <= 10000
    # Shrunk to the phone's width, the sent picture's legend is as large as measured above.
    shrink = PHONE / chart.WIDTH_PX
    for a, b in zip(small.legends[0].get_texts(), sent.legends[0].get_texts(), strict=True):
        assert px(sent, b) * shrink == pytest.approx(px(small, a))


def test_focus_categories_are_checked_against_the_category_codes():
    assert Settings().summary.focus_categories == []
    settings = Settings(summary={"focus_categories": ["drugs", "traffic", "drugs"]})
    assert settings.summary.focus_categories == ["drugs", "traffic"]
    with pytest.raises(
        ConfigError, match=r"summary\.focus_categories: unknown tip category 'drug'"
    ):
        load_settings(None, summary={"focus_categories": ["drug", "theft"]})


# ------------------------------------------------------------------ through the running bot


@pytest.fixture(autouse=True)
def _real_time_afterwards() -> Iterator[None]:
    yield
    clock.reset()


@pytest.fixture
def settings(config_file: Path) -> Settings:
    config_file.write_text(
        config_file.read_text(encoding="utf-8") + '\n[summary]\nfocus_categories = ["drugs"]\n',
        encoding="utf-8",
    )
    return load_settings(config_file)


async def test_configured_focus_reaches_the_sent_chart(sandbox: Sandbox, bot, db_path: Path):
    tips = [("2026-03-25T12:00:00Z", "drugs"), ("2026-03-26T12:00:00Z", "theft")]
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO tips (ref, year, seq, category, area_id, description, contact, status,"
            " created_at, updated_at) VALUES (?, 2026, ?, ?, NULL, 'x', 'anonymous', 'new', ?, ?)",
            [(f"T-2026-{i:06d}", i, cat, at, at) for i, (at, cat) in enumerate(tips, start=1)],
        )
    clock.travel(datetime(2026, 4, 1, 10, tzinfo=UTC))
    report = await summary.compute(bot.services, Week(2026, 13))
    assert report.chart_focus == ("drugs",)
    figure = chart.draw(
        [w.number for w in report.chart_weeks], report.chart_counts, "sv", focus=report.chart_focus
    )
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["Stöld", "Narkotika (fokus)"]

    photo = await sandbox.user(COORDINATOR_ID, "Kerstin").send("/summary last")
    assert photo.kind == "photo"
    assert png_size(photo.file_bytes) == (chart.WIDTH_PX, chart.HEIGHT_PX)
    assert photo.file_bytes == summary_text.render_chart(report, "sv")
