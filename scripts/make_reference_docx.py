"""Regenerate ``src/briefgen/data/reference.docx``, the Word styles every DOCX brief uses.

Starts from python-docx's default template, drops what a brief never uses
(the 160 unused styles, stylesWithEffects, customXml, the thumbnail), and
defines the styles the writer refers to by id (see
``briefgen.writers.docx.styles.StyleId``): their spacing, indents, borders and
list numbering. Fonts, sizes and colours come from the default theme through
the writer's own ``apply_theme``, so the file looks right when opened on its
own and a build re-applies the build's theme. Run it after changing a style:

    python scripts/make_reference_docx.py [OUTPUT]

The output is byte-identical from run to run.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import docx
from docx.oxml import parse_xml

from briefgen.themes import Theme
from briefgen.writers.docx.order import W
from briefgen.writers.docx.reproducible import package_bytes
from briefgen.writers.docx.styles import StyleId, apply_theme

OUTPUT = Path(__file__).resolve().parents[1] / "src" / "briefgen" / "data" / "reference.docx"
_KEEP = {"DefaultParagraphFont", "TableNormal", "NoList"}
_UNUSED_RELS = ("stylesWithEffects", "customXml", "thumbnail")
_COLOUR = "1F3A5F"  # placeholder border colour; apply_theme recolours every one of them


def _style(kind: str, style_id: str, name: str, body: str, based_on: str | None = "Normal", nxt: str | None = None) -> str:
    """A ``w:style`` in schema order: name, basedOn, next, uiPriority, qFormat, then ``body``."""
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    follow = f'<w:next w:val="{nxt}"/>' if nxt else ""
    return (
        f'<w:style xmlns:w="{W}" w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'{based}{follow}<w:uiPriority w:val="10"/><w:qFormat/>{body}</w:style>'
    )


def _spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    rule = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{rule}/>'


def _border(side: str, size: int, space: int = 0, colour: str = _COLOUR, kind: str = "single") -> str:
    return f'<w:{side} w:val="{kind}" w:sz="{size}" w:space="{space}" w:color="{colour}"/>'


def _cell_margins(vertical: int, horizontal: int) -> str:
    return (
        f'<w:tblCellMar><w:top w:w="{vertical}" w:type="dxa"/><w:left w:w="{horizontal}" w:type="dxa"/>'
        f'<w:bottom w:w="{vertical}" w:type="dxa"/><w:right w:w="{horizontal}" w:type="dxa"/></w:tblCellMar>'
    )


def _paragraph_styles() -> list[str]:
    p, keep = "<w:pPr>", "<w:keepNext/><w:keepLines/>"
    return [
        _style("paragraph", StyleId.NORMAL, "Normal", "", based_on=None),
        _style("paragraph", StyleId.TITLE, "Title", f"{p}{keep}{_spacing(0, 60, 240)}</w:pPr><w:rPr><w:b/></w:rPr>", nxt=StyleId.SUBTITLE),
        _style("paragraph", StyleId.SUBTITLE, "Subtitle", f"{p}{keep}{_spacing(0, 60)}</w:pPr>", nxt=StyleId.META),
        _style("paragraph", StyleId.META, "Brief Meta", f"{p}<w:pBdr>{_border('bottom', 8, 6)}</w:pBdr>{_spacing(0, 320)}</w:pPr>"),
        *(
            _style(
                "paragraph", f"Heading{level}", f"heading {level}",
                f"{p}{keep}{_spacing(before, after)}<w:outlineLvl w:val=\"{level - 1}\"/></w:pPr><w:rPr><w:b/></w:rPr>",
                nxt=StyleId.NORMAL,
            )
            for level, before, after in ((1, 300, 100), (2, 220, 80), (3, 160, 40))
        ),
        _style("paragraph", StyleId.LIST_BULLET, "List Bullet", f'{p}<w:numPr><w:numId w:val="1"/></w:numPr>{_spacing(0, 60)}</w:pPr>'),
        _style("paragraph", StyleId.LIST_NUMBER, "List Number", f'{p}<w:numPr><w:numId w:val="2"/></w:numPr>{_spacing(0, 60)}</w:pPr>'),
        _style(
            "paragraph", StyleId.QUOTE, "Quote",
            f'{p}<w:pBdr>{_border("left", 18, 8)}</w:pBdr>{_spacing(60, 120)}<w:ind w:left="340" w:right="340"/></w:pPr><w:rPr><w:i/></w:rPr>',
        ),
        _style("paragraph", StyleId.CAPTION, "caption", f"{p}{keep}{_spacing(160, 60)}</w:pPr><w:rPr><w:b/></w:rPr>"),
        *(
            _style("paragraph", style_id, name, f"{p}{_spacing(0, 20, 240)}</w:pPr>")
            for style_id, name in ((StyleId.FOOTNOTE_TEXT, "footnote text"), (StyleId.ENDNOTE_TEXT, "endnote text"))
        ),
        *(
            _style("paragraph", style_id, name, f"{p}{_spacing(0, 0, 240)}</w:pPr>")
            for style_id, name in ((StyleId.HEADER, "header"), (StyleId.FOOTER, "footer"))
        ),
        _style(
            "paragraph", StyleId.MARKING, "Marking",
            f'{p}{_spacing(0, 40, 240)}<w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:caps/><w:spacing w:val="20"/></w:rPr>',
        ),
        _style("paragraph", StyleId.BOX_TITLE, "Box Title", f"{p}{keep}{_spacing(0, 60)}</w:pPr><w:rPr><w:b/></w:rPr>"),
        _style("paragraph", StyleId.BOX_TEXT, "Box Text", f"{p}{_spacing(0, 60)}</w:pPr>"),
        _style("paragraph", StyleId.RULE, "Horizontal Rule", f"{p}<w:pBdr>{_border('bottom', 6, 1)}</w:pBdr>{_spacing(0, 200, 240)}</w:pPr>"),
        _style("paragraph", StyleId.SOURCE_ENTRY, "Source Entry", f'{p}{_spacing(0, 80)}<w:ind w:left="340" w:hanging="340"/></w:pPr>'),
        _style("paragraph", StyleId.TIMELINE_GROUP, "Timeline Group", f"{p}{keep}</w:pPr><w:rPr><w:b/></w:rPr>"),
        _style("paragraph", StyleId.TABLE_GAP, "Table Gap", f"{p}{_spacing(0, 0, 240)}</w:pPr>"),
    ]


def _character_styles() -> list[str]:
    superscript = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    return [
        _style("character", StyleId.FOOTNOTE_REFERENCE, "footnote reference", superscript, based_on="DefaultParagraphFont"),
        _style("character", StyleId.ENDNOTE_REFERENCE, "endnote reference", superscript, based_on="DefaultParagraphFont"),
        _style("character", StyleId.HYPERLINK, "Hyperlink", '<w:rPr><w:u w:val="single"/></w:rPr>', based_on="DefaultParagraphFont"),
    ]


def _data_table_style(style_id: str, name: str, borders: str, margins: str) -> str:
    """A table with a shaded, bold header row (``firstRow``), a bold first column when the
    table asks for it (timelines), and light banding."""
    def conditional(kind: str, rpr: str = "", fill: str | None = None) -> str:
        tcpr = f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>' if fill else ""
        return f'<w:tblStylePr w:type="{kind}">{rpr}{tcpr}</w:tblStylePr>'

    body = (
        f"<w:pPr>{_spacing(0, 0, 240)}</w:pPr><w:tblPr><w:tblBorders>{borders}</w:tblBorders>{margins}</w:tblPr>"
        + conditional("firstRow", '<w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>', "1F3A5F")
        + conditional("firstCol", "<w:rPr><w:b/></w:rPr>")
        + conditional("band1Horz", fill="F5F7FA")
    )
    return _style("table", style_id, name, body, based_on="TableNormal")


def _box_style(style_id: str, name: str, borders: str, fill: str | None) -> str:
    shading = f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>' if fill else ""
    body = f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders>{_cell_margins(120, 170)}</w:tblPr>{shading}"
    return _style("table", style_id, name, body, based_on="TableNormal")


def _table_styles() -> list[str]:
    def light(side: str) -> str:
        return _border(side, 4, colour="D5DAE1")

    rows = _border("top", 8) + _border("bottom", 8) + light("insideH")
    grid = _border("top", 8) + light("left") + _border("bottom", 8) + light("right") + light("insideH") + light("insideV")
    around = "".join(_border(side, 8) for side in ("top", "left", "bottom", "right"))
    return [
        _data_table_style(StyleId.TABLE, "Brief Table", rows, _cell_margins(60, 100)),
        _data_table_style(StyleId.TABLE_GRID, "Brief Table Grid", grid, _cell_margins(60, 100)),
        _data_table_style(StyleId.TABLE_COMPACT, "Brief Table Compact", rows, _cell_margins(20, 70)),
        _box_style(StyleId.KEY_FACTS_BOX, "Key Facts Box", _border("left", 24, 0), "EEF2F7"),
        _box_style(StyleId.CALLOUT_BOX, "Callout Box", around, None),
        _box_style(StyleId.NOTE_BOX, "Note Box", "", "EEF2F7"),
    ]


_NUMBERING = f"""<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>
<w:numFmt w:val="bullet"/><w:pStyle w:val="ListBullet"/><w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>
<w:pPr><w:ind w:left="340" w:hanging="226"/></w:pPr></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>
<w:numFmt w:val="decimal"/><w:pStyle w:val="ListNumber"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>
<w:pPr><w:ind w:left="340" w:hanging="340"/></w:pPr></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"""


def _replace_styles(document: docx.document.Document) -> None:
    styles = document.styles.element
    for style in styles.findall(f"{{{W}}}style"):
        if style.get(f"{{{W}}}styleId") not in _KEEP:
            styles.remove(style)
    for xml in (*_paragraph_styles(), *_character_styles(), *_table_styles()):
        styles.append(parse_xml(xml))
    defaults = styles.find(f"{{{W}}}docDefaults")
    defaults.getparent().replace(
        defaults,
        parse_xml(
            f'<w:docDefaults xmlns:w="{W}"><w:rPrDefault><w:rPr/></w:rPrDefault>'
            f"<w:pPrDefault><w:pPr>{_spacing(0, 120, 264)}</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    apply_theme(styles, Theme(), "en-GB")


def _replace_numbering(document: docx.document.Document) -> None:
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    numbering.extend(parse_xml(_NUMBERING.replace("\n", "")))


def _drop_unused_parts(document: docx.document.Document) -> None:
    for rels in (document.part.rels, document.part.package.rels):
        for rel_id, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _UNUSED_RELS:
                del rels[rel_id]


def _clear_properties(document: docx.document.Document) -> None:
    properties = document.core_properties
    for name in ("author", "comments", "keywords", "last_modified_by", "subject", "title", "category"):
        setattr(properties, name, "")
    properties.revision = 1
    properties.created = properties.modified = dt.datetime(2026, 1, 1)


def build() -> bytes:
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if child.tag != f"{{{W}}}sectPr":
            body.remove(child)
    _replace_styles(document)
    _replace_numbering(document)
    _drop_unused_parts(document)
    _clear_properties(document)
    return package_bytes(document.part.package)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else OUTPUT
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
