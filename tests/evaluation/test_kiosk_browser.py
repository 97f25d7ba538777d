"""The whole survey in a browser: the clerk hands the card over at the counter and the receipt
shows the code; the resident types it on the kiosk tablet and rates the nine elements."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from registry import residents
from registry.models.survey import SurveyResponse
from tests.registry import factories

pytestmark = pytest.mark.browser

SCORES = (4, 3, 3, 4, 4, 3, 4, 2, 3)


def printed_application(live_server) -> int:
    """An application whose card is printed and waits at the counter."""
    nik = live_server.resident(nama="DEWI LESTARI")
    clerk, supervisor = live_server.actor("kpt"), live_server.actor("supervisor")
    with live_server.write() as s:
        resident = residents.get(s, nik)
        application, _ = factories.printed_application(s, clerk, supervisor, resident,
                                                       "33.14")
        return application.id


def new_page(browser, live_server, width=1366, height=900):
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    return context, context.new_page()


def hand_over_at_the_counter(browser, live_server, application_id: int) -> str:
    context, page = new_page(browser, live_server)
    try:
        live_server.login(page, "kpt")
        page.goto(f"/applications/{application_id}/handover")
        page.locator("#identity_checked").check()
        page.locator("form:has(#received_by) button[type=submit]").click()
        return page.locator("#survey-code").inner_text().strip()
    finally:
        context.close()


def answer_at_the_kiosk(browser, live_server, code: str) -> None:
    context, kiosk = new_page(browser, live_server, 1024, 768)
    try:
        kiosk.goto("/survei")
        expect(kiosk.get_by_role("heading", level=1)).to_have_text(
            "Bagaimana pelayanan kami hari ini?")
        kiosk.locator("#code").fill(code.lower().replace("-", " "))
        kiosk.get_by_role("button", name="Mulai").click()
        expect(kiosk.locator("fieldset.question")).to_have_count(9)
        for n, score in enumerate(SCORES, start=1):
            kiosk.locator(f"#q-u{n} label.score-{score}").click()
        kiosk.locator("#comment").fill("Petugas ramah")
        kiosk.get_by_role("button", name="Kirim jawaban saya").click()
        expect(kiosk.get_by_role("heading", level=1)).to_have_text("Terima kasih!")
        kiosk.get_by_role("link", name="Kembali ke awal").click()
        kiosk.locator("#code").fill(code)
        kiosk.get_by_role("button", name="Mulai").click()
        expect(kiosk.get_by_role("alert")).to_contain_text("sudah dipakai")
    finally:
        context.close()


def try_unknown_code(browser, live_server) -> None:
    context, page = new_page(browser, live_server)
    try:
        page.goto("/survei")
        page.locator("#code").fill("ABCD-EFGH")
        page.get_by_role("button", name="Mulai").click()
        expect(page.get_by_role("alert")).to_contain_text("tidak dikenal")
        expect(page.locator("fieldset.question")).to_have_count(0)
    finally:
        context.close()


def test_handover_code_then_kiosk_survey(live_server, chromium):
    application_id = printed_application(live_server)
    code = chromium.call(hand_over_at_the_counter, live_server, application_id)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    chromium.call(answer_at_the_kiosk, live_server, code)
    with live_server.app.app_context(), live_server.db.read() as s:
        [row] = s.scalars(select(SurveyResponse)).all()
    assert (row.scores, row.comment, row.channel) == (SCORES, "Petugas ramah", "kiosk")


def test_the_kiosk_refuses_an_unknown_code(live_server, chromium):
    chromium.call(try_unknown_code, live_server)
