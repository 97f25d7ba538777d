"""Screenshots of the counter's main pages and of the service evaluation with realistic demo
data, for the README.

    .venv/bin/python -m tests.e2e.screenshots [--out docs/screenshots] [--lang id]

Builds a fresh SQLite registry (regions, 300 demo residents of Kabupaten Sragen with photos),
serves it with `tests.e2e.live.LiveServer`, plays a day at the counter (applications in every
state, a reprint after a jammed print, stock movements) and saves ``counter-<page>.png`` per
page at 1366 px wide, the screen of a typical office PC (long pages are cut at 1600 px). Then
`shoot_evaluation` adds a year of history (`ktp evaluation demo`, which leaves the residents
served that day alone) and saves ``evaluation-<page>.png``: the dashboard, the kiosk on a
1024 px tablet with a code from one of the day's handovers, and page 2 of the annual report.
`tests/e2e/test_screenshots.py` and `tests/evaluation/test_screenshots.py` run them into a
temporary folder.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from app import evaluation, issuance, photos
from app.demo.seed import seed_residents
from app.evaluation.demo import seed_evaluation
from registry import applications, printers, regions, residents, schema, search, stock
from registry.audit import SYSTEM
from registry.db import Database
from registry.models import Card
from registry.models.survey import SurveyInvitation
from tests.printing.samples import BLUE, RED, handwriting, portrait

from .live import LiveServer

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("login", "home", "search", "resident", "application", "capture", "print", "stock",
         "audit")
PREFIX = "counter-"  # docs/screenshots is shared with the other features' pictures
SIZE = {"width": 1366, "height": 768}
MAX_HEIGHT = 1600  # long pages (the audit log) are cut here
EVALUATION_PAGES = ("dashboard", "kiosk", "report")
EVALUATION_PREFIX = "evaluation-"
DASHBOARD_HEIGHT = 1150  # the SKM figures and the elements, as the README shows them
TABLET = {"width": 1024, "height": 900}
REPORT_DPI = 100  # an A4 page 827 px wide


def build_registry(folder: Path, count: int = 300) -> str:
    url = f"sqlite:///{folder / 'screens.sqlite'}"
    database = Database(url)
    schema.upgrade(database)
    with database.write() as session:
        regions.load(session)
    seed_residents(database, SYSTEM, count, seed=7)
    database.dispose()
    return url


class Day:
    """A morning at the KPT counter, written through the same services the pages use."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.kpt, self.supervisor = server.actor("kpt"), server.actor("supervisor")

    def _capture(self, session, application) -> None:
        resident = application.resident
        colour = RED if resident.tanggal_lahir.year % 2 else BLUE
        for kind, data in (("photo", portrait(colour)), ("signature", handwriting())):
            stored = photos.store(session, self.kpt, resident, kind, data)
            applications.attach_image(session, self.kpt, application, kind, stored.id)

    def _print(self, application_id: int, nik: str, printer: str | None = None) -> None:
        with self.server.app.app_context():
            issuance.print_for(self.server.db, self.kpt, "application", application_id, nik,
                               printer or self.server.printer, "33.14")

    def _hand_over(self, application_id: int, who: str) -> None:
        with self.server.write() as session:
            applications.hand_over(session, self.kpt, applications.get(session, application_id),
                                   who)

    def play(self) -> dict[str, object]:
        with self.server.write() as session:
            stock.receive(session, self.supervisor, "33.14", 60,
                          reference="SJ/DISDUKCAPIL/2026/112")
            printers.add(session, self.supervisor, "kpt-sragen-2",
                         "virtual://kpt-sragen-2?fault=jam@1", "33.14")
            found = search.search(session, "", area="33.14", per_page=100).items
            people = [r for r in found if not applications.eligibility(r)][:12]
            taken = []
            for resident in people:
                application = applications.submit(session, self.kpt, resident, "33.14")
                if len(taken) < 10:
                    self._capture(session, application)
                taken.append((application.id, resident.nik))
            for application_id, _nik in taken[:8]:
                applications.verify(session, self.supervisor,
                                    applications.get(session, application_id))
            stock.transfer(session, self.supervisor, "33.14", "33.14.10", 10,
                           "untuk Kecamatan Sragen")
            stock.spoil(session, self.kpt, "33.14", "blangko tergores di dalam kotak")
        for application_id, nik in taken[:5]:
            self._print(application_id, nik)
        for application_id, _nik in taken[:3]:
            self._hand_over(application_id, "YANG BERSANGKUTAN")
        reprint_nik = taken[0][1]
        with self.server.write() as session:
            resident = residents.get(session, reprint_nik)
            lost = applications.submit(session, self.kpt, resident, "33.14", reason="HILANG",
                                       police_report_no="STPL/123/XI/2026/RES SRAGEN")
            self._capture(session, lost)
            applications.verify(session, self.supervisor, lost)
            lost_id, name = lost.id, resident.nama
        self._print(lost_id, reprint_nik, "kpt-sragen-2")  # jams: a spoiled blank, then
        self._print(lost_id, reprint_nik)  # printed again on the first printer
        self._hand_over(lost_id, name)
        return {"reprint": (lost_id, reprint_nik), "capture": taken[11][0],
                "to_print": taken[5][0]}


