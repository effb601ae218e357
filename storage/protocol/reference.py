"""The field reference of the protocol file, written from the schema itself.

``docs/protocol-reference.md`` is this module's output: every part and field of the file,
what it means, an example and the answers that use it, all read from the schema's
docstrings (see the package :mod:`storage.protocol.schema`). Because it is generated, it cannot drift
from what the loader accepts; a test fails when the committed page is out of date, and
``boardbot protocol reference --out docs/protocol-reference.md`` rewrites it.
"""

from __future__ import annotations

import inspect
import types
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from storage.protocol import schema
from storage.protocol.plainwords import example, is_model, meaning

_ALIASES: list[tuple[Any, str]] = [
    (schema.Key, "key (lower-case letters, digits and _)"),
    (schema.Slug, "short name (lower-case letters, digits and -)"),
    (schema.PartialDate, "date (2016, 2016-04 or 2016-04-28)"),
    (schema.Text, "text"),
]

_HEADER = """# Protocol file reference

<!-- Generated from storage/protocol/schema/ by `boardbot protocol reference`; do not edit by hand.
     A test fails when this page and the schema disagree. -->

Every field an area's protocol file may have, part by part: what it means, whether it must
be given, an example, and the answers that use it. For a walk-through of writing a file,
read [protocol-data.md](protocol-data.md) first.

Where a whole part has not been entered yet, mark it in `coverage` (see the first table)
rather than leaving it empty: answers then say that part hasn't been entered yet, instead
of claiming the protocol says nothing.
"""


def _words(tp: Any) -> str:
    """A field's type in plain words, with links to the parts it holds."""
    for alias, words in _ALIASES:
        if tp is alias or tp == alias:
            return words
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return " or ".join(_words(a) for a in args)
    if origin is Literal:
        return "one of: " + ", ".join(f"`{a}`" for a in get_args(tp))
    if origin is list:
        return "list of " + _words(get_args(tp)[0])
    if origin is dict:
        k, v = get_args(tp)
        return f"mapping of {_words(k)} to {_words(v)}"
    if get_origin(tp) is not None and hasattr(tp, "__metadata__"):
        base = get_args(tp)[0]
        bounds = [m for meta in tp.__metadata__ for m in getattr(meta, "metadata", [meta])]
        lo = next((m.ge for m in bounds if hasattr(m, "ge")), None)
        hi = next((m.le for m in bounds if hasattr(m, "le")), None)
        word = _words(base)
        return f"{word} from {lo} to {hi}" if lo is not None and hi is not None else word
    if is_model(tp):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    return {str: "text", int: "whole number", float: "number", bool: "`true` or `false`"}.get(tp, getattr(tp, "__name__", str(tp)))


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model reachable from ``root``, in the order a reader meets them."""
    seen: list[type[BaseModel]] = []

    def visit(tp: Any) -> None:
        if is_model(tp):
            if tp in seen:
                return
            seen.append(tp)
            for f in tp.model_fields.values():
                visit(f.annotation)
        for a in get_args(tp):
            visit(a)

    visit(root)
    return seen


def _answers(model: type[BaseModel], field: str) -> str:
    import re

    m = re.search(r"^Answers:\s*(.+)$", schema.field_doc(model, field), re.M)
    return m.group(1).strip() if m else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _required(model: type[BaseModel], name: str) -> str:
    f = model.model_fields[name]
    if f.is_required():
        return "yes"
    if model is schema.Protocol and name in ("boards", "new_themes", "challenge"):
        return "yes, unless `coverage` marks it not_transcribed"
    if model is schema.ProtocolInfo and name == "review":
        return "yes, unless `coverage` marks it not_transcribed"
    return "no"


def render() -> str:
    """The whole reference page, as Markdown."""
    out = [_HEADER]
    for model in _models(schema.Protocol):
        if model is schema.Protocol:
            out.append("\n## The file (top level)\n")
        else:
            out.append(f'\n<a id="{model.__name__.lower()}"></a>\n## {model.__name__}\n')
        doc = inspect.cleandoc(model.__doc__ or "")
        if doc:
            out.append(doc + "\n")
        out.append("| Field | Kind | Required | Meaning | Example | Answers that use it |")
        out.append("|---|---|---|---|---|---|")
        for name, f in model.model_fields.items():
            eg = example(model, name)
            out.append(f"| `{name}` | {_cell(_words(f.annotation))} | {_required(model, name)} | "
                       f"{_cell(meaning(model, name))} | {'`' + _cell(eg) + '`' if eg else ''} | {_cell(_answers(model, name))} |")
    out.append("\n## Parts `coverage` can mark\n")
    out.append("| Part | What it covers |")
    out.append("|---|---|")
    for section in schema.SECTIONS:
        out.append(f"| `{section}` | {schema.SECTION_WORDS[section]} |")
    out.append("")
    return "\n".join(out)


def undocumented(root: type[BaseModel] = schema.Protocol) -> list[str]:
    """Fields with no meaning, example or answers in their docstring (each should have all three)."""
    missing = []
    for model in _models(root):
        for name in model.model_fields:
            if not (meaning(model, name) and example(model, name) and _answers(model, name)):
                missing.append(f"{model.__name__}.{name}")
    return missing

