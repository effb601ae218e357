"""Platform-neutral requests and replies.

Commands and workflows take a :class:`Request` and return a :class:`Reply`; they never
see a Slack payload or a Bot Framework activity. Each platform adapter renders a Reply
natively (Block Kit, Adaptive Cards, plain text), so one answer reads well everywhere.
``Reply.text`` is always a complete plain-text answer: it is the terminal's output,
the notification fallback, and ``"text"`` in ``boardbot ask --json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.safetext import neutralise, neutralise_value

NAME_MAX = 200  # who someone is, as recorded beside what they did: a display name is cut to this in records


class Visibility(StrEnum):
    PRIVATE = "private"  # to the person who asked, unless they ask to share (Slack ephemeral; Teams replies in place)
    CHANNEL = "channel"  # everyone in the conversation
    PERSONAL = "personal"  # a secret for this person only (a feed address): never shared, never shown in a channel


@dataclass(frozen=True)
class Citation:
    """The protocol clause an answer rests on."""

    area: str
    file: str
    clause: str
    document: str = ""

    def label(self) -> str:
        return f"{self.file}, {self.clause}"

    def as_json(self) -> dict[str, str]:
        return {"file": self.file, "clause": self.clause, "document": self.document}


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class Button:
    """A button whose press comes back to the core as ``action`` with ``value``.

    Pressing it updates the message it sits on (the handler returns the new message).
    """

    label: str
    action: str
    value: dict[str, Any] = field(default_factory=dict)
    style: str | None = None  # "primary" | "danger" | None
    confirm: str | None = None


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "text"  # text | long_text | choice | date
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    placeholder: str = ""
    initial: str = ""
    hint: str = ""
    max_length: int | None = None  # text fields: the most characters taken (default: bot.limits by kind)

    @property
    def limit(self) -> int | None:
        """The most characters this field takes, as every form states it: ``max_length``, else
        :data:`bot.limits.SHORT_TEXT` for ``text`` and :data:`bot.limits.LONG_TEXT` for
        ``long_text``; None for choices and dates."""
        from bot.limits import LONG_TEXT, SHORT_TEXT

        if self.kind == "text":
            return self.max_length or SHORT_TEXT
        if self.kind == "long_text":
            return self.max_length or LONG_TEXT
        return None


@dataclass(frozen=True)
class Form:
    """A form to fill in: a Slack modal, a Teams Adaptive Card, terminal prompts."""

    action: str
    title: str
    fields: tuple[FormField, ...]
    submit_label: str = "Submit"
    context: dict[str, Any] = field(default_factory=dict)
    intro: str = ""


@dataclass(frozen=True)
class Section:
    """A block of an answer: a heading, its text, optional fields and the clause it cites.

    ``text`` may use a minimal markup every renderer understands: ``*bold*``, ``_italic_``,
    ```code```, and lines starting "• " as list items. ``Reply.text`` stays plain.
    """

    text: str
    heading: str = ""
    fields: tuple[Field, ...] = ()
    citation: Citation | None = None


@dataclass(frozen=True)
class Reply:
    text: str
    title: str = ""
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    citations: tuple[Citation, ...] = ()
    visibility: Visibility = Visibility.PRIVATE
    form: Form | None = None
    data: dict[str, Any] = field(default_factory=dict)
    ok: bool = True  # False for errors: the platform may style it as a warning

    def changed(self, **changes: Any) -> Reply:
        """This reply with ``changes``: ``dataclasses.replace`` at a fifth of its cost, for the
        steps every answer goes through (what was understood, the review note). ``replace``
        calls ``__init__`` again, field by field; a Reply has no ``__post_init__`` to run, so
        copying its fields is the same thing."""
        unknown = changes.keys() - _REPLY_FIELDS
        if unknown:
            raise TypeError(f"Reply has no field {sorted(unknown)[0]!r}")
        new = object.__new__(Reply)
        fields = new.__dict__
        fields.update(self.__dict__)
        fields.update(changes)
        return new


_REPLY_FIELDS = frozenset(Reply.__dataclass_fields__)

ANY_AREA = "*"  # grants under this key apply in every area: only the terminal's ``--as`` uses it
ADMIN = "admin"  # the role that makes someone an administrator of an area


@dataclass(frozen=True)
class Actor:
    """Who is speaking, as the directory knows them, and what they hold in which area.

    ``grants`` maps an area's slug to the roles held there (``chair:<board>``,
    ``business_manager:<board>``, ``director``, ``post:<key>``, ``admin`` ...): a role counts
    only in its own area, so Suffolk's HWB chair is nobody in Buckinghamshire, and an
    administrator of one area administers that one. ``home_area`` is the area of the
    workspace or tenant the request came from (its link, else the server's default area).
    """

    platform: str
    workspace: str
    user_id: str
    display_name: str = ""
    grants: Mapping[str, frozenset[str]] = field(default_factory=dict)
    person_id: int | None = None
    home_area: str | None = None

    def __post_init__(self) -> None:
        # A bare set of roles here would mean "these roles, in no area": refuse it loudly
        # rather than let every permission check quietly fail.
        if not isinstance(self.grants, Mapping):
            raise TypeError("Actor.grants maps an area to its roles; use Actor.holding(..., area=, roles=)")

    @classmethod
    def holding(cls, platform: str, workspace: str, user_id: str, display_name: str = "", *, area: str = ANY_AREA,
                roles: frozenset[str] | set[str] | tuple[str, ...] = (), admin: bool = False,
                home_area: str | None = None, person_id: int | None = None) -> Actor:
        """An actor holding ``roles`` (and admin, if ``admin``) in one ``area`` (every area: the terminal)."""
        held = frozenset(roles) | ({ADMIN} if admin else frozenset())
        return cls(platform, workspace, user_id, display_name, {area: held} if held else {}, person_id, home_area)

    def _held(self, area: str | None) -> frozenset[str]:
        if not area:
            return frozenset()
        return self.grants.get(area, frozenset()) | self.grants.get(ANY_AREA, frozenset())

    def roles_in(self, area: str | None) -> frozenset[str]:
        """The roles held in ``area`` (administration apart: see :meth:`is_admin_in`)."""
        return self._held(area) - {ADMIN}

    def is_admin_in(self, area: str | None) -> bool:
        return ADMIN in self._held(area)

    def holds_role_in(self, area: str | None) -> bool:
        """Whether the directory gives this person anything at all in ``area`` (admin included)."""
        return bool(self._held(area))

    def boards_with(self, area: str | None, *kinds: str) -> set[str]:
        """Board keys of ``area`` for which the actor holds one of ``kinds`` (e.g. "chair")."""
        out = set()
        for r in self.roles_in(area):
            kind, _, board = r.partition(":")
            if kind in kinds and board:
                out.add(board)
        return out

    @property
    def everywhere(self) -> bool:
        """The terminal's operator: ``--as`` roles apply to whichever area is asked about."""
        return ANY_AREA in self.grants

    @property
    def label(self) -> str:
        return (self.display_name or self.user_id)[:NAME_MAX]


@dataclass(frozen=True)
class Request:
    """A message to the bot: text (or an action), who sent it, where, for which area."""

    text: str
    actor: Actor
    area: str | None = None
    platform: str = "console"
    channel: str | None = None
    request_id: str | None = None  # the platform's own id, for de-duplication
    action: str | None = None
    value: dict[str, Any] = field(default_factory=dict)
    mentions: tuple[str, ...] = ()  # platform user ids @mentioned in the text, in order
    # False where the platform cannot answer this person privately here (a Teams channel or
    # group chat has no ephemeral messages); commands holding secrets check it
    private_possible: bool = True
    # the conversation this message belongs to (a Slack DM or thread, a Teams conversation, a
    # terminal session), so a follow-up ("and in Suffolk?") can lean on the question before it
    conversation: str | None = None

    def __post_init__(self) -> None:
        # what people type enters the core without bidi tricks or invisible characters
        # (bot.safetext), whichever platform it came from: text, form and button values, names
        text, value = neutralise(self.text), neutralise_value(self.value)
        if text is not self.text:
            object.__setattr__(self, "text", text)
        if value is not self.value:
            object.__setattr__(self, "value", value)
        name = neutralise(self.actor.display_name)
        if name is not self.actor.display_name:
            from dataclasses import replace

            object.__setattr__(self, "actor", replace(self.actor, display_name=name))


def error(text: str, *, hint: str = "", data: dict[str, Any] | None = None) -> Reply:
    """A reply that says what went wrong and what to type instead."""
    full = f"{text}\n{hint}" if hint else text
    return Reply(text=full, ok=False, data={"error": text, **(data or {})})


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    """A Reply as JSON-able data (stored in the outbox, replayed on retry).

    What ``dataclasses.asdict`` gives, built directly: the calendar turns hundreds of
    reminders into rows at once, and asdict's generic deep copy was most of that work.
    """
    d = _plain(reply)
    d["visibility"] = reply.visibility.value
    return d


_NOT_A_DATACLASS = ()
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_ATOMS = (str, int, float, bool, type(None))


def _plain(v: Any) -> Any:
    cls = type(v)
    if cls in _ATOMS:
        return v
    names = _FIELD_NAMES.get(cls)
    if names is None:
        from dataclasses import fields, is_dataclass

        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else _NOT_A_DATACLASS
    if names:
        return {n: _plain(getattr(v, n)) for n in names}
    if cls is list or cls is tuple:
        return cls(_plain(x) for x in v)
    if cls is dict:
        return {_plain(k): _plain(x) for k, x in v.items()}
    if isinstance(v, StrEnum):
        return v
    import copy

    return copy.deepcopy(v)


def reply_from_dict(d: dict[str, Any]) -> Reply:
    """The inverse of :func:`reply_to_dict`."""

    def cite(c: dict[str, Any] | None) -> Citation | None:
        return Citation(**c) if c else None

    form = d.get("form")
    return Reply(
        text=d["text"],
        title=d.get("title", ""),
        sections=tuple(
            Section(text=s["text"], heading=s.get("heading", ""), fields=tuple(Field(**f) for f in s.get("fields", ())),
                    citation=cite(s.get("citation")))
            for s in d.get("sections", ())
        ),
        buttons=tuple(Button(**b) for b in d.get("buttons", ())),
        citations=tuple(Citation(**c) for c in d.get("citations", ())),
        visibility=Visibility(d.get("visibility", "private")),
        form=Form(
            action=form["action"], title=form["title"],
            fields=tuple(FormField(**{**f, "choices": tuple(tuple(c) for c in f.get("choices", ()))}) for f in form["fields"]),
            submit_label=form.get("submit_label", "Submit"), context=form.get("context", {}), intro=form.get("intro", ""),
        ) if form else None,
        data=d.get("data", {}),
        ok=d.get("ok", True),
    )
