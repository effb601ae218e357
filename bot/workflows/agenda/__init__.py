"""Agenda requests: a chair asks for an item on another board's agenda.

requested -> accepted (onto a dated meeting) | deferred (with a reason, still open) |
declined (with a reason) | withdrawn (by the requester). The target board's business
manager decides; the requester's board is told the outcome. Every step is recorded.
Also here: board meetings (the dates items are accepted onto) and sharing a meeting's
agenda or minutes with the partner boards the protocol names.

The parts: :mod:`.rules` (the lifecycle, pure), :mod:`.requests` (the use cases: ask,
decide, withdraw, close with a challenge), :mod:`.meetings`, :mod:`.sharing`, and
:mod:`.cards` (what they say). Importing the package registers the actions.
"""

from bot.workflows.agenda.cards import public_warning, request_card, request_form
from bot.workflows.agenda.meetings import (
    add_meeting,
    board_agenda,
    ensure_meeting,
    upcoming_meetings,
)
from bot.workflows.agenda.requests import (
    AGENDA,
    awaiting_decision,
    close_for_challenge,
    create_request,
    decide,
    decided,
    start,
    submit,
    withdraw,
)
from bot.workflows.agenda.rules import AWAITING, SUBJECT, Status, parse_when
from bot.workflows.agenda.sharing import share_papers, sharing_partners

__all__ = ["AGENDA", "AWAITING", "SUBJECT", "Status", "add_meeting", "awaiting_decision", "board_agenda", "close_for_challenge",
           "create_request", "decide", "decided", "ensure_meeting", "parse_when", "public_warning", "request_card",
           "request_form", "share_papers", "sharing_partners", "start", "submit", "upcoming_meetings", "withdraw"]
