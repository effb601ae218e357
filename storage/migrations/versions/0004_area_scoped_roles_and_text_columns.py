"""Roles held per area; administration a role of an area; text columns as long as the forms

- ``person_roles.area_id``: every role is held in one area (existing roles: the person's
  area). The unique key becomes (person, area, role).
- ``people.is_admin`` goes: an administrator holds the ``admin`` role in an area (existing
  administrators: in their person's area).
- ``challenges.subject``, ``agenda_requests.title`` and ``agenda_requests.preferred_meeting``
  become TEXT: PostgreSQL refused a subject over 500 characters while the form allows 3,000.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person_roles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_id', sa.Integer(), nullable=True))
    op.execute("UPDATE person_roles SET area_id = (SELECT people.area_id FROM people WHERE people.id = person_roles.person_id)")
    op.execute("DELETE FROM person_roles WHERE role = 'admin'")
    op.execute("INSERT INTO person_roles (person_id, area_id, role) SELECT id, area_id, 'admin' FROM people WHERE is_admin")
    with op.batch_alter_table('person_roles', schema=None) as batch_op:
        batch_op.alter_column('area_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_person_roles_person_id', type_='unique')
        batch_op.create_unique_constraint('uq_person_roles_person_id', ['person_id', 'area_id', 'role'])
        batch_op.create_foreign_key('fk_person_roles_area_id_areas', 'areas', ['area_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index('ix_person_roles_area_id', ['area_id'], unique=False)
    if _sqlite():
        _drop_is_admin_on_sqlite()
        return  # SQLite keeps VARCHAR and TEXT alike, uncut: only PostgreSQL's columns need widening
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('is_admin')
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.alter_column('subject', existing_type=sa.String(length=500), type_=sa.Text(), existing_nullable=False)
    with op.batch_alter_table('agenda_requests', schema=None) as batch_op:
        batch_op.alter_column('title', existing_type=sa.String(length=500), type_=sa.Text(), existing_nullable=False)
        batch_op.alter_column('preferred_meeting', existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=True)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _drop_is_admin_on_sqlite() -> None:
    """Drop people.is_admin without copying the table: a batch copy drops ``people``, and with
    foreign keys on SQLite deletes what cascades from it (every role, every calendar feed)."""
    import sqlite3

    if sqlite3.sqlite_version_info >= (3, 35, 0):
        op.execute("ALTER TABLE people DROP COLUMN is_admin")
        return
    # an older SQLite: keep the dependent rows aside while the table is copied
    for table in ("person_roles", "calendar_feeds"):
        op.execute(f"CREATE TEMP TABLE keep_{table} AS SELECT * FROM {table}")
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('is_admin')
    for table in ("person_roles", "calendar_feeds"):
        op.execute(f"INSERT OR IGNORE INTO {table} SELECT * FROM keep_{table}")
        op.execute(f"DROP TABLE keep_{table}")


def downgrade() -> None:
    # text longer than the old columns is cut to fit: a downgrade is a step back, not a round trip
    op.execute("UPDATE challenges SET subject = SUBSTR(subject, 1, 500)")
    op.execute("UPDATE agenda_requests SET title = SUBSTR(title, 1, 500), preferred_meeting = SUBSTR(preferred_meeting, 1, 200)")
    if not _sqlite():
        with op.batch_alter_table('agenda_requests', schema=None) as batch_op:
            batch_op.alter_column('preferred_meeting', existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=True)
            batch_op.alter_column('title', existing_type=sa.Text(), type_=sa.String(length=500), existing_nullable=False)
        with op.batch_alter_table('challenges', schema=None) as batch_op:
            batch_op.alter_column('subject', existing_type=sa.Text(), type_=sa.String(length=500), existing_nullable=False)
    # a column added in place (ALTER TABLE ... ADD COLUMN on SQLite too: no copy of the table)
    op.add_column('people', sa.Column('is_admin', sa.Boolean(), nullable=False, server_default=sa.false()))
    # a person is an administrator again where they administer their own area; roles in other areas go
    op.execute("UPDATE people SET is_admin = EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = people.id "
               "AND r.area_id = people.area_id AND r.role = 'admin')")
    op.execute("DELETE FROM person_roles WHERE role = 'admin' OR area_id <> "
               "(SELECT people.area_id FROM people WHERE people.id = person_roles.person_id)")
    with op.batch_alter_table('person_roles', schema=None) as batch_op:
        batch_op.drop_index('ix_person_roles_area_id')
        batch_op.drop_constraint('fk_person_roles_area_id_areas', type_='foreignkey')
        batch_op.drop_constraint('uq_person_roles_person_id', type_='unique')
        batch_op.create_unique_constraint('uq_person_roles_person_id', ['person_id', 'role'])
        batch_op.drop_column('area_id')
