"""Whether something was seen before: the admission rule of boardbot's small in-memory caches.

Most free questions are asked once, and most answers shown once. A cache that kept each of
them (a reply is a few dozen objects) until newer ones pushed it out gave the garbage
collector's older passes ever more to walk, which once made them the slowest part of a busy
server. So the caches keep a thing from its second time: a first time leaves only its key's
hash, an int the collector never visits.

Imports nothing of boardbot's: the router, the review note and the platforms' renderers use it.
"""

from __future__ import annotations

from collections.abc import Hashable


class SeenBefore:
    """``seen(key)``: whether ``key`` was seen before, remembering that it now has been.

    Bounded: after ``size`` keys it starts again from none (a key then waits one more time)."""

    __slots__ = ("_seen", "_size")

    def __init__(self, size: int) -> None:
        self._seen: set[int] = set()
        self._size = size

    def __call__(self, key: Hashable) -> bool:
        h = hash(key)
        if h in self._seen:
            return True
        if len(self._seen) >= self._size:
            self._seen.clear()
        self._seen.add(h)
        return False

    def clear(self) -> None:
        self._seen.clear()
