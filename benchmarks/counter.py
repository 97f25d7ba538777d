"""Counter page speed on a realistic registry (default 1,000,000 residents of Kabupaten Sragen).

Builds the registry once with the CSV importer (`benchmarks.registry.build`) into
``benchmarks/out/counter-N.sqlite`` (``--reuse`` keeps it), plays a working week at the KPT on
it (applications in every state with photos, printed and handed-over cards, stock movements),
then times every counter page through the Flask test client, signed in as a clerk, the way a
counter uses them: mostly searches and resident pages, then applications, printing, stock and
the supervisor's pages. Goals (issue 5): p95 <= 200 ms per page, card preview <= 300 ms.

    .venv/bin/python benchmarks/counter.py [--residents N] [--reuse] [--samples 200]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from benchmarks.common import percentile, report
from benchmarks.registry import OUT, build, name_queries

PASSWORD = "bench-password-1"
PREVIEW_GOAL, PAGE_GOAL = 300.0, 200.0


def make_app(url: str, instance: Path):
    from app import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": False})
    app.instance_path = str(instance)
    return app


def prepare(app, count: int) -> None:
    """A week at the KPT, once per registry: clerks, a printer, blanks, applications."""
    from app import issuance, photos
    from app.auth.passwords import hash_password
    from app.database import db
    from app.demo.seed import ensure_sragen_offices
    from registry import applications, printers, stock, users
    from registry.audit import SYSTEM, Actor
    from registry.errors import NotFoundError
    from registry.models import Resident
    from tests.printing.samples import BLUE, RED, handwriting, portrait

    with app.app_context():
        database = db()
        with database.read() as session:
            try:
                users.get(session, "bench-kpt")
                return
            except NotFoundError:
                pass
        ensure_sragen_offices(database, SYSTEM)
        kpt = Actor("bench-kpt", office_code="33.14", role="operator")
        boss = Actor("bench-supervisor", office_code="33.14", role="supervisor")
        with database.write() as session:
            for name, role in (("bench-kpt", "operator"), ("bench-supervisor", "supervisor")):
                users.create(session, SYSTEM, name, role=role, office_code="33.14",
                             password_hash=hash_password(PASSWORD))
            printers.add(session, SYSTEM, "bench-1", "virtual://bench-1?cards=100000", "33.14")
            stock.receive(session, boss, "33.14", 5000, reference="SJ/BENCH/1")
        rng = random.Random(5)
        ids = rng.sample(range(1, count + 1), 600)
        taken: list[tuple[int, str]] = []
        with database.write() as session:
            for resident in session.scalars(select(Resident).where(Resident.id.in_(ids))):
                if applications.eligibility(resident):
                    continue
                application = applications.submit(session, kpt, resident, "33.14")
                colour = RED if resident.tanggal_lahir.year % 2 else BLUE
                for kind, data in (("photo", portrait(colour)), ("signature", handwriting())):
                    stored = photos.store(session, kpt, resident, kind, data)
                    applications.attach_image(session, kpt, application, kind, stored.id)
                taken.append((application.id, resident.nik))
            for application_id, _nik in taken[:250]:
                applications.verify(session, boss, applications.get(session, application_id))
        for application_id, nik in taken[:180]:
            issuance.print_for(database, kpt, "application", application_id, nik, "bench-1",
                               "33.14")
        with database.write() as session:
            for application_id, _nik in taken[:120]:
                applications.hand_over(session, kpt, applications.get(session, application_id),
                                       "YANG BERSANGKUTAN")


class Counter:
    """A signed-in clerk's browser: the test client with the page's CSRF token."""

    def __init__(self, app, username: str) -> None:
        self.client = app.test_client()
        page = self.client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        response = self.client.post("/login", data={"username": username,
                                                    "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, "sign-in failed"

    def time(self, url: str) -> float:
        started = time.perf_counter()
        response = self.client.get(url)
        response.get_data()
        elapsed = time.perf_counter() - started
        assert response.status_code in (200, 302), (url, response.status_code)
        return elapsed


def samples(app, rng: random.Random) -> dict[str, Callable[[], str]]:
    """Each page with a way to pick a realistic address for it."""
    from app.database import db
    from registry.models import Application, Family, Resident

    with app.app_context(), db().read() as session:
        highest = session.scalar(select(func.max(Resident.id)))
        picked = list(session.execute(select(Resident.nik, Family.kk).join(Family).where(
            Resident.id.in_(rng.sample(range(1, highest + 1), 500)))))
        states: dict[str, list[int]] = {}
        for application_id, state in session.execute(select(Application.id,
                                                             Application.state)):
            states.setdefault(state, []).append(application_id)
    names = [q for q, _area in name_queries(random.Random(2), 500)]
    nik = lambda: rng.choice(picked)[0]  # noqa: E731
    app_in = lambda *s: rng.choice([i for state in s for i in states.get(state, [])])  # noqa: E731
    return {
        "counter (/)": lambda: "/",
        "search by name": lambda: f"/residents?q={rng.choice(names)}",
        "search by NIK prefix": lambda: f"/residents?q={nik()[:10]}",
        "search by KK": lambda: f"/residents?q={rng.choice(picked)[1]}",
        "resident": lambda: f"/residents/{nik()}",
        "family": lambda: f"/families/{rng.choice(picked)[1]}",
        "register form": lambda: "/residents/new",
        "correct form": lambda: f"/residents/{nik()}/edit",
        "apply form": lambda: f"/residents/{nik()}/apply",
        "applications list": lambda: "/applications?list=print",
        "application": lambda: f"/applications/{app_in('DICETAK', 'DISERAHKAN', 'DIAJUKAN')}",
        "capture": lambda: f"/applications/{app_in('DIAJUKAN')}/capture",
        "print page": lambda: f"/applications/{app_in('DIVERIFIKASI')}/print",
        "print status (JSON)": lambda: f"/applications/{app_in('DICETAK')}/print/status",
        "handover form": lambda: f"/applications/{app_in('DICETAK')}/handover",
        "receipt": lambda: f"/applications/{app_in('DISERAHKAN')}/receipt",
        "stock": lambda: "/stock",
        "card preview (PNG)": lambda: f"/applications/{app_in('DIVERIFIKASI')}/card.png",
        "audit (supervisor)": lambda: "/audit",
        "audit by record": lambda: f"/audit?entity=resident&key={nik()}",
        "reports (supervisor)": lambda: "/reports",
    }


SUPERVISOR_PAGES = ("audit (supervisor)", "audit by record", "reports (supervisor)")


def measure(app, count: int, per_page: int) -> dict[str, dict[str, float]]:
    rng = random.Random(11)
    pages = samples(app, rng)
    clerks = {"operator": Counter(app, "bench-kpt"),
              "supervisor": Counter(app, "bench-supervisor")}
    results = {}
    for name, address in pages.items():
        clerk = clerks["supervisor" if name in SUPERVISOR_PAGES else "operator"]
        for _ in range(5):  # warm caches, as a server that has been up a while
            clerk.time(address())
        timings = [clerk.time(address()) * 1000 for _ in range(per_page)]
        results[name] = {"p50_ms": percentile(timings, 50), "p95_ms": percentile(timings, 95),
                         "max_ms": max(timings), "n": len(timings)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep an existing registry")
    parser.add_argument("--samples", type=int, default=200, help="requests per page")
    args = parser.parse_args()
    from registry.db import Database

    OUT.mkdir(exist_ok=True)
    path = OUT / f"counter-{args.residents}.sqlite"
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    if not path.exists():
        database = Database(url)
        started = time.perf_counter()
        build(database, args.residents)
        database.dispose()
        print(f"built {args.residents:,} residents in {time.perf_counter() - started:.0f} s")
    with tempfile.TemporaryDirectory() as instance:
        app = make_app(url, Path(instance))
        prepare(app, args.residents)
        results = measure(app, args.residents, args.samples)
    rows = []
    for name, r in results.items():
        goal = PREVIEW_GOAL if "preview" in name else PAGE_GOAL
        verdict = "ok" if r["p95_ms"] <= goal else "SLOW"
        rows.append((name, f"{r['p50_ms']:6.1f} / {r['p95_ms']:6.1f} ms",
                     f"p95 <= {goal:.0f} ms {verdict}"))
    report(f"Counter pages, {args.residents:,} residents on SQLite (p50 / p95, "
           f"{args.samples} requests each, Flask test client)", rows,
           OUT / "counter-sqlite.json", {"residents": args.residents, "pages": results})


if __name__ == "__main__":
    main()
