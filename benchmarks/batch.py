"""Batch reprint figures (issue 6): making a 100,000-card batch, the worker's own cost per card,
its memory over a long batch, and throughput with 1, 2 and 4 virtual printers.

    .venv/bin/python benchmarks/batch.py [--url URL] [--residents 145000] [--reuse]
        [--overhead-cards 2000] [--memory-cards 1500] [--throughput-cards 160]
        [--only create|overhead|memory|throughput ...]

SQLite by default (a file under benchmarks/out/); PostgreSQL with ``--url postgresql+psycopg://…``
(an empty database). Every resident lives in one kecamatan, so "a whole kecamatan" is the big
batch: 145,000 demo residents, of whom about 100,000 may get a card (the rest are children,
skipped with the reason). Every resident has a photo and a signature (tiny stand-ins: making a
batch only checks that they exist; those printed for real get card-ready ones).

With ``--reuse`` a run measures what the first one did: the two big batches made only to be
timed are deleted afterwards, and the cards printed go to residents no earlier run selected.
Next to the times of making a batch are this process's CPU seconds: all the work on SQLite,
the client's share on PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, func, select

import drivers
from benchmarks.common import report
from registry import batches, offices, printers, regions, schema, stock
from registry.audit import Actor
from registry.batch_selection import Selection
from registry.csv_layout import HEADER
from registry.db import Database
from registry.demo import DemoPopulation
from registry.dialect import bulk_insert
from registry.errors import NotFoundError
from registry.importer import import_csv
from registry.models import Resident, ResidentImage, utcnow
from registry.models.batch import PRINTED, Batch, BatchItem

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parents[1]
ACTOR = Actor("benchmark")
KECAMATAN = "33.14.10"
KTP = str(Path(sys.executable).with_name("ktp"))
SECTIONS = ["create", "overhead", "memory", "throughput"]


class NullPrinter:
    """A printer that answers at once and counts cards as a real one's counter does."""

    cards = 0
    transport = SimpleNamespace(bidirectional=True)  # it confirms each card, as workers need

    def __enter__(self) -> NullPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def counters(self) -> drivers.Counters:
        return drivers.Counters(NullPrinter.cards, 5 * NullPrinter.cards)

    def identity(self) -> drivers.PrinterIdentity:
        return drivers.PrinterIdentity("Null printer", "NULL0001", "0")

    def panels_for(self, job: object) -> int:
        return 5  # a YMCKO card

    def print_card(self, job_id: str, *, expect_cards_inserted: int) -> drivers.PrintResult:
        NullPrinter.cards += 1
        return drivers.PrintResult(job_id, True, 1, 0.0, after=self.counters())


def null_probe(uri: str) -> tuple[drivers.PrinterStatus, dict]:
    return drivers.PrinterStatus(online=True, counters=NullPrinter().counters()), {}


def build(db: Database, count: int) -> None:
    schema.upgrade(db)
    with db.write() as session:
        regions.load(session)
        desas = regions.index(session).children(KECAMATAN)
        offices.ensure(session, ACTOR, "33.14")
        stock.receive(session, ACTOR, "33.14", 10_000_000)
    path = OUT / f"batch-residents-{count}.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(DemoPopulation({KECAMATAN: desas}, seed=6).rows(count))
    result = import_csv(db, path, ACTOR)
    assert not result.errors, result.errors[:3]
    with db.write() as session:
        ids = list(session.scalars(select(Resident.id)))
        now = utcnow()
        bulk_insert(session, ResidentImage.__table__, [
            {"resident_id": rid, "kind": kind, "media_type": "image/png", "data": b"-",
             "width": 1, "height": 1, "sha256": "-", "created_by": "benchmark",
             "created_at": now} for rid in ids for kind in ("photo", "signature")])


