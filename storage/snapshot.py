"""What answering one question reads from a SQLite database, in one look with the standard library's sqlite3.

``boardbot ask`` answers one question and exits. Going through SQLAlchemy for it means loading
SQLAlchemy, its async engine and the ORM models (about 0.25 s of CPU, a third of the command) to
run three reads. When the database is a SQLite file that opening the store would not change (at
the newest schema, every bundled protocol already current), :func:`read` does those reads here
instead, in one read transaction:

- every area's current protocol, its hash, head and compressed document, as
  :func:`storage.revisions.current_stored` reads them;
- the revision marker, as :func:`storage.revisions.current_marker` gives it;
- every area's latest recorded review and signing dates, as
  :func:`storage.revisions.review_dates` gives them.

:meth:`storage.store.Store.open_to_read` hands these out until the store's engine is first
used; whatever else a command reads or writes goes through SQLAlchemy as before. Anything
unusual (PostgreSQL, a URL with options, a missing or busy file, a database to migrate, a
bundled protocol to load, a revision without its head or compressed copy to fill in) gives
``None``, and the store opens the usual way. The queries repeat
those three in SQL; ``tests/storage/test_snapshot.py`` checks both read the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from storage.db import check_url, url_parts

REVIEW_KEYS = ("protocol_reviewed", "protocol_signed")  # the area dates a protocol's review runs from


@dataclass(frozen=True)
class Snapshot:
    """What :func:`read` read, all in one transaction."""

    documents: tuple[tuple[str, dict, bytes], ...]  # (sha256, head, packed) of each area's current revision, by area id
    marker: tuple[int, int]  # (current revisions, the highest current revision's id)
    review_dates: dict[str, dict[str, dt.date]]  # area slug -> REVIEW_KEYS recorded -> the latest date


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///FILE`` URL; None for anything else (PostgreSQL, memory, options)."""
    try:
        if check_url(url) != "sqlite":
            return None
    except ValueError:
        return None
    parts = url_parts(url)
    database = parts.get("database")
    if not database or database == ":memory:" or parts.get("query") is not None or "%" in database:
        return None
    if any(parts.get(k) for k in ("username", "password", "ipv4host", "ipv6host", "port")):
        return None
    return Path(database)


def read(url: str, *, head: str, bundled: list[Path]) -> Snapshot | None:
    """The snapshot of ``url``'s database if it is at schema revision ``head`` with every file of
    ``bundled`` current and every current revision packed (so that opening the store would
    change nothing: :meth:`storage.store.Store.load_bundled`), else None."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        # read-write (it only reads) rather than read-only: as the last connection to close it removes
        # the write-ahead log's side files, as the store's own connections do, where read-only leaves them
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        if version != [(head,)]:
            return None
        documents = tuple(
            (sha, None if text is None else json.loads(text), packed) for sha, text, packed in conn.execute(
                "SELECT sha256, head, packed FROM protocol_revisions WHERE is_current ORDER BY area_id")
        )
        if any(h is None or packed is None for _, h, packed in documents):  # the store fills them in
            return None
        current = {sha for sha, _, _ in documents}
        if any(hashlib.sha256(p.read_bytes()).hexdigest() not in current for p in bundled):
            return None
        count, highest = conn.execute(
            "SELECT count(id), coalesce(max(id), 0) FROM protocol_revisions WHERE is_current"
        ).fetchone()
        dates: dict[str, dict[str, dt.date]] = {}
        for slug, key, on in conn.execute(
            "SELECT areas.slug, area_dates.key, max(area_dates.\"on\") FROM area_dates "
            "JOIN areas ON areas.id = area_dates.area_id WHERE area_dates.key IN (?, ?) "
            "GROUP BY areas.slug, area_dates.key", REVIEW_KEYS,
        ):
            dates.setdefault(slug, {})[key] = dt.date.fromisoformat(on)
        return Snapshot(documents, (int(count), int(highest)), dates)
    except (sqlite3.Error, OSError, ValueError):
        return None
    finally:
        conn.close()
