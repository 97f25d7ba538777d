"""Registrations racing in separate processes never receive the same NIK or KK."""

from __future__ import annotations

import multiprocessing

import pytest

WRITERS, EACH = 4, 15
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _register_many(url: str, writer: int, start, out) -> None:
    from registry import residents
    from registry.audit import Actor
    from registry.db import Database
    from tests.registry.factories import resident_fields

    db = Database(url)
    start.wait()
    numbers = []
    for i in range(EACH):
        with db.write() as session:
            name = f"WARGA {LETTERS[writer]}{LETTERS[i]}"  # swapped words would be a duplicate
            r = residents.register(session, Actor(f"writer{writer}"), resident_fields(nama=name))
            numbers.append((r.nik, r.family.kk))
    out.put(numbers)
    db.dispose()


@pytest.mark.slow
def test_racing_processes_get_distinct_consecutive_niks(db_url):
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_register_many, args=(db_url, w, start, out))
             for w in range(WRITERS)]
    for p in procs:
        p.start()
    start.set()
    results = [n for _ in procs for n in out.get(timeout=120)]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    niks = sorted(nik for nik, _ in results)
    kks = {kk for _, kk in results}
    assert len(set(niks)) == len(niks) == WRITERS * EACH
    assert len(kks) == WRITERS * EACH
    # Same kecamatan, birth date and sex: one prefix, serials 1..60 with no gap and no repeat.
    assert {n[:12] for n in niks} == {"331410570880"}
    assert [int(n[12:]) for n in niks] == list(range(1, WRITERS * EACH + 1))
