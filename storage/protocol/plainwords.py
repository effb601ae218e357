"""Validation problems in plain words, for the business manager who writes the file.

pydantic describes a problem in its own terms ("String should match pattern '^\\d{4}…'",
"Input should be a valid dictionary or instance of Office"). A protocol author needs to
know which field is wrong and what to write instead, so every pydantic error is turned
into a sentence here, using what the schema itself knows about the field: its meaning
(the field's docstring), its example, the fields a part may have, the words a choice may
take. Nothing of pydantic's own wording reaches the author.
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from storage.protocol.schema.facts import field_doc

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
SLUG_PATTERN = r"^[a-z][a-z0-9-]*$"

Loc = tuple[str | int, ...]


def unwrap(tp: Any) -> Any:
    """The type under ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def choices(tp: Any) -> list[str]:
    """The words a Literal (or a union of Literals) allows."""
    tp = unwrap(tp)
    if get_origin(tp) is Literal:
        return [str(a) for a in get_args(tp)]
    if get_origin(tp) in (Union, types.UnionType):
        return [c for a in get_args(tp) for c in choices(a)]
    return []


def element(tp: Any) -> Any:
    """The item type of a list (or of a list in a union with one model: 'one or several')."""
    tp = unwrap(tp)
    if get_origin(tp) is list:
        return unwrap(get_args(tp)[0])
    return None


def models_in(tp: Any) -> list[type[BaseModel]]:
    """The model types a field may hold, directly, in a list, or in a union."""
    tp = unwrap(tp)
    if is_model(tp):
        return [tp]
    if get_origin(tp) in (list, Union, types.UnionType):
        return [m for a in get_args(tp) for m in models_in(a)]
    return []


def resolve(root: type[BaseModel], loc: Loc) -> tuple[type[BaseModel] | None, str | None, Any]:
    """Walk ``loc`` through the schema: the model holding the last named field, its name, the type there."""
    parent: type[BaseModel] | None = None
    name: str | None = None
    current: Any = root
    for part in loc:
        current = unwrap(current)
        if part == "[key]":
            continue
        if is_model(current) and isinstance(part, str):
            if part not in current.model_fields:
                return current, part, None
            parent, name, current = current, part, current.model_fields[part].annotation
            continue
        origin = get_origin(current)
        if origin is list and isinstance(part, int):
            current = get_args(current)[0]
        elif origin is dict:
            current = get_args(current)[1]
        elif origin in (Union, types.UnionType):
            # 'one or a list' unions: pick the branch that fits the step
            branch = next((a for a in get_args(current)
                           if (isinstance(part, int) and get_origin(unwrap(a)) is list)
                           or (isinstance(part, str) and is_model(unwrap(a)) and part in unwrap(a).model_fields)
                           or (isinstance(part, str) and not is_model(unwrap(a)) and get_origin(unwrap(a)) is not list)),
                          None)
            if branch is None:
                return parent, name, None
            current = branch
            if isinstance(part, int):
                current = get_args(unwrap(current))[0]
            elif is_model(unwrap(current)):
                m = unwrap(current)
                parent, name, current = m, part, m.model_fields[part].annotation
        else:
            # pydantic names a union branch by its type ('Office', 'list[Office]'); skip it
            continue
    return parent, name, current


def meaning(model: type[BaseModel] | None, field: str | None) -> str:
    """The first paragraph of a field's docstring, in one line ('' where there is none)."""
    if model is None or field is None or field not in model.model_fields:
        return ""
    text = field_doc(model, field)
    return " ".join(text.split("\n\n", 1)[0].split())


def example(model: type[BaseModel] | None, field: str | None) -> str:
    """The ``Example:`` line of a field's docstring ('' where there is none)."""
    if model is None or field is None or field not in model.model_fields:
        return ""
    m = re.search(r"^Example:\s*(.+)$", field_doc(model, field), re.M)
    return m.group(1).strip() if m else ""


def suggest(word: object, options: list[str]) -> str | None:
    """The closest of ``options`` to a misspelt ``word``, if one is close."""
    if not isinstance(word, str) or not options:
        return None
    import difflib  # only when a protocol file has a slip to suggest a correction for

    low = {o.lower(): o for o in options}
    hit = difflib.get_close_matches(word.lower(), list(low), n=1, cutoff=0.6)
    return low[hit[0]] if hit else None


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…'"


def _as_key(value: object, sep: str) -> str:
    word = re.sub(r"[^a-z0-9]+", sep, str(value).lower()).strip(sep)
    word = re.sub(r"^[^a-z]+", "", word)
    return word or ("board" + sep + "key")


def _fields_of(model: type[BaseModel]) -> str:
    return ", ".join(model.model_fields)


def _required_fields(model: type[BaseModel]) -> str:
    req = [n for n, f in model.model_fields.items() if f.is_required()]
    return ", ".join(req) or _fields_of(model)


def _pattern_words(pattern: str, value: object) -> str:
    if pattern == DATE_PATTERN:
        return (f"{_shown(value)} is not a date boardbot can read: write a date as 2016-04 or 2016-04-28 "
                "(year-month or year-month-day; the year alone, 2016, also works)")
    if pattern == KEY_PATTERN:
        return (f"{_shown(value)} cannot be a key: write lower-case letters, digits and underscores, "
                f"starting with a letter, e.g. {_as_key(value, '_')}")
    if pattern == SLUG_PATTERN:
        return (f"{_shown(value)} cannot be an area's short name: write lower-case letters, digits and hyphens, "
                f"starting with a letter, e.g. {_as_key(value, '-')}")
    return f"{_shown(value)} is not written in the form this field needs"


