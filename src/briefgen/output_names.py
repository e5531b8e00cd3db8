"""Output file names from a pattern such as ``{brief}-{topic}.{format}``.

A batch plan's ``output`` and ``briefgen build --output-name`` name files the
same way: the pattern is filled in with the brief's name, the format and the
parameters, ``.FORMAT`` is added unless the name ends so, and the name must
stay inside the output folder with each part short enough for a file
system (255 bytes). A mistake is a ``TemplateError`` without a
place: the caller says where the pattern was written (a plan line, the
command line). This module writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from briefgen.errors import TemplateError, closest_or_list

__all__ = ["NAME_MAX", "check_name", "field_text", "output_paths"]

NAME_MAX = 255  # bytes in one file name: ext4, XFS, APFS, NTFS (in UTF-16 units there)


def field_text(value: object) -> str:
    """A parameter's value as it appears in a file name: a list joined by ``-``, nothing for ``None``."""
    if isinstance(value, list):
        return "-".join(str(item) for item in value)
    return "" if value is None else str(value)


def output_paths(pattern: str, brief: str, fields: Mapping[str, str], formats: Sequence[str], out_dir: Path) -> dict[str, Path]:
    """Each format's file under ``out_dir``: ``pattern`` filled in with ``fields``, ``brief`` and ``format``."""
    outputs = {}
    for fmt in formats:
        try:
            name = pattern.format_map({**fields, "brief": brief, "format": fmt})
        except KeyError as error:
            hint = closest_or_list(str(error.args[0]), ["brief", "format", *fields])
            raise TemplateError(f"output '{pattern}' names {{{error.args[0]}}}, which is not a parameter of '{brief}'", hint=hint) from None
        except (ValueError, IndexError, AttributeError) as error:
            raise TemplateError(f"output '{pattern}' is not a valid pattern: {error}", hint="write names in braces: {brief}-{topic}.{format}") from None
        name = name if name.endswith(f".{fmt}") else f"{name}.{fmt}"
        check_name(name)
        outputs[fmt] = out_dir / name
    return outputs


def check_name(name: str) -> None:
    """A ``TemplateError`` unless the file ``name`` stays inside the output folder and each of its parts fits a file name."""
    relative = PurePosixPath(name.replace("\\", "/"))
    if relative.is_absolute() or Path(name).is_absolute() or ".." in relative.parts or not relative.name:
        raise TemplateError(f"output '{name}' is outside the output folder", hint="write a name relative to 'out', without '..'")
    for part in relative.parts:
        size = len(os.fsencode(part))
        if size > NAME_MAX:
            shown = part if len(part) <= 40 else f"{part[:30]}…{part[-8:]}"
            raise TemplateError(
                f"output '{shown}' is {size} bytes long, more than the {NAME_MAX} a file name may have",
                hint="leave long values such as a subject out of the name",
            )
