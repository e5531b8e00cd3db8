"""Tests for briefgen.assets: logos and reference documents are checked whole, from their header first."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from briefgen.assets import checked_image, checked_reference_docx, image_media_type
from briefgen.themes import load_theme


def image(path: Path, kind: str, size: tuple[int, int] = (40, 20)) -> Path:
    Image.new("RGB", size, "navy").save(path, kind)
    return path


@pytest.mark.parametrize(("kind", "media"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif")])
def test_png_jpeg_and_gif_logos_pass_whole(tmp_path: Path, kind: str, media: str) -> None:
    path = image(tmp_path / "logo.img", kind)
    assert checked_image(path) == path.read_bytes()
    assert image_media_type(path.read_bytes()) == media


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF"])
def test_a_truncated_image_is_refused(tmp_path: Path, kind: str) -> None:
    data = image(tmp_path / "whole", kind, (300, 200)).read_bytes()
    (tmp_path / "cut").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=f"is a damaged {kind} image"):
        checked_image(tmp_path / "cut")


def test_too_many_pixels_are_refused_from_the_header_without_decoding(tmp_path: Path) -> None:
    Image.new("1", (12000, 12000)).save(tmp_path / "huge.png", optimize=True)  # 144 million pixels in a small file
    started = time.perf_counter()
    with pytest.raises(ValueError, match="is 12000 × 12000 pixels"):
        checked_image(tmp_path / "huge.png")
    assert time.perf_counter() - started < 1.0  # decoding it takes seconds and 1.4 GB


@pytest.mark.parametrize(("data", "message"), [(b"hello", "not a PNG, JPEG or GIF image"), (b"<svg xmlns='x'/>", "not a PNG, JPEG or GIF image"), (b"", "not a PNG")])
def test_what_is_not_an_image_is_refused(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "logo.png").write_bytes(data)
    with pytest.raises(ValueError, match=message):
        checked_image(tmp_path / "logo.png")


def test_an_edited_logo_is_checked_again(tmp_path: Path) -> None:
    path = image(tmp_path / "logo.png", "PNG")
    checked_image(path)
    path.write_bytes(b"not an image any more")
    with pytest.raises(ValueError, match="not a PNG"):
        checked_image(path)


def docx_like(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "message"), [
    (b"This is not a Word document.", "is not a DOCX file \\(not a ZIP package\\)"),
    (docx_like({"[Content_Types].xml": b"<x/>"}), "it has no word/document.xml"),
    (docx_like({"word/document.xml": b"<x/>"}), "it has no \\[Content_Types\\].xml"),
])
def test_a_reference_that_is_not_a_docx_is_refused(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "ref.docx").write_bytes(data)
    with pytest.raises(ValueError, match=message):
        checked_reference_docx(tmp_path / "ref.docx")


def test_the_shipped_reference_docx_passes() -> None:
    path = Path(__file__).parents[1] / "src/briefgen/data/reference.docx"
    assert checked_reference_docx(path)[:2] == b"PK"


def test_a_theme_names_its_bad_logo_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    (tmp_path / "t.yaml").write_text("marking: X\nlogo: logo.png\n")
    with pytest.raises(Exception, match="t.yaml:2: bad value for theme setting 'logo': 'logo.png' is a damaged PNG image") as caught:
        load_theme(tmp_path / "t.yaml")
    assert caught.value.exit_code == 1  # type: ignore[attr-defined]
