"""Keep-with-next as Word does it: a heading stays with the first piece of what follows.

reportlab's ``KeepTogether`` moves a heading and the whole block after it to
the next page when they do not fit together, so a heading followed by a
timeline that starts with room for ten rows left the page two-thirds empty.
``KeepWithFirst`` (the document template's ``keepTogetherClass``) keeps the
headings with the first piece the next block can split off here (a table's
header and first row with their notes, a paragraph's first lines) and moves
them on only when not even that fits. A heading therefore never ends a page
unless it is the last thing in the document. This module knows nothing of
the document model.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, FrameBreak, KeepTogether
from reportlab.platypus.flowables import _listWrapOn

__all__ = ["KeepWithFirst"]


class KeepWithFirst(KeepTogether):
    """Flowables that keep with the next one (headings), and that next one (the last of ``_content``)."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        self._wrapInfo = aW, aH
        return aW, 0xFFFFFF  # as reportlab's KeepTogether: always split, and decide there

    def split(self, aW: float, aH: float) -> list[Flowable]:
        *kept, following = self._content
        if not kept:
            return [following]
        room = aH - _listWrapOn(kept, aW, self.canv)[1] - max(kept[-1].getSpaceAfter(), following.getSpaceBefore())
        if room > 0:
            if following.wrapOn(self.canv, aW, room)[1] <= room:
                return [*kept, following]
            pieces = following.splitOn(self.canv, aW, room)
            if len(pieces) > 1 and pieces[0].wrapOn(self.canv, aW, room)[1] <= room:
                return [*kept, *pieces]
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and getattr(frame, "_atTop", False)
        return [*kept, following] if at_top else [FrameBreak(), *kept, following]
