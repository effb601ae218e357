"""Protocol revisions in the database: importing a protocol, and reading the current ones back.

An import is one transaction: the area row, a new revision holding the whole validated
document, and the board rows kept in step. A file that fails validation never gets
here, so a failed import changes nothing. Re-importing the same text is a no-op;
a revised file becomes a new current revision and the old one stays as history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.documents import StoredProtocol, pack, validate_document
from storage.models import Area, AreaDate, BoardRow, ProtocolRevision
from storage.protocol.loader import LoadedProtocol, bundled_protocol_paths, load_protocol_file
from storage.protocol.schema import Protocol
from storage.snapshot import REVIEW_KEYS


@dataclass(frozen=True)
class ImportResult:
    area_slug: str
    area_name: str
    revision: int
    created_area: bool
    unchanged: bool
    boards_added: tuple[str, ...] = ()
    boards_retired: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.unchanged:
            return f"{self.area_name}: unchanged (revision {self.revision} already has this text)"
        verb = "imported as a new area" if self.created_area else "updated in place"
        extra = ""
        if self.boards_added:
            extra += f"; boards added: {', '.join(self.boards_added)}"
        if self.boards_retired:
            extra += f"; boards retired: {', '.join(self.boards_retired)}"
        return f"{self.area_name} ({self.area_slug}): {verb}, revision {self.revision}{extra}"


@dataclass(frozen=True)
class RevisionInfo:
    revision: int
    origin: str
    source_name: str
    imported_at: dt.datetime
    imported_by: str | None
    is_current: bool


async def import_protocol(
    session: AsyncSession, loaded: LoadedProtocol, *, origin: str = "import", imported_by: str | None = None
) -> ImportResult:
    """Store ``loaded`` as the area's current protocol. The caller commits (or not)."""
    p = loaded.protocol
    area = (await session.execute(select(Area).where(Area.slug == p.area.slug))).scalar_one_or_none()
    created = area is None
    if area is None:
        area = Area(slug=p.area.slug, name=p.area.name, settings={})
        session.add(area)
        await session.flush()
    current = (
        await session.execute(
            select(ProtocolRevision).where(ProtocolRevision.area_id == area.id, ProtocolRevision.is_current)
        )
    ).scalar_one_or_none()
    if current is not None and current.sha256 == loaded.sha256:
        return ImportResult(p.area.slug, p.area.name, current.revision, False, True)

    last = (
        await session.execute(
            select(ProtocolRevision.revision)
            .where(ProtocolRevision.area_id == area.id)
            .order_by(ProtocolRevision.revision.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    await session.execute(
        update(ProtocolRevision).where(ProtocolRevision.area_id == area.id).values(is_current=False)
    )
    revision = (last or 0) + 1
    document = p.model_dump(mode="json")
    head, packed = pack(document)
    session.add(
        ProtocolRevision(
            area_id=area.id,
            revision=revision,
            origin=origin,
            source_name=loaded.name,
            sha256=loaded.sha256,
            document=document,
            head=head,
            packed=packed,
            text=loaded.text,
            imported_by=imported_by,
            is_current=True,
        )
    )
    area.name = p.area.name

    rows = {
        b.key: b for b in (await session.execute(select(BoardRow).where(BoardRow.area_id == area.id))).scalars()
    }
    added: list[str] = []
    for board in p.boards:
        row = rows.pop(board.key, None)
        if row is None:
            row = BoardRow(area_id=area.id, key=board.key)
            session.add(row)
            added.append(board.short_name)
        row.short_name, row.name, row.kind = board.short_name, board.name, board.kind
        row.party, row.active = board.party, True
    retired = []
    for row in rows.values():
        if row.active:
            row.active = False
            retired.append(row.short_name)
    await session.flush()
    return ImportResult(
        p.area.slug, p.area.name, revision, created, False, tuple(added) if not created else (), tuple(retired)
    )


async def current_protocols(session: AsyncSession) -> list[Protocol]:
    """Every area's current protocol, validated again on the way out (the schema may have moved on)."""
    docs = (
        await session.execute(
            select(ProtocolRevision.document).where(ProtocolRevision.is_current).order_by(ProtocolRevision.area_id)
        )
    ).scalars()
    return [validate_document(d) for d in docs]


async def current_stored(session: AsyncSession) -> list[StoredProtocol]:
    """Every area's current protocol, to be validated when first used (:class:`StoredProtocol`).

    Reads each revision's head and compressed document, not the document itself; a revision
    stored before those were kept (see :func:`pack_missing`) is read from its document."""
    rows = (
        await session.execute(
            select(ProtocolRevision.id, ProtocolRevision.sha256, ProtocolRevision.head, ProtocolRevision.packed)
            .where(ProtocolRevision.is_current).order_by(ProtocolRevision.area_id)
        )
    ).all()
    missing = [id_ for id_, _sha, head, packed in rows if head is None or packed is None]
    docs = dict((await session.execute(
        select(ProtocolRevision.id, ProtocolRevision.document).where(ProtocolRevision.id.in_(missing))
    )).all()) if missing else {}
    return [StoredProtocol(sha, head, packed) if id_ not in docs else StoredProtocol.of_document(sha, docs[id_])
            for id_, sha, head, packed in rows]


async def pack_missing(session: AsyncSession) -> int:
    """Give every current revision stored without a head and compressed document (before they
    were kept, or by an older boardbot still running beside this one) its own. The caller commits."""
    rows = (await session.execute(
        select(ProtocolRevision.id, ProtocolRevision.document)
        .where(ProtocolRevision.is_current, (ProtocolRevision.head.is_(None)) | (ProtocolRevision.packed.is_(None)))
    )).all()
    for id_, doc in rows:
        head, packed = pack(doc)
        await session.execute(update(ProtocolRevision).where(ProtocolRevision.id == id_).values(head=head, packed=packed))
    return len(rows)


async def revisions(session: AsyncSession, area_slug: str) -> list[RevisionInfo]:
    rows = (
        await session.execute(
            select(ProtocolRevision)
            .join(Area, Area.id == ProtocolRevision.area_id)
            .where(Area.slug == area_slug)
            .order_by(ProtocolRevision.revision)
        )
    ).scalars()
    return [
        RevisionInfo(r.revision, r.origin, r.source_name, r.imported_at, r.imported_by, r.is_current) for r in rows
    ]


async def ensure_bundled(session: AsyncSession) -> list[ImportResult]:
    """Load the bundled protocols on first run, and refresh them when boardbot ships a
    corrected version, but never over an administrator's own import."""
    origins = dict(
        (
            await session.execute(
                select(Area.slug, ProtocolRevision.origin)
                .join(ProtocolRevision, ProtocolRevision.area_id == Area.id)
                .where(ProtocolRevision.is_current)
            )
        ).all()
    )
    shas = set(
        (await session.execute(select(ProtocolRevision.sha256).where(ProtocolRevision.is_current))).scalars()
    )
    results = []
    for path in bundled_protocol_paths():
        # hashing is cheap; parsing only happens when the file is new or changed
        if hashlib.sha256(path.read_bytes()).hexdigest() in shas:
            continue
        loaded = load_protocol_file(path)
        if origins.get(loaded.protocol.area.slug, "bundled") != "bundled":
            continue
        results.append(await import_protocol(session, loaded, origin="bundled", imported_by="boardbot"))
    return results


async def review_dates(session: AsyncSession, area_slug: str) -> dict[str, dt.date]:
    """The latest recorded review and signing of an area's protocol (``protocol_reviewed``,
    ``protocol_signed``: what :mod:`bot.review` works the next review out from), by key."""
    rows = (await session.execute(
        select(AreaDate.key, func.max(AreaDate.on)).join(Area, Area.id == AreaDate.area_id)
        .where(Area.slug == area_slug, AreaDate.key.in_(REVIEW_KEYS))
        .group_by(AreaDate.key)
    )).all()
    return {k: v for k, v in rows}


async def current_marker(session: AsyncSession) -> tuple[int, int]:
    """A cheap fingerprint of the current revisions: it changes whenever any area is imported."""
    row = (
        await session.execute(
            select(func.count(ProtocolRevision.id), func.coalesce(func.max(ProtocolRevision.id), 0)).where(ProtocolRevision.is_current)
        )
    ).one()
    return int(row[0]), int(row[1])
