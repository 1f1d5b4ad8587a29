"""Colours: reading a RAG colour from the Settings sheet, and the text colour that reads on it.

The Settings sheet's Green, Amber and Red colours fill the output sheets' RAG cells (the headless
fill writes them into the colour rules; :mod:`kpi_engine.xlsx.rag_colours`). The word on each
fill is black or white, whichever contrasts more (WCAG 2's contrast ratio). That choice always
reaches 4.5:1, the ratio text needs: black text gives (L + 0.05) / 0.05 and white 1.05 / (L + 0.05)
on a fill of relative luminance L, and the better of the two is lowest where they meet, at
L = 0.179, where both are 4.58:1. So no colour a Settings cell can hold is too light or too dark
for its text; a value that is not a colour at all is what gets a warning.
"""

from __future__ import annotations

import re

BLACK, WHITE = "000000", "FFFFFF"
TEXT_CONTRAST = 4.5  # WCAG 2 AA: the contrast normal-size text needs
_HEX = re.compile(r"#?([0-9A-Fa-f]{6})")


def read_colour(text: object) -> str | None:
    """``RRGGBB`` (upper case) from ``1f7a3a`` or ``#1F7A3A``; None when it is not one."""
    if not isinstance(text, str):
        return None
    m = _HEX.fullmatch(text.strip())
    return m.group(1).upper() if m else None


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an ``RRGGBB`` colour."""
    channels = []
    for i in (0, 2, 4):
        c = int(hex_colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``RRGGBB`` colours (1 to 21; text needs 4.5)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (always 4.58:1 or more)."""
    return BLACK if contrast_ratio(fill, BLACK) >= contrast_ratio(fill, WHITE) else WHITE
