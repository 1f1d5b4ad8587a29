"""Checking an untrusted .xlsx before anything inflates or parses it.

A workbook is a zip of XML parts. openpyxl (with defusedxml, a dependency) refuses XML entity
tricks while it parses, but nothing stops a zip bomb: a 600 KB file whose sheet inflates to
hundreds of megabytes runs openpyxl to gigabytes of memory. :func:`check_workbook_file` reads only
the zip's central directory and the first bytes of each XML part, so a hostile file is refused in
milliseconds, before openpyxl opens it; a real dashboard passes in about a millisecond.

It also recognises the files officers most often give an ``.xlsx`` name by mistake (an old
``.xls``, a password-protected workbook, a ``.xlsb``, a CSV, an OpenDocument spreadsheet, a
truncated copy) and says, in one line naming the file, what to do instead.

The declared sizes are what count: Python's :mod:`zipfile` (which openpyxl reads through) never
inflates a deflated part beyond the size its directory entry declares, so bounding the declared
sizes bounds the memory, whatever the compressed stream holds. Only the two compression methods
Excel writes (stored and deflate) are accepted.

The limits are far above any real dashboard and can be changed, per call with :class:`Limits`
or for a whole deployment with environment variables::

    KPI_DASHBOARD_MAX_FILE_BYTES     the file itself            (default 200M)
    KPI_DASHBOARD_MAX_MEMBER_BYTES   one part, inflated         (default 500M)
    KPI_DASHBOARD_MAX_TOTAL_BYTES    all parts, inflated        (default 1G)
    KPI_DASHBOARD_MAX_RATIO          inflated / compressed size (default 200), for parts over
    KPI_DASHBOARD_RATIO_MIN_BYTES    this inflated size         (default 1M)
    KPI_DASHBOARD_MAX_MEMBERS        number of parts            (default 10000)

Sizes take a K, M or G suffix (powers of 1024).
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kpi_engine.errors import WorkbookError

Source = str | Path | IO[bytes]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
XML_SUFFIXES = (".xml", ".rels", ".vml")
PROLOG_BYTES = 64 * 1024  # the most of a part's start that is read to find its root element
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
SAVE_AS_XLSX = "Open it in Excel and save it as 'Excel Workbook (*.xlsx)'."


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)i?B?\s*", raw, re.IGNORECASE)
    if not m:
        raise WorkbookError(
            f"The environment variable {name}={raw!r} is not a size or a number; "
            "give a number such as 500M, or unset it to use the default."
        )
    return float(m.group(1)) * _UNITS[m.group(2).upper()]


def _env(name: str, default: float, kind: type = int) -> Any:
    """A dataclass field whose default is read from the environment when a Limits is made."""
    return field(default_factory=lambda: kind(_env_number(name, default)))


@dataclass(frozen=True)
class Limits:
    """What an input workbook may declare. ``Limits()`` reads the KPI_DASHBOARD_MAX_* variables."""

    max_file_bytes: int = _env("KPI_DASHBOARD_MAX_FILE_BYTES", 200 * 1024**2)
    max_member_bytes: int = _env("KPI_DASHBOARD_MAX_MEMBER_BYTES", 500 * 1024**2)
    max_total_bytes: int = _env("KPI_DASHBOARD_MAX_TOTAL_BYTES", 1024**3)
    max_ratio: float = _env("KPI_DASHBOARD_MAX_RATIO", 200, float)
    ratio_min_bytes: int = _env("KPI_DASHBOARD_RATIO_MIN_BYTES", 1024**2)
    max_members: int = _env("KPI_DASHBOARD_MAX_MEMBERS", 10_000)


def _size(n: float) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} bytes"


def _name_of(source: Source) -> str:
    if isinstance(source, (str, Path)):
        return str(source)
    return str(getattr(source, "name", "workbook"))


def _not_a_zip(name: str, head: bytes) -> str:
    """Why a file that is not a zip package is not a workbook, from its first bytes."""
    if head.startswith(OLE_MAGIC):
        return ""  # handled by the caller, which can look for the encryption streams
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        what = "a web page (HTML)"
    elif stripped.startswith(b"<"):
        what = "an XML file (perhaps an 'XML Spreadsheet 2003')"
    elif head.startswith(b"%PDF"):
        what = "a PDF"
    elif head and all(b in b"\t\r\n" or 32 <= b < 127 or b >= 128 for b in head[:4096]):
        what = "a text file (perhaps a CSV)"
    else:
        what = "not a zip package, as every .xlsx is"
        return f"{name} is not an .xlsx workbook ({what}). {SAVE_AS_XLSX}"
    return f"{name} is not an .xlsx workbook: it is {what}. {SAVE_AS_XLSX}"


def _ole_message(name: str, f: IO[bytes], size: int) -> str:
    """An OLE compound file: an encrypted (password-protected) .xlsx, or an old .xls."""
    f.seek(0)
    head = f.read(256 * 1024)
    tail = b""
    if size > len(head):
        f.seek(max(len(head), size - 256 * 1024))
        tail = f.read(256 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in head + tail:
        return (
            f"{name} is password-protected, so it cannot be read. Open it in Excel, remove the "
            "password (File > Info > Protect Workbook > Encrypt with Password, and clear it) and "
            "save it as 'Excel Workbook (*.xlsx)'."
        )
    return (
        f"{name} is password-protected or an old .xls (Excel 97-2003) file, not an .xlsx "
        "workbook. Open it in Excel, remove any password (File > Info > Protect Workbook) and "
        "save it as 'Excel Workbook (*.xlsx)'."
    )


def _prolog_problem(head: bytes, complete: bool) -> str | None:
    """Whether an XML part's start declares a DTD or entities (which Excel never writes)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "replace")
    else:
        text = head.decode("utf-8", "replace")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        return "declares a DOCTYPE or XML entities"
    # The DTD can only come before the root element: skip the declaration, comments and
    # processing instructions; if the root element does not start within what was read, refuse.
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in "\ufeff \t\r\n":
            i += 1
        if i >= n:
            return None if complete else "starts with an unusually long preamble"
        if text.startswith("<?", i):
            j = text.find("?>", i)
        elif text.startswith("<!--", i):
            j = text.find("-->", i)
        elif text.startswith("<!", i):
            return "declares a DOCTYPE or XML entities"
        else:
            return None  # the root element (or text, which the parser will refuse)
        if j < 0:
            return None if complete else "starts with an unusually long preamble"
        i = j + 2


