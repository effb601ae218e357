"""A command's words, without those the router used to choose the area."""

from __future__ import annotations

import re

from bot.context import Context


def strip_area_words(ctx: Context, text: str) -> str:
    """``text`` without the trailing "in Suffolk" (or bare "Suffolk") the router used to choose the area."""
    if not ctx.area_named or ctx.area is None:
        return text
    area = ctx.area
    for name in sorted([area.name, area.slug.replace("-", " "), area.slug, *area.protocol.area.aliases], key=len, reverse=True):
        text = re.sub(rf"\s*(?:\b(?:in|for)\s+)?\b{re.escape(name)}\s*[?.!]*\s*$", "", text, flags=re.I)
    return text.strip()

