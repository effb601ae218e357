"""Mutual challenge: one board's chair formally challenges another, up the area's own ladder.

    open --respond--> responded --resolve--> resolved
      |  \\--ask for information--> awaiting_info (clock paused) --provide--> open
      |--ask for time--> (raiser agrees) same status, later deadline
      '--escalate (raising chair, one rung at a time, any open status)--> open at the next rung
    any open status --withdraw--> withdrawn;  resolved/withdrawn --reopen--> open (clock restarts)

Each rung has a response window in working days (bot.workflows.windows). When it passes,
the target board is nudged and the raising chair told they may escalate. The agenda-item
rung creates an agenda request; the chairs'-meeting rung proposes a meeting of the named
chairs; resolution rungs post an escalation notice to the directors' channel naming who
the protocol says must attend. Every step is an audit event; permissions are checked here.
State changes are conditional updates, so a double click or a Slack retry acts once.

The parts: :mod:`.rules` (the ladder, pure: state in, new state and event out),
:mod:`.usecase` (the one shape every press runs through: load, guard, conditional update,
audit, Notifier, commit), the handlers by side (:mod:`.raising`, :mod:`.target`,
:mod:`.raiser`, :mod:`.escalation`), :mod:`.clock` (windows passing), :mod:`.reading`
(lists, one in full, the export), and what they say apart (:mod:`.cards`, :mod:`.forms`,
:mod:`.notices`). Importing the package registers the actions.
"""

from bot.workflows.challenges import escalation, raiser, target  # noqa: F401  (they register their actions)
from bot.workflows.challenges.cards import (
           KIND_WORDS,
           card,
           describe,
           list_reply,
           rung_of,
           summary_lines,
)
from bot.workflows.challenges.clock import check_clocks
from bot.workflows.challenges.raising import conflicts, directory_conflicts, edit, start, submit
from bot.workflows.challenges.reading import export, show, visible_challenges, visible_to
from bot.workflows.challenges.rules import OPEN_STATUSES, SUBJECT, Status, extra_days, reason_needed
from bot.workflows.challenges.usecase import CHALLENGE

__all__ = ["CHALLENGE", "KIND_WORDS", "OPEN_STATUSES", "SUBJECT", "Status", "card", "check_clocks", "conflicts", "describe",
           "directory_conflicts", "edit", "export", "extra_days", "list_reply", "reason_needed", "rung_of", "show", "start",
           "submit", "summary_lines", "visible_challenges", "visible_to"]
