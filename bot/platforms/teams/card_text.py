"""Core text as Adaptive Card TextBlock Markdown, made safe.

Adaptive Card TextBlocks read Markdown. The core writes plain text with ``*bold*`` at most, so
:func:`markdown` turns ``*bold*`` into ``**bold**``, drops code backticks Teams cannot show, and
breaks ``[label](url)`` so a phrase a user typed and the core echoed can never become a
disguised link; bidi overrides and invisible characters go first
(:func:`bot.safetext.neutralise`).
"""

from __future__ import annotations

import re
from typing import Any

from bot.messages import Citation
from bot.safetext import neutralise

MAX_TEXT = 4000

_BOLD = re.compile(r"(?<![*\w])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![*\w])")
_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\]\(")
_BULLET = re.compile(r"^\s*(?:•|-|\*)\s+")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def inline(text: str) -> str:
    """One line of core text as TextBlock Markdown: ``*bold*`` -> ``**bold**``, no code, no links
    (and no bidi overrides or invisible characters, :func:`bot.safetext.neutralise`, before the
    zero-width space that breaks a link is put in)."""
    out = _CODE.sub(lambda m: f"\u201c{m.group(1)}\u201d", neutralise(text))
    out = _BOLD.sub(lambda m: f"**{m.group(1)}**", out)
    return _LINK.sub("]\u200b(", out)


def markdown(text: str) -> str:
    """Core text as TextBlock Markdown.

    Teams needs ``\\n\\n`` for a line break inside a TextBlock and ``\\r`` between list
    items, so runs of "• ..." lines become a Markdown list and other lines paragraphs. An
    indented line straight after a bullet (the help's "e.g. ...") joins that bullet.
    """
    blocks: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            blocks.append("\r".join(f"- {i}" for i in items))
            items.clear()

    for raw in (text or "").splitlines():
        if not raw.strip():
            flush()
            continue
        if _BULLET.match(raw):
            items.append(inline(_BULLET.sub("", raw, count=1).strip()))
        elif items and raw[:1].isspace():
            items[-1] += " " + inline(raw.strip())
        else:
            flush()
            blocks.append(inline(raw.strip()))
    flush()
    return truncate("\n\n".join(blocks), MAX_TEXT)


def text_block(text: str, **props: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **props}


def source_block(citation: Citation) -> dict[str, Any]:
    return text_block(f"Source: {inline(citation.label())}", isSubtle=True, size="Small", spacing="Small")
