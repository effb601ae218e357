"""What commands, workflows and platforms may use, each under its own typed name.

One :class:`Services` is built by :func:`bot.bootstrap.open_services` and handed to every
handler; tests build their own with fakes (every field but the protocol index has a
default, so a test names only what it needs). The knowledge index is replaced (not
mutated) when a protocol is imported, so a lookup in flight keeps a consistent view.

Everything a process holds for its lifetime has a field here rather than a string key in a
bag: a misspelt name is then an error the type checker (and the first test) sees, and
``grep`` finds every reader of, say, the calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from bot.knowledge import Knowledge

if TYPE_CHECKING:
    from bot.language.conversation import ConversationStore
    from bot.notify import Notifier
    from bot.readiness import Readiness
    from bot.review import Known
    from scheduler.materialise import Calendar
    from scheduler.outbox import Dispatcher, Sender
    from storage.store import Store

Job = tuple[Callable[[], Awaitable[object]], float]  # a clock job: what to run, and every how many seconds


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PlatformNeeds(Protocol):
    """What the core may ask of a platform (:class:`bot.platforms.base.Platform` has it), without
    importing the platforms, which sit above it."""

    @property
    def name(self) -> str: ...

    @property
    def keeps_conversation_references(self) -> bool: ...


def _conversations() -> ConversationStore:
    from bot.language.conversation import ConversationStore

    return ConversationStore()


@dataclass
class Services:
    """The process's dependencies.

    ``senders`` are the outbox's, by platform name (each platform's ``mount`` gives one);
    ``platforms`` what each platform needs of the core (filled by the bootstrap from the
    registry); ``jobs`` what a server's clock runs; ``on_reload`` what runs after the index
    is rebuilt; ``endpoints`` the routes the web app mounted and how each is protected.
    """

    knowledge: Knowledge
    store: Store | None = None
    clock: Callable[[], dt.datetime] = utc_now
    notifier: Notifier | None = None
    dispatcher: Dispatcher | None = None
    senders: dict[str, Sender] = field(default_factory=dict)
    platforms: dict[str, PlatformNeeds] = field(default_factory=dict)
    calendar: Calendar | None = None
    readiness: Readiness | None = None
    jobs: dict[str, Job] = field(default_factory=dict)
    on_reload: list[Callable[[], Awaitable[object]]] = field(default_factory=list)
    public_url: str = ""  # BOARDBOT_PUBLIC_URL, without a trailing slash: personal calendar and report links
    default_area: str | None = None  # the area a request from an unlinked workspace is about
    protocol_marker: tuple[int, int] | None = None  # the revisions the index was built from
    endpoints: list[tuple[str, str]] = field(default_factory=list)
    conversations: ConversationStore = field(default_factory=_conversations)
    review_notes: dict[str, Known] = field(default_factory=dict)  # each area's review today (bot.workflows.protocol_review)

    async def reload_knowledge(self) -> Knowledge:
        """Rebuild the index from the store's current protocols (after an import)."""
        if self.store is None:
            raise RuntimeError("there is no database to reload the protocols from")
        self.knowledge = Knowledge(await self.store.stored_protocols())
        return self.knowledge
