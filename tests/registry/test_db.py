"""How the engine connects, seen without a server: a listener records what the driver would
be given and stops there."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from registry.db import CONNECT_TIMEOUT_S, Database


class _Stop(Exception):
    pass


def _connect_kwargs(url: str) -> dict:
    pytest.importorskip("psycopg")
    database = Database(url)
    seen: dict = {}

    @event.listens_for(database.engine, "do_connect")
    def _record(_dialect, _record, _cargs, cparams):
        seen.update(cparams)
        raise _Stop

    with pytest.raises(_Stop):
        database.engine.connect()
    database.dispose()
    return seen


def test_postgresql_connections_give_up_after_seconds_not_minutes():
    kwargs = _connect_kwargs("postgresql+psycopg://ktp@192.0.2.1:5432/ktp")
    assert kwargs["connect_timeout"] == CONNECT_TIMEOUT_S == 10


def test_a_timeout_in_the_url_is_kept():
    kwargs = _connect_kwargs("postgresql+psycopg://ktp@192.0.2.1:5432/ktp?connect_timeout=3")
    assert kwargs["connect_timeout"] == "3"
