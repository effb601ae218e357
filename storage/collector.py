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

# how many readers hold the collector off, whether it was on before the first, and whether one
# of them asked to keep what was read meanwhile (keep)
_held = [0, False, False]


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block (async code may await inside: several may overlap).

    A count says when the last overlapping reader is done: only then is the collector turned
    on again, and only if it was on before the first began (after :func:`keep`, if asked).
    """
    if _held[0] == 0:
        _held[1] = gc.isenabled()
        gc.disable()
    _held[0] += 1
    try:
        yield
    finally:
        _held[0] -= 1
        if _held[0] == 0:
            if _held[2]:
                _held[2] = False
                gc.collect(0)  # what the pause made and already dropped goes (the young generation only)
                gc.freeze()
            if _held[1]:
                gc.enable()


def keep() -> None:
    """What is held now, read during this pause, lives as long as the process (the calendar's rules):
    when the pause ends, move it out of the collector's way (``gc.freeze``), as ``boardbot serve``
    does with what it loads before it listens.

    Turned on again with all that in its young generation, the collector would first walk it all,
    then soon make a full pass over everything the process holds (more than 100 ms at 20,000
    rules, stalling whatever runs then: the first posts, requests). A frozen object is still freed
    when nothing refers to it any more; only a reference cycle among frozen objects would stay.
    What the pause made and dropped already is collected first. Outside a pause, it does nothing."""
    if _held[0]:
        _held[2] = True
