"""Files written to an earlier version of the protocol file format still load.

Version 1 files left two things to boardbot's guesswork: a post counted as a director
when its title said "director" or "chief executive", and a chair's delegate could raise
a challenge when the text of ``who_may_raise`` said "direction" or "delegat". Version 2
states both in the data (``roles[].director``, ``challenge.on_behalf``). A version 1 file
is upgraded as it is read (:func:`upgrade_data`), applying those old rules once, so it
answers as it always did; ``boardbot protocol upgrade FILE`` writes the same upgrade into
the file (:func:`upgrade_text`), comments and layout kept, so its author can then correct
what the old rules got wrong.
"""

from __future__ import annotations

import copy

import yaml

CURRENT = 2


def legacy_director(title: object) -> bool:
    """Version 1's rule: a post is a director's when its title says so."""
    words = str(title or "").lower()
    return "director" in words or "chief executive" in words


def legacy_on_behalf(who_may_raise: object) -> list[str] | None:
    """Version 1's rule: an officer may raise at a chair's direction where the text says so."""
    text = str(who_may_raise.get("text", "") if isinstance(who_may_raise, dict) else "").lower()
    return ["delegated_officer"] if "direction" in text or "delegat" in text else None


def upgrade_data(data: dict) -> dict:
    """Version 1 data as version 2 (a copy; anything already stated is kept)."""
    if data.get("schema_version") != 1:
        return data
    out = copy.deepcopy(data)
    out["schema_version"] = CURRENT
    for role in out.get("roles") or []:
        if isinstance(role, dict) and "director" not in role and legacy_director(role.get("title")):
            role["director"] = True
    ch = out.get("challenge")
    if isinstance(ch, dict) and "on_behalf" not in ch:
        kinds = legacy_on_behalf(ch.get("who_may_raise"))
        if kinds is not None:
            ch["on_behalf"] = kinds
    return out


def upgrade_text(text: str) -> tuple[str, list[str]]:
    """The file's text upgraded to version 2, and what was changed (empty where nothing was).

    Lines are inserted beside the fields they belong to, so comments and layout stay.
    """
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return text, []
    top = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    version = top.get("schema_version")
    if version is None or not isinstance(version[1], yaml.ScalarNode) or version[1].value != "1":
        return text, []
    lines = text.splitlines(keepends=True)
    inserts: list[tuple[int, str]] = []  # (insert after this 0-based line, text)
    changes: list[str] = []
    roles = top.get("roles")
    if roles and isinstance(roles[1], yaml.SequenceNode):
        for item in roles[1].value:
            if not isinstance(item, yaml.MappingNode):
                continue
            fields = {k.value: (k, v) for k, v in item.value if isinstance(k, yaml.ScalarNode)}
            title = fields.get("title")
            if "director" in fields or title is None or not legacy_director(title[1].value):
                continue
            key_node = title[0]
            inserts.append((title[1].end_mark.line, " " * key_node.start_mark.column
                            + "director: true  # upgraded from version 1: the title names a director's post\n"))
            changes.append(f"line {key_node.start_mark.line + 1}: {title[1].value} marked director: true")
    ch = top.get("challenge")
    if ch and isinstance(ch[1], yaml.MappingNode):
        fields = {k.value: (k, v) for k, v in ch[1].value if isinstance(k, yaml.ScalarNode)}
        who = fields.get("who_may_raise")
        if "on_behalf" not in fields and who is not None:
            text_node = next((v for k, v in getattr(who[1], "value", []) if getattr(k, "value", None) == "text"), None)
            kinds = legacy_on_behalf({"text": getattr(text_node, "value", "")})
            if kinds:
                col = who[0].start_mark.column
                inserts.append((who[0].start_mark.line - 1, " " * col + f"on_behalf: [{', '.join(kinds)}]  "
                                "# upgraded from version 1: who_may_raise lets an officer act at the chair's direction\n"))
                changes.append(f"line {who[0].start_mark.line + 1}: challenge.on_behalf: {kinds}")
    vline = version[1].start_mark.line
    lines[vline] = lines[vline].replace("1", str(CURRENT), 1)
    changes.insert(0, f"line {vline + 1}: schema_version: {CURRENT}")
    for after, new in sorted(inserts, key=lambda x: x[0], reverse=True):
        lines.insert(after + 1, new)
    return "".join(lines), changes