def _check_zip(name: str, z: zipfile.ZipFile, limits: Limits) -> None:
    infos = z.infolist()
    if len(infos) > limits.max_members:
        raise WorkbookError(
            f"{name} is refused: it holds {len(infos):,} parts (the limit is "
            f"{limits.max_members:,}), far more than any workbook. It may be built to exhaust "
            "memory; do not open it. If it is genuine, raise KPI_DASHBOARD_MAX_MEMBERS."
        )
    names = {i.filename for i in infos}
    if "xl/workbook.bin" in names:
        raise WorkbookError(
            f"{name} is an Excel Binary Workbook (.xlsb) with an .xlsx name. {SAVE_AS_XLSX}"
        )
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        if "mimetype" in names and "content.xml" in names:
            kind = "an OpenDocument spreadsheet (.ods)"
        elif any(n.startswith("word/") for n in names):
            kind = "a Word document"
        elif any(n.startswith("ppt/") for n in names):
            kind = "a PowerPoint presentation"
        else:
            kind = "a zip file without the workbook part (xl/workbook.xml)"
        raise WorkbookError(
            f"{name} cannot be read as an .xlsx workbook: it is {kind}. {SAVE_AS_XLSX}"
        )
    total = 0
    for info in infos:
        part = info.filename
        if info.flag_bits & 0x1:
            raise WorkbookError(
                f"{name} is refused: its part {part} is encrypted. Open it in Excel, remove the "
                "password and save it as 'Excel Workbook (*.xlsx)'."
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookError(
                f"{name} is refused: its part {part} uses a compression Excel never writes. "
                f"{SAVE_AS_XLSX}"
            )
        if info.file_size > limits.max_member_bytes:
            raise WorkbookError(
                f"{name} is refused: its part {part} would inflate to {_size(info.file_size)} "
                f"(the limit is {_size(limits.max_member_bytes)}). It looks like a zip bomb; do "
                "not open it. If it is genuine, raise KPI_DASHBOARD_MAX_MEMBER_BYTES."
            )
        if info.file_size >= limits.ratio_min_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise WorkbookError(
                    f"{name} is refused: its part {part} inflates {ratio:,.0f} times, from "
                    f"{_size(info.compress_size)} to {_size(info.file_size)} (real workbooks stay "
                    f"under {limits.max_ratio:,.0f} times). It looks like a zip bomb; do not open "
                    "it. If it is genuine, raise KPI_DASHBOARD_MAX_RATIO."
                )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise WorkbookError(
                f"{name} is refused: its parts would inflate to more than "
                f"{_size(limits.max_total_bytes)} in all. It looks like a zip bomb; do not open "
                "it. If it is genuine, raise KPI_DASHBOARD_MAX_TOTAL_BYTES."
            )
    _check_xml_prologs(name, z, infos)
    _check_sheet_parts(name, z, names)


def _check_xml_prologs(name: str, z: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        part = info.filename
        if not part.lower().endswith(XML_SUFFIXES) or info.file_size == 0:
            continue
        with z.open(info) as member:
            head = member.read(PROLOG_BYTES)
        problem = _prolog_problem(head, complete=len(head) >= info.file_size)
        if problem:
            raise WorkbookError(
                f"{name} is refused: its part {part} {problem}, which Excel never writes; the file "
                "may be built to attack the reader. Do not open it; ask for a fresh copy saved "
                "from Excel."
            )


def _check_sheet_parts(name: str, z: zipfile.ZipFile, names: set[str]) -> None:
    """Every sheet the workbook lists must have its part: openpyxl silently drops a sheet whose part
    is missing, and a fill would then save the workbook without it."""
    import xml.etree.ElementTree as ET  # safe here: no part declares a DOCTYPE (checked above)

    book_part, rels_part = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
    if book_part not in names or rels_part not in names:
        return
    if (
        z.getinfo(book_part).file_size > 16 * 1024**2
        or z.getinfo(rels_part).file_size > 16 * 1024**2
    ):
        return
    try:
        book = ET.fromstring(z.read(book_part))
        rels = ET.fromstring(z.read(rels_part))
    except ET.ParseError:
        return  # openpyxl will say what is wrong
    targets: dict[str, str] = {}
    for rel in rels:
        rel_id, href = rel.get("Id"), rel.get("Target", "")
        if rel.get("TargetMode") != "External" and rel_id:
            targets[rel_id] = href.lstrip("/") if href.startswith("/") else "xl/" + href
    seen: dict[str, str] = {}
    for sheet in book.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        title = sheet.get("name") or ""
        if title.casefold() in seen:
            raise WorkbookError(
                f"{name} has two sheets named '{seen[title.casefold()]}' and '{title}', which "
                "Excel does not allow (sheet names ignore case). Rename one of them and try "
                "again."
            )
        seen[title.casefold()] = title
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
        target = targets.get(rid)
        if target is not None and target not in names:
            raise WorkbookError(
                f"{name} is damaged: its sheet '{sheet.get('name')}' is listed but its part "
                f"{target} is missing. Open it in Excel (which offers to repair it) and save it "
                "again."
            )


def check_workbook_file(
    source: Source, limits: Limits | None = None, name: str | None = None
) -> None:
    """Refuse, with a one-line :class:`WorkbookError` naming the file (``name``, else the path or
    the stream's name), what is not a safe .xlsx.

    Reads the zip directory and at most 64 KB of each XML part; inflates nothing else. A stream
    (``IO[bytes]``) must be seekable and is left at its start.
    """
    limits = limits or Limits()
    name = name or _name_of(source)
    if not isinstance(source, (str, Path)):
        source.seek(0, os.SEEK_END)
        size = source.tell()
        source.seek(0)
        try:
            _check_stream(name, source, size, limits)
        finally:
            source.seek(0)
        return
    path = Path(source)
    try:
        if path.is_dir():
            raise WorkbookError(f"{name} is a folder, not a workbook.")
        size = path.stat().st_size
        stream = open(path, "rb")  # noqa: SIM115 - closed by the with below; opening is what may fail here
    except FileNotFoundError:
        raise WorkbookError(f"{name}: no such file. Check the name and folder.") from None
    except PermissionError:
        raise WorkbookError(
            f"{name} cannot be opened: permission denied. Close it in Excel or check the "
            "file's permissions."
        ) from None
    except OSError as err:
        raise WorkbookError(f"{name} cannot be opened ({err.strerror or err}).") from None
    with stream:
        _check_stream(name, stream, size, limits)


def _check_stream(name: str, f: IO[bytes], size: int, limits: Limits) -> None:
    if size == 0:
        raise WorkbookError(
            f"{name} is empty (0 bytes), so it is not an .xlsx workbook. It may not have finished "
            "copying or saving: copy it again, or open the original in Excel and save it as .xlsx."
        )
    if size > limits.max_file_bytes:
        raise WorkbookError(
            f"{name} is refused: it is {_size(size)} (the limit is "
            f"{_size(limits.max_file_bytes)}), far larger than any dashboard. If it is genuine, "
            "raise KPI_DASHBOARD_MAX_FILE_BYTES."
        )
    head = f.read(8)
    if head.startswith(OLE_MAGIC):
        raise WorkbookError(_ole_message(name, f, size))
    if not head.startswith(ZIP_MAGICS):
        f.seek(0)
        raise WorkbookError(_not_a_zip(name, f.read(4096)))
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as z:
            _check_zip(name, z, limits)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as err:
        raise WorkbookError(
            f"{name} is damaged or incomplete ({err}); it may have been cut short while copying "
            "or downloading. Copy it again, or open it in Excel (which offers to repair it) and "
            "save it again."
        ) from None
    except OSError as err:
        raise WorkbookError(
            f"{name} is damaged or cannot be read ({err.strerror or err}). Copy it again, or "
            "open it in Excel and save it again."
        ) from None
