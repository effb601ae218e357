"""The one place that wires boardbot together.

``open_services`` opens the store (migrating and loading the bundled protocols on first
run), builds the protocol index, the outbox dispatcher, the notifier, the calendar (which
queues reminders worded by the reminders workflow) and the readiness steps, takes the
public URL and default area from the settings, tells the core what each registered
platform needs, and registers the jobs a server's clock runs, each in its own typed field of
:class:`~bot.services.Services`. The web application (every platform, health, calendar feeds)
is built on top by :mod:`bot.web`, which registers each platform's outbox sender as it mounts it.

What needs the database's sessions (the dispatcher, the notifier, the calendar, the jobs) is
built when the store's engine is made: at once, except for a one-question process
(``open_services(..., to_read=True)``, :meth:`storage.store.Store.open_to_read`), where it is
made only if the question needs more than the protocols, so that ``boardbot ask`` does not
load SQLAlchemy, the ORM models, the outbox and the calendar to answer "who leads on CSE?".
"""

from __future__ import annotations

from bot import router  # noqa: F401  (registers the "ask" button every platform may press)
from bot.config import Settings
from bot.knowledge import Knowledge
from bot.platforms.registry import platforms
from bot.readiness import Readiness
from bot.services import Services
from storage.store import Store


def board_label(services: Services, area_slug: str, board_key: str) -> str:
    """A board's short name as the area's protocol gives it (its key, upper-cased, if the area has no such board)."""
    area = services.knowledge.areas.get(area_slug)
    board = area.boards.get(board_key) if area else None
    return board.short_name if board else board_key.upper()


class BoardbotServices(Services):
    async def close(self) -> None:
        if self.store is not None:
            await self.store.close()


async def open_services(settings: Settings, *, store: Store | None = None, to_read: bool = False) -> BoardbotServices:
    """The process's services. ``to_read``: for a process that answers one question and exits
    (the store opens with :meth:`~storage.store.Store.open_to_read`; see the module)."""
    if store is None:
        store = await (Store.open_to_read if to_read else Store.open)(settings.database_url)
    knowledge = Knowledge(await store.stored_protocols())
    services = BoardbotServices(knowledge=knowledge, store=store, public_url=settings.public_url.rstrip("/"),
                                platforms={p.name: p for p in platforms(settings)}, readiness=Readiness())
    store.when_made(lambda: _wire(services, store, settings.tick_seconds))
    services.protocol_marker = await store.marker()
    if settings.default_area:
        services.default_area = knowledge.resolve_area(settings.default_area)
    return services


def _wire(services: BoardbotServices, store: Store, tick: float) -> None:
    """The outbox dispatcher, the notifier, the calendar and the jobs of a server's clock (they
    all use the store's session factory)."""
    from bot.notify import OutboxNotifier
    from bot.workflows.challenges import check_clocks
    from bot.workflows.protocol_review import review_nudges
    from bot.workflows.reminder_posts import ReminderPosts
    from bot.workflows.risks import review_reminders
    from scheduler.dispatch import Dispatcher
    from scheduler.materialise import Calendar

    dispatcher = services.dispatcher = Dispatcher(store.sessions, services.senders, clock=lambda: services.clock())
    services.notifier = OutboxNotifier(dispatcher, clock=lambda: services.clock(), names=lambda a, b: board_label(services, a, b))
    calendar = services.calendar = Calendar(store.sessions, replies=ReminderPosts(), clock=lambda: services.clock(),
                                            kick=dispatcher.kick, refresh_seconds=tick)
    services.jobs.update({
        # every second: a tick costs nothing until a post is due or it is time to look for changes
        "calendar": (calendar.tick, min(1.0, tick)),
        "challenge-clocks": (lambda: check_clocks(services), 60.0),
        "protocol-review": (lambda: review_nudges(services), 3600.0),
        "risk-reviews": (lambda: review_reminders(services), 3600.0),
        "protocol-watch": (lambda: watch_protocols(services), 30.0),
        "forget-retry-guards": (lambda: forget_retry_guards(services), 6 * 3600.0),
    })


async def watch_protocols(services: Services) -> bool:
    """Rebuild the index when a protocol was imported elsewhere (the CLI, another replica).

    Hooks in ``services.on_reload`` (e.g. the calendar re-deriving its rules) run after a
    rebuild. Returns True if anything changed.
    """
    if services.store is None:
        return False
    marker = await services.store.marker()
    if marker == services.protocol_marker:
        return False
    await services.reload_knowledge()
    services.protocol_marker = marker
    for hook in services.on_reload:
        await hook()
    return True


async def forget_retry_guards(services: Services) -> int:
    """Keep the de-duplication table from growing without bound."""
    from storage.dedupe import forget_old

    if services.store is None:
        return 0
    async with services.store.session() as s:
        n = await forget_old(s, services.clock())
        await s.commit()
    return n


async def plan_calendar(services: Services) -> int:
    """Bring every area's protocol reminders in step with its protocol (cheap when they are).

    This is what the calendar's own first tick does on the replica that holds its lease; a
    replica standing by does it here too, so that none answers "ready" with an empty feed.
    """
    from scheduler.calendar import ensure_synced

    if services.store is None:
        return 0
    if services.calendar is not None:  # every area in one pass, shared with the calendar's first tick
        return await services.calendar.plan_protocols()
    now = services.clock()
    n = 0
    for slug in list(services.knowledge.areas):
        async with services.store.session() as s:
            n += await ensure_synced(s, slug, now)
    return n