def real_images(db: Database, some: list[str]) -> None:
    """A card-ready photo and signature for those who will really be drawn and printed."""
    import printing
    from tests.printing.samples import RED, handwriting, portrait

    layout = printing.layout_for("WNI")
    photo = printing.prepare_photo(portrait(RED), layout=layout)
    signature = printing.prepare_signature(handwriting(), layout=layout)
    sign_size = printing.get_layout(layout).signature.pixels()
    with db.write() as session:
        ids = list(session.scalars(select(Resident.id).where(Resident.nik.in_(some))))
        now = utcnow()
        bulk_insert(session, ResidentImage.__table__, [
            {"resident_id": rid, "kind": kind, "media_type": media, "data": data,
             "width": size[0], "height": size[1], "sha256": "-", "created_by": "benchmark",
             "created_at": now} for rid in ids for kind, media, data, size in (
                ("photo", "image/jpeg", photo.jpeg, photo.size),
                ("signature", "image/png", signature, sign_size))])


def niks(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Resident.nik).order_by(Resident.id)))


def fresh_first(db: Database) -> list[str]:
    """Residents no earlier run put in a batch first, the newest first (with ``--reuse``,
    printing the same ones run after run would find them with a card more each time)."""
    with db.read() as session:
        used = (select(BatchItem.resident_id.label("id"))
                .where(BatchItem.resident_id.is_not(None)).group_by(BatchItem.resident_id)
                .subquery())
        return list(session.scalars(
            select(Resident.nik).outerjoin(used, used.c.id == Resident.id)
            .order_by(used.c.id.is_not(None), Resident.id.desc())))


def make(db: Database, selection: Selection) -> tuple[int, float, int]:
    """A batch of ``selection``: its id, the seconds it took, and its cards to print."""
    batch_id, seconds, rows, skipped = make_counted(db, selection)
    return batch_id, seconds, rows - skipped


def make_counted(db: Database, selection: Selection) -> tuple[int, float, int, int]:
    started = time.perf_counter()
    with db.write() as session:
        batch = batches.create(session, ACTOR, selection, reason="benchmark", office_code="33.14")
        batch_id, rows, skipped = batch.id, batch.total, batch.skipped
    return batch_id, time.perf_counter() - started, rows, skipped


def discard(db: Database, batch_id: int) -> None:
    """Cancel a batch made only to be timed, then delete its rows, so that the next batch (and
    the next run, with ``--reuse``) is made over the same database instead of one 145,000
    rows bigger each time; on PostgreSQL the dead rows are vacuumed away at once, as
    autovacuum would in time."""
    with db.write() as session:
        batches.cancel(session, ACTOR, batches.get(session, batch_id))
    with db.write() as session:
        session.execute(delete(BatchItem).where(BatchItem.batch_id == batch_id))
        session.execute(delete(Batch).where(Batch.id == batch_id))
    if not db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE batch_items")


def creation(db: Database, everyone: list[str]) -> dict:
    """A whole kecamatan, then the same people as a CSV of NIKs (parsing included)."""
    from app.batches.selection import parse_niks

    cpu = time.process_time()
    area_id, area_s, rows, skipped = make_counted(db, Selection("kecamatan", code=KECAMATAN))
    area_cpu = time.process_time() - cpu
    discard(db, area_id)
    text = "nik\n" + "\n".join(everyone) + "\n"
    started, cpu = time.perf_counter(), time.process_time()
    listed = parse_niks(text)
    list_id, list_s, _, _ = make_counted(db, Selection("niks", niks=tuple(listed)))
    list_seconds, list_cpu = time.perf_counter() - started, time.process_time() - cpu
    discard(db, list_id)
    # CPU seconds of this process: all of SQLite's work, not PostgreSQL's.
    return {"kecamatan": {"rows": rows, "cards": rows - skipped, "seconds": area_s,
                          "cpu_seconds": area_cpu},
            "nik_csv": {"rows": rows, "cards": rows - skipped, "seconds": list_seconds,
                        "create_seconds": list_s, "cpu_seconds": list_cpu}}


def overhead(db: Database, url: str, some: list[str]) -> dict:
    """The worker's own work per card: taking it, the print attempt, the card record, stock,
    closing the row. Drawing the card and the printer are replaced by instant stand-ins."""
    import app.batches.printer_loop
    import app.issuance
    import app.printers
    from app import create_app
    from tests.batches.checks import counted_statements, run_worker

    add_printer(db, "null", "virtual://null")
    batch_id, _, count = make(db, Selection("niks", niks=tuple(some)))
    flask_app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark"})
    app.issuance.job_for = lambda card, job_id: job_id
    app.printers.open_printer = lambda uri, **options: NullPrinter()
    app.printers.probe = null_probe
    spent = timed(app.batches.printer_loop.issuance, "print_started")
    with counted_statements() as statements:
        started = time.perf_counter()
        run_worker(flask_app, "null", poll_seconds=0.01)
        seconds = time.perf_counter() - started
    done = printed(db, batch_id)
    assert done == count, (done, count)
    return {"cards": count, "ms_per_card": seconds / count * 1000,
            "issuance_ms_per_card": spent[0] / count * 1000,
            "statements_per_card": statements["sql"] / count,
            "commits_per_card": statements["commit"] / count}


