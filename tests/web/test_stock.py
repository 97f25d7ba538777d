"""Blank cards per office: receive, spoil, return, transfer, the ledger and the owed queue."""

from __future__ import annotations


def _ledger_page(clerk, office="33.14") -> str:
    return clerk.page(f"/stock?office={office}")


def test_the_stock_page_shows_balance_ledger_and_queue(web):
    waiting = web.seed_application(web.resident(nama="MENUNGGU BLANGKO"), verify=True)
    page = web.clerk("kpt").page("/stock")
    assert '<strong>20</strong>available' in page
    assert "Received" in page and "test delivery" in page
    assert "MENUNGGU BLANGKO" in page and f"#{waiting}<" in page


def test_a_supervisor_receives_a_delivery(web):
    supervisor = web.clerk("supervisor")
    supervisor.page("/stock")
    response = supervisor.post("/stock/receive", {"office": "33.14", "quantity": "100",
                                                  "reference": "SJ-2026/11/88"})
    assert response.status_code == 302
    assert web.balance() == (120, 0)
    page = _ledger_page(supervisor)
    assert "100 blank card(s) received." in page and "SJ-2026/11/88" in page and "+100" in page
    assert web.audit("stock.received", key="33.14")[0].actor == "supervisor"


def test_an_operator_records_a_spoiled_blank_with_its_reason(web):
    kpt = web.clerk("kpt")
    kpt.page("/stock")
    kpt.post("/stock/spoil", {"office": "33.14", "reason": "tergores di kotak"})
    assert web.balance() == (19, 0)
    page = _ledger_page(kpt)
    assert "Spoiled" in page and "tergores di kotak" in page and "-1" in page
    kpt.post("/stock/spoil", {"office": "33.14", "reason": ""})
    assert web.balance() == (19, 0)


def test_an_operator_sees_no_forms_for_deliveries_returns_or_transfers(web):
    page = web.clerk("kpt").page("/stock")
    assert "/stock/spoil" in page
    assert "/stock/receive" not in page and "/stock/transfer" not in page


def test_stock_never_goes_negative(web):
    supervisor = web.clerk("supervisor")
    supervisor.page("/stock")
    supervisor.post("/stock/return", {"office": "33.14", "quantity": "21",
                                      "reason": "ke Dinas"})
    page = _ledger_page(supervisor)
    assert "Not enough blank cards at office 33.14: 20 available, 21 needed." in page
    assert web.balance() == (20, 0)
    supervisor.post("/stock/return", {"office": "33.14", "quantity": "20", "reason": "ke Dinas"})
    assert web.balance() == (0, 0)
    kpt = web.clerk("kpt")
    kpt.page("/stock")
    kpt.post("/stock/spoil", {"office": "33.14", "reason": "rusak"})
    assert "Not enough blank cards" in _ledger_page(kpt) and web.balance() == (0, 0)


def test_a_transfer_moves_blanks_between_offices(web):
    supervisor = web.clerk("supervisor")
    supervisor.page("/stock")
    supervisor.post("/stock/transfer", {"office": "33.14", "to_office": "33.14.10",
                                        "quantity": "7", "reason": "untuk kecamatan"})
    assert web.balance("33.14") == (13, 0) and web.balance("33.14.10") == (7, 0)
    assert "Transferred in" in _ledger_page(supervisor, "33.14.10")
    same = supervisor.post("/stock/transfer", {"office": "33.14", "to_office": "33.14",
                                               "quantity": "1"})
    assert same.status_code == 302 and web.balance("33.14") == (13, 0)


def test_a_kecamatan_clerk_sees_only_their_office_stock(web):
    sragen = web.clerk("sragen")
    page = sragen.page("/stock")
    assert "Kantor Kecamatan Sragen (33.14.10)" in page
    assert 'id="office-choice"' not in page  # no other office to choose
    assert 'id="office-choice"' in web.clerk("kpt").page("/stock")
    assert sragen.get("/stock?office=33.14").status_code == 403
