"""The DOCX writer: every block and inline, checked in the package XML, in python-docx and
through LibreOffice; the OOXML helpers on their own; reproducibility and escaping."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from briefgen.errors import RenderError, TemplateError
from briefgen.model import (
    BlockQuote,
    Box,
    BulletList,
    Cite,
    Document,
    Emph,
    Heading,
    HorizontalRule,
    LineBreak,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    PageBreak,
    Paragraph,
    SourceEntry,
    SourceList,
    Span,
    Strong,
    Table,
    Text,
    Timeline,
    TimelineEntry,
    TimelineGroup,
)
from briefgen.themes import NotePlacement, Theme, load_theme
from briefgen.writers.docx import write_docx
from briefgen.writers.docx.fields import field_runs
from briefgen.writers.docx.order import SEQUENCES, W, set_child, w_element

NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
WIKI = "https://en.wikipedia.org/wiki/Belarus%E2%80%93China_relations"
MFA = "https://mfa.gov.by/en/bilateral/china/"


def cite(number: int, fact_id: str, line: int | None = None) -> Cite:
    return Cite((fact_id,), (number,), line=line)


def sample_document() -> Document:
    """A two-page brief using every block and inline type of the model."""
    notes = (
        Note(1, "relations-established", (Text("Belarus–China relations (Wikipedia), History"),)),
        Note(2, "embassy-opened", (Text("MFA of Belarus, "), Link(MFA, (Text("Bilateral relations"),)), Text(", para. 3"))),
        Note(3, "trade-2023", (Text("Belstat, Foreign trade 2023, table 4"),)),
    )
    blocks = (
        Heading(1, (Text("Summary"),)),
        Paragraph((
            Text("Belarus and the People's Republic of China (中华人民共和国) established relations on 20 January 1992."),
            cite(1, "relations-established"),
            Text(" The partnership is called "), Emph((Text("all-weather"),)), Text("."), cite(2, "embassy-opened"),
        )),
        Box("keyfacts", (BulletList((
            ListItem((Strong((Text("Established: "),)), Text("20 January 1992"), cite(1, "relations-established"))),
            ListItem((Text("Trade 2023: US$ 8.4 bn"), cite(3, "trade-2023"))),
        )),), title="Key facts"),
        Heading(2, (Text("Background"),)),
        Paragraph((
            Text("Signs <angle> & ampersand, emoji 🇧🇾, Hebrew "), Span("he", (Text("שלום"),)), Text(", "),
            Span("ru", (Text("Беларусь"),)), Text("."),
            Cite(("relations-established", "trade-2023"), (1, 3)),
            LineBreak(), Text("See "), Link(WIKI, (Text("the article"),)), Text("."),
        )),
        OrderedList((ListItem((Text("First step"),)), ListItem((Text("Second step"), cite(2, "embassy-opened"))))),
        OrderedList((ListItem((Text("Restarted at five"),)),), start=5),
        BlockQuote((Paragraph((Text("A quoted passage."), cite(2, "embassy-opened"))),)),
        Table(
            header=((Text("Indicator"),), (Text("2022"),), (Text("2023"),)),
            rows=(((Text("Exports"),), (Text("1.9"),), (Text("2.1"), cite(3, "trade-2023"))), ((Text("Imports"),), (Text("4.9"),), (Text("6.3"),))),
            widths=(50, 25, 25),
            caption=(Text("Trade in goods, US$ bn"),),
        ),
        Heading(3, (Text("Chronology"),)),
        Timeline((
            TimelineGroup("1990s"),
            TimelineEntry("20 January 1992", (Text("Diplomatic relations established"), cite(1, "relations-established"))),
            TimelineGroup("2010s"),
            TimelineEntry("2013", (Text("Comprehensive strategic partnership"),)),
        )),
        Table(header=((Text("A"),), (Text("B"),)), rows=(((Text("compact"),), (Text("x"),)),), style="compact"),
        Box("callout", (Paragraph((Text("A callout."),)),)),
        HorizontalRule(),
        PageBreak(),
        Heading(1, (Text("Sources"),)),
        SourceList((
            SourceEntry("wiki", (Text("Belarus–China relations. Wikipedia. "), Link(WIKI, (Text("Online"),)), Text(", accessed 20 January 2026."))),
            SourceEntry("mfa", (Text("Ministry of Foreign Affairs of Belarus. Bilateral relations."),)),
        )),
    )
    meta = Meta(
        title="Belarus–China relations", subtitle="Briefing for the Minister", author="Eastern Europe Desk",
        date=dt.date(2026, 1, 20), marking="OFFICIAL", subject="Bilateral relations", keywords=("Belarus", "China"),
    )
    return Document(meta, blocks, notes)


def part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def texts(element: etree._Element) -> str:
    return "".join(element.xpath(".//w:t/text()", namespaces=NS))


def relationships(data: bytes, name: str) -> dict[str, etree._Element]:
    rels = part(data, name)
    return {rel.get("Id"): rel for rel in rels.xpath("rel:Relationship", namespaces=NS)}


@pytest.fixture(scope="module")
def built() -> bytes:
    return write_docx(sample_document(), Theme(header_text="Eastern Europe Desk", watermark="DRAFT")).data


@pytest.fixture(scope="module")
def body(built: bytes) -> etree._Element:
    return part(built, "word/document.xml")


# --- content in the XML ------------------------------------------------------------------


def test_uses_the_reference_styles_for_every_block(built: bytes, body: etree._Element) -> None:
    used = set(body.xpath("//w:pStyle/@w:val", namespaces=NS))
    assert {"Title", "Subtitle", "BriefMeta", "Heading1", "Heading2", "Heading3", "ListBullet", "ListNumber", "Quote",
            "Caption", "BoxTitle", "TimelineGroup", "HorizontalRule", "SourceEntry", "TableGap"} <= used
    assert {"BriefTable", "BriefTableCompact", "KeyFactsBox", "CalloutBox"} <= set(body.xpath("//w:tblStyle/@w:val", namespaces=NS))
    styles = part(built, "word/styles.xml")
    names = {s.get(f"{{{W}}}styleId"): s.find("w:name", NS).get(f"{{{W}}}val") for s in styles.findall("w:style", NS)}
    assert names["Heading1"] == "heading 1" and names["ListBullet"] == "List Bullet" and names["Quote"] == "Quote"
    assert names["FootnoteText"] == "footnote text" and names["FootnoteReference"] == "footnote reference"
    assert names["Caption"] == "caption" and names["Hyperlink"] == "Hyperlink"


def test_theme_fonts_sizes_and_colours_reach_the_styles(built: bytes) -> None:
    styles = part(built, "word/styles.xml")
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(f"{{{W}}}ascii") == "Arial" and fonts.get(f"{{{W}}}eastAsia") == "SimSun"
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS).get(f"{{{W}}}val") == "21"
    heading = styles.xpath("w:style[@w:styleId='Heading1']/w:rPr/w:color/@w:val", namespaces=NS)
    assert heading == ["1F3A5F"]
    header_fill = styles.xpath("w:style[@w:styleId='BriefTable']/w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd/@w:fill", namespaces=NS)
    assert header_fill == ["1F3A5F"]


def test_notes_are_real_footnotes_and_a_repeat_is_a_noteref(built: bytes, body: etree._Element) -> None:
    notes = part(built, "word/footnotes.xml")
    kinds = notes.xpath("w:footnote/@w:type", namespaces=NS)
    assert kinds == ["separator", "continuationSeparator"]
    normal = {n.get(f"{{{W}}}id"): texts(n).strip() for n in notes.xpath("w:footnote[not(@w:type)]", namespaces=NS)}
    assert normal == {
        "1": "Belarus–China relations (Wikipedia), History",
        "2": "MFA of Belarus, Bilateral relations, para. 3",
        "3": "Belstat, Foreign trade 2023, table 4",
    }
    references = body.xpath("//w:footnoteReference", namespaces=NS)
    assert [r.get(f"{{{W}}}id") for r in references] == ["1", "2", "3"]  # one footnote per note
    assert all(r.getparent().find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "FootnoteReference" for r in references)
    instructions = [t.strip() for t in body.xpath("//w:instrText/text()", namespaces=NS)]
    assert instructions.count("NOTEREF _BriefNote1 \\f \\h") == 3 and "NOTEREF _BriefNote2 \\f \\h" in instructions
    assert sorted(body.xpath("//w:bookmarkStart/@w:name", namespaces=NS)) == ["_BriefNote1", "_BriefNote2", "_BriefNote3"]
    # The footnote's own link is a relationship of the footnotes part.
    link = notes.xpath("//w:hyperlink", namespaces=NS)[0]
    assert relationships(built, "word/_rels/footnotes.xml.rels")[link.get(f"{{{NS['r']}}}id")].get("Target") == MFA
    overrides = part(built, "[Content_Types].xml").xpath("ct:Override/@PartName", namespaces=NS)
    assert "/word/footnotes.xml" in overrides
    assert part(built, "word/settings.xml").xpath("w:footnotePr/w:footnote/@w:id", namespaces=NS) == ["-1", "0"]


def test_hyperlinks_are_external_relationships_in_the_hyperlink_style(built: bytes, body: etree._Element) -> None:
    rels = relationships(built, "word/_rels/document.xml.rels")
    links = body.xpath("//w:hyperlink", namespaces=NS)
    targets = {rels[link.get(f"{{{NS['r']}}}id")].get("Target") for link in links}
    assert targets == {WIKI}
    assert all(rels[link.get(f"{{{NS['r']}}}id")].get("TargetMode") == "External" for link in links)
    assert set(body.xpath("//w:hyperlink/w:r/w:rPr/w:rStyle/@w:val", namespaces=NS)) == {"Hyperlink"}


def test_footer_has_page_fields_and_header_the_marking(built: bytes) -> None:
    footer = part(built, "word/footer1.xml")
    assert [t.strip() for t in footer.xpath("//w:instrText/text()", namespaces=NS)] == ["PAGE", "NUMPAGES"]
    assert texts(footer).replace("1", "N", 1).startswith("Page N of ")
    header = part(built, "word/header1.xml")
    marking = header.xpath("w:p[w:pPr/w:pStyle/@w:val='Marking']", namespaces=NS)
    assert marking and texts(marking[0]) == "OFFICIAL"
    # A filled banner as in the PDF: the accent colour behind white text, narrower than the page.
    assert marking[0].xpath("w:pPr/w:shd/@w:fill", namespaces=NS) == ["1F3A5F"]
    assert marking[0].xpath("w:r/w:rPr/w:color/@w:val", namespaces=NS) == ["FFFFFF"]
    assert int(marking[0].xpath("w:pPr/w:ind/@w:left", namespaces=NS)[0]) > 1000
    footer = part(built, "word/footer1.xml")
    assert footer.xpath("w:p[w:pPr/w:pStyle/@w:val='Marking']/w:pPr/w:shd/@w:fill", namespaces=NS) == ["1F3A5F"]
    assert "Eastern Europe Desk" in texts(header)
    assert header.xpath("//*[local-name()='textpath']/@string") == ["DRAFT"]
    assert header.xpath("//*[local-name()='shape']/@alt") == ["DRAFT"]  # its alternative text


def test_tables_have_fixed_widths_and_a_repeating_header(body: etree._Element) -> None:
    trade = body.xpath("//w:tbl[w:tblPr/w:tblStyle/@w:val='BriefTable'][.//w:t='Indicator']", namespaces=NS)[0]
    assert trade.find("w:tblPr/w:tblLayout", NS).get(f"{{{W}}}type") == "fixed"
    grid = [int(w) for w in trade.xpath("w:tblGrid/w:gridCol/@w:w", namespaces=NS)]
    assert abs(grid[0] - 2 * grid[1]) <= 2 and grid[1] == grid[2]
    assert abs(sum(grid) - 9638) < 5  # A4 minus 2 x 20 mm, in twips
    rows = trade.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
    assert rows[1].xpath("w:tc/w:tcPr/w:tcW/@w:w", namespaces=NS) == [str(w) for w in grid]


def test_timeline_has_spanning_group_rows_and_a_repeating_header(body: etree._Element) -> None:
    timeline = body.xpath("//w:tbl[.//w:t='1990s']", namespaces=NS)[0]
    rows = timeline.findall("w:tr", NS)
    assert texts(rows[0]) == "DateEvent" and rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert rows[1].xpath("w:tc/w:tcPr/w:gridSpan/@w:val", namespaces=NS) == ["2"]
    assert timeline.find("w:tblPr/w:tblLook", NS).get(f"{{{W}}}firstColumn") == "1"


def test_ordered_lists_restart(body: etree._Element) -> None:
    ids = body.xpath("//w:p[w:pPr/w:pStyle/@w:val='ListNumber']/w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)
    assert len(ids) == 3 and ids[0] == ids[1] != ids[2]


def test_reopens_in_python_docx_with_core_properties(built: bytes) -> None:
    reopened = docx.Document(io.BytesIO(built))
    text = "\n".join(p.text for p in reopened.paragraphs)
    assert "Belarus–China relations" in text and "Signs <angle> & ampersand, emoji 🇧🇾, Hebrew שלום, Беларусь." in text
    assert "Ministry of Foreign Affairs of Belarus. Bilateral relations." in text
    properties = reopened.core_properties
    assert (properties.title, properties.author, properties.subject) == ("Belarus–China relations", "Eastern Europe Desk", "Bilateral relations")
    assert properties.created == properties.modified == dt.datetime(2026, 1, 20, tzinfo=dt.timezone.utc)
    assert (properties.revision, properties.language, properties.keywords) == (1, "en-GB", "Belarus, China")
    assert len(reopened.tables) == 5


def test_a_title_longer_than_a_core_property_is_kept_whole_on_the_page() -> None:
    title = "Belarus–China relations: " + " ".join(f"cooperation in trade, science and education, part {i}" for i in range(8))
    assert len(title) > 400
    doc = sample_document()
    long = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, title=title, subject=title))
    reopened = docx.Document(io.BytesIO(write_docx(long, Theme()).data))
    assert reopened.paragraphs[0].text == title
    properties = reopened.core_properties
    assert len(properties.title) == len(properties.subject) == 255
    assert properties.title.endswith("\u2026") and title.startswith(properties.title[:-1])


def test_two_builds_are_byte_identical(built: bytes) -> None:
    again = write_docx(sample_document(), Theme(header_text="Eastern Europe Desk", watermark="DRAFT")).data
    assert again == built
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(built)).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_each_document_starts_from_the_untouched_reference() -> None:
    """Documents written one after another share nothing: each starts from the prepared reference as it was."""
    theme = Theme(header_text="Eastern Europe Desk")
    first = write_docx(sample_document(), theme).data
    other = write_docx(Document(Meta("Other"), (Paragraph((Text("Only this."),)),), ()), theme).data
    assert write_docx(sample_document(), theme).data == first
    assert texts(part(other, "word/document.xml")) == "OtherOnly this."
    assert "word/footnotes.xml" not in zipfile.ZipFile(io.BytesIO(other)).namelist()
    assert not [rel for rel in relationships(other, "word/_rels/document.xml.rels").values() if rel.get("TargetMode") == "External"]
    assert part(other, "word/numbering.xml").xpath("//w:startOverride", namespaces=NS) == []
    assert part(first, "word/numbering.xml").xpath("//w:startOverride/@w:val", namespaces=NS) == ["1", "5", "1"]


def test_no_document_changes_the_parts_every_document_shares() -> None:
    """The styles, theme, header, footer... of the prepared reference are the same objects in every document, and
    their entries are compressed once for all (``SharedParts``): writing a document of every block type, in
    footnote and endnote themes, must leave each of them as it was, so that what is compressed once stays true."""
    from briefgen.writers.docx import writer as docx_writer

    for theme in (Theme(header_text="Eastern Europe Desk", watermark="DRAFT"), Theme(notes=NotePlacement.ENDNOTES)):
        doc = sample_document()
        prepared = docx_writer._prepared(docx_writer._reference_bytes(None), theme, doc.meta.labels,
                                         doc.meta.marking or theme.marking, None, "")
        _, shared = docx_writer._opened(prepared, None)
        before = {part.partname: part.blob for part in shared}
        assert {"/word/styles.xml", "/word/theme/theme1.xml"} <= set(before) and any("header" in name for name in before)
        for _ in range(2):
            write_docx(doc, theme)
        assert {part.partname: part.blob for part in shared} == before


def canonical(xml: bytes | etree._Element) -> bytes:
    """XML in canonical form (C14N): the same for the same content, however it was serialised."""
    return etree.tostring(etree.fromstring(xml) if isinstance(xml, bytes) else xml, method="c14n")


def test_each_package_holds_the_parts_python_docx_would_write_shared_ones_included() -> None:
    """The parts every document shares (styles, theme, header...) are compressed once for all of them; each
    package still holds exactly the parts, relationships and content types python-docx writes for it, once each,
    with the content types first, whichever document came before it."""
    theme = Theme(header_text="Eastern Europe Desk")
    plain = Document(Meta("Other"), (Paragraph((Text("Only this."),)),), ())
    for data in (write_docx(sample_document(), theme).data, write_docx(plain, theme).data, write_docx(sample_document(), theme).data):
        ours = zipfile.ZipFile(io.BytesIO(data))
        names = ours.namelist()
        assert names[:2] == ["[Content_Types].xml", "_rels/.rels"] and len(set(names)) == len(names)
        saved = io.BytesIO()
        docx.Document(io.BytesIO(data)).save(saved)
        theirs = zipfile.ZipFile(saved)
        assert sorted(names) == sorted(theirs.namelist())
        for name in names[1:]:
            assert canonical(ours.read(name)) == canonical(theirs.read(name)), name
        types = [sorted(map(canonical, etree.fromstring(archive.read("[Content_Types].xml")))) for archive in (ours, theirs)]
        assert types[0] == types[1]
    assert "word/footnotes.xml" not in zipfile.ZipFile(io.BytesIO(write_docx(plain, theme).data)).namelist()


def test_endnote_theme_writes_endnotes(tmp_path: Path) -> None:
    data = write_docx(sample_document(), Theme(notes=NotePlacement.ENDNOTES)).data
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "word/endnotes.xml" in names and "word/footnotes.xml" not in names
    body = part(data, "word/document.xml")
    assert body.xpath("//w:endnoteReference/@w:id", namespaces=NS) == ["1", "2", "3"]
    assert set(body.xpath("//w:endnoteReference/../w:rPr/w:rStyle/@w:val", namespaces=NS)) == {"EndnoteReference"}
    assert part(data, "word/settings.xml").xpath("w:endnotePr/w:numFmt/@w:val", namespaces=NS) == ["decimal"]


def test_a_reference_docx_with_its_own_notes_and_header_is_reused(tmp_path: Path, built: bytes) -> None:
    reference = tmp_path / "reference.docx"
    reference.write_bytes(built)  # has footnotes, a header and body text of its own
    data = write_docx(sample_document(), Theme(reference_docx=reference)).data
    notes = part(data, "word/footnotes.xml")
    assert notes.xpath("w:footnote/@w:id", namespaces=NS) == ["-1", "0", "1", "2", "3"]
    assert texts(part(data, "word/document.xml")).count("Belarus–China relations") == 2  # title + source, once each
    assert texts(part(data, "word/header1.xml")) == "OFFICIAL"


def test_logo_goes_in_the_header(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())
    data = write_docx(sample_document(), Theme(logo=logo, logo_alt="Ministry crest")).data
    header_rels = relationships(data, "word/_rels/header1.xml.rels")
    assert any(rel.get("Target").startswith("media/") for rel in header_rels.values())
    # its alternative text (wp:docPr descr), which Word's and LibreOffice's accessibility checks look for
    header = part(data, "word/header1.xml")
    [description] = header.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    assert description.get("descr") == "Ministry crest"


def test_a_theme_file_with_a_logo_must_say_what_it_shows(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(_png())
    (tmp_path / "house.yaml").write_text("marking: OFFICIAL\nlogo: logo.png\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_theme(tmp_path / "house.yaml")
    assert str(caught.value).startswith(f"{tmp_path / 'house.yaml'}:2: the theme has a logo but no logo_alt")
    assert "(add logo_alt:" in str(caught.value)
    (tmp_path / "house.yaml").write_text("logo: logo.png\nlogo_alt: Ministry crest\n", encoding="utf-8")
    assert load_theme(tmp_path / "house.yaml").logo_alt == "Ministry crest"


# --- errors and escaping ---------------------------------------------------------------------


def test_control_character_names_the_character_and_nearest_fact() -> None:
    bad = Paragraph((Text("Trade rose\x07 sharply"), cite(1, "trade-2023", line=12)))
    doc = Document(Meta("T"), (bad,), (Note(1, "trade-2023", (Text("Belstat"),)),))
    with pytest.raises(RenderError) as caught:
        write_docx(doc, Theme())
    message = str(caught.value)
    assert "U+0007" in message and "'trade-2023'" in message and ":12:" not in message
    assert caught.value.problems[0].line == 12


def test_control_character_in_a_note_names_its_fact() -> None:
    doc = Document(Meta("T"), (Paragraph((Text("x"), cite(1, "gdp")),),), (Note(1, "gdp", (Text("bad\x1b"),)),))
    with pytest.raises(RenderError, match=r"U\+001B .*note 1.*'gdp'"):
        write_docx(doc, Theme())


def test_a_citation_without_a_note_number_is_refused() -> None:
    doc = Document(Meta("T"), (Paragraph((Text("x"), Cite(("gdp",), line=3))),))
    with pytest.raises(RenderError, match="no note number"):
        write_docx(doc, Theme())


def test_unknown_table_style_suggests_a_close_one() -> None:
    table = Table(header=((Text("a"),),), rows=(), style="compcat")
    with pytest.raises(RenderError, match="did you mean 'compact'"):
        write_docx(Document(Meta("T"), (table,)), Theme())


_XML_TEXT = st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff\r", min_codepoint=0x20) | st.sampled_from("\t\n")


@settings(max_examples=40, deadline=None)
@given(st.text(_XML_TEXT, min_size=1, max_size=60))
def test_any_xml_text_round_trips(text: str) -> None:
    data = write_docx(Document(Meta("T"), (Paragraph((Text(text),)),)), Theme()).data
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert paragraphs[-1].text == text


# --- OOXML helpers -----------------------------------------------------------------------------


def test_set_child_puts_children_in_schema_order_and_replaces() -> None:
    properties = w_element("rPr")
    for tag in ("vertAlign", "sz", "color", "b", "rFonts", "rStyle"):
        set_child(properties, w_element(tag))
    set_child(properties, w_element("color", val="FF0000"))
    assert [etree.QName(child).localname for child in properties] == ["rStyle", "rFonts", "b", "color", "sz", "vertAlign"]
    assert properties.find("w:color", NS).get(f"{{{W}}}val") == "FF0000"
    with pytest.raises(ValueError):
        set_child(properties, w_element("tblHeader"))


def test_field_runs_make_one_complex_field() -> None:
    runs = field_runs("PAGE", "1")
    assert [run[0].get(f"{{{W}}}fldCharType") for run in runs if run[0].tag == f"{{{W}}}fldChar"] == ["begin", "separate", "end"]
    assert runs[1][0].text == " PAGE " and runs[3][0].text == "1"


def test_every_property_element_we_write_is_in_schema_order(built: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(built))
    for name in archive.namelist():
        if not name.endswith(".xml"):
            continue
        root = etree.fromstring(archive.read(name))
        for container in root.iter(*SEQUENCES):
            order = SEQUENCES[container.tag]
            ranks = [order.index(child.tag) for child in container if child.tag in order]
            assert ranks == sorted(ranks), f"{name}: children of {etree.QName(container).localname} out of order"


# --- LibreOffice -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def converted(built: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("soffice")
    source = folder / "brief.docx"
    source.write_bytes(built)
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder / 'profile'}", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    return folder / "brief.pdf"


def test_libreoffice_renders_the_brief(converted: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(converted)
    assert len(reader.pages) == 2  # the page break starts the Sources page
    first, second = (" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Belarus–China relations" in first and "Briefing for the Minister" in first
    assert "Belstat, Foreign trade 2023, table 4" in first  # footnote text at the foot of page 1
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert "OFFICIAL" in first and "Sources" in second and "Restarted at five" in first
    assert "Signs <angle> & ampersand" in first


def _png() -> bytes:
    """A 2x1 pixel PNG, made here so the test needs no image file."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    pixels = zlib.compress(b"\x00" + b"\x1f\x3a\x5f" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_runs_in_another_language_carry_it_in_the_slot_of_their_script() -> None:
    from docx.oxml.ns import qn

    body = docx.Document(io.BytesIO(write_docx(sample_document(), Theme()).data)).element.body
    languages = set()
    for run in body.iter(qn("w:r")):
        language = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        if language is not None:
            languages |= {(run.findtext(qn("w:t")), key.split("}")[1], value) for key, value in language.attrib.items()}
    assert languages == {("שלום", "bidi", "he"), ("Беларусь", "val", "ru")}


def test_sample_is_every_model_type() -> None:
    """Guard: the sample must keep using every block and inline type the model has."""
    from briefgen import model

    seen = {type(node).__name__ for node in model.walk(sample_document())}
    wanted = {name for name in model.__all__ if isinstance(getattr(model, name), type)}
    assert wanted <= seen


def test_a_titled_box_has_its_title_as_header_row_and_looks_as_one_cell() -> None:
    from docx.oxml.ns import qn

    body = docx.Document(io.BytesIO(write_docx(sample_document(), Theme()).data)).element.body
    boxes = {table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}").get(qn("w:val")): table for table in body.iter(qn("w:tbl"))}
    titled, untitled = boxes["KeyFactsBox"], boxes["CalloutBox"]
    first, second = titled.findall(qn("w:tr"))
    assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert "".join(text.text for text in first.iter(qn("w:t"))) == "Key facts"
    assert first.find(f".//{qn('w:tcMar')}/{qn('w:bottom')}").get(qn("w:w")) == "0"
    assert second.find(f".//{qn('w:tcMar')}/{qn('w:top')}").get(qn("w:w")) == "0" and second.find(f".//{qn('w:t')}") is not None
    [only] = untitled.findall(qn("w:tr"))
    assert only.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
