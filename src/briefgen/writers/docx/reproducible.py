"""Serialise a python-docx package so that the same document gives the same bytes.

python-docx's ``save()`` stamps every zip entry with the current time. This
module writes the package itself (the same parts, relationships and content
types python-docx would write) with a fixed timestamp, fixed attributes and
a fixed entry order (``[Content_Types].xml`` and the package relationships
first, as Office writes them, then the parts many packages share, then the
package's own). Parts that many documents share and none changes
(``SharedParts``: the styles, theme, header and footer of one prepared
reference) are serialised and compressed once, into the head of an archive
that each package then extends (zipfile's append mode) with its own parts.
It also picks the one timestamp the core properties use. It must not change
any part's content.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

if TYPE_CHECKING:
    from docx.opc.package import OpcPackage
    from docx.opc.part import Part

__all__ = ["SharedParts", "document_timestamp", "package_bytes"]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
_NO_DATE = dt.date(2000, 1, 1)  # reportlab's invariant date, so both formats agree
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


class SharedParts:
    """Parts that many packages hold (the same objects) and that none changes, with the zip heads made of them.

    A head is the archive of the package's content types, its relationships and
    these parts' entries, compressed once; it is kept by those first two entries'
    bytes and which shared parts a package holds, the only things it depends on
    besides the parts themselves.
    """

    def __init__(self, parts: Iterable[Part]) -> None:
        self._parts = {id(part): part for part in parts}  # kept alive, so their ids are never another part's
        self._heads: dict[tuple[tuple[tuple[str, bytes], ...], tuple[int, ...]], bytes] = {}

    def __contains__(self, part: Part) -> bool:
        return id(part) in self._parts

    def __iter__(self) -> Iterator[Part]:
        return iter(self._parts.values())

    def memo(self) -> dict[int, Any]:
        """A ``copy.deepcopy`` memo under which a copy of their package holds these very parts, not copies."""
        return dict(self._parts)

    def head(self, first: Mapping[str, bytes], held: list[Part]) -> bytes:
        """The archive of ``first``'s entries and then ``held``'s (parts of this set), made once."""
        key = (tuple(first.items()), tuple(id(part) for part in held))
        head = self._heads.get(key)
        if head is None:
            head = self._heads[key] = _archive(first, _entries(held))
        return head


def package_bytes(package: OpcPackage, shared: SharedParts | None = None) -> bytes:
    """The package as a zip with fixed entry timestamps, attributes and order; ``shared``: parts it holds that
    other packages hold too, whose entries are compressed once for all of them."""
    parts = package.parts
    for part in parts:
        part.before_marshal()
    first = {"[Content_Types].xml": _content_types(parts), "_rels/.rels": package.rels.xml}
    held = [part for part in parts if shared is not None and part in shared]
    own = _entries(part for part in parts if shared is None or part not in shared)
    if shared is None:
        return _archive(first, own)
    out = io.BytesIO(shared.head(first, held))
    with zipfile.ZipFile(out, "a") as archive:
        _add(archive, own)
    return out.getvalue()


def _entries(parts: Iterable[Part]) -> dict[str, bytes]:
    """Each part's entry, and its relationships' where it has any, in name order."""
    entries: dict[str, bytes] = {}
    for part in parts:
        entries[part.partname.membername] = part.blob
        if len(part.rels):
            entries[part.partname.rels_uri.membername] = part.rels.xml
    return dict(sorted(entries.items()))


def _archive(*groups: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entries in groups:
            _add(archive, entries)
    return out.getvalue()


def _add(archive: zipfile.ZipFile, entries: Mapping[str, bytes]) -> None:
    for name, data in entries.items():
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 0
        info.external_attr = 0
        archive.writestr(info, data)


def _content_types(parts: list[Part]) -> bytes:
    """``[Content_Types].xml`` as python-docx composes it: defaults by extension, else overrides."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.spec import default_content_types

    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides: dict[str, str] = {}
    for part in parts:
        extension = part.partname.ext
        if (extension.lower(), part.content_type) in default_content_types:
            defaults[extension] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    lines = [f"<Default Extension={quoteattr(e)} ContentType={quoteattr(t)}/>" for e, t in sorted(defaults.items())]
    lines += [f"<Override PartName={quoteattr(n)} ContentType={quoteattr(t)}/>" for n, t in sorted(overrides.items())]
    body = "".join(lines)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{_TYPES}">{body}</Types>'.encode()


def document_timestamp(day: dt.date | None) -> dt.datetime:
    """Created/modified time (naive UTC): midnight of the document's day, else 2000-01-01 as in the PDF.

    Never "now" and never the environment: the build puts its as-of day in the model,
    and two builds of the same as-of day must be identical.
    """
    day = day or _NO_DATE
    return dt.datetime(day.year, day.month, day.day)
