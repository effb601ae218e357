"""The calendar's agenda: which rules to look at in a tick, without looking at all of them.

Every rule the :class:`~scheduler.materialise.Calendar` has planned has a next look
(:attr:`~scheduler.views.RuleView.next_check`): nothing of it can fall due before. The agenda
keeps (next look, rule id) soonest first, so a tick takes off only the rules whose look has
come; the rules a refresh made new, changed or reset (their next look cleared) are marked
fresh and looked at by the next tick, whatever the agenda says. Only the first pass (and one
after a failed tick) looks at every rule.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Mapping

from scheduler.views import RuleView


class Agenda:
    """(next look, rule id) of the rules, soonest first, and the fresh rules to look at next."""

    def __init__(self) -> None:
        # None until the first full pass (and after a failed one). An entry whose rule has moved
        # on since (a new next look, a new view, gone) is skipped when it comes up.
        self._looks: list[tuple[dt.datetime, int]] | None = None
        self._fresh: set[int] = set()

    def look_at_every_rule(self) -> None:
        """The next tick looks at every rule (the rules it took off are still due: its posts failed)."""
        self._looks = None

    def fresh(self, rule_ids: Iterable[int]) -> None:
        """Rules to look at in the next tick: new or changed, or whose answers or facts changed."""
        self._fresh.update(rule_ids)

    def due(self, rules: Mapping[int, RuleView], now: dt.datetime) -> list[RuleView]:
        """The rules to look at now, taken off the agenda (put back by :meth:`put_back`)."""
        fresh, self._fresh = self._fresh, set()
        if self._looks is None:
            return [r for r in rules.values() if r.next_check is None or r.next_check <= now]
        looks, due, seen = self._looks, [], set()
        while looks and looks[0][0] <= now:
            at, rule_id = heapq.heappop(looks)
            r = rules.get(rule_id)
            if r is not None and r.next_check == at and rule_id not in seen:  # a rule's old entry and new can match
                due.append(r)
                seen.add(rule_id)
        due.extend(r for r in map(rules.get, fresh - seen) if r is not None and r.next_check is None)
        return due

    def put_back(self, rules: Mapping[int, RuleView], looked: list[tuple[RuleView, dt.datetime]]) -> dt.datetime | None:
        """Put the rules just looked at back (all of them, after a full pass); the soonest next look."""
        if self._looks is None:
            self._looks = [(r.next_check, r.id) for r in rules.values() if r.next_check is not None]
            heapq.heapify(self._looks)
        else:
            for r, at in looked:
                heapq.heappush(self._looks, (at, r.id))
        looks = self._looks
        while looks and rules.get(looks[0][1]) is None:
            heapq.heappop(looks)  # a rule gone since
        return looks[0][0] if looks else None
