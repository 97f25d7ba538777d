"""Printing at the counter: the printer choice, the preview, the live status, faults and what
to do about them, reprints after a failure, held prints, and the owed-prints queue."""

from __future__ import annotations

import datetime as dt
import io

import zxingcpp
from PIL import Image

from app.web.print_jobs import jobs
from registry import applications, attempts, printers, stock
from registry.models import PrintAttempt

from .conftest import actor

JSON = {"Accept": "application/json"}


def _printer(web, name: str, **options) -> str:
    query = "&".join(f"{k}={v}" for k, v in options.items())
    with web.db.write() as session:
        printers.add(session, actor("admin"), name, f"virtual://{name}?{query}", "33.14")
    return name


def _print(web, clerk, application_id: int, printer: str = "p1", wait: bool = True):
    clerk.page(f"/applications/{application_id}/print")
    response = clerk.post(f"/applications/{application_id}/print", {"printer": printer})
    if wait:
        with web.app.app_context():
            jobs().wait(application_id)
    return response


def _status(clerk, application_id: int) -> dict:
    return clerk.get(f"/applications/{application_id}/print/status", headers=JSON).json


def _ledger(web, office="33.14") -> list[str]:
    with web.db.read() as session:
        return [m.kind for m in stock.ledger(session, office)]


def test_a_verified_application_prints_once_and_consumes_a_blank(web):
    nik = web.resident()
    application_id = web.seed_application(nik, verify=True)
    kpt = web.clerk("kpt")
    page = kpt.page(f"/applications/{application_id}/print")
    assert 'value="p1"' in page and "20 blank(s) available" in page
    assert f'src="/applications/{application_id}/card.png"' in page
    response = _print(web, kpt, application_id)
    assert response.headers["Location"] == f"/applications/{application_id}/print"
    status = _status(kpt, application_id)
    assert status["state"] == "printed" and status["application_state"] == "DICETAK"
    assert web.balance() == (19, 0) and _ledger(web)[0] == "PRINTED"
    page = kpt.page(f"/applications/{application_id}/print")
    assert "The card is printed." in page and f"/applications/{application_id}/handover" in page
    assert "Card copy 1, printed" in kpt.page(f"/applications/{application_id}")


def test_the_page_follows_a_print_while_it_runs(web):
    _printer(web, "slow", print_seconds=1.5)
    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    _print(web, kpt, application_id, "slow", wait=False)
    running = _status(kpt, application_id)
    assert running["state"] in ("queued", "printing") and running["poll"] is True
    page = kpt.page(f"/applications/{application_id}/print")
    assert 'data-poll="true"' in page and 'id="print-form"' not in page  # no second print
    again = kpt.post(f"/applications/{application_id}/print", {"printer": "slow"})
    assert again.status_code == 302
    with web.app.app_context():
        jobs().wait(application_id)
    assert _status(kpt, application_id)["state"] == "printed"
    assert web.balance() == (19, 0)  # printed exactly once


