"""pdf_markup's own XML escaping matches xml.sax.saxutils (which it avoids importing)."""

from __future__ import annotations

from xml.sax.saxutils import escape as sax_escape
from xml.sax.saxutils import quoteattr as sax_quoteattr

from hypothesis import given
from hypothesis import strategies as st

from briefgen.writers.pdf.markup import escape, quoteattr

_TEXT = st.text(alphabet=st.sampled_from(list("ab &<>\"'\n\r\t;#é中")), max_size=30)


@given(_TEXT)
def test_escape_and_quoteattr_match_saxutils(text: str) -> None:
    assert escape(text) == sax_escape(text)
    assert quoteattr(text) == sax_quoteattr(text)
