"""Charts as SVG markup, drawn from the report model's :class:`~pinnwand.reports.model.ChartBar` s.

The numbers come from the model; this module only lays them out. The markup uses SVG
presentation attributes (no ``style``), so it passes the pages' strict Content-Security-Policy
as well as WeasyPrint. Every piece of text is XML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup
from pinnwand.reports.model import ChartBar

WIDTH = 640
ROW = 24
BAR_HEIGHT = 14
LABEL_WIDTH = 380  # room for the "rank. label" text
BAR_LEFT = LABEL_WIDTH + 10
BAR_ROOM = WIDTH - BAR_LEFT - 40  # leave room for the number after the longest bar
LABEL_CHARS = 60  # what fits into LABEL_WIDTH at FONT_SIZE in DejaVu Sans
FONT_SIZE = 11
BAR_COLOUR = "#2b6f8f"
TRACK_COLOUR = "#e8eef2"
INK = "#1d2730"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


def vote_chart(bars: Sequence[ChartBar], title: str, mode: str = "pdf") -> Markup:
    """A horizontal bar chart: one row per bar with its rank, label, bar and vote count. On
    web pages (``mode="web"``) also as a list of ``<meter>`` bars, which narrow screens show
    instead of the drawing (its labels would be too small to read there)."""
    drawing = _svg(bars, title)
    return drawing if mode != "web" else drawing + vote_list(bars, title)


def vote_list(bars: Sequence[ChartBar], title: str) -> Markup:
    """The chart as an ordered list: rank and label, a ``<meter>`` bar, the votes."""
    rows = "".join(
        f'<li><span class="r-bars__label">{bar.rank}. {escape(bar.label)}</span>'
        f'<meter min="0" max="1" value="{bar.fraction:.3f}" aria-hidden="true"></meter>'
        f'<span class="r-bars__votes">{bar.votes}</span></li>' for bar in bars)
    return Markup(f'<ol class="r-bars" aria-label="{escape(title)}">{rows}</ol>')


def _svg(bars: Sequence[ChartBar], title: str) -> Markup:
    height = ROW * len(bars) + 4
    rows = "".join(_row(index, bar) for index, bar in enumerate(bars))
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="r-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{rows}</svg>"
    )


def _row(index: int, bar: ChartBar) -> str:
    top = index * ROW + 2
    baseline = top + ROW / 2 + FONT_SIZE * 0.36
    width = max(BAR_ROOM * bar.fraction, 2.0)
    label = escape(shorten(f"{bar.rank}. {bar.label}", LABEL_CHARS))
    bar_top = top + (ROW - BAR_HEIGHT) / 2
    return (
        f'<text x="0" y="{baseline:.1f}" fill="{INK}">{label}</text>'
        f'<rect x="{BAR_LEFT}" y="{bar_top:.1f}" width="{BAR_ROOM}" height="{BAR_HEIGHT}" '
        f'rx="2" fill="{TRACK_COLOUR}"/>'
        f'<rect x="{BAR_LEFT}" y="{bar_top:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}" '
        f'rx="2" fill="{BAR_COLOUR}"/>'
        f'<text x="{BAR_LEFT + width + 6:.1f}" y="{baseline:.1f}" fill="{INK}" '
        f'font-weight="bold">{bar.votes}</text>'
    )


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters (…)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    if len(cut) < limit // 2:
        cut = text[: limit - 1]
    return cut.rstrip(" ,;:.-–") + "…"
