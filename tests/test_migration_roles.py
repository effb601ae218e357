"""Migration 0004 on a database that has people in it, on SQLite and PostgreSQL: each role moves
into its person's area, an administrator becomes the admin of their own area (and of no other),
and the text columns take what the forms allow; the downgrade steps back."""

from __future__ import annotations

from sqlalchemy import text

from storage.db import create_engine
from storage.migrate import _alembic_config


async def _to(engine, revision: str, *, down: bool = False) -> None:
    from alembic import command

    def run(connection) -> None:
        (command.downgrade if down else command.upgrade)(_alembic_config(connection), revision)

    async with engine.connect() as conn:
        await conn.run_sync(run)
        await conn.commit()


async def test_roles_and_administrators_move_into_their_areas(db_url):
    engine = create_engine(db_url)
    try:
        await _to(engine, "0003")
        async with engine.begin() as conn:
            for slug in ("buckinghamshire", "suffolk"):
                await conn.execute(text("INSERT INTO areas (slug, name, settings, created_at) VALUES (:s, :s, '{}', CURRENT_TIMESTAMP)"),
                                   {"s": slug})
            ids = dict((await conn.execute(text("SELECT slug, id FROM areas"))).all())
            for user, area, admin in (("U-jo", "buckinghamshire", False), ("U-sid", "suffolk", True)):
                await conn.execute(text("INSERT INTO people (area_id, platform, workspace, user_id, display_name, is_admin, "
                                        "created_at) VALUES (:a, 'slack', 'T', :u, :u, :adm, CURRENT_TIMESTAMP)"),
                                   {"a": ids[area], "u": user, "adm": admin})
            people = dict((await conn.execute(text("SELECT user_id, id FROM people"))).all())
            for user, role in (("U-jo", "chair:bscb"), ("U-sid", "chair:hwb")):
                await conn.execute(text("INSERT INTO person_roles (person_id, role) VALUES (:p, :r)"), {"p": people[user], "r": role})
        await _to(engine, "head")
        async with engine.connect() as conn:
            held = set((await conn.execute(text(
                "SELECT p.user_id, a.slug, r.role FROM person_roles r JOIN people p ON p.id = r.person_id "
                "JOIN areas a ON a.id = r.area_id"))).all())
            assert held == {("U-jo", "buckinghamshire", "chair:bscb"), ("U-sid", "suffolk", "chair:hwb"),
                            ("U-sid", "suffolk", "admin")}
            await conn.execute(text("INSERT INTO challenges (area_id, number, idempotency_key, from_board, to_board, subject, "
                                    "concern, response_sought, raised_by, raised_by_user, status, rung_index, rung_key, "
                                    "created_at, updated_at) VALUES (:a, 1, 'k', 'bscb', 'hwb', :subj, 'c', 'r', 'Jo', "
                                    "'slack:U-jo', 'open', 0, 'written_request', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                               {"a": ids["buckinghamshire"], "subj": "s" * 3000})
            assert (await conn.execute(text("SELECT length(subject) FROM challenges"))).scalar_one() == 3000
            await conn.commit()
        await _to(engine, "0003", down=True)
        async with engine.connect() as conn:
            admins = set((await conn.execute(text("SELECT user_id FROM people WHERE is_admin"))).scalars())
            assert admins == {"U-sid"}
            assert (await conn.execute(text("SELECT length(subject) FROM challenges"))).scalar_one() == 500
    finally:
        await engine.dispose()
