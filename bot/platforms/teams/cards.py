"""Adaptive Cards out, card actions in: the pure half of the Teams adapter.

Nothing here talks to Teams or imports botbuilder, so every rule is testable on its own:

- **Out**: :func:`reply_card` renders a :class:`~bot.messages.Reply` as an Adaptive Card:
  the title as a bold TextBlock, sections with their headings, fields as a FactSet, each
  clause as a small subtle "Source: file, clause" line, buttons as ``Action.Execute`` (verb
  ``boardbot``) and a :class:`~bot.messages.Form` as inputs with an ``Action.Execute``
  submit. A card with ``Action.Execute`` is schema 1.5 (Universal Actions); each such action
  carries an ``Action.Submit`` fallback with the same data, so a client that cannot run
  Universal Actions still works (its press arrives as a message with ``value``). Errors
  (``Reply.ok`` False) sit in an attention-styled container. :func:`welcome_card` is what
  a team or chat sees when boardbot is added.
- **In**: :func:`parse_action` turns the ``data`` an ``Action.Execute`` (or a legacy
  ``Action.Submit``) sends back into ``(action, value, nonce)``; form inputs are merged into
  the value, so the core sees ``Request(action=form.action, value={**form.context, **inputs})``.
- **Safety**: the text goes in as Markdown made safe by :mod:`bot.platforms.teams.card_text`.
  Mentions in cards need ``msteams.entities``, which boardbot never sends, so ``<at>`` text
  stays inert.

Every card carries a fresh nonce in its actions' data: two presses of the same card (a double
click, or two people at once) carry the same nonce, so the platform layer acts once.

Example::

    >>> card = reply_card(Reply(text="Lead: BSCB.", title="CSE"))
    >>> card["body"][0]["text"], card["body"][0]["weight"]
    ('CSE', 'Bolder')
    >>> parse_action({"a": "agenda.accept", "v": {"id": 3}, "area": "suffolk", "f_note": "ok", "n": "x1"})
    ('agenda.accept', {'id': 3, 'note': 'ok', 'area': 'suffolk'}, 'x1')
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from bot.messages import Button, Form, FormField, Reply, Visibility
from bot.platforms.teams.card_text import (
    MAX_TEXT,
    inline,
    markdown,
    source_block,
    text_block,
    truncate,
)
from bot.safetext import neutralise_reply

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.4"  # cards with only Action.Submit / imBack (the welcome card)
EXECUTE_VERSION = "1.5"  # cards with Action.Execute (Universal Actions)
VERB = "boardbot"
INPUT_PREFIX = "f_"  # form inputs are "f_<field name>" so they can never shadow "a", "v", "area" or "n"
MAX_CARD_BYTES = 26_000  # Teams refuses messages over ~28 KB; leave room for the activity around the card
MAX_ACTIONS = 6  # Teams shows at most 6 top-level actions on a card
MAX_CHOICES = 100

EXAMPLES = ("who leads on CSE?", "boards", "who chairs the adults board?", "help")


# --- actions -----------------------------------------------------------------------------------


def new_nonce() -> str:
    return uuid.uuid4().hex[:16]


def action_data(action: str, value: dict[str, Any], area: str | None, nonce: str) -> dict[str, Any]:
    """What a pressed button sends back: ``{"a": action, "v": value, "area": ..., "n": nonce}``."""
    data: dict[str, Any] = {"a": action, "v": value, "n": nonce}
    if area:
        data["area"] = area
    return data


def execute_action(title: str, data: dict[str, Any], *, style: str | None = None) -> dict[str, Any]:
    """An ``Action.Execute``, falling back to an ``Action.Submit`` with the same data on older clients."""
    title = truncate(title, 60) or "…"
    fallback: dict[str, Any] = {"type": "Action.Submit", "title": title, "data": data}
    act: dict[str, Any] = {"type": "Action.Execute", "title": title, "verb": VERB, "data": data}
    if style:
        act["style"] = fallback["style"] = style
    act["fallback"] = fallback
    return act


def button_action(b: Button, area: str | None, nonce: str) -> dict[str, Any]:
    """A Button as ``Action.Execute``; a button that asks "are you sure?" opens a small card first.

    Adaptive Cards have no confirm dialog, so the confirmation is an ``Action.ShowCard`` whose
    own ``Action.Execute`` does the real thing.
    """
    style = {"primary": "positive", "danger": "destructive"}.get(b.style or "")
    act = execute_action(b.label, action_data(b.action, b.value, area or b.value.get("area"), nonce), style=style)
    if not b.confirm:
        return act
    return {
        "type": "Action.ShowCard",
        "title": truncate(b.label, 60) or "…",
        "card": {
            "type": "AdaptiveCard",
            "body": [text_block(inline(b.confirm))],
            "actions": [execute_action(f"Yes, {b.label.lower()}", act["data"], style=style)],
        },
    }


def imback(text: str) -> dict[str, Any]:
    """A button that sends ``text`` as if the user typed it (the welcome card's examples)."""
    return {"type": "Action.Submit", "title": truncate(text, 60), "data": {"msteams": {"type": "imBack", "value": text}}}


def parse_action(data: Any) -> tuple[str, dict[str, Any], str | None] | None:
    """``(action, value, nonce)`` from what an ``Action.Execute``/``Action.Submit`` sent back.

    Form inputs arrive merged into ``data`` as ``f_<name>``; they are merged into the value
    (inputs win over the form's context). None when the data is not one of boardbot's.
    """
    if not isinstance(data, dict) or not isinstance(data.get("a"), str) or not data["a"]:
        return None
    value = data.get("v") or {}
    if not isinstance(value, dict):
        return None
    out = dict(value)
    for key, val in data.items():
        if key.startswith(INPUT_PREFIX):
            out[key[len(INPUT_PREFIX):]] = val if isinstance(val, str) else json.dumps(val)
    if data.get("area") and "area" not in out:
        out["area"] = data["area"]
    nonce = data.get("n") if isinstance(data.get("n"), str) else None
    return data["a"], out, nonce


# --- forms -------------------------------------------------------------------------------------


def input_element(f: FormField) -> list[dict[str, Any]]:
    """A FormField as an Adaptive Card input (with a subtle hint line below it, if any)."""
    base: dict[str, Any] = {"id": INPUT_PREFIX + f.name, "label": f.label, "isRequired": f.required}
    if f.required:
        base["errorMessage"] = f"{f.label} is required"
    if f.kind == "choice":
        el = {"type": "Input.ChoiceSet", **base, "style": "compact",
              "choices": [{"title": truncate(label, 100), "value": value} for value, label in f.choices[:MAX_CHOICES]]}
        if f.initial:
            el["value"] = f.initial
        if f.placeholder:
            el["placeholder"] = f.placeholder
    elif f.kind == "date":
        el = {"type": "Input.Date", **base}
        if f.initial:
            el["value"] = f.initial
    else:
        el = {"type": "Input.Text", **base, "isMultiline": f.kind == "long_text", "maxLength": f.limit}
        if f.placeholder:
            el["placeholder"] = f.placeholder
        if f.initial:
            el["value"] = f.initial[: f.limit]
    out = [el]
    if f.hint:
        out.append(text_block(inline(f.hint), isSubtle=True, size="Small", spacing="None"))
    return out


def form_body(form: Form) -> list[dict[str, Any]]:
    body = [text_block(inline(form.title), weight="Bolder", size="Medium")]
    if form.intro:
        body.append(text_block(markdown(form.intro)))
    for f in form.fields:
        body.extend(input_element(f))
    return body


def form_submit(form: Form, area: str | None, nonce: str) -> dict[str, Any]:
    act = execute_action(form.submit_label, action_data(form.action, form.context, area or form.context.get("area"), nonce),
                         style="positive")
    act["associatedInputs"] = "auto"  # Action.Submit (the fallback) sends the card's inputs anyway
    return act


# --- cards -------------------------------------------------------------------------------------


def card(body: list[dict[str, Any]], actions: Sequence[dict[str, Any]] = (), *, fallback: str = "") -> dict[str, Any]:
    """An Adaptive Card: version 1.5 when an ``Action.Execute`` sits anywhere in it, else 1.4."""
    return sized_card(body, actions, fallback=fallback)[0]


# how json.dumps writes an action's type; the same words inside a text have their quotes escaped
_EXECUTE = '"type": "Action.Execute"'


def sized_card(body: list[dict[str, Any]], actions: Sequence[dict[str, Any]] = (), *,
               fallback: str = "") -> tuple[dict[str, Any], int]:
    """The card and its size in bytes as Teams counts it (UTF-8 JSON), from one encoding of it:
    the same text says whether it holds an ``Action.Execute`` (so needs version 1.5)."""
    c: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body,
                         "msteams": {"width": "Full"}}
    if actions:
        c["actions"] = list(actions)
    if fallback:
        c["fallbackText"] = truncate(fallback, MAX_TEXT)
    text = json.dumps(c, ensure_ascii=False)
    n = len(text.encode())
    if _EXECUTE in text:
        c["version"] = EXECUTE_VERSION
        n += len(EXECUTE_VERSION.encode()) - len(VERSION.encode())
    return c, n


