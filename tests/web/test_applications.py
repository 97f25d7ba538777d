"""Taking applications (eligibility, reprint evidence), verification and the timeline."""

from __future__ import annotations

import datetime as dt

from registry import applications, residents
from tests.registry.factories import record_card

from .conftest import actor


def _printed_card(web, nik: str) -> None:
    """Give ``nik`` a handed-over card, as if it had been printed earlier."""
    application_id = web.seed_application(nik, verify=True)
    with web.db.write() as session:
        resident = residents.get(session, nik)
        application = applications.get(session, application_id)
        card = record_card(session, actor("kpt"), resident, reason="BARU", office_code="33.14",
                           photo_id=application.photo_id,
                           signature_id=application.signature_id,
                           application_id=application_id)
        applications.printed(session, actor("kpt"), application, card)
        applications.hand_over(session, actor("kpt"), application, "SRI WAHYUNI")


def test_a_first_card_application_shows_eligibility_and_goes_to_capture(web):
    nik = web.resident()
    kpt = web.clerk("kpt")
    page = kpt.page(f"/residents/{nik}/apply")
    assert "Application for a first KTP" in page and "Eligible:" in page
    response = kpt.post(f"/residents/{nik}/apply")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/capture")
    with web.db.read() as session:
        application = applications.open_for(session, residents.get(session, nik).id)
        assert (application.kind, application.state) == ("BARU", "DIAJUKAN")


def test_an_ineligible_resident_gets_no_application(web):
    nik = web.resident(nama="ANAK MUDA", status_perkawinan="BELUM KAWIN",
                       tanggal_lahir=dt.date.today() - dt.timedelta(days=365 * 15))
    kpt = web.clerk("kpt")
    page = kpt.page(f"/residents/{nik}/apply")
    assert "No KTP can be issued to this resident" in page
    assert "under 17 and never married" in page
    assert "Take the application" not in page
    kpt.post(f"/residents/{nik}/apply")
    assert not web.audit("application.diajukan")


def test_a_reprint_asks_for_its_reason_and_evidence(web):
    nik = web.resident()
    _printed_card(web, nik)
    kpt = web.clerk("kpt")
    page = kpt.page(f"/residents/{nik}/apply")
    assert "Reprint application" in page and "copy 1" in page
    no_reason = kpt.post(f"/residents/{nik}/apply", {})
    assert "a reprint needs a reason" in no_reason.get_data(as_text=True)
    lost = kpt.post(f"/residents/{nik}/apply", {"reason": "HILANG"})
    text = lost.get_data(as_text=True)
    assert lost.status_code == 200 and 'id="police_report_no-error"' in text
    assert "a lost card needs the police loss report number" in text
    damaged = kpt.post(f"/residents/{nik}/apply", {"reason": "RUSAK"})
    assert 'id="damaged_card_returned-error"' in damaged.get_data(as_text=True)
    taken = kpt.post(f"/residents/{nik}/apply",
                     {"reason": "HILANG", "police_report_no": "STPL/9/XI/2026"})
    assert taken.status_code == 302
    application_id = int(taken.headers["Location"].split("/")[2])
    page = kpt.page(f"/applications/{application_id}")
    assert "STPL/9/XI/2026" in page and "Evidence for the reprint" in page


def test_a_data_change_reprint_records_the_changed_fields(web):
    nik = web.resident()
    _printed_card(web, nik)
    with web.db.write() as session:
        residents.update(session, actor("kpt"), nik, {"alamat": "JL. DIPONEGORO 7"})
    kpt = web.clerk("kpt")
    page = kpt.page(f"/residents/{nik}/apply")
    assert "JL. SUKOWATI NO. 12 → JL. DIPONEGORO 7" in page
    missing = kpt.post(f"/residents/{nik}/apply", {"reason": "PERUBAHAN DATA"})
    assert 'id="document_ref-error"' in missing.get_data(as_text=True)
    taken = kpt.post(f"/residents/{nik}/apply",
                     {"reason": "PERUBAHAN DATA", "document_ref": "SURAT PINDAH 45/2026"})
    application_id = int(taken.headers["Location"].split("/")[2])
    with web.db.read() as session:
        changed = applications.get(session, application_id).changed_fields
    assert changed == {"alamat": ["JL. SUKOWATI NO. 12", "JL. DIPONEGORO 7"]}


def test_an_open_application_is_reused(web):
    nik = web.resident()
    application_id = web.seed_application(nik, photo=False)
    response = web.clerk("kpt").get(f"/residents/{nik}/apply")
    assert response.headers["Location"] == f"/applications/{application_id}"


def test_a_supervisor_verifies_after_capture_and_the_timeline_shows_it(web):
    nik = web.resident()
    application_id = web.seed_application(nik)
    supervisor = web.clerk("supervisor")
    page = supervisor.page(f"/applications/{application_id}")
    assert f'action="/applications/{application_id}/verify"' in page
    response = supervisor.post(f"/applications/{application_id}/verify")
    assert response.status_code == 302 and web.state(application_id) == "DIVERIFIKASI"
    page = supervisor.page(f"/applications/{application_id}")
    timeline = page[page.index("Timeline"):]
    assert timeline.index("Submitted") < timeline.index("Verified")
    assert "supervisor" in timeline and "kpt" in timeline


def test_verification_needs_the_photo_and_signature(web):
    nik = web.resident()
    application_id = web.seed_application(nik, photo=False)
    supervisor = web.clerk("supervisor")
    supervisor.page(f"/applications/{application_id}")
    supervisor.post(f"/applications/{application_id}/verify",
                    headers={"Referer": f"http://localhost/applications/{application_id}"})
    page = supervisor.page(f"/applications/{application_id}")
    assert "Photo: must be captured before verification" in page
    assert web.state(application_id) == "DIAJUKAN"


def test_the_clerk_who_took_an_application_cannot_verify_it(web):
    nik = web.resident()
    application_id = web.seed_application(nik, by="admin")
    admin = web.clerk("admin")
    page = admin.page(f"/applications/{application_id}")
    assert "another supervisor verifies it" in page
    admin.post(f"/applications/{application_id}/verify")
    assert "cannot also verify it" in admin.page(f"/applications/{application_id}")
    assert web.state(application_id) == "DIAJUKAN"


def test_a_rejection_needs_a_reason_and_is_shown(web):
    nik = web.resident()
    application_id = web.seed_application(nik)
    supervisor = web.clerk("supervisor")
    supervisor.page(f"/applications/{application_id}")
    supervisor.post(f"/applications/{application_id}/reject", {"reason": ""})
    assert web.state(application_id) == "DIAJUKAN"
    supervisor.post(f"/applications/{application_id}/reject",
                    {"reason": "Foto tidak sesuai, wajah tertutup"})
    assert web.state(application_id) == "DITOLAK"
    page = supervisor.page(f"/applications/{application_id}")
    assert "Rejected: Foto tidak sesuai, wajah tertutup" in page


def test_the_worklists_show_each_state(web):
    waiting = web.seed_application(web.resident(nama="SATU"))
    verified = web.seed_application(web.resident(nama="DUA"), verify=True)
    kpt = web.clerk("kpt")
    verify_list = kpt.page("/applications?list=verify")
    assert f"#{waiting}<" in verify_list and f"#{verified}<" not in verify_list
    print_list = kpt.page("/applications?list=print")
    assert f"#{verified}<" in print_list and f"#{waiting}<" not in print_list
    home = kpt.page("/")
    assert "SATU" in home and "DUA" in home
