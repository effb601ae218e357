"""Text people typed, made safe to show: no bidi tricks, no invisible characters, no terminal escapes.

A challenge subject ``"Budget \u202eexe.fdp"`` shows as "Budget pdf.exe" wherever it is
displayed; a name made of zero-width spaces looks like nobody; ``\\x1b[2J`` typed into a
form clears the screen of whoever reads it in a terminal. :func:`neutralise` removes, from
any text:

- bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the
  direction marks (U+200E, U+200F, U+061C): a subject reads in the order it was typed;
- zero-width and other invisible format characters (every Unicode "Cf" character: U+200B
  zero-width space, U+200C/U+200D joiners, U+2060 word joiner, U+FEFF, soft hyphens, tag
  characters...) and the fillers that render as nothing (Hangul fillers, U+034F, Khmer
  and Mongolian invisibles);
- control characters other than tab and newline (C0, DEL, C1: terminal escapes), with
  line and paragraph separators (U+2028, U+2029) turned into newlines.

Everything else (accents, right-to-left scripts themselves, emoji and their variation
selectors) is kept. It is the one function for this: :class:`bot.messages.Request` applies
it to what enters the core (text, form and button values, the speaker's name), and every
renderer applies :func:`neutralise_reply` to what it shows (Slack blocks, Teams cards, the
terminal, notices from the outbox, iCalendar feeds, exports), so text stored before, or
arriving some other way, is caught on the way out too.

Example::

    >>> neutralise("Budget \u202eexe.fdp\u202c")
    'Budget exe.fdp'
    >>> neutralise("Jo\u200b\u200bSmith\x1b[2J")
    'JoSmith[2J'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# every "Cf" (format) character of Unicode 15.1, plus the invisible fillers and C0/C1 controls but \t \n
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")

# Text made only of these is already safe, and is what nearly every answer is: printable ASCII with
# tabs and newlines, Latin letters and signs (not the soft hyphen U+00AD), dashes, quotes, bullets
# and the like (U+2010-U+2027, U+2030-U+205E), the euro sign. One scan of this short class
# costs a tenth of a search of the whole invisible set, whose planes beyond U+FFFF make it slow.
_PLAIN = re.compile("[\t\n\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u2010-\u2027\u2030-\u205e\u20ac]*")


def neutralise(text: str) -> str:
    """``text`` without bidi controls, invisible characters or control characters (see the module)."""
    if not isinstance(text, str) or _PLAIN.fullmatch(text) is not None:
        return text
    if _INVISIBLE.search(text) is None and _LINE_SEPARATORS.search(text) is None:
        return text
    return _INVISIBLE.sub("", _LINE_SEPARATORS.sub("\n", text))


def neutralise_value(value: Any) -> Any:
    """Every string in a JSON-like value (form values, button values, export files), neutralised."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dict):
        out = {k: neutralise_value(v) for k, v in value.items()}
        return out if any(out[k] is not value[k] for k in value) else value
    if isinstance(value, list | tuple):
        items = [neutralise_value(v) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items) if isinstance(value, list) else tuple(items)
    return value


def _texts(obj: T, *names: str) -> T:
    """``obj`` (a frozen dataclass) with its string fields ``names`` neutralised; itself if none changed."""
    changes = {}
    for name in names:
        old = getattr(obj, name)
        new = neutralise(old) if isinstance(old, str) else old
        if new is not old:
            changes[name] = new
    return replace(obj, **changes) if changes else obj


def _all(items: tuple[T, ...], fix: Callable[[T], T]) -> tuple[T, ...]:
    fixed = tuple(fix(i) for i in items)
    return items if all(a is b for a, b in zip(fixed, items, strict=True)) else fixed


def _citation(c: Any) -> Any:
    return None if c is None else _texts(c, "file", "clause", "document")


def _section_strings(s: Any, out: list[str]) -> None:
    out += (s.text, s.heading)
    for f in s.fields:
        out += (f.label, f.value)
    c = s.citation
    if c is not None:
        out += (c.file, c.clause, c.document)