def timed(module: object, name: str) -> list[float]:
    """Wrap ``module.name`` to add up the seconds spent in it."""
    spent = [0.0]
    real = getattr(module, name)

    def wrapper(*args: object, **kwargs: object) -> object:
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    setattr(module, name, wrapper)
    return spent


def add_printer(db: Database, name: str, uri: str) -> None:
    """Configure a printer, or point an existing one (from an earlier run) at ``uri``."""
    with db.write() as session:
        try:
            printers.get(session, name).uri = uri
        except NotFoundError:
            printers.add(session, ACTOR, name, uri, "33.14")


def printed(db: Database, batch_id: int) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).where(
            BatchItem.batch_id == batch_id, BatchItem.state == PRINTED)) or 0


def finish_span(db: Database, batch_id: int) -> float:
    """Seconds from the first card out to the last (start-up left out)."""
    with db.read() as session:
        first, last = session.execute(select(func.min(BatchItem.finished_at),
                                             func.max(BatchItem.finished_at)).where(
            BatchItem.batch_id == batch_id, BatchItem.state == PRINTED)).one()
    return (last - first).total_seconds()


def start_printer(name: str, print_seconds: float, tmp: Path) -> tuple[subprocess.Popen, str]:
    """A virtual printer process that keeps no PNGs (the disk is not what is measured)."""
    code = ("import sys; from drivers.virtual.server import serve; "
            f"serve('127.0.0.1', 0, {str(tmp / name)!r}, cards=10**7, ribbon=10**7, "
            f"print_seconds={print_seconds}, save_png=False, "
            "announce=lambda uri: (print(uri), sys.stdout.flush()))")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    return proc, proc.stdout.readline().strip()


