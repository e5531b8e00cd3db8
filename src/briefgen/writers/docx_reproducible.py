"""Make a saved DOCX byte-for-byte reproducible.

python-docx stamps every zip entry with the current time; this module
rewrites the package with a fixed timestamp, fixed permissions and a fixed
entry order (``[Content_Types].xml`` first, as Office writes it), and picks
the one timestamp the core properties use. It must not change any part's
content.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

__all__ = ["document_timestamp", "reproducible_zip"]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def reproducible_zip(data: bytes) -> bytes:
    """The same package with fixed entry timestamps, attributes and order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    present = source.namelist()
    names = [name for name in _FIRST if name in present] + sorted(set(present) - set(_FIRST))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name))
    return out.getvalue()


def document_timestamp(day: dt.date | None) -> dt.datetime:
    """Created/modified time (naive UTC): midnight of the document's day, else
    ``SOURCE_DATE_EPOCH``, else midnight today.

    Never "now": two builds of the same as-of day must be identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if day is None and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
    day = day or dt.datetime.now(dt.timezone.utc).date()
    return dt.datetime(day.year, day.month, day.day)
