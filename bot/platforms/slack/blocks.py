"""Slack text in and Block Kit out: the pure half of the Slack adapter.

Nothing here talks to Slack or imports its SDKs, so every rule is testable on its own:

- **In**: :func:`incoming_text` turns what Slack sends (``<@U123|jo>``, ``&lt;``, ``<!here>``,
  ``<https://x|label>``) into the plain text the core understands, plus the user ids that
  were mentioned; :func:`split_share` takes off a leading or trailing "share" / "--share"
  that asks for the answer to go to the whole channel ("public" is not one: "public health"
  and "does the HWB meet in public" are questions).
- **Out**: :func:`reply_blocks` renders a :class:`~bot.messages.Reply` as Block Kit within
  Slack's limits (3000 characters per section, 10 fields per section, 50 blocks,
  25 buttons per actions block, 2000 characters per button value); forms as modals are
  in :mod:`bot.platforms.slack.forms`.
- **Safety**: every piece of text that goes into a ``mrkdwn`` field or the notification
  ``text`` is escaped (``&``, ``<``, ``>``), so words a user typed can never become
  ``<!channel>``, ``<@U…>`` or a disguised link in a post. The core writes plain text (with
  ``*bold*`` at most), so escaping everything loses nothing; the one live markup is a mention
  the core asked for (``@U123`` with ``U123`` in ``Reply.data["mentions"]``). ``plain_text``
  objects (headers, labels, buttons) are not parsed by Slack, so they are left as they are.

Example::

    >>> incoming_text("admin link-user <@U123|jo> chair of BSCB")
    ('admin link-user @U123 chair of BSCB', ('U123',))
    >>> escape("<!channel> & co")
    '&lt;!channel&gt; &amp; co'
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from random import getrandbits
from typing import Any

from bot.messages import Button, Citation, Reply, Section
from bot.recently import SeenBefore
from bot.safetext import neutralise, neutralise_reply, neutralise_section

# Slack's limits (https://api.slack.com/reference/block-kit/blocks)
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER = 150
MAX_CONTEXT_TEXT = 3000
MAX_BUTTONS = 25
MAX_BUTTON_TEXT = 75
MAX_VALUE = 2000
MAX_FALLBACK = 4000

SHARE_WORDS = frozenset({"share", "--share"})

BUTTON_PREFIX = "bb|"  # action_id of every button boardbot renders
OPEN_FORM_ACTION = "__slack_open_form__"  # the "Open the form" button where no trigger_id was at hand


# --- escaping --------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` for mrkdwn and notification text.

    After this, no control sequence (``<!channel>``, ``<@U1>``, ``<http://x|y>``) survives:
    they all need a literal ``<``; nor a bidi override or an invisible character
    (:func:`bot.safetext.neutralise`).
    """
    return _escaped(neutralise(text))


def _escaped(text: str) -> str:
    """:func:`escape` of text already neutralised (a reply's, after :func:`neutralise_reply`): the
    renderers below neutralise a reply once, not again for each string they escape."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What a person typed, from Slack's escaped message text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")


def mrkdwn(text: str, mentions: Iterable[str] = ()) -> str:
    """Escaped mrkdwn in which ``@<id>`` becomes a live mention for each id in ``mentions``.

    The core writes a neutral "@U123 is now an administrator" and lists ``U123`` in
    ``Reply.data["mentions"]``; only those ids become ``<@U123>``. Anything else a person
    typed comes out inert.
    """
    return _mrkdwn(neutralise(text), mentions)


def _mrkdwn(text: str, mentions: Iterable[str]) -> str:
    """:func:`mrkdwn` of text already neutralised."""
    out = _escaped(text)
    for uid in mentions:
        if _USER_ID.fullmatch(uid):
            out = re.sub(rf"(?<![\w@])@{uid}(?![A-Za-z0-9])", f"<@{uid}>", out)
    return out


def reply_mentions(reply: Reply) -> tuple[str, ...]:
    """The user ids the core asked to be rendered as mentions (``data["mentions"]``)."""
    ids = reply.data.get("mentions") if isinstance(reply.data, dict) else None
    return tuple(str(i) for i in ids) if isinstance(ids, list | tuple) else ()


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


# --- what Slack sends ---------------------------------------------------------------------------

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_SUBTEAM = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>")
_DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


def incoming_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Slack message text -> (plain text for the core, mentioned user ids in order).

    ``<@U123|jo>`` becomes ``@U123`` (the admin commands read the id back); channels become
    ``#name``; ``<!here>`` becomes the inert word ``@here``; links become their URL. Entities
    are decoded last, so ``&lt;!channel&gt;`` typed literally is plain text ``<!channel>``
    for the core and is escaped again on the way out.
    """
    if "<" not in (text or "") and "&" not in (text or ""):
        return (text or "").strip(), ()  # what most people type: no markup, no entities
    mentions: list[str] = []

    def user(m: re.Match[str]) -> str:
        mentions.append(m.group(1))
        return f"@{m.group(1)}"

    out = _USER.sub(user, text or "")
    out = _CHANNEL.sub(lambda m: f"#{m.group(2) or m.group(1)}", out)
    out = _SPECIAL.sub(lambda m: f"@{m.group(1)}", out)
    out = _SUBTEAM.sub(lambda m: f"@{m.group(2) or m.group(1)}".replace("@@", "@"), out)
    out = _DATE.sub(lambda m: m.group(1), out)
    out = _LINK.sub(lambda m: m.group(1).removeprefix("mailto:") if not m.group(2) else f"{m.group(2)} ({m.group(1)})", out)
    return unescape(out).strip(), tuple(dict.fromkeys(mentions))


