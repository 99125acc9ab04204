"""The weekly summary's chart: tips per category over the last weeks, as a PNG.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no display, no global figure
state), so it is safe to run in a worker thread while the bot keeps serving.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

WIDTH_PX = 960
HEIGHT_PX = 540
DPI = 120
# Colour-blind friendly (Okabe-Ito), one per tip category, in catalogue order.
COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#999999",
)


def tips_chart(
    title: str,
    week_labels: list[str],
    series: list[tuple[str, list[int]]],
    *,
    y_label: str,
    empty_note: str,
) -> bytes:
    """Stacked bars, one bar per week, one colour per category; returns PNG bytes of
    exactly ``WIDTH_PX`` x ``HEIGHT_PX``."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(week_labels)))
    bottoms = [0] * len(week_labels)
    for (label, counts), colour in zip(series, COLOURS, strict=False):
        axes.bar(positions, counts, bottom=bottoms, label=label, color=colour, width=0.7)
        bottoms = [b + c for b, c in zip(bottoms, counts, strict=True)]
    axes.set_xticks(positions, week_labels)
    axes.set_ylabel(y_label)
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    axes.yaxis.get_major_locator().set_params(integer=True)
    if not any(bottoms):
        axes.set_ylim(0, 1)
        axes.text(0.5, 0.5, empty_note, transform=axes.transAxes, ha="center", va="center")
    else:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    figure.subplots_adjust(left=0.08, right=0.76, top=0.9, bottom=0.1)
    buffer = io.BytesIO()
    # No bbox_inches="tight": the picture must keep its fixed size.
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