def shoot(server: LiveServer, browser, out: Path, lang: str = "id") -> list[Path]:
    """Play the day and save every page of `PAGES` into ``out``; returns the files."""
    story = Day(server).play()
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=server.url, viewport=SIZE,
                                  locale="id-ID" if lang == "id" else "en-GB")
    page = context.new_page()
    saved: list[Path] = []

    def save(name: str, prepare: Callable[[], None]) -> None:
        prepare()
        page.wait_for_load_state("networkidle")
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
        path = out / f"{PREFIX}{name}.png"
        page.screenshot(path=str(path), full_page=True,
                        clip={"x": 0, "y": 0, "width": SIZE["width"], "height": height})
        saved.append(path)

    page.goto(f"/login?lang={lang}")
    save("login", lambda: page.locator("#username").fill("kpt"))
    server.login(page, "kpt")
    reprint_id, reprint_nik = story["reprint"]
    save("home", lambda: page.goto("/"))
    save("search", lambda: page.goto("/residents?q=sukarno"))
    save("resident", lambda: page.goto(f"/residents/{reprint_nik}"))
    save("application", lambda: page.goto(f"/applications/{reprint_id}"))

    def capture() -> None:
        page.goto(f"/applications/{story['capture']}/capture")
        page.locator("#photo").set_input_files(files=[{
            "name": "webcam.jpg", "mimeType": "image/jpeg",
            "buffer": portrait(RED, size=(960, 720))}])
        page.locator("#crop-frame").wait_for(state="visible")
        box = page.locator("#signature-pad").bounding_box()
        page.mouse.move(box["x"] + 60, box["y"] + 130)
        page.mouse.down()
        for step in range(1, 14):
            page.mouse.move(box["x"] + 60 + step * 28, box["y"] + (70 if step % 2 else 140),
                            steps=4)
        page.mouse.up()
    save("capture", capture)

    def printing() -> None:
        server.printer_device().print_seconds = 8  # long enough to see it printing
        page.goto(f"/applications/{story['to_print']}/print")
        page.get_by_role("button", name="Cetak" if lang == "id" else "Print",
                         exact=True).click()
        page.locator("#print-status[data-state='printing']").wait_for()
    save("print", printing)
    page.locator("#print-status[data-state='printed']").wait_for(timeout=30_000)
    server.logout(page)
    server.login(page, "supervisor")
    save("stock", lambda: page.goto("/stock"))
    save("audit", lambda: page.goto("/audit"))
    context.close()
    return saved


def _survey_code(server: LiveServer) -> str:
    """The code the counter shows for the last card handed over that day (through the same
    hook as the handover page)."""
    kpt = server.actor("kpt")
    with server.write() as session:
        card = session.scalar(
            select(Card).where(Card.handed_over_at.is_not(None), Card.printed_by == kpt.name,
                               Card.id.not_in(select(SurveyInvitation.card_id)))
            .order_by(Card.handed_over_at.desc()).limit(1))
        return evaluation.on_handover(session, kpt, card)


def shoot_evaluation(server: LiveServer, browser, out: Path, lang: str = "id") -> list[Path]:
    """After `shoot`'s day: a year of demo history, then every page of `EVALUATION_PAGES`
    into ``out``; returns the files."""
    with server.app.app_context():
        seed_evaluation(server.db, server.actor("supervisor"), months=12, seed=1)
        year = evaluation.settings.today().year
    code = _survey_code(server)
    out.mkdir(parents=True, exist_ok=True)
    locale = "id-ID" if lang == "id" else "en-GB"
    saved: list[Path] = []

    context = browser.new_context(base_url=server.url, viewport=SIZE, locale=locale)
    page = context.new_page()
    page.goto(f"/login?lang={lang}")
    server.login(page, "supervisor")
    page.goto(f"/evaluation?lang={lang}")
    page.wait_for_load_state("networkidle")
    height = min(page.evaluate("document.documentElement.scrollHeight"), DASHBOARD_HEIGHT)
    saved.append(out / f"{EVALUATION_PREFIX}dashboard.png")
    page.screenshot(path=str(saved[-1]), full_page=True,
                    clip={"x": 0, "y": 0, "width": SIZE["width"], "height": height})
    pdf = page.request.get(f"/evaluation/report.pdf?year={year}&lang={lang}").body()
    context.close()

    tablet = browser.new_context(base_url=server.url, viewport=TABLET, locale=locale)
    kiosk = tablet.new_page()
    kiosk.goto(f"/survei?lang={lang}")
    kiosk.locator("#code").fill(code)
    kiosk.locator("form button[type=submit]").click()
    kiosk.locator("fieldset.question").first.wait_for()
    kiosk.locator("#q-u1 label.score-4").click()
    kiosk.locator("#q-u2 label.score-3").click()
    kiosk.evaluate("window.scrollTo(0, 0)")
    saved.append(out / f"{EVALUATION_PREFIX}kiosk.png")
    kiosk.screenshot(path=str(saved[-1]))
    tablet.close()

    import pypdfium2 as pdfium

    saved.append(out / f"{EVALUATION_PREFIX}report.png")
    document = pdfium.PdfDocument(pdf)
    document[1].render(scale=REPORT_DPI / 72).to_pil().save(saved[-1])
    document.close()
    return saved


def main() -> None:
    from playwright.sync_api import sync_playwright

    from .live import launch_chromium

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", default="id", choices=("id", "en"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        server = LiveServer.start(build_registry(folder), folder / "instance", blanks=0)
        browser = launch_chromium(playwright)
        try:
            for path in shoot(server, browser, args.out, args.lang):
                print(path)
            for path in shoot_evaluation(server, browser, args.out, args.lang):
                print(path)
        finally:
            browser.close()
            server.stop()


if __name__ == "__main__":
    main()
