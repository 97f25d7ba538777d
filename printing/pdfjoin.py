"""Joining one-document-at-a-time PDFs into a single PDF file, streamed, in bounded memory.

ReportLab builds a whole document in memory before writing it, so a 100,000-card batch cannot
be one ReportLab document. A batch is instead written as chunks of a few hundred cards, each a
complete ReportLab PDF, whose objects are renumbered and appended to the output as soon as the
chunk is done. Each chunk's page-tree node becomes a child of one root page tree, so the result
is a single ordinary PDF. The xref table's entries (20 bytes per object) are spooled to a
temporary file as objects are written, so nothing kept in memory grows with the card count
(but the list of chunk nodes: one number per few hundred cards).

The parser reads only what ReportLab writes: a classic xref table, one object per
`N 0 obj ... endobj`, direct `/Length` integers. It is not a general PDF parser.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from typing import BinaryIO

from .errors import PrintingError

_REF = re.compile(rb"(?<![0-9.])([0-9]+) 0 R(?![A-Za-z0-9])")
_XREF_ENTRY = re.compile(rb"([0-9]{10}) [0-9]{5} ([nf])")
_LENGTH = re.compile(rb"/Length ([0-9]+)(?![0-9])")
_CATALOG_PAGES = re.compile(rb"/Pages ([0-9]+) 0 R")
_TRAILER_ROOT = re.compile(rb"/Root ([0-9]+) 0 R")
_COUNT = re.compile(rb"/Count ([0-9]+)")
_TOKEN = re.compile(rb"\(|<<|>>|stream|endobj")
CATALOG, ROOT_PAGES, FIRST_FREE = 1, 2, 3
XREF_IN_MEMORY = 64 * 1024


class PdfJoiner:
    """Append whole PDF documents (as ReportLab writes them) to one output PDF."""

    def __init__(self, out: BinaryIO):
        self._out = out
        self._hash = hashlib.md5(usedforsecurity=False)
        self._xref = tempfile.SpooledTemporaryFile(max_size=XREF_IN_MEMORY)  # noqa: SIM115
        self._next_number = FIRST_FREE
        self._position = 0
        self._page_nodes: list[int] = []
        self.page_count = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def add_document(self, pdf: bytes) -> None:
        objects = _objects(pdf)
        trailer = pdf[pdf.rindex(b"trailer"):]
        catalog = objects[int(_TRAILER_ROOT.search(trailer).group(1))]
        pages = int(_CATALOG_PAGES.search(_split(catalog)[0]).group(1))
        order = sorted(_reachable(objects, pages))
        numbers = {old: self._next_number + i for i, old in enumerate(order)}
        self._next_number += len(order)
        renumber = lambda m: b"%d 0 R" % numbers[int(m.group(1))]  # noqa: E731
        for old in order:
            head, tail = _split(objects[old])
            head = _REF.sub(renumber, head)
            if old == pages:
                head = head.replace(b"<<", b"<<\n/Parent %d 0 R" % ROOT_PAGES, 1)
                self.page_count += int(_COUNT.search(head).group(1))
            self._xref.write(b"%010d 00000 n \n" % self._position)
            self._write(b"%d 0 obj\n" % numbers[old] + head + tail + b"endobj\n")
        self._page_nodes.append(numbers[pages])

    def close(self) -> None:
        """Write the root page tree, catalog, xref table and trailer."""
        kids = b" ".join(b"%d 0 R" % n for n in self._page_nodes)
        root_at = self._position
        self._write(
            b"%d 0 obj\n<< /Type /Pages /Kids [ %s ] /Count %d >>\nendobj\n"
            % (ROOT_PAGES, kids, self.page_count)
        )
        catalog_at = self._position
        self._write(
            b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (CATALOG, ROOT_PAGES)
        )
        digest = self._hash.hexdigest().encode()
        xref_at = self._position
        self._write(
            b"xref\n0 %d\n0000000000 65535 f \n%010d 00000 n \n%010d 00000 n \n%d %d\n"
            % (FIRST_FREE, catalog_at, root_at, FIRST_FREE, self._next_number - FIRST_FREE)
        )
        self._xref.seek(0)
        while block := self._xref.read(1 << 16):
            self._write(block)
        self._xref.close()
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n"
            % (self._next_number, CATALOG, digest, digest, xref_at)
        )

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._hash.update(data)
        self._position += len(data)


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Object number -> body (between `N 0 obj` and `endobj`), from the xref table."""
    start = int(pdf[pdf.rindex(b"startxref") + 9:].split()[0])
    if not pdf.startswith(b"xref", start):
        raise PrintingError("unexpected PDF structure: no classic xref table")
    header_end = pdf.index(b"\n", pdf.index(b"\n", start) + 1) + 1
    first = int(pdf[pdf.index(b"\n", start) + 1:header_end].split()[0])
    objects = {}
    table_end = pdf.index(b"trailer", header_end)
    for i, m in enumerate(_XREF_ENTRY.finditer(pdf, header_end, table_end)):
        if m.group(2) != b"n":
            continue
        offset = int(m.group(1))
        body_start = pdf.index(b"obj", offset) + 3
        head_end = _head_end(pdf, body_start)
        if pdf.startswith(b"stream", head_end):
            length = int(_LENGTH.search(pdf, body_start, head_end).group(1))
            data_start = pdf.index(b"\n", head_end) + 1
            end = pdf.index(b"endobj", data_start + length)
        else:
            end = pdf.index(b"endobj", head_end)
        objects[first + i] = pdf[body_start:end]
    return objects


def _head_end(pdf: bytes, pos: int) -> int:
    """Where the object's dictionary (or other direct value) ends: at `stream` or `endobj`."""
    depth = 0
    while True:
        m = _TOKEN.search(pdf, pos)
        if m is None:
            if depth:
                raise PrintingError("unexpected PDF structure: unterminated dictionary")
            return len(pdf)
        token = m.group()
        if token == b"(":
            pos = _skip_string(pdf, m.start())
            continue
        pos = m.end()
        if token == b"<<":
            depth += 1
        elif token == b">>":
            depth -= 1
        elif depth == 0:
            return m.start()


def _skip_string(pdf: bytes, pos: int) -> int:
    depth = 0
    while True:
        ch = pdf[pos]
        if ch == 0x5C:  # backslash escapes the next byte
            pos += 2
            continue
        if ch == 0x28:
            depth += 1
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                return pos + 1
        pos += 1


def _split(body: bytes) -> tuple[bytes, bytes]:
    """An object body as (dictionary part, stream part); refs are only rewritten in the first."""
    end = _head_end(body, 0)
    return body[:end], body[end:]


def _reachable(objects: dict[int, bytes], root: int) -> set[int]:
    seen = {root}
    todo = [root]
    while todo:
        head, _ = _split(objects[todo.pop()])
        for m in _REF.finditer(head):
            ref = int(m.group(1))
            if ref not in seen:
                seen.add(ref)
                todo.append(ref)
    return seen