def split_share(text: str) -> tuple[str, bool]:
    """Take a leading or trailing share word off: ("who leads on CSE? share", ...) -> (..., True)."""
    words = text.split()
    if len(words) < 2:  # "share" alone is the question, not an instruction
        return text.strip(), False
    share = False
    if words[-1].lower().strip(".!") in SHARE_WORDS:
        words, share = words[:-1], True
    elif words[0].lower() in SHARE_WORDS:
        words, share = words[1:], True
    return (" ".join(words), share) if share else (text.strip(), False)


# --- buttons ---------------------------------------------------------------------------------


def button_value(action: str, value: dict[str, Any]) -> str:
    """The compact JSON a Slack button carries: ``{"a": action, "v": value}``."""
    return json.dumps({"a": action, "v": value}, separators=(",", ":"), ensure_ascii=False, default=str)


def button_from(data: Any) -> tuple[str, dict[str, Any]] | None:
    """The (action, value) in a button value already parsed from JSON, or None."""
    if not isinstance(data, dict) or not isinstance(data.get("a"), str):
        return None
    value = data.get("v") or {}
    return (data["a"], value) if isinstance(value, dict) else None


def value_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _button(b: Button, index: int, value: str) -> dict[str, Any]:
    el: dict[str, Any] = {
        "type": "button",
        "action_id": f"{BUTTON_PREFIX}{index}|{b.action}"[:255],
        "text": {"type": "plain_text", "text": truncate(b.label, MAX_BUTTON_TEXT) or "…", "emoji": True},
        "value": value,
    }
    if b.style in ("primary", "danger"):
        el["style"] = b.style
    if b.confirm:
        el["confirm"] = {
            "title": {"type": "plain_text", "text": "Are you sure?"},
            "text": {"type": "mrkdwn", "text": truncate(escape(b.confirm), 300)},
            "confirm": {"type": "plain_text", "text": truncate(b.label, 30) or "Yes"},
            "deny": {"type": "plain_text", "text": "Cancel"},
        }
    return el


def action_blocks(buttons: Sequence[Button], values: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Buttons as actions blocks (25 per block). Each render gets a fresh ``block_id``.

    The block id is what makes a double click detectable: both clicks carry the same block id
    and action id, while the message that replaces it carries new ones.
    """
    if not buttons:
        return []
    vals = list(values) if values is not None else [button_value(b.action, b.value) for b in buttons]
    nonce = _nonce()
    out = []
    for start in range(0, len(buttons), MAX_BUTTONS):
        chunk = buttons[start : start + MAX_BUTTONS]
        out.append({
            "type": "actions",
            "block_id": _block_id(nonce, start // MAX_BUTTONS),
            "elements": [_button(b, start + i, vals[start + i]) for i, b in enumerate(chunk)],
        })
    return out


def _nonce() -> str:
    """What makes one rendering's block ids its own: 48 random bits, from the process's generator
    rather than the kernel's (every answer is rendered with one, and a system call for it cost
    more than rendering the answer from memory; block ids are no secret, only never the same)."""
    return f"{getrandbits(48):012x}"


def _block_id(nonce: str, n: int) -> str:
    """The id of a rendering's ``n``-th actions block (see :func:`action_blocks`)."""
    return f"bb-{nonce}-{n}"


# --- replies -----------------------------------------------------------------------------------


def _chunks(text: str, limit: int) -> list[str]:
    """Split at line breaks (then spaces, then anywhere) into pieces of at most ``limit``."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if current:
                out.append(current)
                current = ""
            out.append(line[:cut])
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current:
        out.append(current)
    return [c for c in out if c.strip()]


def text_sections(text: str, mentions: Iterable[str]) -> list[dict[str, Any]]:
    return _text_sections(neutralise(text), mentions)


def _text_sections(text: str, mentions: Iterable[str]) -> list[dict[str, Any]]:
    """:func:`text_sections` of text already neutralised."""
    # escape first, then split: escaping lengthens text and the limit is on what Slack gets
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in _chunks(_mrkdwn(text, mentions), MAX_SECTION_TEXT)]


def _context(text: str) -> dict[str, Any]:
    """A context block of text already neutralised."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(_escaped(text), MAX_CONTEXT_TEXT)}]}


