"""Write a draft as YAML the protocol loader accepts, and make sure it does.

Sources are written on one line each (``source: {doc: …, clause: …, review: pending,
quote: …}``) so a reviewer reading the file sees each fact with its passage. The draft is
validated with the loader; a fact the loader refuses (a cross-reference the drafter got
wrong, an alias two themes share) is left out and listed in the file's header, so the
draft always validates and nothing wrong is silently kept.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from drafting.assemble import Draft
from storage.protocol.loader import ProtocolFileError, parse_protocol


class _Flow(dict):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _flow(dumper, data):
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


def _str(dumper, data: str):
    style = '"' if (re.search(r"^[\s>|*&!%@`'\"{\[?#,-]|: | #|[\n\t]|^(?:yes|no|true|false|null|on|off|~)$|^[\d.:-]+$", data, re.I)) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(_Flow, _flow)
_Dumper.add_representer(str, _str)


def _prepare(value):
    if isinstance(value, dict):
        out = {k: _prepare(v) for k, v in value.items()}
        if set(value) >= {"doc", "clause"} and set(value) <= {"doc", "clause", "review", "quote"}:
            return _Flow(out)
        return out
    if isinstance(value, list):
        return [_prepare(v) for v in value]
    return value


def dump(data: dict) -> str:
    return yaml.dump(_prepare(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)


def _drop(data: dict, field: str) -> str | None:
    """Remove the list item a problem's field path points into; say what was removed."""
    m = re.match(r"^([a-z_]+)\[(\d+)\]", field)
    if m and isinstance(data.get(m.group(1)), list):
        items = data[m.group(1)]
        i = int(m.group(2))
        if i < len(items):
            gone = items.pop(i)
            label = gone.get("name") or gone.get("title") or gone.get("report") or gone.get("key")
            if not items:
                del data[m.group(1)]
                if "coverage" in data:
                    data["coverage"][m.group(1)] = "not_transcribed"
            return f"{m.group(1)}: {label}"
    m = re.match(r"^boards\[(\d+)\]\.(\w+)", field)
    if m:
        b = data["boards"][int(m.group(1))]
        b.pop(m.group(2), None)
        return f"boards.{b['key']}.{m.group(2)}"
    return None


def render(d: Draft, sources: list[str]) -> tuple[str, list[str]]:
    """The draft's YAML text (validated) and what had to be left out."""
    data = d.data
    dropped: list[str] = []
    for _ in range(40):
        text = dump(data)
        try:
            parse_protocol(text, "draft")
            break
        except ProtocolFileError as exc:
            progress = False
            for p in sorted(exc.problems, key=lambda p: p.field, reverse=True):
                what = _drop(data, p.field)
                if what:
                    dropped.append(f"{what} ({p.message})")
                    progress = True
                    break
            if not progress:
                raise
    header = [
        f"# Drafted by `boardbot protocol draft` from {', '.join(sources)} on {dt.date.today().isoformat()}.",
        "# Every fact cites the clause it came from, with its quote, and is marked `review: pending`.",
        "# Check each against the document (`boardbot protocol review THIS.yaml --source DOCUMENT`),",
        "# then `boardbot protocol validate` and `boardbot protocol import`.",
        "# Parts the drafter did not find or does not read are listed under `coverage` as not_transcribed:",
        "# answers say they have not been entered yet. Remove a part from `coverage` once it is complete.",
    ]
    for n in d.notes:
        header.append(f"# Note: {n}")
    for x in dropped:
        header.append(f"# Left out (the loader refused it): {x}")
    return "\n".join(header) + "\n" + text, dropped
