"""XMP metadata for a PDF/UA-1 file: the packet that declares ``pdfuaid:part 1`` with title, authors and languages.

Plain text in, UTF-8 bytes out: the PDF writer and the batch's bound file
(which pypdf writes) both use it, so it lives outside the writers. It must
not import reportlab or any writer; it needs no PDF library at all.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["xmp_packet"]


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xmp_packet(title: str, authors: Sequence[str], languages: Sequence[str]) -> bytes:
    """The XMP packet: ``dc:title``, ``dc:creator`` (when there are authors), ``dc:language`` and ``pdfuaid:part`` 1."""
    creators = "".join(f"<rdf:li>{_xml(author)}</rdf:li>" for author in authors if author)
    creator = f"<dc:creator><rdf:Seq>{creators}</rdf:Seq></dc:creator>\n" if creators else ""
    spoken = "".join(f"<rdf:li>{_xml(language)}</rdf:li>" for language in languages if language)
    language = f"<dc:language><rdf:Bag>{spoken}</rdf:Bag></dc:language>\n" if spoken else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        "<pdfuaid:part>1</pdfuaid:part>\n"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(title)}</rdf:li></rdf:Alt></dc:title>\n'
        f"{creator}{language}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode("utf-8")