def test_the_preview_is_the_card_with_its_nik_barcode(web):
    nik = web.resident()
    application_id = web.seed_application(nik, verify=True)
    response = web.clerk("kpt").get(f"/applications/{application_id}/card.png")
    assert response.mimetype == "image/png" and response.headers["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(response.data))
    assert abs(image.width / image.height - 85.60 / 53.98) < 0.01
    assert nik in [b.text for b in zxingcpp.read_barcodes(image)]


def test_an_empty_feeder_says_what_to_do_and_a_second_print_works(web):
    _printer(web, "empty", cards=0)
    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    _print(web, kpt, application_id, "empty")
    status = _status(kpt, application_id)
    assert (status["state"], status["code"]) == ("failed", "feeder-empty")
    assert status["action"] == "Load blank cards into the printer's feeder, then print again."
    assert web.state(application_id) == "GAGAL CETAK" and web.balance() == (20, 0)
    page = kpt.page(f"/applications/{application_id}/print")
    assert "Print again" in page
    _print(web, kpt, application_id, "p1")
    assert _status(kpt, application_id)["state"] == "printed"


def test_a_jam_records_the_spoiled_blank_and_the_reprint_takes_another(web):
    _printer(web, "jammy", fault="jam@1")
    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    _print(web, kpt, application_id, "jammy")
    status = _status(kpt, application_id)
    assert status["state"] == "failed" and status["card_consumed"] is True
    assert "spoiled and is recorded in the stock ledger" in status["headline"]
    assert "remove the jammed card" in status["action"]
    assert web.balance() == (19, 0) and _ledger(web)[0] == "SPOILED"
    _print(web, kpt, application_id, "p1")
    assert web.balance() == (18, 0) and _ledger(web)[:2] == ["PRINTED", "SPOILED"]
    page = kpt.page(f"/applications/{application_id}")
    assert "the blank card was spoiled and recorded" in page


def test_a_held_print_is_resolved_by_what_the_clerk_finds(web):
    _printer(web, "flaky", fault="disconnect@1")
    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    _print(web, kpt, application_id, "flaky")
    assert _status(kpt, application_id)["state"] == "held"
    page = kpt.page(f"/applications/{application_id}/print")
    assert "What is in the printer's output tray?" in page
    assert web.balance() == (20, 1)  # the blank stays set aside until someone knows
    attempt_id = _status(kpt, application_id)["attempt_id"]
    kpt.post(f"/print-attempts/{attempt_id}/resolve", {"finding": "printed"})
    assert web.state(application_id) == "DICETAK" and web.balance() == (19, 0)


def test_a_held_print_found_spoiled_can_be_printed_again(web):
    _printer(web, "flaky", fault="disconnect@1")
    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    _print(web, kpt, application_id, "flaky")
    attempt_id = _status(kpt, application_id)["attempt_id"]
    kpt.post(f"/print-attempts/{attempt_id}/resolve", {"finding": "spoiled"})
    assert web.state(application_id) == "GAGAL CETAK" and _ledger(web)[0] == "SPOILED"
    again = kpt.post(f"/print-attempts/{attempt_id}/resolve", {"finding": "printed"})
    assert again.status_code == 302 and web.state(application_id) == "GAGAL CETAK"


def test_an_interrupted_print_is_settled_with_the_printer(web):
    application_id = web.seed_application(web.resident(), verify=True)
    with web.db.write() as session:
        attempt = attempts.start(session, actor("kpt"), source="application",
                                 source_id=application_id,
                                 resident=applications.get(session, application_id).resident,
                                 printer=printers.get(session, "p1"), office_code="33.14")
        attempt.started_at -= dt.timedelta(minutes=10)  # a restart long ago cut it short
        attempt_id = attempt.id
    kpt = web.clerk("kpt")
    assert _status(kpt, application_id)["state"] == "interrupted"
    page = kpt.page(f"/applications/{application_id}/print")
    assert f"/print-attempts/{attempt_id}/settle" in page
    kpt.post(f"/print-attempts/{attempt_id}/settle")
    assert web.balance() == (20, 0) and web.state(application_id) == "GAGAL CETAK"
    assert "no card came out" in kpt.page(f"/applications/{application_id}/print")


def test_out_of_stock_the_application_waits_in_the_owed_queue(web):
    with web.db.write() as session:
        stock.give_back(session, actor("admin"), "33.14", 20, "to the Dinas")
    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    page = kpt.page(f"/applications/{application_id}/print")
    assert "it waits in the owed-prints queue (place 1 of 1" in page
    _print(web, kpt, application_id, wait=False)
    page = kpt.page(f"/applications/{application_id}/print")
    assert "No blank card for this application" in page
    with web.db.read() as session:
        assert session.query(PrintAttempt).count() == 0
    assert web.state(application_id) == "DIVERIFIKASI"
    assert "No blank cards left at this office" in kpt.page("/")


def test_when_blanks_are_short_first_time_applicants_print_first(web):
    reprint_nik = web.resident(nama="CETAK ULANG")
    first = web.seed_application(reprint_nik, verify=True)
    kpt = web.clerk("kpt")
    _print(web, kpt, first)  # a first card for this one, so the next is a reprint
    with web.db.write() as session:
        applications.hand_over(session, actor("kpt"), applications.get(session, first), "X")
    reprint = web.seed_application(reprint_nik, verify=True, reason="HILANG",
                                   police_report_no="STPL/1")
    newcomer = web.seed_application(web.resident(nama="BARU SEKALI"), verify=True)
    with web.db.write() as session:
        stock.give_back(session, actor("admin"), "33.14", 18, "keep one")
    page = kpt.page(f"/applications/{reprint}/print")
    assert "place 2 of 2" in page
    _print(web, kpt, reprint, wait=False)
    assert web.state(reprint) == "DIVERIFIKASI"
    _print(web, kpt, newcomer)
    assert web.state(newcomer) == "DICETAK" and web.balance() == (0, 0)


def test_the_printer_says_how_it_is(web):
    _printer(web, "empty", cards=0)
    kpt = web.clerk("kpt")
    assert kpt.get("/printers/p1/status").json["state"] == "ready"
    empty = kpt.get("/printers/empty/status").json
    assert (empty["state"], empty["ready"]) == ("feeder-empty", False)
    assert empty["action"].startswith("Load blank cards")


def test_a_printer_out_of_use_is_not_offered_nor_used(web):
    with web.db.write() as session:
        printers.set_enabled(session, actor("admin"), "p1", False)
    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    assert "No printer is set up for your office" in kpt.page(
        f"/applications/{application_id}/print")
    _print(web, kpt, application_id, wait=False)
    assert "switched off in the administration" in kpt.page(
        f"/applications/{application_id}/print")
    assert web.state(application_id) == "DIVERIFIKASI"


def test_only_a_verified_application_is_printed(web):
    application_id = web.seed_application(web.resident())
    kpt = web.clerk("kpt")
    page = kpt.page(f"/applications/{application_id}/print")
    assert "only verified applications are printed" in page
    _print(web, kpt, application_id, wait=False)
    assert web.state(application_id) == "DIAJUKAN" and web.balance() == (20, 0)


def test_residents_printed_cards_appear_in_their_history(web):
    nik = web.resident()
    application_id = web.seed_application(nik, verify=True)
    _print(web, web.clerk("kpt"), application_id)
    page = web.clerk("kpt").main(f"/residents/{nik}")
    history = page[page.index('id="card-history"'):]
    assert "Printed, not handed over" in history and "kpt" in history