def reply_body(reply: Reply) -> list[dict[str, Any]]:
    """The body of a Reply's card, without its buttons or form."""
    body: list[dict[str, Any]] = []
    if reply.title:
        body.append(text_block(inline(reply.title), weight="Bolder", size="Medium"))
    cited: set[tuple[str, str]] = set()
    if reply.sections:
        for s in reply.sections:
            if s.heading:
                body.append(text_block(inline(s.heading), weight="Bolder", spacing="Medium"))
            if s.text.strip():
                body.append(text_block(markdown(s.text), spacing="Small"))
            if s.fields:
                body.append({"type": "FactSet", "facts": [{"title": inline(f.label), "value": inline(f.value)} for f in s.fields]})
            if s.citation:
                body.append(source_block(s.citation))
                cited.add((s.citation.file, s.citation.clause))
        # a "Note:" line of the answer that no section carries (a theme's note, a warning) is shown
        # too: the card keeps its "Source:" lines, and the note they cite must not be dropped
        shown = "\n".join(s.text for s in reply.sections)
        for line in reply.text.splitlines():
            if line.strip().startswith("Note:") and line.strip() not in shown:
                body.append(text_block(markdown(line.strip()), spacing="Small"))
    elif reply.text.strip():
        body.append(text_block(markdown(reply.text)))
        cited.update((c.file, c.clause) for c in reply.citations if f"Source: {c.label()}" in reply.text)
    for c in reply.citations:
        if (c.file, c.clause) not in cited:
            body.append(source_block(c))
            cited.add((c.file, c.clause))
    if not reply.ok:
        # The whole answer sits in an attention container: a refusal or a mistake should look like one.
        return [{"type": "Container", "style": "attention", "items": body or [text_block("Something went wrong.")]}]
    return body


