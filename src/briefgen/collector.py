"""Pausing Python's cyclic garbage collector around work that makes many objects and few cycles.

Loading a registry and laying out a long PDF each create millions of objects
that stay alive to the end; the collector's passes over that growing heap
cost time in proportion to its size, so a ten times larger input took more
than ten times longer. Paused, the work is linear; what cycles it makes are
collected when the collector runs again. A batch worker instead keeps the
collector running but leaves out of its passes the heap it holds for every job.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused", "heap_frozen"]


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


@contextmanager
def heap_frozen() -> Iterator[None]:
    """Leave every object alive now out of the collector's passes for the ``with`` block (``gc.freeze``).

    For a batch's workers: the registry, briefs, fonts and modules they keep (and a Dask
    worker's own heap) are gone over by no pass while jobs run, and a worker forked inside
    the block inherits them frozen, so its passes neither copy the parent's pages nor go
    over them again and again. After the block they are collected as before (``gc.unfreeze``).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
