"""The live preview: one brief served as HTML on this machine, rebuilt on every change, the open page reloaded.

The top of the pipeline beside ``cli`` and ``batch``: it calls ``build``
for a brief and keeps everything in memory (the registry while its files
are unchanged, the last good page and PDF, the DOCX once asked for); it
writes no file. It is imported by nothing but the command line.
"""

from __future__ import annotations

from briefgen.preview.server import PreviewServer
from briefgen.preview.session import PreviewSession

__all__ = ["PreviewServer", "PreviewSession"]