def reply_card(reply: Reply, *, area: str | None = None, nonce: str | None = None) -> dict[str, Any]:
    """A Reply as one Adaptive Card; ``reply.text`` is its ``fallbackText``.

    A Reply with a form renders the form's inputs below the answer and its submit as the
    card's first action. A card over Teams' size limit has its answer shortened (and says
    so); the form and the buttons are kept whole, since without them the card is useless.
    """
    reply = neutralise_reply(reply)
    nonce = nonce or new_nonce()
    area = area or reply.data.get("area") or None
    answer = reply_body(reply)
    rest: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    if reply.form is not None:
        rest.extend(form_body(reply.form))
        actions.append(form_submit(reply.form, area, nonce))
    actions.extend(button_action(b, area, nonce) for b in reply.buttons)
    if len(actions) > MAX_ACTIONS:
        rest.append({"type": "ActionSet", "actions": actions[MAX_ACTIONS:]})
        actions = actions[:MAX_ACTIONS]
    return fit(answer, rest, actions, fallback=reply.text)


SHORTENED = "(Shortened to fit in Teams. Ask a narrower question for the rest.)"


def fit(answer: list[dict[str, Any]], rest: Sequence[dict[str, Any]] = (), actions: Sequence[dict[str, Any]] = (), *,
        fallback: str = "") -> dict[str, Any]:
    """``card(answer + rest, actions)``, its answer shortened from the end until it fits in a Teams message.

    Only ``answer`` is cut (long text blocks halved, then trailing blocks dropped, inside an
    error's attention container too) and a note says so; ``rest`` (a form's inputs, spilled
    buttons) and ``actions`` always arrive whole.
    """
    c, n = sized_card([*answer, *rest], actions, fallback=fallback)
    if n <= MAX_CARD_BYTES:
        return c
    note = text_block(SHORTENED, isSubtle=True, size="Small")
    fallback = truncate(fallback, 2000)

    def build(blocks: list[dict[str, Any]]) -> tuple[dict[str, Any], int]:
        return sized_card([*blocks, note, *rest], actions, fallback=fallback)

    blocks = list(answer)
    c, n = build(blocks)
    while blocks and n > MAX_CARD_BYTES:
        blocks = _shorten(blocks)
        c, n = build(blocks)
    return c


