"""An .xlsx package taken apart and put back together, every part we do not own kept as it was.

A workbook is a zip of XML parts. To fill one without disturbing anything an officer put in it
(their logo, their own charts and pivot tables, macros, parts no library models), the writer
copies every part it does not own *raw*: the compressed bytes exactly as they were, never
inflated or re-encoded. Only the parts it must write are given new bytes. Python's
:mod:`zipfile` cannot copy an entry without recompressing it, so the zip records are written here
(plain zip, as Excel writes it: no encryption, no zip64, which the guard's limits rule out).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from typing import IO

LOCAL_HEADER = struct.Struct("<4s5H3L2H")
CENTRAL_HEADER = struct.Struct("<4s6H3L5H2L")
END_RECORD = struct.Struct("<4s4H2LH")
VERSION = 20  # "2.0": deflate, what Excel writes
UTF8_NAME = 0x800
DATA_DESCRIPTOR = 0x8
ZIP32_LIMIT = 0xFFFFFFFF
MAX_ENTRIES = 0xFFFF


class PackageTooLarge(ValueError):
    """The package would need zip64, which no dashboard workbook comes near."""


class Package:
    """A workbook's parts, read from an open binary stream (which the caller keeps open)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._zip = zipfile.ZipFile(stream)
        self.infos = self._zip.infolist()
        self._by_name = {info.filename: info for info in self.infos}

    @property
    def names(self) -> list[str]:
        return [info.filename for info in self.infos]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def read(self, name: str) -> bytes:
        """A part's bytes, inflated."""
        return self._zip.read(self._by_name[name])

    def raw(self, info: zipfile.ZipInfo) -> bytes:
        """A part's compressed bytes, exactly as they sit in the file."""
        self._stream.seek(info.header_offset)
        header = self._stream.read(LOCAL_HEADER.size)
        fields = LOCAL_HEADER.unpack(header)
        if fields[0] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_length, extra_length = fields[9], fields[10]
        self._stream.seek(info.header_offset + LOCAL_HEADER.size + name_length + extra_length)
        return self._stream.read(info.compress_size)


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    year = max(year, 1980)
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def _encoded_name(name: str, flags: int) -> tuple[bytes, int]:
    if not flags & UTF8_NAME:
        try:
            return name.encode("ascii"), flags
        except UnicodeEncodeError:
            pass
    return name.encode("utf-8"), flags | UTF8_NAME


class _Writer:
    """Zip records written one after another, then the central directory."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.offset = 0
        self.central: list[bytes] = []

    def entry(
        self,
        name: str,
        data: bytes,
        *,
        method: int,
        crc: int,
        size: int,
        flags: int = 0,
        date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0),
        external_attr: int = 0,
    ) -> None:
        if len(self.central) >= MAX_ENTRIES or max(self.offset, len(data), size) > ZIP32_LIMIT:
            raise PackageTooLarge("the workbook is too large to write without zip64")
        encoded, flags = _encoded_name(name, flags & ~DATA_DESCRIPTOR)
        time, date = _dos_time(date_time)
        header = LOCAL_HEADER.pack(
            b"PK\x03\x04", VERSION, flags, method, time, date, crc, len(data), size, len(encoded), 0
        )
        self.central.append(
            CENTRAL_HEADER.pack(
                b"PK\x01\x02",
                VERSION,
                VERSION,
                flags,
                method,
                time,
                date,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                external_attr,
                self.offset,
            )
            + encoded
        )
        self.out.write(header)
        self.out.write(encoded)
        self.out.write(data)
        self.offset += len(header) + len(encoded) + len(data)

    def close(self) -> None:
        start = self.offset
        for record in self.central:
            self.out.write(record)
            self.offset += len(record)
        if self.offset > ZIP32_LIMIT:
            raise PackageTooLarge("the workbook is too large to write without zip64")
        count = len(self.central)
        self.out.write(
            END_RECORD.pack(b"PK\x05\x06", 0, 0, count, count, self.offset - start, start, 0)
        )


def deflate(data: bytes) -> bytes:
    """Raw deflate, as a zip entry holds it."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def write_package(
    source: Package,
    out: IO[bytes],
    replaced: Mapping[str, bytes | None],
    order: Iterable[str] = (),
) -> None:
    """Write ``source`` to ``out`` with the parts in ``replaced`` given new bytes (``None``
    drops the part); every other part is copied raw, in its place. Parts in ``replaced`` that
    the source lacks are added after the rest, in ``order`` where given."""
    writer = _Writer(out)
    for info in source.infos:
        name = info.filename
        if name in replaced:
            data = replaced[name]
            if data is not None:
                _write_new(writer, name, data, info.date_time)
            continue
        writer.entry(
            name,
            source.raw(info),
            method=info.compress_type,
            crc=info.CRC,
            size=info.file_size,
            flags=info.flag_bits,
            date_time=info.date_time,
            external_attr=info.external_attr,
        )
    added = [name for name in replaced if name not in source and replaced[name] is not None]
    ranked = {name: i for i, name in enumerate(order)}
    for name in sorted(added, key=lambda n: ranked.get(n, len(ranked))):
        data = replaced[name]
        assert data is not None
        _write_new(writer, name, data, (1980, 1, 1, 0, 0, 0))
    writer.close()


def _write_new(
    writer: _Writer, name: str, data: bytes, date_time: tuple[int, int, int, int, int, int]
) -> None:
    writer.entry(
        name,
        deflate(data),
        method=zipfile.ZIP_DEFLATED,
        crc=zlib.crc32(data),
        size=len(data),
        date_time=date_time,
    )
