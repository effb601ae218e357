"""What people typed, made safe to put in a Markdown file: it stays text in any viewer.

A challenge's subject, an outcome, an agenda title or a person's name goes into the Markdown
files boardbot writes (the challenges export, the year's report draft), which are opened in
viewers that render HTML, links and images. :func:`plain` keeps such text as text: no tag, no
link or image, no heading or list started by a line of its own; :func:`cell` also keeps it to
one table cell.
"""

from __future__ import annotations

import re

_LINE_START = re.compile(r"^(\s*)([#>*+\-=`~]|\d+[.)])", re.M)


def plain(value: object) -> str:
    """``value`` as Markdown text that renders as exactly those characters, on one line."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("`", "\\`")
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return " ".join(text.split())


def cell(value: object) -> str:
    """:func:`plain`, and a ``|`` cannot end the table cell it is in."""
    return plain(value).replace("|", "\\|")
