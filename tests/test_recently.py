"""A cache keeps a thing from its second time: the first leaves only a hash, and the memory of
first times is bounded."""

from __future__ import annotations

from bot.recently import SeenBefore


def test_a_key_counts_as_seen_from_its_second_time_and_the_memory_of_first_times_is_bounded():
    seen = SeenBefore(3)
    assert [seen("a"), seen("a"), seen(("b", 1)), seen(("b", 1))] == [False, True, False, True]
    seen("c")  # the third key fills it
    assert seen("d") is False  # the fourth starts again from none
    assert seen("a") is False and seen("d") is True
