"""Acting once on a Teams activity, with the keys of activities arriving together written together.

Every message, press and welcome is first recorded in ``processed_requests`` (the database,
so every replica agrees; :mod:`storage.dedupe`), and the first message from a conversation
also stores its conversation reference in the same transaction. Written one activity at a
time, that is one transaction per message: on SQLite each waits for the one before (one
writer), and each costs more CPU than answering the question. :class:`ActivityClaims` writes
the keys of the activities waiting at that moment in one transaction instead, one
``INSERT ... ON CONFLICT DO NOTHING RETURNING`` for all of them: each activity still waits
for its own key to be committed before anything is answered or sent, so the guarantee is the
same (the first delivery of an activity wins, on whichever replica), and a quiet server
writes each key on its own at once, as before.

    claims = ActivityClaims(services)
    fresh, stored = await claims.claim("teams:msg:1|ab12", reference=ref, conversation_id=cid, tenant=tid)
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("boardbot.teams")


@dataclass
class _Claim:
    key: str
    reference: dict[str, Any] | None  # stored with the key the first time, when given
    conversation_id: str
    tenant: str | None
    future: asyncio.Future[tuple[bool, bool]] = field(repr=False)


class ActivityClaims:
    """Records de-duplication keys (and new conversation references) a group at a time.

    One group is written at a time; the claims that arrive meanwhile form the next group. On
    SQLite the group's transaction holds the store's writer lock like every other hot write.
    """

    def __init__(self, services: Services) -> None:
        self.services = services  # its store is read at each write, as the rest of the handler does
        self._waiting: list[_Claim] = []
        self._writing: asyncio.Task[None] | None = None

    async def claim(self, key: str, *, reference: dict[str, Any] | None = None, conversation_id: str = "",
                    tenant: str | None = None) -> tuple[bool, bool]:
        """(True the first time ``key`` is claimed anywhere, whether ``reference`` was stored with it).

        The reference is stored only with a fresh key (a re-sent activity changes nothing).
        Raises what the database raised when the key could not be recorded. Without a
        database every activity is new.
        """
        if self.services.store is None:
            return True, False
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[bool, bool]] = loop.create_future()
        self._waiting.append(_Claim(key[:300], reference, conversation_id, tenant, future))
        if self._writing is None:
            self._writing = loop.create_task(self._write_all())
        return await future

    async def _write_all(self) -> None:
        group: list[_Claim] = []
        try:
            while self._waiting:
                group, self._waiting = self._waiting, []
                try:
                    results = await self._write(group)
                except Exception as exc:
                    if len(group) == 1:
                        _settle(group[0], error=exc)
                        continue
                    # one claim's trouble (or the database's) is not charged to the others unseen:
                    # each is tried on its own and gets its own answer or error
                    for one in group:
                        try:
                            [result] = await self._write([one])
                        except Exception as one_exc:
                            _settle(one, error=one_exc)
                        else:
                            _settle(one, result=result)
                    continue
                for one, result in zip(group, results, strict=True):
                    _settle(one, result=result)
        finally:
            self._writing = None
            for one in group:  # cancelled mid-write (the server stopping): nobody is left waiting for ever
                if not one.future.done():
                    one.future.cancel()

    async def _write(self, group: list[_Claim]) -> list[tuple[bool, bool]]:
        """One transaction for the group; a key claimed twice in it is fresh for the first claim only.

        A new conversation's reference stored a moment earlier by another activity (another
        replica, or a write this process lost the race to) fails the insert: then the keys
        alone are recorded, and the reference is known anyway.
        """
        from sqlalchemy.exc import IntegrityError

        try:
            return await self._transaction(group, with_references=True)
        except IntegrityError:
            if not any(one.reference is not None for one in group):
                raise
            return await self._transaction(group, with_references=False)

    async def _transaction(self, group: list[_Claim], *, with_references: bool) -> list[tuple[bool, bool]]:
        from storage import directory
        from storage.dedupe import first_times

        store = self.services.store
        async with store.writer(), store.session() as s, s.begin():
            fresh = await first_times(s, [one.key for one in group])
            results: list[tuple[bool, bool]] = []
            for one in group:
                first = one.key in fresh
                fresh.discard(one.key)  # a second claim of the same key in this group is a repeat
                stored = first and with_references and one.reference is not None
                if stored:
                    await directory.save_conversation_ref(s, one.conversation_id, one.tenant, one.reference)
                results.append((first, stored))
        return results


def _settle(one: _Claim, *, result: tuple[bool, bool] | None = None, error: Exception | None = None) -> None:
    if one.future.done():  # its claimant stopped waiting (cancelled)
        return
    if error is not None:
        one.future.set_exception(error)
    else:
        one.future.set_result(result or (False, False))
