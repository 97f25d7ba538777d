"""Registry speed on a realistic registry (default 1,000,000 residents of Kabupaten Sragen).

Measures: CSV import rate, NIK lookup p50/p99 (in process), name search p50/p99 with spelling
variants, and NIK allocation rate with 8 writer processes racing. SQLite by default (a file
under benchmarks/out/); PostgreSQL with ``--url postgresql+psycopg://…`` (an empty database).

    .venv/bin/python benchmarks/registry.py [--residents N] [--url URL] [--reuse]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import multiprocessing
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from benchmarks.common import report, summary_ms
from registry import regions, residents, schema, search
from registry.audit import Actor
from registry.csv_layout import HEADER
from registry.db import Database
from registry.demo import MEN, SRAGEN, WOMEN, DemoPopulation
from registry.importer import import_csv
from registry.models import Family, Resident

OUT = Path(__file__).resolve().parent / "out"
ACTOR = Actor("benchmark")
SPELLINGS = ["SOEKARNO", "SUKARNO", "DJOKO", "JOKO", "TJIPTO", "CIPTO", "SJAMSUL", "POEDJI",
             "CHOIRUL", "NJOMAN", "SOESILOWATI", "MARJATI"]


def build(db: Database, count: int) -> dict:
    schema.upgrade(db)
    with db.write() as session:
        regions.load(session)
        index = regions.index(session)
    areas = {k: index.children(k) for k in index.children(SRAGEN)}
    OUT.mkdir(exist_ok=True)
    path = OUT / f"residents-{count}.csv"
    if not path.exists():
        with path.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            for row in DemoPopulation(areas, seed=2024).rows(count):
                writer.writerow(row)
    rows = sum(1 for _ in path.open()) - 1
    started = time.perf_counter()
    result = import_csv(db, path, ACTOR)
    seconds = time.perf_counter() - started
    assert not result.errors, result.errors[:3]
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds}


def lookups(db: Database, samples: int = 20_000) -> dict:
    with db.read() as session:
        highest = session.scalar(select(func.max(Resident.id)))
        rng = random.Random(1)
        ids = [rng.randint(1, highest) for _ in range(samples)]
        niks = list(session.scalars(select(Resident.nik).where(Resident.id.in_(ids[:5000]))))
        niks = (niks * (samples // max(len(niks), 1) + 1))[:samples]
        timings = []
        for nik in niks:
            t = time.perf_counter()
            residents.get(session, nik)
            timings.append(time.perf_counter() - t)
            session.expunge_all()  # measure the database, not the identity map
    return summary_ms(timings)


def name_queries(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
    kecamatan = [f"33.14.{i:02d}" for i in range(1, 21)]
    queries = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.3:
            q = rng.choice(MEN + WOMEN)
        elif kind < 0.55:
            q = f"{rng.choice(MEN + WOMEN)} {rng.choice(MEN + WOMEN)[:3]}"
        elif kind < 0.8:
            q = rng.choice(SPELLINGS)
        else:
            q = rng.choice(MEN + WOMEN)[:3]
        area = rng.choice(kecamatan) if rng.random() < 0.3 else None
        queries.append((q, area))
    return queries


def searches(db: Database, samples: int = 2_000) -> dict:
    timings = []
    queries = name_queries(random.Random(2), samples)
    with db.read() as session:
        for q, area in queries[:50]:  # warm the cache as a running server would be
            search.search(session, q, area=area)
        for q, area in queries:
            t = time.perf_counter()
            search.search(session, q, area=area, per_page=20)
            timings.append(time.perf_counter() - t)
    return summary_ms(timings)


def _allocate(url: str, desa: str, writer: int, seconds: float, start, out) -> None:
    from tests.registry.factories import resident_fields

    db = Database(url)
    rng = random.Random(writer)
    start.wait()
    done, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20_000))
        with db.write() as session:
            residents.register(session, Actor(f"w{writer}"), resident_fields(
                nama=f"{rng.choice(MEN)} {_letters(writer)} {_letters(done)}",
                tanggal_lahir=born, desa_code=desa), confirm_duplicate=True)
        done += 1
    out.put(done)


def _letters(n: int) -> str:
    text = ""
    while True:
        n, r = divmod(n, 26)
        text = chr(65 + r) + text
        if n == 0:
            return text


def roomiest_desa(url: str) -> str:
    """A desa of the kecamatan with the most of today's KK serials left (9,999 a kecamatan a
    day; each registration here makes a family): every writer races in that one kecamatan, the
    hard case, and reruns on one day move on instead of running out."""
    db = Database(url)
    with db.read() as session:
        index = regions.index(session)
        today = f"{dt.date.today():%d%m%y}"
        used = {kecamatan: session.scalar(select(func.count()).where(
                    Family.kk.like(kecamatan.replace(".", "") + today + "%"))) or 0
                for kecamatan in index.children(SRAGEN)}
        desa = index.children(min(used, key=used.__getitem__))[0]
    db.dispose()
    return desa


def allocation(url: str, writers: int = 8, seconds: float = 10.0) -> dict:
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    desa = roomiest_desa(url)
    procs = [ctx.Process(target=_allocate, args=(url, desa, w, seconds, start, out))
             for w in range(writers)]
    for p in procs:
        p.start()
    time.sleep(2)
    start.set()
    total = sum(out.get(timeout=seconds + 120) for _ in procs)
    for p in procs:
        p.join()
    return {"writers": writers, "registrations": total, "per_s": total / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--url", help="database URL (default: SQLite under benchmarks/out/)")
    parser.add_argument("--reuse", action="store_true", help="skip the import if already built")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    url = args.url or f"sqlite:///{OUT / f'registry-{args.residents}.sqlite'}"
    if not args.url and not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(str(OUT / f"registry-{args.residents}.sqlite") + suffix).unlink(missing_ok=True)
    db = Database(url)
    data: dict = {"url": db.engine.url.render_as_string(), "residents": args.residents}
    with db.read() as session:
        existing = session.scalar(select(func.count()).select_from(Resident)) if \
            schema.current_revision(db) else 0
    if args.reuse and existing:
        data["import"] = {"rows": existing, "seconds": None, "rows_per_s": None}
    else:
        data["import"] = build(db, args.residents)
    data["nik_lookup"] = lookups(db)
    data["name_search"] = searches(db)
    data["allocation"] = allocation(url)
    imp = data["import"]
    rate = f"{imp['rows_per_s']:,.0f} rows/s" if imp["rows_per_s"] else "(reused)"
    report(f"Registry benchmark, {imp['rows']:,} residents on {db.engine.dialect.name}", [
        ("CSV import", rate, "≥ 20,000 rows/s"),
        ("NIK lookup p50", f"{data['nik_lookup']['p50_ms']:.3f} ms", ""),
        ("NIK lookup p99", f"{data['nik_lookup']['p99_ms']:.3f} ms", "≤ 1 ms"),
        ("name search p50", f"{data['name_search']['p50_ms']:.2f} ms", ""),
        ("name search p99", f"{data['name_search']['p99_ms']:.2f} ms", "≤ 10 ms"),
        ("NIK allocation, 8 writers", f"{data['allocation']['per_s']:,.0f} /s", "(no goal)"),
    ], OUT / f"registry-{db.engine.dialect.name}.json", data)


if __name__ == "__main__":
    main()