def note(text: str) -> dict[str, Any]:
    """A small grey line (a context block) saying something about the message itself."""
    return _context(neutralise(text))


def source_line(citations: Sequence[Citation]) -> str:
    if not citations:
        return ""
    first = citations[0].label()
    more = len({c.label() for c in citations}) - 1
    return f"Source: {first}" + (f" (and {more} more)" if more > 0 else "")


def section_blocks(s: Section, mentions: Iterable[str]) -> list[dict[str, Any]]:
    return _section_blocks(neutralise_section(s), mentions)


def _section_blocks(s: Section, mentions: Iterable[str]) -> list[dict[str, Any]]:
    """:func:`section_blocks` of a section already neutralised."""
    body = s.text.strip()
    head = f"*{_escaped(s.heading)}*" if s.heading else ""
    text = _mrkdwn(body, mentions)
    combined = f"{head}\n{text}" if head and text else (head or text)
    pieces = _chunks(combined, MAX_SECTION_TEXT)
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": p}} for p in pieces]
    fields = [
        {"type": "mrkdwn", "text": truncate(f"*{_escaped(f.label)}*\n{_mrkdwn(f.value, mentions)}", MAX_FIELD_TEXT)}
        for f in s.fields
    ]
    for start in range(0, len(fields), MAX_FIELDS):
        group = fields[start : start + MAX_FIELDS]
        if start == 0 and blocks:
            blocks[-1]["fields"] = group
        else:
            blocks.append({"type": "section", "fields": group})
    if s.citation is not None:
        blocks.append(_context(f"Source: {s.citation.label()}"))
    return blocks


_SOURCE_LINE = re.compile(r"\n(Sources?: [^\n]+)\s*$")


