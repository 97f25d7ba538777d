"""Pages that poll in the background (a print, a batch) do not keep a walked-away clerk signed
in: their polls say they are background requests, an idled-out session sends the page to the
sign-in, and a batch that cannot move is not polled."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from app import photos
from app.batches.selection import from_choice
from registry import applications, attempts, batches, printers, residents
from tests.printing.samples import BLUE, handwriting, portrait

from .steps import verified_application

pytestmark = pytest.mark.browser


class _Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.mark.parametrize("live_config", [{"IDLE_TIMEOUT_MINUTES": 1}], indirect=True)
def test_a_print_page_left_open_signs_out_when_idle(live_server, page, monkeypatch):
    from app.web import security

    clock = _Clock()
    monkeypatch.setattr(security, "time", clock)  # the server runs in this process
    application_id = verified_application(live_server, live_server.resident())
    with live_server.write() as session:  # a print another process runs: the page polls it
        attempts.start(session, live_server.actor("kpt"), source="application",
                       source_id=application_id,
                       resident=applications.get(session, application_id).resident,
                       printer=printers.get(session, live_server.printer), office_code="33.14")
    live_server.login(page, "kpt")
    polls = []
    page.on("request", lambda r: polls.append(r.headers) if r.url.endswith("/print/status")
            else None)
    page.goto(f"/applications/{application_id}/print")
    expect(page.locator("#print-status")).to_have_attribute("data-state", "printing")
    page.wait_for_timeout(2500)
    assert polls and all(h.get("x-ktp-background") == "1" for h in polls)
    for _ in range(2):  # 50 s of polls every second, and no click
        clock.now += 25
        page.wait_for_timeout(1500)
        assert "/login" not in page.url
    clock.now += 25  # a minute and a quarter since the sign-in
    page.wait_for_url(f"**/login?next=/applications/{application_id}/print", timeout=10_000)
    expect(page.get_by_text("Anda dikeluarkan setelah 1 menit tanpa aktivitas.")).to_be_visible()


def test_a_batch_page_polls_while_it_runs_and_stops_once_paused(live_server, page):
    niks = [live_server.resident() for _ in range(2)]
    with live_server.write() as session:
        for nik in niks:
            resident = residents.get(session, nik)
            for kind, data in (("photo", portrait(BLUE)), ("signature", handwriting())):
                photos.store(session, live_server.actor("kpt"), resident, kind, data)
        batch = batches.create(session, live_server.actor("supervisor"),
                               from_choice(niks=niks), reason="kartu rusak",
                               office_code="33.14")
        batch_id = batch.id
    live_server.login(page, "supervisor")
    polls = []
    page.on("request", lambda r: polls.append(r.headers) if "progress.json" in r.url else None)
    page.goto(f"/batches/{batch_id}")
    page.wait_for_timeout(2500)
    assert polls and all(h.get("x-ktp-background") == "1" for h in polls)
    with live_server.write() as session:
        batches.pause(session, live_server.actor("supervisor"), batches.get(session, batch_id))
    page.wait_for_timeout(2500)  # one more poll sees the pause
    seen = len(polls)
    page.wait_for_timeout(4500)
    assert len(polls) == seen  # nothing moves while paused: no more polls
    page.reload()  # a paused batch's page does not poll at all
    page.wait_for_timeout(3000)
    assert len(polls) == seen