def _plain(parts: list[str]) -> bool:
    """Whether every string of ``parts`` is plain already. A string found plain is remembered
    (:data:`_KNOWN_PLAIN`): answers are made of the same protocol sentences, names, clauses and
    headings over and over, and hashing a string to find it there costs a fraction of scanning it."""
    known = _KNOWN_PLAIN
    for p in parts:
        if p in known:
            continue
        try:
            if _PLAIN.fullmatch(p) is None:
                return False
        except TypeError:  # a field that is not a string: let the full walk look at each
            return False
        if len(p) <= _KNOWN_LONGEST:  # a protocol's sentence, not a long text someone typed
            if len(known) >= _KNOWN_MAX:
                known.clear()
            known.add(p)
    return True


# strings of replies found plain lately (emptied when full: 8 MB at the very most)
_KNOWN_PLAIN: set[str] = set()
_KNOWN_MAX = 8192
_KNOWN_LONGEST = 1000


def neutralise_section(s: Any) -> Any:
    """A :class:`bot.messages.Section` (text, heading, fields, citation) neutralised."""
    parts: list[str] = []
    _section_strings(s, parts)
    if _plain(parts):
        return s
    s = _texts(s, "text", "heading")
    fields, citation = _all(s.fields, lambda f: _texts(f, "label", "value")), _citation(s.citation)
    return s if fields is s.fields and citation is s.citation else replace(s, fields=fields, citation=citation)


def _form_field(f: Any) -> Any:
    f = _texts(f, "label", "placeholder", "initial", "hint")
    choices = tuple((v, neutralise(label)) for v, label in f.choices)
    return f if choices == f.choices else replace(f, choices=choices)


def neutralise_form(form: Any) -> Any:
    """A :class:`bot.messages.Form` (title, intro, labels, hints, choices, initial values) neutralised."""
    if form is None:
        return None
    form = _texts(form, "title", "intro", "submit_label")
    fields = _all(form.fields, _form_field)
    return form if fields is form.fields else replace(form, fields=fields)


def neutralise_reply(reply: R) -> R:
    """A :class:`bot.messages.Reply` with everything a renderer shows neutralised: title, text,
    sections, fields, citations, button labels, the form, and exported files (``data["files"]``).
    The Reply itself when nothing needed it (the usual case costs a few short scans). A reply
    asked about again (Slack's blocks, then its notification text; an answer kept and given
    again to the next person) gets the same answer without the scans."""
    hit = _recent.get(id(reply))
    if hit is not None and hit[0] is reply:
        return hit[1]
    out = _neutralised(reply)
    _recent[id(reply)] = (reply, out)
    if len(_recent) > _RECENT:
        _recent.pop(next(iter(_recent)), None)
    return out


# the replies neutralised lately and the results (a Reply is frozen; holding it keeps its id its own)
_recent: dict[int, tuple[Any, Any]] = {}
_RECENT = 256


def _all_plain(reply: Any) -> bool:
    """Whether nothing in ``reply`` needs neutralising: the usual case, found by one scan of
    its strings joined instead of a walk that rebuilds nothing."""
    if reply.form is not None or isinstance(reply.data, dict) and "files" in reply.data:
        return False  # rarer: the full walk
    parts = [reply.text, reply.title]
    for s in reply.sections:
        _section_strings(s, parts)
    for c in reply.citations:
        parts += (c.file, c.clause, c.document)
    for b in reply.buttons:
        parts.append(b.label)
        if b.confirm is not None:
            parts.append(b.confirm)
    return _plain(parts)


def _neutralised(reply: R) -> R:
    if _all_plain(reply):
        return reply
    out = _texts(reply, "text", "title")
    changes: dict[str, Any] = {}
    for name, fix in (("sections", neutralise_section), ("citations", _citation), ("buttons", lambda b: _texts(b, "label", "confirm"))):
        items = getattr(out, name)
        fixed = _all(items, fix)
        if fixed is not items:
            changes[name] = fixed
    form = neutralise_form(out.form)
    if form is not out.form:
        changes["form"] = form
    data = out.data
    if isinstance(data, dict) and isinstance(data.get("files"), dict):
        files = neutralise_value(data["files"])
        if files is not data["files"]:
            changes["data"] = {**data, "files": files}
    return replace(out, **changes) if changes else out


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with ``= + - @`` (a formula) gets a leading
    apostrophe, as spreadsheets themselves do for text that must stay text."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value
