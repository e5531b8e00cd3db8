"""The files a theme names besides itself: a logo image and a reference DOCX, checked before any use.

A theme is checked when it is loaded, so a bad logo or reference document is
one error at the theme's line, not a traceback (or 1.4 GB of memory) inside
a writer. An image must be a PNG, JPEG or GIF by its first bytes, at most
``MAX_FILE_BYTES`` long and ``MAX_PIXELS`` pixels by the size its header
declares; only then is it decoded once, whole, which finds a truncated or
damaged file. A reference DOCX must be a ZIP package holding a Word document,
within the same kind of limits. The writers take the bytes from here, so
what they place is what was checked. Where a file may be (inside the
theme's folder) is ``confine``'s job; this module only looks at contents.
It raises ``ValueError`` with a message for the theme's error.
"""

from __future__ import annotations

import functools
import io
import os
import warnings
from collections.abc import Callable
from pathlib import Path

from briefgen.errors import RenderError

__all__ = ["MAX_FILE_BYTES", "MAX_PIXELS", "checked_image", "checked_reference_docx", "image_media_type", "logo_bytes", "reference_docx_bytes"]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 5000 × 5000 logo; decoded as RGBA that is 100 MB
MAX_DOCX_UNPACKED = 100 * 1024 * 1024  # what a reference DOCX's parts may add up to, unpacked
_IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF"}
_MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
_DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")


def checked_image(path: Path) -> bytes:
    """The bytes of the image at ``path``, once they are known to decode into at most ``MAX_PIXELS`` pixels."""
    return _checked(path, _check_image)


def checked_reference_docx(path: Path) -> bytes:
    """The bytes of the Word document at ``path``, once they are known to be a DOCX package of a sane size."""
    return _checked(path, _check_docx)


def logo_bytes(path: Path) -> bytes:
    """For a writer: the checked logo, or a ``RenderError`` naming it (a ``Theme`` may be built without ``load_theme``)."""
    return _for_writer(path, checked_image, "use a PNG, JPEG or GIF file")


def reference_docx_bytes(path: Path) -> bytes:
    """For a writer: the checked reference DOCX, or a ``RenderError`` naming it."""
    return _for_writer(path, checked_reference_docx, "use a .docx file saved by Word or LibreOffice")


def _for_writer(path: Path, read: Callable[[Path], bytes], hint: str) -> bytes:
    try:
        return read(path)
    except ValueError as error:
        raise RenderError(f"the theme's {path.name} {error}", file=path, hint=hint) from None


def image_media_type(data: bytes) -> str:
    """The media type (``image/png``...) of checked image bytes."""
    return _MEDIA_TYPES[_image_kind(data) or "PNG"]


def _image_kind(data: bytes) -> str | None:
    return next((name for signature, name in _IMAGE_SIGNATURES.items() if data.startswith(signature)), None)


def _checked(path: Path, check: Callable[[bytes], None]) -> bytes:
    try:
        status = path.stat()
    except OSError as error:
        raise ValueError(f"cannot be read: {error.strerror or error}") from None
    return _read_and_check(path, status.st_size, status.st_mtime_ns, check)


@functools.lru_cache(maxsize=16)
def _read_and_check(path: Path, size: int, _mtime: int, check: Callable[[bytes], None]) -> bytes:
    """Read and checked once per file version: a batch loads its theme for every job."""
    if size > MAX_FILE_BYTES:
        raise ValueError(f"is {size / 1024 / 1024:.0f} MB (at most {MAX_FILE_BYTES // 1024 // 1024} MB)")
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ValueError(f"cannot be read: {error.strerror or error}") from None
    check(data)
    return data


def _check_image(data: bytes) -> None:
    kind = _image_kind(data)
    if kind is None:
        raise ValueError("is not a PNG, JPEG or GIF image")
    from PIL import Image

    too_big = f"pixels (at most {MAX_PIXELS // 1_000_000} million); scale it down"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the size is checked here, below
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValueError(f"is {width} × {height} {too_big}")
                image.load()  # decodes every pixel: a truncated or damaged file fails here, not in a writer
    except Image.DecompressionBombError:
        raise ValueError(f"has more than {2 * Image.MAX_IMAGE_PIXELS // 1_000_000} million {too_big}") from None
    except (OSError, SyntaxError, EOFError) as error:
        raise ValueError(f"is a damaged {kind} image ({_reason(error)})") from None


def _check_docx(data: bytes) -> None:
    import zipfile  # only a theme with a reference DOCX needs it (an HTML build's floor does not import it)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValueError("is not a DOCX file (not a ZIP package)") from None
    missing = [name for name in _DOCX_PARTS if name not in names]
    if missing:
        raise ValueError(f"is not a DOCX file (it has no {missing[0]})")
    if unpacked > MAX_DOCX_UNPACKED:
        raise ValueError(f"unpacks to {unpacked // 1024 // 1024} MB (at most {MAX_DOCX_UNPACKED // 1024 // 1024} MB)")


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.replace(os.linesep, " ")[:80]
