"""A diagonal text watermark ("DRAFT") as the VML shape Word itself writes.

Word draws watermarks as a VML WordArt shape (shape type 136) anchored in
the header, behind the text and centred on the page; LibreOffice imports the
same markup as a Fontwork watermark. This module builds that one run and
nothing else; the caller puts it in a header paragraph.
"""

from __future__ import annotations

from lxml import etree

from briefgen.writers.docx.order import W

__all__ = ["watermark_run"]

_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"
_W10 = "urn:schemas-microsoft-com:office:word"
_FORMULAS = (
    "sum #0 0 10800;prod #0 2 1;sum 21600 0 @1;sum 0 0 @2;sum 21600 0 @3;if @0 @3 0;if @0 21600 @1;"
    "if @0 0 @2;if @0 @4 21600;mid @5 @6;mid @8 @5;mid @7 @8;mid @6 @7;sum @6 0 @5"
)
_TEMPLATE = f"""<w:r xmlns:w="{W}" xmlns:v="{_V}" xmlns:o="{_O}" xmlns:w10="{_W10}"><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas>{"".join(f'<v:f eqn="{eqn}"/>' for eqn in _FORMULAS.split(";"))}</v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" o:allowincell="f" stroked="f">
<v:fill opacity=".35"/><v:textpath/><w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>"""


def watermark_run(text: str, font: str, colour: str, width_pt: float) -> etree._Element:
    """The run drawing ``text`` diagonally across the page, ``width_pt`` wide, in a pale ``colour`` (#RRGGBB)."""
    from docx.oxml import parse_xml

    run = parse_xml(_TEMPLATE.replace("\n", ""))
    height = min(width_pt / max(len(text), 1) * 1.6, width_pt / 3)
    shape = run.find(f".//{{{_V}}}shape")
    shape.set(
        "style",
        f"position:absolute;margin-left:0;margin-top:0;width:{width_pt:.0f}pt;height:{height:.0f}pt;rotation:315;"
        "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        "mso-position-vertical:center;mso-position-vertical-relative:margin",
    )
    shape.set("fillcolor", _pale(colour))
    shape.set("alt", text)  # its alternative text: accessibility checks want one on every shape
    textpath = shape.find(f"{{{_V}}}textpath")
    textpath.set("style", f'font-family:"{font}";font-size:1pt')
    textpath.set("string", text)
    return run


def _pale(colour: str, keep: float = 0.3) -> str:
    """``colour`` mixed with white, so the mark stays behind the text also where opacity is ignored."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - value) * keep):02X}" for value in channels)
