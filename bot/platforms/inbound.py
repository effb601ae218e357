"""What every platform endpoint checks before it spends anything on a request.

A request from the internet costs boardbot nothing until it has shown it is worth reading:

1. **Size** before the body is read: a ``Content-Length`` over :data:`MAX_BODY_BYTES` is
   refused unread (413), and the read itself stops there (aiohttp's ``client_max_size``,
   which :func:`bot.web.build_app` sets to the same figure, covers chunked bodies).
2. **Authentication** on the raw bytes (Slack's signature, Teams' token), by the platform
   module, before anything is parsed.
3. **Depth** before parsing: :func:`too_deep` counts brackets outside strings, so 100,000
   nested ``[`` are refused in linear time instead of blowing Python's recursion limit in
   ``json.loads`` (or in an SDK that walks the result).
4. **Shape** after parsing: :func:`check` holds the parsed body against a small type
   description of the fields boardbot and the SDKs read (a string where a string is read,
   an object where an object is read), so a wrong type is a 400 and never an exception
   deep inside an SDK.

Every refusal is a :class:`Refused` carrying the HTTP status (400, 401 or 413) and a
short reason; nothing is stored for it. No SDK is imported here: the Slack and Teams
modules describe their own payloads with :class:`Spec` values.

Example::

    >>> too_deep(b"[" * 100 + b"]" * 100)
    True
    >>> check({"type": "x", "event": {"type": 3}}, {"type": str, "event": {"type": str}})
    Traceback (most recent call last):
    ...
    bot.platforms.inbound.Refused: event.type should be a string
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from bot.config import is_loopback_host

MAX_BODY_BYTES = 1024 * 1024  # Slack's largest payloads (a modal's state and blocks) are a few hundred KB
MAX_JSON_DEPTH = 64  # Slack's Block Kit and Teams' cards nest a dozen levels at most


class Refused(Exception):
    """A request answered without acting on it: ``status`` (400, 401, 413) and why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


# --- size ------------------------------------------------------------------------------------------


