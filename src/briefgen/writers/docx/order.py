"""Put a hand-made OOXML child element where ECMA-376 says it goes.

Word refuses a file whose property elements are out of schema order (a
``w:shd`` after ``w:jc`` in a ``w:pPr``), where LibreOffice shrugs. Every
element the DOCX writer builds by hand goes in through ``set_child``, which
replaces a child of the same tag or inserts before the first sibling the
schema puts later. The sequences are transcribed from ECMA-376 Part 1
(Transitional) §17; this module knows nothing about briefs or python-docx
objects, only lxml elements.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from lxml import etree

__all__ = ["SEQUENCES", "W", "set_child", "w_element"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _seq(names: str) -> tuple[str, ...]:
    return tuple(f"{{{W}}}{name}" for name in names.split())


# Child order of each property container, keyed by the container's tag.
SEQUENCES: dict[str, tuple[str, ...]] = {
    f"{{{W}}}{tag}": _seq(names)
    for tag, names in {
        "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers"
        " pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE"
        " autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents"
        " suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle"
        " rPr sectPr pPrChange",
        "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint"
        " noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect"
        " bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange",
        "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc"
        " tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
        " tblPrChange",
        "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader"
        " tblCellSpacing jc hidden ins del trPrChange",
        "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText"
        " vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
        "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc"
        " pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi"
        " rtlGutter docGrid printerSettings sectPrChange",
        "style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed"
        " qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
        "tblStylePr": "pPr rPr tblPr trPr tcPr",
        "styles": "docDefaults latentStyles style",
        "docDefaults": "rPrDefault pPrDefault",
        "rPrDefault": "rPr",
        "pPrDefault": "pPr",
        "pBdr": "top left bottom right between bar",
        "tblBorders": "top left start bottom right end insideH insideV",
        "tcBorders": "top left start bottom right end insideH insideV tl2br tr2bl",
        "tblCellMar": "top left start bottom right end",
        "settings": "writeProtection view zoom removePersonalInformation removeDateAndTime"
        " doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText"
        " printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts"
        " saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader"
        " bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors"
        " activeWritingStyle proofState formsDesign attachedTemplate linkStyles stylePaneFormatFilter"
        " stylePaneSortMethod documentType mailMerge revisionView trackRevisions doNotTrackMoves"
        " doNotTrackFormatting documentProtection autoFormatOverride styleLockTheme styleLockQFSet"
        " defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps"
        " showEnvelope summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders"
        " bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing"
        " drawingGridVerticalSpacing displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery"
        " doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin"
        " doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne"
        " strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture"
        " doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText"
        " doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags"
        " alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars"
        " rsids mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats"
        " doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType"
        " schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator",
    }.items()
}
# Children that may repeat (header/footer references); all others are replaced.
_REPEATING = frozenset(_seq("headerReference footerReference tblStylePr style"))


def w_element(tag: str, **attributes: str) -> etree._Element:
    """A ``w:`` element with ``w:``-namespaced attributes, e.g. ``w_element("shd", fill="EEF2F7")``.

    Made by python-docx's parser, as its ``OxmlElement`` makes it (its element class, ``w`` declared).
    """
    return _make_element()(f"{{{W}}}{tag}", {f"{{{W}}}{name}": value for name, value in attributes.items()}, _W_DECLARED)


_W_DECLARED = {"w": W}


@functools.cache
def _make_element() -> Callable[..., etree._Element]:
    from docx.oxml.parser import oxml_parser

    return oxml_parser.makeelement


def set_child(parent: etree._Element, child: etree._Element) -> etree._Element:
    """Insert ``child`` into ``parent`` in schema order, replacing a child of the same tag.

    Raises ``KeyError`` (unknown parent) or ``ValueError`` (unknown child) where this
    module has no order: guessing would write a file Word refuses.
    """
    order = SEQUENCES[parent.tag]
    rank = order.index(child.tag)
    if child.tag not in _REPEATING:
        for old in parent.findall(child.tag):
            parent.remove(old)
    for index, sibling in enumerate(parent):
        if sibling.tag in order and order.index(sibling.tag) > rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child