def plain_message(root: type[BaseModel], err: dict) -> str:
    """One pydantic error (from ``ValidationError.errors()``) as a sentence an author can act on."""
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    parent, name, tp = resolve(root, loc)
    if loc and loc[-1] == "[key]":  # a mapping's key, e.g. a section named in coverage
        holder = unwrap(resolve(root, loc[:-2])[2])
        tp = get_args(holder)[0] if get_origin(holder) is dict else None
        opts = choices(tp)
        hint = suggest(loc[-2], opts)
        return (f"'{loc[-2]}' is not a name this part takes" + (f": did you mean '{hint}'?" if hint else ".")
                + f" Write one of: {', '.join(opts)}")
    what = meaning(parent, name)
    eg = example(parent, name)

    if kind in ("required_section", "value_error", "assertion_error"):
        msg = str(ctx.get("message") or err["msg"])
        if kind == "value_error" and ctx.get("error") is not None:
            msg = str(ctx["error"])
        return msg[len("Value error, "):] if msg.startswith("Value error, ") else msg
    if kind == "missing":
        field = str(loc[-1])
        out = f"'{field}' is missing"
        if what:
            out += f": {what[0].lower() + what[1:]}".rstrip(".")
        if eg:
            out += f". Write e.g. {field}: {eg}"
        return out
    if kind == "extra_forbidden":
        bad = str(loc[-1])
        sub = unwrap(resolve(root, loc[:-1])[2]) if loc[:-1] else root
        model = sub if is_model(sub) else None
        options = list(model.model_fields) if model else []
        hint = suggest(bad, options)
        out = f"unknown field '{bad}'"
        out += f": did you mean '{hint}'?" if hint else "."
        if options:
            out += f" The fields here are: {', '.join(options)}"
        return out
    if loc == ("schema_version",):
        allowed = choices(tp)
        return (f"this file says schema_version {_shown(value)}; boardbot reads schema_version "
                f"{' or '.join(allowed)}: write schema_version: {allowed[-1]}")
    if kind in ("literal_error", "enum"):
        opts = choices(tp) or [s.strip(" '") for s in re.split(r",| or ", str(ctx.get("expected", ""))) if s.strip(" '")]
        hint = suggest(value, opts)
        out = f"{_shown(value)} is not one of the words this field takes"
        out += f": did you mean '{hint}'?" if hint else "."
        return out + f" Write one of: {', '.join(opts)}"
    if kind == "string_pattern_mismatch":
        return _pattern_words(str(ctx.get("pattern", "")), value)
    if kind == "string_too_short":
        return "this is empty: write the text, or leave the field out where the protocol says nothing"
    if kind == "string_too_long":
        return f"this is too long: at most {ctx.get('max_length')} characters"
    if kind == "string_type":
        if isinstance(value, list):
            return "write one piece of text here, not a list"
        if isinstance(value, dict):
            return "write text here, not a set of fields"
        return f"write this as text: put it in quotes, e.g. \"{value}\""
    if kind in ("model_type", "model_attributes_type", "dict_type", "model_fields_type"):
        models = models_in(tp) or ([unwrap(tp)] if is_model(unwrap(tp)) else [])
        target = models[0] if models else None
        fields = f" ({_required_fields(target)}, each on its own line)" if target else ""
        if isinstance(value, list):
            return f"write one entry here as fields{fields}, not a list"
        return f"write this as fields{fields}, not as {_shown(value)}" + (f"; e.g. {eg}" if eg else "")
    if kind in ("list_type", "tuple_type", "set_type"):
        item = f"[{value}]" if isinstance(value, str) else "[first, second]"
        return f"write a list here, e.g. {item}, or one '- ' line per entry" + (f"; e.g. {eg}" if eg else "")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_shown(value)} is not a whole number: write a number such as 4"
    if kind in ("float_parsing", "float_type"):
        return f"{_shown(value)} is not a number: write a number such as 4 or 0.5"
    if kind in ("bool_parsing", "bool_type"):
        return f"{_shown(value)} is not yes or no: write true or false"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        ge = _bound(tp, "ge")
        le = _bound(tp, "le")
        if ge is not None and le is not None:
            return f"{_shown(value)} is out of range: write a number from {ge} to {le}"
        return f"{_shown(value)} is out of range: write a number {'of at least ' + str(ctx.get('ge')) if 'ge' in ctx else 'up to ' + str(ctx.get('le'))}"
    if kind == "too_short":
        return "this list is empty: give at least one entry"
    if kind == "too_long":
        return f"this list is too long: at most {ctx.get('max_length')} entries"
    return f"{_shown(value)} is not accepted here" + (f" ({what[0].lower() + what[1:]})" if what else "")


def _bound(tp: Any, which: str) -> object:
    """The ge/le bound of an ``Annotated[int, Field(ge=..., le=...)]`` (None where not found)."""
    def walk(t: Any) -> object:
        if get_origin(t) is Annotated:
            for meta in get_args(t)[1:]:
                for m in getattr(meta, "metadata", [meta]):
                    if hasattr(m, which):
                        return getattr(m, which)
            return walk(get_args(t)[0])
        if get_origin(t) in (Union, types.UnionType, list):
            for a in get_args(t):
                hit = walk(a)
                if hit is not None:
                    return hit
        return None
    return walk(tp)
