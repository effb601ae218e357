"""Stored protocol documents: the index reads each area's head at once, the whole document when first used."""

from __future__ import annotations

from bot.knowledge import Knowledge
from storage.documents import StoredProtocol, validate_document
from storage.protocol.loader import bundled_protocol_paths, load_protocol_file


def _bundled():
    return [load_protocol_file(p).protocol for p in bundled_protocol_paths()]


def test_the_head_reads_as_the_validated_protocol_does() -> None:
    for p in _bundled():
        stored = StoredProtocol.of(p)
        assert stored.area == p.area
        assert stored.protocol == p.protocol
        assert [(t.key, t.name, list(t.aliases)) for t in stored.theme_names] == [(t.key, t.name, t.aliases) for t in p.themes]
        assert stored.load() == p


def test_the_index_validates_an_area_only_when_it_is_asked_about() -> None:
    eager = Knowledge(_bundled())
    lazy = Knowledge([StoredProtocol.of(p) for p in _bundled()])
    assert not any(a.loaded for a in lazy.areas.values())
    assert lazy.resolve_area("bucks") == eager.resolve_area("bucks") == "buckinghamshire"
    assert lazy.area_in(("who", "leads", "in", "suffolk")) == eager.area_in(("who", "leads", "in", "suffolk"))
    assert lazy.theme_vocabulary.lookup("cse").match == eager.theme_vocabulary.lookup("cse").match
    assert lazy.area_for_place("Suffolk County Council") == eager.area_for_place("Suffolk County Council")
    assert not any(a.loaded for a in lazy.areas.values())
    bucks = lazy.area("buckinghamshire")
    assert bucks.boards.keys() == eager.area("buckinghamshire").boards.keys()
    assert [a.slug for a in lazy.areas.values() if a.loaded] == ["buckinghamshire"]


def test_validated_documents_share_their_strings_and_field_sets() -> None:
    p = _bundled()[0]
    doc = p.model_dump(mode="json")
    one, two = validate_document(doc), validate_document(p.model_dump(mode="json"))
    assert one == two == p
    assert one.area.name is two.area.name
    assert one.boards[0].__pydantic_fields_set__ is two.boards[0].__pydantic_fields_set__
    # a copy with changes gets its own set, leaving the shared one alone
    renamed = one.boards[0].model_copy(update={"name": "Renamed"})
    assert renamed.name == "Renamed" and one.boards[0].name == p.boards[0].name
    assert one.boards[0].__pydantic_fields_set__ == set(doc["boards"][0])


async def test_a_server_starts_from_each_revisions_head_and_packed_copy_not_its_document(db_url) -> None:
    from sqlalchemy import update

    from storage.models import ProtocolRevision
    from storage.store import Store

    store = await Store.open(db_url)
    try:
        expected = {p.area.slug: p for p in await store.protocols()}
        # were the start to decode the documents themselves, these would no longer read as imported
        async with store.session() as s:
            await s.execute(update(ProtocolRevision).values(document={}))
            await s.commit()
        stored = await store.stored_protocols()
        assert {sp.area.slug for sp in stored} == set(expected)
        for sp in stored:
            p = expected[sp.area.slug]
            assert (sp.area, sp.protocol) == (p.area, p.protocol)
            assert [t.key for t in sp.theme_names] == [t.key for t in p.themes]
            assert sp.load() == p
    finally:
        await store.close()


async def test_revisions_stored_before_heads_were_kept_read_the_same_and_get_theirs_on_open(db_url) -> None:
    from sqlalchemy import func, null, select, update

    from storage.models import ProtocolRevision
    from storage.store import Store

    store = await Store.open(db_url)
    try:
        async with store.session() as s:  # as a database written by an older boardbot has them
            await s.execute(update(ProtocolRevision).values(head=null(), packed=None))
            await s.commit()
        lazy = Knowledge(await store.stored_protocols())
        eager = Knowledge(await store.protocols())
        assert lazy.resolve_area("bucks") == eager.resolve_area("bucks") == "buckinghamshire"
        assert lazy.area("suffolk").boards.keys() == eager.area("suffolk").boards.keys()
    finally:
        await store.close()
    store = await Store.open(db_url)
    try:
        async with store.session() as s:
            missing = (await s.execute(select(func.count()).select_from(ProtocolRevision).where(
                ProtocolRevision.is_current, ProtocolRevision.packed.is_(None) | ProtocolRevision.head.is_(None)))).scalar_one()
        assert missing == 0
        assert [sp.load() for sp in await store.stored_protocols()] == await store.protocols()
    finally:
        await store.close()
