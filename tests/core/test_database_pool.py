"""PostgreSQL through a bounded connection pool (issue 8 item 2; DESIGN.md "Embedded default and scale-out").

Each request borrows a connection and gives it back when it ends (CONN_MAX_AGE 0), so a process holds at most the
pool's max_size connections however many request threads daphne runs, and a burst of more requests than that waits
for a free connection instead of failing with PostgreSQL's "too many clients". SQLite has no pool.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections

from config.env import database_config

on_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the connection pool is PostgreSQL's; the embedded SQLite file has none",
)


@on_postgresql
def test_postgresql_goes_through_the_pool_sized_by_the_settings(db: None) -> None:
    from psycopg_pool import ConnectionPool  # psycopg[pool]; imported here so SQLite runs need not have it

    config = settings.DATABASES["default"]
    assert config["CONN_MAX_AGE"] == 0  # no connection outlives its request (Django refuses it with a pool anyway)
    assert config["OPTIONS"]["pool"] == settings.DATABASE_POOL
    pool = connection.pool
    assert isinstance(pool, ConnectionPool)
    assert (pool.min_size, pool.max_size, pool.timeout) == (
        settings.DATABASE_POOL["min_size"], settings.DATABASE_POOL["max_size"], settings.DATABASE_POOL["timeout"])
    assert connection.connection is not None and pool.get_stats()["pool_size"] <= pool.max_size


@pytest.fixture
def small_pool_database() -> Iterator[dict[str, Any]]:
    """The test database's settings behind a pool of two connections, under an alias of its own: each thread
    below is one request, with its own Django connection object, sharing that process-wide pool."""
    wrapper_class = type(connections["default"])
    probe = {**connection.settings_dict, "OPTIONS": {**connection.settings_dict["OPTIONS"],
                                                     "pool": {"min_size": 0, "max_size": 2, "timeout": 30}}}
    yield probe
    wrapper_class(probe, alias="pool_probe").close_pool()


@on_postgresql
def test_a_burst_of_more_requests_than_connections_waits_for_them_and_all_succeed(
    db: None, small_pool_database: dict[str, Any]
) -> None:
    wrapper_class = type(connections["default"])
    requests = 8
    start = threading.Barrier(requests)
    backends: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def one_request() -> None:
        own = wrapper_class(small_pool_database, alias="pool_probe")
        try:
            start.wait()
            with own.cursor() as cursor:  # holds its connection for 0.2 s, as a slow request would
                cursor.execute("SELECT pg_backend_pid() FROM pg_sleep(0.2)")
                (pid,) = cursor.fetchone()
            with lock:
                backends.append(pid)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            with lock:
                failures.append(exc)
        finally:
            own.close()  # the end of a request: the connection goes back to the pool
            assert own.connection is None

    threads = [threading.Thread(target=one_request) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(backends) == requests
    assert len(set(backends)) <= 2  # never more server connections than the pool's max_size
    stats = wrapper_class(small_pool_database, alias="pool_probe").pool.get_stats()
    assert stats["requests_queued"] >= requests - 2  # the others waited for a connection rather than failing
    assert stats["pool_max"] == 2 and stats["pool_size"] <= 2


def test_sqlite_urls_and_the_embedded_default_have_no_pool() -> None:
    pool = {"min_size": 2, "max_size": 10, "timeout": 30.0}
    assert "pool" not in database_config(None, "var/x.sqlite3", pool=pool)["OPTIONS"]
    assert "pool" not in database_config("sqlite:///var/x.sqlite3", "unused", pool=pool).get("OPTIONS", {})
