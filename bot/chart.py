"""The weekly summary's chart: tips per category over the last weeks, as a PNG.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no display, no global figure
state), so it is safe to run in a worker thread while the bot keeps serving.

The layout is made for a phone. It is designed on a canvas ``PHONE_WIDTH_PX`` wide, the
width a phone shows a photo at, and every size below is in pixels of that canvas. A wider
PNG is the same picture at a higher resolution (the dpi grows with the width), so whatever
is readable at the design width stays readable when the phone shrinks the photo to fit.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping, Sequence

from babel.numbers import format_decimal
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from bot.texts import plain, t
from bot.tips import CATEGORIES

PHONE_WIDTH_PX = 400
PHONE_HEIGHT_PX = 540
# The PNG is sent at twice the design size: sharp on high-density screens, and within the
# 1280 px Telegram keeps of a photo's longer side.
WIDTH_PX = 2 * PHONE_WIDTH_PX
HEIGHT_PX = 2 * PHONE_HEIGHT_PX
_DESIGN_DPI = 100  # only fixes the figure's size in inches; sizes are stated in pixels

# Font sizes in pixels at the design width. The legend is the chart's key, so it is never
# smaller than the axis labels, and never under LEGEND_MIN_PX: the smallest size that
# stays legible on a phone held at reading distance.
LEGEND_MIN_PX = 12
TITLE_PX = 15
AXIS_PX = 12
LEGEND_PX = 13
TOTAL_PX = 13
NOTE_PX = 12

# Where things sit, in pixels from the top or left of the design canvas.
_AXES_LEFT = 50
_AXES_RIGHT = 12
_AXES_TOP = 84
_AXES_HEIGHT = 220
_LEGEND_TOP = _AXES_TOP + _AXES_HEIGHT + 34  # below the week labels
_MARGIN = 10

# Okabe-Ito, told apart with every common kind of colour blindness (grey in place of its
# black, on which the focus hatching would vanish). Each category keeps its colour from week
# to week, so a coordinator learns them.
COLOURS = dict(
    zip(
        CATEGORIES,
        (
            "#D55E00",  # vermilion
            "#0072B2",  # blue
            "#E69F00",  # orange
            "#009E73",  # bluish green
            "#CC79A7",  # reddish purple
            "#56B4E9",  # sky blue
            "#F0E442",  # yellow
            "#999999",  # grey
        ),
        strict=True,
    )
)
# Focus categories are hatched as well as coloured: the mark must not rest on colour alone.
FOCUS_HATCH = "///"
TOTAL_GID = "total"


def _pt(px: float) -> float:
    """A font size in points that is ``px`` pixels tall on the design canvas."""
    return px * 72 / _DESIGN_DPI


def drawn_categories(
    weeks: int, counts: Mapping[tuple[int, str], int], focus: Collection[str] = ()
) -> list[str]:
    """The categories with at least one tip in the charted weeks, bottom of the stack first:
    the focus categories (in catalogue order) on the baseline, where their trend is easiest
    to read, then the others in catalogue order."""
    occurred = [c for c in CATEGORIES if any(counts.get((i, c), 0) for i in range(weeks))]
    return [c for c in occurred if c in focus] + [c for c in occurred if c not in focus]


def draw(
    weeks: Sequence[int],
    counts: Mapping[tuple[int, str], int],
    lang: str,
    *,
    focus: Collection[str] = (),
    width_px: int = WIDTH_PX,
) -> Figure:
    """Stacked bars of tips per category, one bar per week (``weeks`` are the ISO week
    numbers, oldest first; ``counts`` maps (index into ``weeks``, category) to tips), with
    the week's total above each bar and a legend below in stack order, top first."""
    scale = width_px / PHONE_WIDTH_PX
    figure = Figure(
        figsize=(PHONE_WIDTH_PX / _DESIGN_DPI, PHONE_HEIGHT_PX / _DESIGN_DPI),
        dpi=_DESIGN_DPI * scale,
    )
    FigureCanvasAgg(figure)

    def x(px: float) -> float:
        return px / PHONE_WIDTH_PX

    def y(px_from_top: float) -> float:
        return 1 - px_from_top / PHONE_HEIGHT_PX

    axes = figure.add_axes(
        (
            x(_AXES_LEFT),
            y(_AXES_TOP + _AXES_HEIGHT),
            x(PHONE_WIDTH_PX - _AXES_LEFT - _AXES_RIGHT),
            _AXES_HEIGHT / PHONE_HEIGHT_PX,
        )
    )
    figure.text(
        x(_MARGIN),
        y(_MARGIN),
        t(lang, "summary_chart_title", weeks=len(weeks)),
        fontsize=_pt(TITLE_PX),
        fontweight="bold",
        va="top",
    )

    positions = list(range(len(weeks)))
    categories = drawn_categories(len(weeks), counts, focus)
    totals = [sum(counts.get((i, c), 0) for c in CATEGORIES) for i in positions]
    bottoms = [0] * len(weeks)
    handles: list[Patch] = []
    for category in categories:
        heights = [counts.get((i, category), 0) for i in positions]
        style = _style(category, category in focus)
        axes.bar(positions, heights, bottom=bottoms, width=0.7, label=category, **style)
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        name = plain(lang, f"summary_cat_{category}")
        if category in focus:
            name = plain(lang, "chart_focus_name").format(name=name)
        handles.append(Patch(label=name, **style))

    axes.set_xticks(positions, [plain(lang, "summary_week_label").format(week=w) for w in weeks])
    axes.set_xlim(-0.6, len(weeks) - 0.4)
    axes.tick_params(labelsize=_pt(AXIS_PX))
    # Level, above the axis: a rotated label beside long tick labels would be pushed off the
    # picture's edge, and sideways text is slow to read on a phone.
    axes.set_ylabel(
        plain(lang, "summary_chart_ylabel"),
        fontsize=_pt(AXIS_PX),
        rotation=0,
        ha="left",
        va="bottom",
    )
    axes.yaxis.set_label_coords(
        (_MARGIN - _AXES_LEFT) / (PHONE_WIDTH_PX - _AXES_LEFT - _AXES_RIGHT),
        1 + 6 / _AXES_HEIGHT,
    )
    axes.spines[["top", "right"]].set_visible(False)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: format_decimal(round(value), locale=lang))
    )

    if not categories:
        axes.set_ylim(0, 1)
        axes.set_yticks([])
        axes.text(
            0.5,
            0.5,
            plain(lang, "summary_chart_empty"),
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=_pt(NOTE_PX),
        )
        return figure

    figure.text(
        x(_MARGIN),
        y(_MARGIN + TITLE_PX + 10),
        plain(lang, "chart_total_note"),
        fontsize=_pt(NOTE_PX),
        va="top",
    )
    # Headroom so that the total above the highest bar stays inside the axes.
    axes.set_ylim(0, max(totals) * 1.18 + 0.5)
    for position, total in zip(positions, totals, strict=True):
        axes.annotate(
            format_decimal(total, locale=lang),
            (position, total),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=_pt(TOTAL_PX),
            fontweight="bold",
            gid=TOTAL_GID,
        )

    # One column, top of the stack first, so the legend reads in the order the eye meets
    # the colours; below the bars, so it never covers them and has the whole width.
    legend = figure.legend(
        handles=handles[::-1],
        loc="upper left",
        bbox_to_anchor=(x(_MARGIN), y(_LEGEND_TOP)),
        ncols=1,
        frameon=False,
        fontsize=_pt(LEGEND_PX),
        handlelength=1.6,
        handleheight=1.0,
        borderaxespad=0,
        borderpad=0,
    )
    missing = [c for c in CATEGORIES if c in focus and c not in categories]
    if missing:
        names = ", ".join(plain(lang, f"summary_cat_{c}") for c in missing)
        # Right under the legend, whose height is known only once it has been laid out.
        figure.draw_without_rendering()
        below = legend.get_window_extent().y0 - 8 * scale
        figure.text(
            x(_MARGIN),
            below / figure.bbox.height,
            plain(lang, "chart_focus_none").format(names=names),
            fontsize=_pt(NOTE_PX),
            va="top",
        )
    return figure


def _style(category: str, is_focus: bool) -> dict[str, object]:
    if is_focus:
        return {
            "facecolor": COLOURS[category],
            "edgecolor": "#000000",
            "linewidth": 0.6,
            "hatch": FOCUS_HATCH,
        }
    # A white edge between segments helps tell neighbours apart in grey-scale too.
    return {"facecolor": COLOURS[category], "edgecolor": "#FFFFFF", "linewidth": 0.6}


def tips_chart(
    weeks: Sequence[int],
    counts: Mapping[tuple[int, str], int],
    lang: str,
    *,
    focus: Collection[str] = (),
    width_px: int = WIDTH_PX,
) -> bytes:
    """:func:`draw` as PNG bytes, ``width_px`` wide (``HEIGHT_PX`` high at the default)."""
    figure = draw(weeks, counts, lang, focus=focus, width_px=width_px)
    buffer = io.BytesIO()
    # No bbox_inches="tight": the picture must keep its fixed size.
    figure.savefig(buffer, format="png", dpi=figure.dpi)
    return buffer.getvalue()
