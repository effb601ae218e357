"""What the boards share with each other, answered narrowly."""

from __future__ import annotations

from bot.commands.answers.asked import short_name
from bot.commands.replies import (
    join_names,
    narrow,
    search_reply,
    silent,
    unknown_words,
    yes_no,
)
from bot.context import Context
from bot.language.understand import as_typed
from bot.messages import Reply

_ITEM_WORDS = {"minutes": "minutes", "agendas": "agendas", "annual_plans": "annual plans", "annual_reports": "annual reports",
               "strategies": "strategies", "inspection_reports": "inspection reports", "information": "information"}


def sharing_answer(ctx: Context, u) -> Reply:
    area = ctx.here
    rules = list(area.protocol.information_sharing)
    items = [e.key for e in u.all("item") if e.key != "information"]
    if u.has("inspection reports", "inspection report"):
        items = ["inspection_reports"]
    boards = {e.key for e in u.all("board")}
    if items:
        matching = [r for r in rules if set(items) & set(r.items)]
        if boards:
            narrowed = [r for r in matching if not r.from_boards or boards & set(r.from_boards) or
                        any(short_name(area, b).lower() in " ".join(r.to).lower() for b in boards)]
            matching = narrowed or matching
        if matching:
            lines = [yes_no(True if u.yesno else None, matching[0].text)]
            lines += [r.text for r in matching[1:3]]
            return narrow(area, "sharing", lines, [area.cite(r.source) for r in matching[:3]], more="information sharing")
        what = join_names(_ITEM_WORDS.get(i, i) for i in items)
        lines = [yes_no(False if u.yesno else None, silent(area, "information_sharing", f"anything about sharing {what}"))]
        if rules:
            lines.append("What it does say about sharing: " + rules[0].text)
        return narrow(area, "sharing", lines, [area.cite(r.source) for r in rules[:1]], silent_=True, more="information sharing")
    found = search_reply(area, u, kind="sharing", sections=frozenset({"information_sharing", "reports", "boards", "roles", "themes",
                                                                      "meetings"}))
    if found is not None:
        return found
    unknown = unknown_words(area, u)
    if rules and unknown:
        return narrow(area, "sharing", [f"{area.name}'s protocol doesn't say anything about {' '.join(as_typed(tuple(unknown), u.text))}. "
                                        "What it says about sharing information:"] + [f"\u2022 {r.text}" for r in rules[:2]],
                      [area.cite(r.source) for r in rules[:2]], silent_=True, more="information sharing")
    if rules:
        return narrow(area, "sharing", [f"Information sharing in {area.name}'s protocol:"] + [f"\u2022 {r.text}" for r in rules[:3]],
                      [area.cite(r.source) for r in rules[:3]], more="information sharing")
    return narrow(area, "sharing", [silent(area, "information_sharing", "how the boards share information")], [], silent_=True)
