"""`monitor db upgrade` on an empty database yields exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import monitor.store.tables  # noqa: F401
from monitor.store.db import current_revision, make_engine


def test_upgrade_head_matches_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
        assert diff == []
    finally:
        engine.dispose()
    assert current_revision(db_url) == "0001"
