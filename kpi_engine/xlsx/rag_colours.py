"""The Settings sheet's RAG colours, written into the output sheets' colour rules.

The template colours a cell that says ``Green``, ``Amber`` or ``Red`` with a conditional format
(``<cfRule type="cellIs" operator="equal"><formula>"Green"</formula>``) whose look is a
differential style (``dxf``) in ``xl/styles.xml``. The headless fill gives each RAG rule of an
output sheet a dxf with the Settings colour as its fill and black or white text, whichever
contrasts more (:func:`kpi_engine.colours.text_colour_on`).

Nothing changes where the rule's dxf already has those colours (the defaults, in a template made
with them): styles.xml and the rules stay byte for byte. Otherwise the dxf is never edited in
place, since a dxf may also serve an officer's own rules on other sheets: the rule is pointed at a
dxf that has the colours, the same dxf with its fill and text colour changed (its bold, borders
and number format kept), appended to styles.xml's ``dxfs`` unless one exactly like it is there
already (from the last fill), so filling again adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from kpi_engine.colours import text_colour_on

RAG_WORDS = ("Green", "Amber", "Red")
_RULE = re.compile(
    rb'<cfRule\b([^>]*)>\s*<formula>(?:"|&quot;)(Green|Amber|Red)(?:"|&quot;)</formula>',
)
_DXFS = re.compile(rb"<dxfs\b[^>]*?(?:/>|>(.*?)</dxfs>)", re.DOTALL)
_DXF = re.compile(rb"<dxf\b[^>]*?(?:/>|>.*?</dxf>)", re.DOTALL)
# A dxf's children, in the order the file format wants them.
_DXF_PARTS = ("font", "numFmt", "fill", "alignment", "protection", "border", "extLst")
# Within a font: the elements that come after its colour.
_AFTER_COLOUR = re.compile(rb"<(?:name|family|charset|scheme|extLst)\b")


def _attr(attrs: bytes, name: bytes) -> bytes | None:
    m = re.search(rb"\b" + name + rb'="([^"]*)"', attrs)
    return m.group(1) if m else None


def _child(xml: bytes, tag: str) -> bytes | None:
    t = tag.encode()
    m = re.search(rb"<" + t + rb"\b[^>]*?(?:/>|>.*?</" + t + rb">)", xml, re.DOTALL)
    return m.group(0) if m else None


def _rgb(element: bytes | None, tag: str) -> str | None:
    """``RRGGBB`` of ``<tag rgb="AARRGGBB"/>`` within ``element`` (None for a theme colour)."""
    if element is None:
        return None
    m = re.search(rb"<" + tag.encode() + rb'\b[^>]*?\brgb="([0-9A-Fa-f]{6,8})"', element)
    return m.group(1)[-6:].decode().upper() if m else None


def _has_colours(dxf: bytes, fill: str, text: str) -> bool:
    fill_el, font = _child(dxf, "fill"), _child(dxf, "font")
    return (
        _rgb(fill_el, "bgColor") == fill
        and _rgb(fill_el, "fgColor") in (fill, None)
        and _rgb(font, "color") == text
    )


def recoloured(dxf: bytes, fill: str, text: str) -> bytes:
    """``dxf`` with a solid ``fill`` and ``text`` as its font colour; the rest of it kept."""
    parts = {tag: _child(dxf, tag) for tag in _DXF_PARTS}
    colour = f'<color rgb="FF{text}"/>'.encode()
    font = parts["font"]
    if font is None or font.endswith(b"/>"):
        parts["font"] = b"<font>" + colour + b"</font>"
    else:
        inner = font[font.index(b">") + 1 : font.rindex(b"</font>")]
        inner = re.sub(rb"<color\b[^>]*?(?:/>|>.*?</color>)", b"", inner, flags=re.DOTALL)
        at = _AFTER_COLOUR.search(inner)
        cut = at.start() if at else len(inner)
        parts["font"] = (
            font[: font.index(b">") + 1] + inner[:cut] + colour + inner[cut:] + b"</font>"
        )
    parts["fill"] = (
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{fill}"/>'
        f'<bgColor rgb="FF{fill}"/></patternFill></fill>'
    ).encode()
    return b"<dxf>" + b"".join(p for p in (parts[t] for t in _DXF_PARTS) if p) + b"</dxf>"


class RagColours:
    """Points the RAG rules of output sheets at dxfs with the chosen colours, adding those dxfs to
    styles.xml as needed. ``styles`` reads styles.xml as it stands; ``save`` stores it edited."""

    def __init__(
        self,
        colours: Mapping[str, str],
        styles: Callable[[], bytes | None],
        save: Callable[[bytes], None],
    ) -> None:
        self.wanted = {
            word: (fill, text_colour_on(fill))
            for word, fill in colours.items()
            if word in RAG_WORDS and fill
        }
        self.styles = styles
        self.save = save
        self.moved: dict[tuple[int, str], int] = {}  # (the rule's dxf, word) -> the dxf it gets

    def __call__(self, sheet_xml: bytes) -> bytes:
        """The sheet's XML with each RAG rule pointing at a dxf in the chosen colours."""
        if not self.wanted or b"<cfRule" not in sheet_xml:
            return sheet_xml

        def rule(m: re.Match[bytes]) -> bytes:
            attrs, word = m.group(1), m.group(2).decode()
            dxf_id = _attr(attrs, b"dxfId")
            if (
                word not in self.wanted
                or _attr(attrs, b"type") != b"cellIs"
                or _attr(attrs, b"operator") != b"equal"
                or dxf_id is None
            ):
                return m.group(0)
            new_id = self._dxf_for(int(dxf_id), word)
            if new_id is None or new_id == int(dxf_id):
                return m.group(0)
            new_attrs = re.sub(rb'\bdxfId="\d+"', b'dxfId="%d"' % new_id, attrs)
            return m.group(0).replace(attrs, new_attrs, 1)

        return _RULE.sub(rule, sheet_xml)

    def _dxf_for(self, dxf_id: int, word: str) -> int | None:
        key = (dxf_id, word)
        if key in self.moved:
            return self.moved[key]
        styles = self.styles()
        found = _DXFS.search(styles) if styles is not None else None
        if styles is None or found is None:
            return None
        dxfs = _DXF.findall(found.group(1) or b"")
        if dxf_id >= len(dxfs):
            return None
        fill, text = self.wanted[word]
        if _has_colours(dxfs[dxf_id], fill, text):
            self.moved[key] = dxf_id
            return dxf_id
        new = recoloured(dxfs[dxf_id], fill, text)
        if new in dxfs:
            self.moved[key] = dxfs.index(new)
            return self.moved[key]
        dxfs.append(new)
        element = f'<dxfs count="{len(dxfs)}">'.encode() + b"".join(dxfs) + b"</dxfs>"
        self.save(styles[: found.start()] + element + styles[found.end() :])
        self.moved[key] = len(dxfs) - 1
        return self.moved[key]