async def read_body(request: Any, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body of an aiohttp request, refusing (413) one over ``limit`` before reading it."""
    from aiohttp import web

    length = request.content_length
    if length is not None and length > limit:
        raise Refused(413, f"the body is larger than {limit} bytes")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise Refused(413, f"the body is larger than {limit} bytes") from None
    except (ValueError, OSError) as exc:  # a body cut short or badly chunked
        raise Refused(400, f"the body could not be read ({type(exc).__name__})") from None
    if len(raw) > limit:
        raise Refused(413, f"the body is larger than {limit} bytes")
    return raw


# --- depth -----------------------------------------------------------------------------------------

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def too_deep(raw: bytes | str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays/objects deeper than ``limit`` (strings are skipped).

    Linear in the size of the text; a body that is not JSON at all simply has few brackets.
    """
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    depth = 0
    for b in brackets:
        if b in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def loads(text: str | bytes, *, what: str = "the body") -> Any:
    """``json.loads`` behind the depth check: Refused(400) for anything that is not bounded JSON,
    or JSON whose text no database can keep (:func:`unstorable`)."""
    if too_deep(text):
        raise Refused(400, f"{what} nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise Refused(400, f"{what} is not JSON") from None
    if _SUSPECT.search(text if isinstance(text, str) else text.decode("utf-8", "replace")):
        problem = unstorable(value)
        if problem:
            raise Refused(400, f"{what} holds {problem}")
    return value


# only an escape can put these into JSON text: a raw NUL is not JSON, and raw surrogates are not UTF-8
_SUSPECT = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def unstorable(value: Any) -> str | None:
    """What in ``value`` no database can keep, if anything: a lone surrogate (``"\\ud800"``, which
    is not Unicode and cannot even be encoded) or a NUL (``"\\u0000"``, which PostgreSQL text
    refuses). Either, in an id boardbot stores, would otherwise fail deep inside a request.

        >>> unstorable({"event_id": "Ev\\ud800"}), unstorable(["ok \\U0001f600"])
        ('a lone surrogate (text that is not Unicode)', None)
    """
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if "\x00" in v:
                return "a NUL character"
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return "a lone surrogate (text that is not Unicode)"
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return None


def utf8(raw: bytes, *, what: str = "the body") -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, f"{what} is not UTF-8") from None


# --- shape -----------------------------------------------------------------------------------------


class Required:
    """A field that must be present (and match ``spec``), in an object spec."""

    def __init__(self, spec: Any) -> None:
        self.spec = spec


class NonEmpty:
    """A list that must have at least one element, each matching ``spec``."""

    def __init__(self, spec: Any) -> None:
        self.spec = spec


ANY = object()  # any JSON value
EACH = "*"  # in an object spec: the spec every value of the object must match (e.g. view.state.values)

# A Spec is: a Python type (str, bool, int, float, dict, list), ANY, None (JSON null),
# a tuple of alternatives, a dict (an object: known keys -> spec; EACH -> spec for every value),
# a one-element list (an array whose every element matches), Required(spec) or NonEmpty(spec).
Spec = Any

_NAMES = {str: "a string", bool: "true or false", int: "a number", float: "a number", dict: "an object",
          list: "an array", type(None): "null"}


def _describe(spec: Spec) -> str:
    if isinstance(spec, tuple):
        return " or ".join(dict.fromkeys(_describe(s) for s in spec))
    if isinstance(spec, dict):
        return "an object"
    if isinstance(spec, list | NonEmpty):
        return "an array"
    if spec is None:
        return "null"
    return _NAMES.get(spec, "something else")


def _matches(value: Any, spec: Spec) -> bool:
    if spec is ANY:
        return True
    if spec is None:
        return value is None
    if isinstance(spec, tuple):
        return any(_matches(value, s) for s in spec)
    if isinstance(spec, dict):
        return isinstance(value, dict)
    if isinstance(spec, list | NonEmpty):
        return isinstance(value, list)
    if spec is bool:
        return isinstance(value, bool)
    if spec in (int, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, spec)


def check(value: Any, spec: Spec, path: str = "") -> None:
    """Raise Refused(400) naming the first field of ``value`` that does not match ``spec``.

    Only the fields ``spec`` names are looked at; others are left alone (platforms add
    fields all the time, and boardbot reads none of them).
    """
    if spec is str and isinstance(value, str):  # most fields of most bodies: decided at once
        return
    if isinstance(spec, Required):
        spec = spec.spec
    if not _matches(value, spec):
        raise Refused(400, f"{path or 'the body'} should be {_describe(spec)}")
    if isinstance(spec, tuple):
        # check deeper against the first alternative of the value's own kind
        for s in spec:
            if _matches(value, s) and isinstance(s, dict | list | NonEmpty):
                check(value, s, path)
                return
        return
    if isinstance(spec, dict):
        each = spec.get(EACH)
        if each is None and len(value) < len(spec) and _fits(value, spec, path):
            return
        for key, sub in spec.items():
            if key == EACH:
                continue
            if key not in value:
                if isinstance(sub, Required):
                    raise Refused(400, f"{_join(path, key)} is missing")
                continue
            check(value[key], sub, _join(path, key))
        if each is not None:
            for key, v in value.items():
                if key not in spec:
                    check(v, each, _join(path, str(key)))
        return
    if isinstance(spec, list | NonEmpty):
        inner = spec.spec if isinstance(spec, NonEmpty) else spec[0]
        if isinstance(spec, NonEmpty) and not value:
            raise Refused(400, f"{path or 'the body'} is empty")
        for i, v in enumerate(value):
            check(v, inner, f"{path}[{i}]")


def _fits(value: dict[str, Any], spec: dict[str, Any], path: str) -> bool:
    """Whether ``value`` fits ``spec``, looking only at the fields it has (a Slack body has a
    dozen of the sixty fields its spec knows): False sends :func:`check` through the spec in
    order, to name the same first problem it always names."""
    required, text_ok = _keys(spec)
    if not all(key in value for key in required):
        return False
    try:
        for key, v in value.items():
            if key in text_ok and isinstance(v, str):  # most fields: no path to name, no call
                continue
            sub = spec.get(key)
            if sub is not None or key in spec:
                check(v, sub, _join(path, key))
    except Refused:
        return False
    return True


_KEYS: dict[int, tuple[dict[str, Any], tuple[str, ...], frozenset[str]]] = {}


def _keys(spec: dict[str, Any]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The keys ``spec`` requires, and the keys any string satisfies (remembered per spec: the
    specs are the modules' constants)."""
    hit = _KEYS.get(id(spec))
    if hit is None or hit[0] is not spec:
        if len(_KEYS) > 1000:  # specs made on the fly, not the modules' own
            _KEYS.clear()
        hit = _KEYS[id(spec)] = (spec, tuple(k for k, sub in spec.items() if isinstance(sub, Required)),
                                 frozenset(k for k, sub in spec.items() if _any_text(sub)))
    return hit[1], hit[2]


def _any_text(spec: Spec) -> bool:
    """Whether every string matches ``spec`` (str, ANY, or an alternative of them, required or not)."""
    if isinstance(spec, Required):
        spec = spec.spec
    if isinstance(spec, tuple):
        return any(_any_text(s) for s in spec)
    return spec is str or spec is ANY


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --- where a request comes from, and where a reply may go ------------------------------------------


def is_loopback_url(url: str | None) -> bool:
    """An http(s) URL whose host is a loopback address (see :func:`is_loopback_host`)."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and is_loopback_host(host)


def peer_is_loopback(request: Any) -> bool:
    """Whether the TCP peer of an aiohttp request is on this machine."""
    transport = getattr(request, "transport", None)
    peer = transport.get_extra_info("peername") if transport is not None else None
    host = peer[0] if isinstance(peer, tuple | list) and peer else None
    return is_loopback_host(host if isinstance(host, str) else None)
