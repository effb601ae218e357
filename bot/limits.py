"""How much text boardbot takes in one field: the one place forms, the core and the columns agree on.

Forms state these limits (Slack ``max_length`` on ``plain_text_input``, Teams ``maxLength`` on
``Input.Text``, the terminal's prompt: see :attr:`bot.messages.FormField.limit`), the core
refuses longer text with a message giving the limit before anything is stored (a crafted
request that ignores the form's limit is refused, never truncated), and the database columns
hold at least this much, so nothing typed is truncated or lost on either database. Slack's
own ceiling for a modal's text input is 3,000 characters.

Imports nothing: it sits with the shared types, below everything that reads it.
"""

from __future__ import annotations

from typing import Any

SHORT_TEXT = 300  # one line: a challenge subject, an agenda item title, a meeting, a number of days
LONG_TEXT = 3000  # a paragraph: the area of concern, a response, a reason, an outcome (Slack's maximum)

# Typed commands whose text is stored in a bounded column.
REMINDER_TEXT_MAX = 500  # what a reminder says (reminder_rules.title)
MEETING_TITLE_MAX = 300  # a board meeting's title (board_meetings.title)
LINK_MAX = 2000  # a link to papers shared with partner boards

# More time for a challenge: working days, when it is asked for and again when it is agreed.
EXTRA_DAYS_MIN = 1
EXTRA_DAYS_MAX = 60

def too_long(label: str, text: str, limit: int) -> str | None:
    """The message for ``text`` over ``limit`` characters ("Subject is 4,635 characters; the most
    it can be is 300."), or None when it fits."""
    if len(text) <= limit:
        return None
    return f"{label} is {len(text):,} characters; the most it can be is {limit:,}. Shorten it and send it again."


def over_limit(values: dict[str, Any], fields: dict[str, tuple[str, int]]) -> dict[str, str]:
    """Field name -> message for each of ``fields`` (name -> (label, limit)) whose value is too long."""
    out = {}
    for name, (label, limit) in fields.items():
        v = values.get(name)
        problem = too_long(label, v if isinstance(v, str) else "", limit)
        if problem:
            out[name] = problem
    return out


def form_limits(form: Any) -> dict[str, tuple[str, int]]:
    """Name -> (label, limit) for every text field of ``form`` (a :class:`bot.messages.Form`): what its
    submit is checked against. (Imports nothing, so that the shared types may read these limits too.)"""
    return {f.name: (f.label, f.limit) for f in form.fields if f.limit is not None}
