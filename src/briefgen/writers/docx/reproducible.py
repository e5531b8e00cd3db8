"""Serialise a python-docx package so that the same document gives the same bytes.

python-docx's ``save()`` stamps every zip entry with the current time. This
module writes the package itself (the same parts, relationships and content
types python-docx would write) with a fixed timestamp, fixed attributes and
a fixed entry order (``[Content_Types].xml`` first, as Office writes it),
compressing each part once. It also picks the one timestamp the core
properties use. It must not change any part's content.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

if TYPE_CHECKING:
    from docx.opc.package import OpcPackage
    from docx.opc.part import Part

__all__ = ["document_timestamp", "package_bytes"]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
_NO_DATE = dt.date(2000, 1, 1)  # reportlab's invariant date, so both formats agree
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def package_bytes(package: OpcPackage) -> bytes:
    """The package as a zip with fixed entry timestamps, attributes and order."""
    for part in package.parts:
        part.before_marshal()
    parts = list(package.iter_parts())
    entries: dict[str, bytes | str] = {"[Content_Types].xml": _content_types(parts), "_rels/.rels": package.rels.xml}
    for part in parts:
        entries[part.partname.membername] = part.blob
        if len(part.rels):
            entries[part.partname.rels_uri.membername] = part.rels.xml
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in [*list(entries)[:2], *sorted(list(entries)[2:])]:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, entries[name])
    return out.getvalue()


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
