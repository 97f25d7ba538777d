"""Crafted or garbled input at the counter: a clear refusal on a page, never a 500, and
nothing written (found by an adversarial sweep of the forms; each ran into the database)."""

from __future__ import annotations

from html import unescape

from .test_applications import _printed_card

BIG = str(10**30)


def test_a_nul_character_in_a_form_is_refused_by_name_and_nothing_is_written(web):
    application = web.seed_application(web.resident())
    supervisor = web.clerk("supervisor")
    supervisor.get(f"/applications/{application}")
    response = supervisor.post(f"/applications/{application}/reject", {"reason": "foto\x00buram"})
    assert response.status_code == 302
    assert web.state(application) == "DIAJUKAN"
    assert web.audit("application.ditolak") == []
    page = unescape(supervisor.page(response.headers["Location"]))
    assert "The field “Reason” contains a NUL character" in page  # its label, not `reason`


def test_a_nul_character_in_a_query_or_the_address_is_a_400_page_naming_it(web):
    supervisor = web.clerk("supervisor")
    for url, field in (("/audit?actor=a%00b", "actor"), ("/residents/33%00", "NIK"),
                       ("/stock?office=33.14%00", "Office")):
        response = supervisor.get(url)
        assert response.status_code == 400, url
        assert f"The field “{field}” contains a NUL character" in unescape(
            response.get_data(as_text=True))


def test_a_nul_character_is_refused_with_the_fields_label_in_the_clerks_language(web):
    supervisor = web.clerk("supervisor", lang="id")
    response = supervisor.get("/stock?office=33.14%00")
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert "Kolom “Kantor” berisi karakter NUL" in page


def test_dates_out_of_range_and_an_end_before_the_start_are_said_on_their_field(web):
    supervisor = web.clerk("supervisor")
    for url in ("/audit?since=0001-01-01", "/audit?until=9999-12-31",
                "/audit.csv?since=0001-01-01", "/reports?since=0001-01-01",
                "/reports?until=9999-12-31"):
        assert supervisor.get(url).status_code == 200, url
    assert "Give a date between 1900-01-01 and 2999-12-31." in supervisor.page(
        "/audit?until=9999-12-31")
    assert "The end of the period is before its start." in supervisor.page(
        "/audit?since=2026-05-01&until=2026-01-01")
    assert "The end of the period is before its start." in supervisor.page(
        "/reports?since=2026-05-01&until=2026-01-01")


def test_huge_numbers_in_addresses_and_lists_are_no_500(web):
    kpt, supervisor = web.clerk("kpt"), web.clerk("supervisor")
    for url in (f"/applications/{BIG}", f"/applications/{BIG}/print/status",
                f"/batches/{BIG}"):
        assert kpt.get(url).status_code == 404, url
    kpt.get("/")
    assert kpt.post(f"/applications/{BIG}/handover", {"received_by": "X"}).status_code == 404
    assert kpt.get(f"/applications?before={BIG}").status_code == 200
    assert supervisor.get(f"/audit?before={BIG}").status_code == 200
    assert kpt.get(f"/residents?q=budi&page={BIG}").status_code == 200


def test_a_refusal_for_a_huge_office_code_is_recorded_cut_to_the_audit_column(web):
    """A 10,000-character office broke the access.denied entry on PostgreSQL (varchar 40)."""
    response = web.clerk("kpt").get("/stock?office=" + "9" * 10_000)
    assert response.status_code == 403
    assert [len(e.entity_key) for e in web.audit("access.denied")] == [40]


def test_printing_with_no_or_an_unknown_printer_returns_to_the_print_page(web):
    application = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    for printer in ("", "removed-yesterday"):
        kpt.get(f"/applications/{application}/print")
        response = kpt.post(f"/applications/{application}/print", {"printer": printer})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/applications/{application}/print")
        assert "Choose one of the printers shown." in kpt.page(response.headers["Location"])
    assert web.state(application) == "DIVERIFIKASI"


def test_a_police_report_number_without_a_letter_or_digit_is_refused(web):
    """A lone combining mark passed ``.strip()`` and was taken as the loss report."""
    nik = web.resident()
    _printed_card(web, nik)
    kpt = web.clerk("kpt")
    kpt.get(f"/residents/{nik}/apply")
    response = kpt.post(f"/residents/{nik}/apply",
                        {"reason": "HILANG", "police_report_no": "\u0301"})
    assert response.status_code == 200
    assert 'id="police_report_no-error"' in response.get_data(as_text=True)
    assert "Write it with letters or digits." in response.get_data(as_text=True)
    assert len(web.audit("application.diajukan")) == 1  # the first card's only
