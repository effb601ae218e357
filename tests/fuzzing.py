"""Malformed variants of real platform payloads, for the endpoint fuzz tests.

A case starts from a saved payload (Slack's block_actions, view_submission, events, slash
commands; Teams' messages, invokes, conversation updates), picks a place anywhere in it (the
root, any key, any list element) and does one thing there: puts a value of another JSON type,
removes it, nests it very deep, or makes a string huge. Then the body is written out in one of
several ways, most of them wrong: JSON, a form with a JSON ``payload`` field, a form whose
payload is not JSON, JSON under a form content type and the other way round, no or a
nonsense content type, bytes that are not UTF-8, a body cut short.

:func:`collect` draws the cases with hypothesis (derandomised, so a run is repeatable), and
the tests then send each one, signed or with a valid token, through the real server.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

Path = tuple[Any, ...]

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
OPS = ("replace", "replace", "replace", "delete", "deep", "huge", "empty")
ENCODINGS = ("json", "json", "form-payload", "form-payload-json-type", "json-as-form", "form-not-json", "no-type",
             "text-plain", "not-utf8", "truncated", "bom")


def paths(obj: Any, prefix: Path = ()) -> list[Path]:
    """Every place in ``obj``: the root, each key of each object, each element of each list."""
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.extend(paths(v, (*prefix, k)))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:6]):
            out.extend(paths(v, (*prefix, i)))
    return out


def deep(n: int) -> Any:
    value: Any = "x"
    for i in range(n):
        value = [value] if i % 2 else {"k": value}
    return value


def apply(obj: Any, path: Path, op: str, value: Any) -> Any:
    """``obj`` with ``op`` done at ``path`` (a copy)."""
    new = {
        "replace": lambda old: value,
        "deep": lambda old: deep(200),
        "huge": lambda old: "\u202e" + "A" * 200_000,
        "empty": lambda old: type(old)() if isinstance(old, dict | list | str) else None,
    }
    if not path:
        return None if op == "delete" else new.get(op, new["replace"])(obj)
    root = copy.deepcopy(obj)
    parent = root
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if op == "delete":
        del parent[last]
    else:
        parent[last] = new[op](parent[last])
    return root


@dataclass
class Case:
    base: str
    path: Path
    op: str
    encoding: str
    body: bytes
    content_type: str | None

    def __repr__(self) -> str:  # what a failure shows
        return f"Case({self.base}, {self.path}, {self.op}, {self.encoding}, {self.body[:160]!r})"


def encode(payload: Any, encoding: str, *, form: bool, cut: int) -> tuple[bytes, str | None]:
    """The bytes of a request body carrying ``payload``, written the way ``encoding`` says."""
    as_json = json.dumps(payload)
    if form and isinstance(payload, dict) and encoding in ("json", "form-payload"):
        # a slash command is a plain form; its values are strings
        return urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in payload.items()}).encode(), \
            "application/x-www-form-urlencoded"
    if encoding == "json":
        return as_json.encode(), "application/json"
    if encoding == "form-payload":
        return urlencode({"payload": as_json}).encode(), "application/x-www-form-urlencoded"
    if encoding == "form-payload-json-type":
        return urlencode({"payload": as_json}).encode(), "application/json"
    if encoding == "json-as-form":
        return as_json.encode(), "application/x-www-form-urlencoded"
    if encoding == "form-not-json":
        return urlencode({"payload": as_json[: max(1, cut % max(1, len(as_json)))]}).encode(), \
            "application/x-www-form-urlencoded"
    if encoding == "no-type":
        return as_json.encode(), None
    if encoding == "text-plain":
        return as_json.encode(), "text/plain"
    if encoding == "not-utf8":
        raw = as_json.encode()
        at = cut % max(1, len(raw))
        return raw[:at] + b"\xff\xfe\xc3" + raw[at:], "application/json"
    if encoding == "truncated":
        raw = as_json.encode()
        return raw[: cut % max(1, len(raw))], "application/json"
    if encoding == "bom":
        return b"\xef\xbb\xbf" + as_json.encode(), "application/json"
    raise ValueError(encoding)


def collect(bases: dict[str, Any], *, n: int, forms: frozenset[str] = frozenset(),
            encodings: tuple[str, ...] = ENCODINGS) -> list[Case]:
    """``n`` malformed cases drawn from ``bases`` (name -> payload), repeatably."""
    names = sorted(bases)
    found: list[Case] = []

    @st.composite
    def cases(draw: Callable[..., Any]) -> Case:
        name = draw(st.sampled_from(names))
        base = bases[name]
        path = draw(st.sampled_from(paths(base)))
        op = draw(st.sampled_from(OPS))
        value = draw(JSON)
        encoding = draw(st.sampled_from(encodings))
        cut = draw(st.integers(0, 10_000))
        mutated = apply(base, path, op, value)
        body, ctype = encode(mutated, encoding, form=name in forms, cut=cut)
        return Case(name, path, op, encoding, body, ctype)

    @settings(max_examples=n, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(cases())
    def draw_all(case: Case) -> None:
        found.append(case)

    draw_all()
    return found
