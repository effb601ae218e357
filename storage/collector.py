"""Holding Python's cyclic garbage collector off while a large structure that lives on is read.

Reading every area's protocol head at start, or the calendar's first load of every rule,
makes tens of thousands of small objects that are all kept. Each allocation burst sets off
collector passes, and the oldest generation's passes walk everything the process holds
(every module imported so far, and what was read before): at a thousand areas they cost
more than the reading itself, and find nothing to free. ``boardbot serve`` freezes what it
has loaded once it is ready to listen (``gc.freeze``), so later passes skip it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_held = [0, False]  # how many readers hold the collector off, and whether it was on before the first


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block (async code may await inside: several may overlap).

    A count says when the last overlapping reader is done: only then is the collector turned
    on again, and only if it was on before the first began.
    """
    if _held[0] == 0:
        _held[1] = gc.isenabled()
        gc.disable()
    _held[0] += 1
    try:
        yield
    finally:
        _held[0] -= 1
        if _held[0] == 0 and _held[1]:
            gc.enable()