def worker(env: dict, *names: str) -> subprocess.Popen:
    args = [KTP, "worker", "--exit-when-idle", "--poll-seconds", "0.05"]
    for name in names:
        args += ["--printer", name]
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def memory(db: Database, env: dict, some: list[str], tmp: Path) -> dict:
    """RSS of a real worker process (drawing and sending every card) over a long batch."""
    real_images(db, some)
    proc, uri = start_printer("mem", 0.0, tmp)
    add_printer(db, "mem", uri)
    batch_id, _, count = make(db, Selection("niks", niks=tuple(some)))
    child = worker(env, "mem")
    samples = []
    while child.poll() is None:
        try:
            mb = rss_mb(child.pid)
        except FileNotFoundError:
            break
        done = printed(db, batch_id)
        if done < count:  # not the worker's exit, when it lets go of everything
            samples.append((done, mb))
        time.sleep(0.5)
    proc.terminate()
    warm = [(done, mb) for done, mb in samples if done >= min(100, count // 10)]
    (first_done, first_mb), (last_done, last_mb) = warm[0], warm[-1]
    return {"cards": count, "samples": samples, "rss_after_100_mb": first_mb,
            "rss_max_mb": max(mb for _, mb in warm), "rss_last_mb": last_mb,
            "mb_per_1000_cards": (last_mb - first_mb) / max(last_done - first_done, 1) * 1000,
            "cards_per_s": (count - 1) / finish_span(db, batch_id)}


def throughput(db: Database, env: dict, pool: list[str], tmp: Path, cards: int,
               print_seconds: float) -> dict:
    rates = {}
    real_images(db, pool)
    for count in (1, 2, 4):
        some, pool = pool[:cards], pool[cards:]
        names = [f"t{print_seconds}-{count}-{i}" for i in range(count)]
        started = [start_printer(name, print_seconds, tmp) for name in names]
        for name, (_, uri) in zip(names, started, strict=True):
            add_printer(db, name, uri)
        batch_id, _, total = make(db, Selection("niks", niks=tuple(some)))
        children = [worker(env, name) for name in names]
        for child in children:
            child.wait()
        for proc, _ in started:
            proc.terminate()
        assert printed(db, batch_id) == total
        rates[count] = (total - 1) / finish_span(db, batch_id)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=145_000,
                        help="about 100,000 of them can get a card (the others are children)")
    parser.add_argument("--url", help="database URL (default: SQLite under benchmarks/out/)")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--overhead-cards", type=int, default=2000)
    parser.add_argument("--memory-cards", type=int, default=1500)
    parser.add_argument("--throughput-cards", type=int, default=160)
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=SECTIONS,
                        help="run these sections only (the machine is shared: measure what "
                             "changed); each takes the residents it would in a full run")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"batch-{args.residents}.sqlite"
    url = args.url or f"sqlite:///{path}"
    if not args.url and not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database(url)
    if not (args.reuse and schema.current_revision(db)):
        build(db, args.residents)
    everyone = niks(db)
    data: dict = {"url": db.engine.url.render_as_string(), "residents": len(everyone)}
    if "create" in args.only:
        data["create"] = creation(db, everyone)
    pool = fresh_first(db)
    used = args.overhead_cards
    if "overhead" in args.only:
        data["overhead"] = overhead(db, url, pool[:used])
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "KTP_DATABASE_URL": url, "KTP_INSTANCE_PATH": str(tmp / "i"),
               "KTP_SECRET_KEY": "benchmark"}
        if "memory" in args.only:
            data["memory"] = memory(db, env, pool[used:used + args.memory_cards], tmp)
        used += args.memory_cards
        n = args.throughput_cards
        if "throughput" in args.only:
            data["throughput"] = {
                "0s": throughput(db, env, pool[used:used + 3 * n], tmp, n, 0.0),
                "0.25s": throughput(db, env, pool[used + 3 * n:used + 6 * n], tmp, n, 0.25)}
    _print(data, db.engine.dialect.name)


def _print(data: dict, dialect: str) -> None:
    rows: list[tuple[str, str, str]] = []
    if c := data.get("create"):
        k = c["kecamatan"]
        n = c["nik_csv"]
        rows += [
            (f"make a batch: kecamatan, {k['rows']:,} residents ({k['cards']:,} cards)",
             f"{k['seconds']:.1f} s (CPU {k['cpu_seconds']:.1f})", "≤ 10 s"),
            (f"make a batch: CSV of {k['rows']:,} NIKs",
             f"{n['seconds']:.1f} s (CPU {n['cpu_seconds']:.1f})", "≤ 10 s")]
    if o := data.get("overhead"):
        rows += [
            (f"worker overhead per card ({o['cards']} cards)", f"{o['ms_per_card']:.2f} ms",
             "≤ 5 ms"),
            ("  of which app.issuance (one-card path)", f"{o['issuance_ms_per_card']:.2f} ms", ""),
            ("  SQL statements / commits per card",
             f"{o['statements_per_card']:.1f} / {o['commits_per_card']:.1f}", "")]
    if m := data.get("memory"):
        rows += [
            (f"worker RSS after 100 / max / last ({m['cards']} cards)",
             f"{m['rss_after_100_mb']:.0f} / {m['rss_max_mb']:.0f} / {m['rss_last_mb']:.0f} MB",
             "flat, ≤ 150 MB"),
            ("one printer, real drawing and sending", f"{m['cards_per_s']:.1f} cards/s", "")]
    for label, key in (("0 s", "0s"), ("0.25 s", "0.25s")):
        if rates := data.get("throughput", {}).get(key):
            rows.append((f"printers 1 / 2 / 4, print time {label}",
                         " / ".join(f"{rates[k]:.1f}" for k in (1, 2, 4)) + " /s",
                         "scales with printers"))
    ran = [s for s in SECTIONS if s in data]
    part = "" if ran == SECTIONS else f" ({', '.join(ran)})"  # a partial run has its own file
    report(f"Batch benchmark, {data['residents']:,} residents on {dialect}{part}", rows,
           OUT / f"batch-{dialect}{'-'.join(['', *ran]) if part else ''}.json", data)


if __name__ == "__main__":
    main()
