"""How much text boardbot takes in one field: the one place forms, the core and the columns agree on.

Forms state these limits (Slack ``max_length`` on ``plain_text_input``, Teams ``maxLength`` on
``Input.Text``, the terminal's prompt), the core refuses longer text with a message giving
the limit, and the database columns hold at least this much, so nothing typed is truncated
or lost on either database. Slack's own ceiling for a modal's text input is 3,000 characters.
"""

from __future__ import annotations

SHORT_TEXT = 300  # one line: a challenge subject, an agenda item title, a meeting, a number of days
LONG_TEXT = 3000  # a paragraph: the area of concern, a response, a reason, an outcome (Slack's maximum)
