"""Shared fixtures: a real database per test (SQLite, and PostgreSQL when
MONITOR_TEST_POSTGRES_URL is set), and config folders written by the test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.store.db import upgrade

PG_URL = os.environ.get("MONITOR_TEST_POSTGRES_URL")
_TEMPLATE = f"monitor_tmpl_{os.getpid()}"


def _pg_admin() -> object:
    import sqlalchemy as sa

    return sa.create_engine(PG_URL.replace("postgres://", "postgresql://"),  # type: ignore[union-attr]
                            isolation_level="AUTOCOMMIT")


def _pg_url_for(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL.replace("postgres://", "postgresql://")).set(  # type: ignore[union-attr]
        database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """One migrated template database; each test gets a copy (fast, isolated)."""
    if not PG_URL:
        yield None
        return
    import sqlalchemy as sa

    admin = _pg_admin()
    with admin.connect() as c:  # type: ignore[attr-defined]
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{_TEMPLATE}"'))
        c.execute(sa.text(f'CREATE DATABASE "{_TEMPLATE}"'))
    upgrade(_pg_url_for(_TEMPLATE))
    yield _TEMPLATE
    with admin.connect() as c:  # type: ignore[attr-defined]
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)'))
    admin.dispose()  # type: ignore[attr-defined]


BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_template: str | None) -> Iterator[str]:
    """A migrated, empty database: SQLite file, or a fresh PostgreSQL copy of the template."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'monitor.db'}"
        upgrade(url)
        yield url
        return
    import sqlalchemy as sa

    name = f"monitor_t_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin()
    with admin.connect() as c:  # type: ignore[attr-defined]
        c.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    yield _pg_url_for(name)
    with admin.connect() as c:  # type: ignore[attr-defined]
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    upgrade(url)
    return url
