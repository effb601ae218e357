"""Read a protocol YAML file into a validated :class:`Protocol`, or say exactly what is wrong.

An administrator's file will have mistakes; the error must point at them. YAML is
composed into nodes first so that every field keeps the line it came from; pydantic's
error locations are then mapped back to those lines. All problems are collected, not
just the first, so one round of fixes is usually enough.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from storage.protocol import bundled_protocol_paths  # noqa: F401  (its home before; callers import it from here)
from storage.protocol.plainwords import plain_message
from storage.protocol.schema import Protocol, cross_check_data, pending_review
from storage.protocol.upgrade import upgrade_data

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a protocol file: where (file, line, field) and what."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ProtocolFileError(Exception):
    """The file is not a valid protocol. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class LoadedProtocol:
    protocol: Protocol
    text: str
    sha256: str
    name: str

    @property
    def pending_review(self) -> int:
        """How many facts are drafted but not yet checked against the document (``review: pending``)."""
        return len(pending_review(self.protocol))

    @property
    def not_transcribed(self) -> list[str]:
        """The sections ``coverage`` marks not yet transcribed, in the file's order."""
        return [s for s, mark in self.protocol.coverage.items() if mark == "not_transcribed"]

    def warnings(self) -> list[str]:
        """What an importer should know about a valid file: facts pending review, parts not entered."""
        out = []
        n = self.pending_review
        if n:
            out.append(f"{self.name}: {n} fact{'s are' if n != 1 else ' is'} still pending review "
                       "(drafted from the document, not yet checked: remove `review: pending` once checked)")
        if self.not_transcribed:
            out.append(f"{self.name}: not yet transcribed: {', '.join(self.not_transcribed)} "
                       "(answers about these parts say they haven't been entered yet)")
        return out


def _construct(node: yaml.Node, path: Loc, lines: dict[Loc, int], dupes: list[tuple[int, Loc]],
               line: int | None = None) -> object:
    # a field's line is the line of its key (where the author wrote it), an item's its own
    lines[path] = line if line is not None else node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[object, object] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if key in out:
                dupes.append((key_node.start_mark.line + 1, (*path, str(key))))
                continue
            out[key] = _construct(value_node, (*path, str(key)), lines, dupes, key_node.start_mark.line + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), lines, dupes) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> object:
    # Resolve scalars with the safe constructor so that ints, bools and nulls come out
    # typed, while dates stay strings (the schema parses them).
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    return _SCALARS.construct_object(node, deep=True)


_SCALARS = yaml.SafeLoader("")


def _is_branch_label(part: str | int) -> bool:
    """pydantic names the branch of a union it tried ('list[Office]', 'Office'): not a field."""
    return isinstance(part, str) and (part[:1].isupper() or "[" in part)


def _reference_problems(name: str, errors: list, lines: dict[Loc, int]) -> list[Problem]:
    """Reference problems, the same unknown name once (at its first use, with the other lines)."""
    groups: dict[object, list] = {}
    for e in errors:
        groups.setdefault(e.group or id(e), []).append(e)
    out = []
    for same in groups.values():
        same.sort(key=lambda e: _line_for(e.path, lines) or 0)
        first, rest = same[0], same[1:]
        message = first.message
        if rest:
            others = sorted({n for e in rest if (n := _line_for(e.path, lines))})
            shown = ", ".join(map(str, others[:8])) + (f" and {len(others) - 8} more" if len(others) > 8 else "")
            message += f" (the same name is also used on line{'s' if len(others) != 1 else ''} {shown})"
        out.append(Problem(name, _line_for(first.path, lines), _field(first.path), message))
    return out


def _in_line_order(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int | None, str, str]] = set()
    out = []
    for p in sorted(problems, key=lambda p: (p.line is None, p.line or 0)):
        if (p.line, p.field, p.message) not in seen:
            seen.add((p.line, p.field, p.message))
            out.append(p)
    return out


def _field(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_for(loc: Loc, lines: dict[Loc, int]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def parse_protocol(text: str, name: str) -> LoadedProtocol:
    """Validate protocol YAML ``text`` (``name`` is used in messages). Raises ProtocolFileError."""
    lines: dict[Loc, int] = {}
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ProtocolFileError([Problem(name, line, "", f"not valid YAML: {exc.problem or exc}")]) from None
    if root is None:
        raise ProtocolFileError([Problem(name, 1, "", "the file is empty")])
    dupes: list[tuple[int, Loc]] = []
    try:
        data = _construct(root, (), lines, dupes)
    except yaml.YAMLError as exc:
        raise ProtocolFileError([Problem(name, None, "", f"not valid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise ProtocolFileError([Problem(name, 1, "", "the top level must be a mapping (schema_version, area, boards, ...)")])
    data = upgrade_data(data)  # a version 1 file answers as it always did
    # every problem in one pass: duplicate keys, the schema's checks and the references
    # between parts are all collected, then given in the file's line order
    problems = [Problem(name, line, _field(loc), f"'{loc[-1]}' appears twice here: keep one (the second is ignored)")
                for line, loc in dupes]
    protocol: Protocol | None = None
    try:
        protocol = Protocol.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc: Loc = ()
            for part in err["loc"]:
                if part == "chairs" and (*loc, "chairs") not in lines and (*loc, "chair") in lines:
                    part = "chair"  # co-chairs written as `chair:` with a list: name the field as written
                if not (_is_branch_label(part) and (*loc, part) not in lines):
                    loc = (*loc, part)
            if err["type"] == "required_section" and err.get("ctx", {}).get("field"):
                loc = (*loc, err["ctx"]["field"])
            problems.append(Problem(name, _line_for(loc, lines), _field(loc), plain_message(Protocol, err)))
    problems.extend(_reference_problems(name, cross_check_data(data), lines))
    if problems or protocol is None:
        raise ProtocolFileError(_in_line_order(problems))
    return LoadedProtocol(protocol, text, hashlib.sha256(text.encode()).hexdigest(), name)


def load_protocol_file(path: str | Path) -> LoadedProtocol:
    """Read and validate a protocol file from disk."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ProtocolFileError([Problem(str(p), None, "", "no such file")]) from None
    except IsADirectoryError:
        raise ProtocolFileError([Problem(str(p), None, "", "is a folder, not a protocol file")]) from None
    except UnicodeDecodeError as exc:
        raise ProtocolFileError([Problem(str(p), None, "", f"not UTF-8 text ({exc.reason})")]) from None
    return parse_protocol(text, str(p))


if __name__ == "__main__":  # a quick check for data authors: python -m storage.protocol.loader FILE...
    import sys

    status = 0
    for arg in sys.argv[1:]:
        try:
            loaded = load_protocol_file(arg)
        except ProtocolFileError as exc:
            print(exc)
            status = 1
        else:
            p = loaded.protocol
            print(f"{arg}: OK ({p.area.name}: {len(p.boards)} boards, {len(p.themes)} themes, "
                  f"{len(p.challenge.ladder)} rungs, {len(p.meetings)} meetings, {len(p.reports)} reports)")
    sys.exit(status)
