"""Pausing Python's cyclic garbage collector around work that makes many objects and few cycles.

Loading a registry and laying out a long PDF each create millions of objects
that stay alive to the end; the collector's passes over that growing heap
cost time in proportion to its size, so a ten times larger input took more
than ten times longer. Paused, the work is linear; what cycles it makes are
collected when the collector runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block (and restore it as it was)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
