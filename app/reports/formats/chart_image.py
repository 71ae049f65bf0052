"""A vote chart as a PNG image (for Word, which shows no SVG of ours): the same bars as
:func:`pinnwand.reports.formats.charts.vote_chart`, drawn with Pillow at print resolution.

Labels are drawn in DejaVu Sans (the report's font) when it is installed, else in Pillow's
own font; a label too long for its room is shortened at a word boundary (…).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache

from PIL import Image, ImageDraw, ImageFont
from pinnwand.reports.formats.charts import BAR_COLOUR, INK, TRACK_COLOUR, shorten
from pinnwand.reports.model import ChartBar

SCALE = 3  # pixels per point: 216 dpi when the image is shown at its point size
WIDTH_PT = 450  # fits a portrait page between 2 cm margins
ROW_PT = 20
BAR_HEIGHT_PT = 11
LABEL_WIDTH_PT = 250
FONT_PT = 9
NUMBER_ROOM_PT = 30
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
# zlib level 1: 17 ms a chart instead of 110 ms with "optimize" (level 9 and a filter
# search), for a file 17 % larger (84 instead of 72 KB).
PNG_COMPRESSION = 1


def chart_png(bars: Sequence[ChartBar]) -> bytes:
    """The chart as PNG bytes: one row per bar with its rank, label, bar and vote count."""
    width, height = WIDTH_PT * SCALE, (ROW_PT * len(bars) + 4) * SCALE
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for index, bar in enumerate(bars):
        _row(draw, index, bar)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESSION, dpi=(72 * SCALE, 72 * SCALE))
    return buffer.getvalue()


def width_in_points() -> int:
    """The width the image is meant to be shown at, in points."""
    return WIDTH_PT


def _row(draw: ImageDraw.ImageDraw, index: int, bar: ChartBar) -> None:
    top = (index * ROW_PT + 2) * SCALE
    middle = top + ROW_PT * SCALE // 2
    regular, bold = _font(False), _font(True)
    label = _fitting(draw, f"{bar.rank}. {bar.label}", regular, (LABEL_WIDTH_PT - 6) * SCALE)
    draw.text((0, middle), label, fill=INK, font=regular, anchor="lm")
    left = LABEL_WIDTH_PT * SCALE
    room = (WIDTH_PT - LABEL_WIDTH_PT - NUMBER_ROOM_PT) * SCALE
    bar_top = middle - BAR_HEIGHT_PT * SCALE // 2
    bar_bottom = bar_top + BAR_HEIGHT_PT * SCALE
    draw.rounded_rectangle((left, bar_top, left + room, bar_bottom), radius=2 * SCALE,
                           fill=TRACK_COLOUR)
    length = max(room * bar.fraction, 2 * SCALE)
    draw.rounded_rectangle((left, bar_top, left + length, bar_bottom), radius=2 * SCALE,
                           fill=BAR_COLOUR)
    draw.text((left + length + 5 * SCALE, middle), str(bar.votes), fill=INK, font=bold,
              anchor="lm")


def _fitting(draw: ImageDraw.ImageDraw, text: str, font, room: float) -> str:
    """``text`` shortened until it fits ``room`` pixels."""
    limit = len(text)
    shown = shorten(text, limit)
    while limit > 4 and draw.textlength(shown, font=font) > room:
        limit -= 2
        shown = shorten(text, limit)
    return shown


@cache
def _font(bold: bool):
    try:
        return ImageFont.truetype(FONTS[bold], FONT_PT * SCALE)
    except OSError:
        return ImageFont.load_default(FONT_PT * SCALE)