def _shorten(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``blocks`` one step shorter: the last long text halved, else the last block dropped."""
    *head, last = blocks
    if last.get("type") == "TextBlock" and len(last.get("text", "")) > 200:
        return [*head, {**last, "text": truncate(last["text"], len(last["text"]) // 2)}]
    if last.get("type") == "Container" and last.get("items"):
        return [*head, {**last, "items": _shorten(list(last["items"]))}]
    return head


def size(c: dict[str, Any]) -> int:
    return len(json.dumps(c, ensure_ascii=False).encode())


def welcome_card(*, in_channel: bool, area_name: str | None = None) -> dict[str, Any]:
    """What boardbot says when it is added to a team, a group chat or a personal chat."""
    where = ("In this channel, @mention boardbot with your question." if in_channel
             else "Ask your question here in plain words.")
    about = (f"Answering for **{area_name}** in this organisation. " if area_name
             else "An administrator links this organisation to its area with \u201cadmin link-area <area>\u201d. ")
    body = [
        text_block("boardbot", weight="Bolder", size="Large"),
        text_block("boardbot answers questions about your local partnership boards' joint protocol: which board "
                   "leads on a theme, who chairs or manages each board, who sits on which board, the challenge "
                   "ladder, meetings and reporting dates \u2014 every answer with the protocol clause it rests on."),
        text_block(about + where, spacing="Small"),
        text_block("Try:", weight="Bolder", spacing="Medium"),
        text_block("\r".join(f"- {e}" for e in EXAMPLES), spacing="Small"),
    ]
    if in_channel:
        body.append(text_block("Administrators: \u201cadmin link-channel <board>\u201d makes this the board's channel for "
                               "its notices and reminders.", isSubtle=True, size="Small"))
    fallback = "boardbot: ask who leads on what, e.g. \u201cwho leads on CSE?\u201d, \u201cboards\u201d or \u201chelp\u201d."
    return card(body, [imback(e) for e in EXAMPLES], fallback=fallback)


PERSONAL_ONLY = "That answer is private to you, so I only give it in a 1:1 chat: open a chat with boardbot and ask there."


def for_conversation(reply: Reply, *, private_possible: bool) -> Reply:
    """What may be shown where the person asked: a ``Visibility.PERSONAL`` reply (a secret
    such as a calendar feed address) only in a 1:1 chat; in a channel or group chat, where
    Teams cannot show anything to one person alone, a short note instead."""
    if reply.visibility == Visibility.PERSONAL and not private_possible:
        return Reply(text=PERSONAL_ONLY, title="Ask me in a 1:1 chat", ok=False)
    return reply
