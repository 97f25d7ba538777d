"""The batch page in a real browser: a supervisor makes a batch with the form, a worker prints
it, and the page's progress bar and printer table follow without a reload."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from registry import images, residents

from .checks import run_worker

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def test_the_progress_bar_follows_the_worker_live(live_server, page, card_images):
    niks = [live_server.resident(tanggal_lahir=dt.date(1980, 2, day)) for day in (1, 2, 3)]
    with live_server.write() as session:
        for nik in niks:
            resident = residents.get(session, nik)
            for kind in ("photo", "signature"):
                data, media, width, height = card_images[kind]
                images.store(session, live_server.actor("kpt"), resident, kind, data,
                             media_type=media, width=width, height=height)
    live_server.login(page, "supervisor")
    page.goto("/batches")
    page.locator("#kecamatan").select_option("33.14.10")
    page.locator("#reason").fill("desain kartu baru")
    page.locator("#batch-form button[type=submit]").click()
    page.wait_for_url("**/batches/1")
    done = page.locator("#batch-done")
    expect(done).to_have_text("0 dari 3 selesai")
    worker = threading.Thread(target=run_worker, args=(live_server.app, live_server.printer),
                              kwargs={"poll_seconds": 0.05})
    worker.start()
    worker.join()
    expect(done).to_have_text("3 dari 3 selesai", timeout=30_000)
    expect(page.locator("#batch-bar")).to_have_attribute("value", "3")
    row = page.locator(f"#batch-printers tr[data-printer='{live_server.printer}']")
    expect(row.locator("[data-field='cards_printed']")).to_have_text("3")
    expect(page.locator("#batch-state .badge")).to_have_text("Selesai")