def reply_blocks(reply: Reply, *, extra: Sequence[dict[str, Any]] = (),
                 button_values: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """A Reply as Block Kit: header, sections (fields, source), buttons, within Slack's limits.

    With sections, the sections are the card (the core designs them for it); without, the
    text is the body, and its closing "Source: …" line becomes the context line.
    """
    reply = neutralise_reply(reply)
    mentions = reply_mentions(reply)
    blocks: list[dict[str, Any]] = []
    if reply.title:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": truncate(reply.title, MAX_HEADER), "emoji": True}})
    body: list[dict[str, Any]] = []
    if reply.sections:
        for s in reply.sections:
            body.extend(_section_blocks(s, mentions))
        # a "Note:" line of the answer that no section carries (a theme's note, an overdue review) is kept
        shown = "\n".join(s.text for s in reply.sections)
        notes = [ln.strip() for ln in reply.text.splitlines() if ln.strip().startswith("Note:") and ln.strip() not in shown]
        if notes:
            body.extend(_text_sections("\n".join(notes), mentions))
        if reply.citations and not any(s.citation for s in reply.sections):
            body.append(_context(source_line(reply.citations)))
    else:
        text = reply.text
        m = _SOURCE_LINE.search(text)
        source = ""
        if m:
            text, source = text[: m.start()], m.group(1).rstrip(".")
        elif reply.citations:
            source = source_line(reply.citations)
        body.extend(_text_sections(text, mentions))
        if source:
            body.append(_context(source))
    if not reply.ok and body and body[0]["type"] == "section" and "text" in body[0]:
        body[0]["text"]["text"] = truncate(":warning: " + body[0]["text"]["text"], MAX_SECTION_TEXT)
    blocks.extend(body)
    tail = list(extra) + action_blocks(reply.buttons, button_values)
    room = MAX_BLOCKS - len(tail)
    if len(blocks) > room:
        blocks = blocks[: room - 1] + [_context("This answer was shortened to fit in Slack; ask about one part of it for the rest.")]
    return blocks + tail


def fallback_text(reply: Reply) -> str:
    """The notification text (and what clients without Block Kit show): escaped, bounded."""
    reply = neutralise_reply(reply)
    head = f"{reply.title}\n" if reply.title else ""
    return truncate(_mrkdwn(head + reply.text, reply_mentions(reply)), MAX_FALLBACK)


def message(reply: Reply, *, extra: Sequence[dict[str, Any]] = (),
            button_values: Sequence[str] | None = None) -> dict[str, Any]:
    """``{"text": ..., "blocks": [...]}`` for chat.postMessage, ack() and response_url.

    An answer shown before (the same words, title, sections, buttons, sources and mentions: one
    meaning asked again in other words, or one answer kept for everyone who asks it) is given
    the message rendered then; callers send it as it is, never changing it."""
    if extra:
        return _message(reply, extra, button_values)
    shown = _SHOWN.get(reply.text)
    if shown is not None and shown.shows(reply, button_values):
        return shown.again()
    out = _message(reply, (), button_values)
    if _RENDERED(reply.text):
        _SHOWN[reply.text] = _Shown(reply, None if button_values is None else tuple(button_values), out)
        if len(_SHOWN) > _SHOWN_SIZE:
            _SHOWN.pop(next(iter(_SHOWN)))
    return out


def shown_before(reply: Reply) -> dict[str, Any] | None:
    """:func:`message` for ``reply`` from memory, where it was rendered before with each button
    carrying its own value (:func:`button_value`); None otherwise. A caller that would work the
    values out first (one too long for Slack is kept in the database) asks this before it does."""
    shown = _SHOWN.get(reply.text)
    if shown is not None and shown.own_values and shown.same(reply):
        return shown.again()
    return None


def _message(reply: Reply, extra: Sequence[dict[str, Any]], button_values: Sequence[str] | None) -> dict[str, Any]:
    return {"text": fallback_text(reply), "blocks": reply_blocks(reply, extra=extra, button_values=button_values)}


class Blocks(list):
    """A message's blocks with their JSON written once (``json``), and the message's ``text``
    with its JSON (``text_json``): an answer rendered again from memory is sent without
    encoding it again (see ``_ack_response`` on Slack's side)."""

    json: str = ""
    text: str | None = None
    text_json: str = ""


class _Shown:
    """A reply rendered, and what it was rendered from (the text is its key in ``_SHOWN``): the
    blocks above the buttons and the buttons themselves, each with its JSON, so a rendering
    again writes only the new block ids."""

    __slots__ = ("reply", "values", "own_values", "text", "text_json", "body", "body_json", "rows", "rows_json")

    def __init__(self, reply: Reply, values: tuple[str, ...] | None, message: dict[str, Any]) -> None:
        self.reply, self.values, self.text = reply, values, message["text"]
        self.own_values = values is None or values == tuple(button_value(b.action, b.value) for b in reply.buttons)
        self.text_json = json.dumps(self.text)
        blocks = message["blocks"]
        at = len(blocks) - -(-len(reply.buttons) // MAX_BUTTONS)  # the buttons' blocks come last, 25 a block
        self.body = blocks[:at]
        self.body_json = json.dumps(self.body, separators=(",", ":"))
        self.rows = [b["elements"] for b in blocks[at:]]
        self.rows_json = [json.dumps(r, separators=(",", ":")) for r in self.rows]

    def again(self) -> dict[str, Any]:
        """The message once more, its buttons' blocks with block ids of their own (each rendering's
        are: see :func:`action_blocks`), the rest as it was, its JSON included."""
        nonce = _nonce()
        ids = [_block_id(nonce, n) for n in range(len(self.rows))]
        blocks = Blocks(self.body)
        blocks.extend({"type": "actions", "block_id": i, "elements": r} for i, r in zip(ids, self.rows, strict=True))
        tail = ",".join(f'{{"type":"actions","block_id":"{i}","elements":{r}}}' for i, r in zip(ids, self.rows_json, strict=True))
        if not tail:
            blocks.json = self.body_json
        else:
            blocks.json = f"{self.body_json[:-1]},{tail}]" if self.body else f"[{tail}]"
        blocks.text, blocks.text_json = self.text, self.text_json
        return {"text": self.text, "blocks": blocks}

    def shows(self, reply: Reply, values: Sequence[str] | None) -> bool:
        """Whether ``reply`` (with the same text, its buttons carrying ``values``) renders as this one did."""
        return (None if values is None else tuple(values)) == self.values and self.same(reply)

    def same(self, reply: Reply) -> bool:
        """Whether every other part a message shows is equal (the same objects, where one meaning's
        answer is given again)."""
        r = self.reply
        return r is reply or (r.title == reply.title and r.ok == reply.ok and r.sections == reply.sections
                              and r.buttons == reply.buttons and r.citations == reply.citations
                              and reply_mentions(r) == reply_mentions(reply))


# Messages rendered lately, by their text, kept from a text's second rendering (bot.recently).
_SHOWN: dict[str, _Shown] = {}
_SHOWN_SIZE = 256
_RENDERED = SeenBefore(16_384)


def open_form_button(text: str, area: str | None) -> Button:
    """A button that opens the form a message asked for, where no trigger_id was at hand."""
    return Button(label="Open the form", action=OPEN_FORM_ACTION, value={"t": text[:1500], "area": area or ""}, style="primary")
