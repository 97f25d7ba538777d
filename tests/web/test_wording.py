"""What the pages say in the clerk's language, whoever wrote it first: the registry's timeline
notes, the photo checks' doubts (at capture and again at verification), printer faults, and
whom a refused clerk can turn to."""

from __future__ import annotations

import io
from html import unescape

from PIL import Image

from app.web.print_jobs import jobs
from registry import applications, audit_log, printers
from registry.models import ApplicationEvent, Card
from tests.printing.samples import BLUE, RED, portrait

from .conftest import actor
from .test_handover import _hand_over, _printed


def _text(clerk, url: str) -> str:
    return unescape(clerk.main(url))


def _handed_over(web, nik: str, **evidence) -> int:
    application_id = _printed(web, nik, **evidence)
    _hand_over(web.clerk("kpt"), application_id)
    assert web.state(application_id) == "DISERAHKAN"
    return application_id


def test_timeline_notes_and_the_card_history_are_in_the_clerks_language(web):
    nik = web.resident()
    _handed_over(web, nik)
    reprint = _handed_over(web, nik, reason="RUSAK", damaged_card_returned=True)
    indonesian = web.clerk("kpt", lang="id")
    timeline = _text(indonesian, f"/applications/{reprint}")
    assert f"Cetak ulang · Rusak untuk NIK {nik}" in timeline
    assert "Kartu cetakan ke-2" in timeline and "Diterima oleh SRI WAHYUNI" in timeline
    assert "CETAK ULANG RUSAK for" not in timeline and "card copy" not in timeline
    history = _text(indonesian, f"/residents/{nik}")
    assert "Diganti dengan cetakan ke-2" in history and "replaced by" not in history
    english = web.clerk("kpt")
    timeline = _text(english, f"/applications/{reprint}")
    assert f"Reprint · Damaged for NIK {nik}" in timeline
    assert "Card copy 2" in timeline and "Received by SRI WAHYUNI" in timeline
    assert "Replaced by copy 2" in _text(english, f"/residents/{nik}")
    # the audit log keeps plain English sentences
    notes = {e.action: e.note for e in web.audit("application.", key=str(reprint))}
    assert notes["application.diajukan"] == f"CETAK ULANG RUSAK for {nik}"
    assert notes["application.dicetak"] == "card copy 2"
    assert notes["application.diserahkan"] == "received by SRI WAHYUNI"
    assert web.audit("card.invalidate")[0].note == "replaced by copy 2"


def test_notes_written_by_older_code_are_read_too(web):
    """Rows written before the notes were coded hold English sentences."""
    nik = web.resident()
    first = _handed_over(web, nik)
    reprint = _handed_over(web, nik, reason="HILANG", police_report_no="STPL/1/2026")
    old = {"DIAJUKAN": f"CETAK ULANG HILANG for {nik}", "DICETAK": "card copy 2",
           "DISERAHKAN": "received by SUPARNO (SUAMI)"}
    with web.db.write() as session:
        for event in session.query(ApplicationEvent).filter_by(application_id=reprint):
            event.note = old.get(event.to_state, event.note)
        card = session.query(Card).filter_by(application_id=first).one()
        card.invalid_reason = "replaced by copy 2"
        session.add(ApplicationEvent(application_id=first, actor="kpt", to_state="DITOLAK",
                                     note="received by mistake, see the KK"))
    indonesian = web.clerk("kpt", lang="id")
    timeline = _text(indonesian, f"/applications/{reprint}")
    assert f"Cetak ulang · Hilang untuk NIK {nik}" in timeline
    assert "Kartu cetakan ke-2" in timeline and "Diterima oleh SUPARNO (SUAMI)" in timeline
    assert "Diganti dengan cetakan ke-2" in _text(indonesian, f"/residents/{nik}")
    # a note a person typed is shown as typed, even when it looks like a registry sentence
    assert "received by mistake, see the KK" in _text(indonesian, f"/applications/{first}")


def _print_on(web, printer: str, lang: str):
    with web.db.write() as session:
        printers.add(session, actor("admin"), printer, f"virtual://{printer}?fault=jam@1",
                     "33.14")
    application_id = web.seed_application(web.resident(), verify=True)
    clerk = web.clerk("kpt", lang=lang)
    clerk.page(f"/applications/{application_id}/print")
    clerk.post(f"/applications/{application_id}/print", {"printer": printer})
    with web.app.app_context():
        jobs().wait(application_id)
    return clerk, application_id


def test_a_jam_is_told_in_indonesian_and_says_the_spoiled_blank_is_recorded(web):
    clerk, application_id = _print_on(web, "macet", "id")
    status = clerk.get(f"/applications/{application_id}/print/status",
                       headers={"Accept": "application/json"}).json
    assert status["headline"] == ("Pencetakan gagal: kartu macet di dalam printer. Blangko "
                                  "rusak dan sudah dicatat dalam mutasi blangko.")
    assert status["action"] == ("Buka penutup dan keluarkan kartu yang macet. Tutup penutup, "
                                "lalu cetak lagi. Blangko yang rusak sudah dicatat: jangan "
                                "dicatat lagi.")
    # the driver's own words, without its instruction (the app recorded the blank already)
    assert status["detail"].startswith("A card is jammed in the printer")
    assert "Open the cover" not in status["detail"]
    page = _text(clerk, f"/applications/{application_id}/print")
    assert "record it as spoiled" not in page
    assert '<summary>Rincian teknis</summary>' in page  # the driver's words, folded away
    timeline = _text(clerk, f"/applications/{application_id}")
    assert "Cetak terakhir gagal: kartu macet di dalam printer" in timeline
    assert "Percobaan cetak di macet: kartu macet di dalam printer" in timeline
    assert "A card is jammed" not in timeline


def test_a_jam_in_english(web):
    clerk, application_id = _print_on(web, "jammy", "en")
    page = _text(clerk, f"/applications/{application_id}/print")
    assert "Printing failed: a card jammed in the printer." in page
    assert "The spoiled blank is recorded already: do not record it again." in page
    assert "A card is jammed in the printer" in page and "record it as spoiled" not in page


def test_a_held_print_on_the_home_page_is_told_in_indonesian(web):
    with web.db.write() as session:
        printers.add(session, actor("admin"), "putus", "virtual://putus?fault=disconnect@1",
                     "33.14")
    application_id = web.seed_application(web.resident(), verify=True)
    clerk = web.clerk("kpt", lang="id")
    clerk.page(f"/applications/{application_id}/print")
    clerk.post(f"/applications/{application_id}/print", {"printer": "putus"})
    with web.app.app_context():
        jobs().wait(application_id)
    home = _text(clerk, "/")
    assert f"#{application_id}" in home
    assert "sambungan ke printer terputus saat mencetak" in home


def _post_photo(clerk, application_id: int, data: bytes):
    clerk.page(f"/applications/{application_id}/capture")
    return clerk.post(f"/applications/{application_id}/photo",
                      {"photo": (io.BytesIO(data), "foto.jpg")},
                      content_type="multipart/form-data")


def test_photo_doubts_at_capture_are_in_indonesian(web):
    application_id = web.seed_application(web.resident(), photo=False)  # born 1980: blue
    kpt = web.clerk("kpt", lang="id")
    _post_photo(kpt, application_id, portrait(RED, size=(150, 200)))
    page = _text(kpt, f"/applications/{application_id}/capture")
    assert "Latar foto tampak merah, padahal aturannya biru." in page
    assert "Resolusi foto rendah: hanya 150 x 200 piksel setelah dipotong" in page
    assert "kartu mencetaknya 236 x 315" in page
    assert "photo background looks" not in page and "pixels after cropping" not in page


def test_refused_uploads_are_said_in_indonesian_by_their_code(web):
    application_id = web.seed_application(web.resident(), photo=False)
    kpt = web.clerk("kpt", lang="id")
    capture = f"/applications/{application_id}/capture"
    _post_photo(kpt, application_id, b"plain text, not a photo")
    assert "Foto bukan berkas gambar: kirim JPEG atau PNG." in _text(kpt, capture)
    _post_photo(kpt, application_id, b"%PDF-1.4 not a photo")
    assert "Foto berupa berkas PDF: hanya JPEG dan PNG yang diterima." in _text(kpt, capture)
    _post_photo(kpt, application_id, portrait(BLUE, size=(60, 80)))
    page = _text(kpt, capture)
    assert "Foto terlalu kecil: 60 x 80 piksel" in page and "is too small" not in page
    web.app.config["PHOTO_MAX_BYTES"] = 2000
    _post_photo(kpt, application_id, portrait(BLUE))
    page = _text(kpt, capture)
    assert "Foto berukuran " in page and "batasnya 2 kB" in page
    with web.db.read() as session:
        assert applications.get(session, application_id).photo_id is None


def test_a_signature_without_ink_is_refused_in_indonesian(web):
    application_id = web.seed_application(web.resident(), photo=False)
    kpt = web.clerk("kpt", lang="id")
    kpt.page(f"/applications/{application_id}/capture")
    blank = io.BytesIO()
    Image.new("RGB", (600, 200), "white").save(blank, "PNG")
    kpt.post(f"/applications/{application_id}/signature",
             {"signature_file": (io.BytesIO(blank.getvalue()), "ttd.png")},
             content_type="multipart/form-data")
    assert "Tidak ada tinta pada tanda tangan" in _text(
        kpt, f"/applications/{application_id}/capture")


def test_the_supervisor_sees_the_photo_doubts_when_verifying(web):
    nik = web.resident()  # born 1980: blue
    application_id = web.seed_application(nik, photo=False)
    kpt = web.clerk("kpt")
    _post_photo(kpt, application_id, portrait(RED, size=(150, 200)))
    with web.db.read() as session:
        application = applications.get(session, application_id)
        assert applications.image_warnings(session, application, "photo") == [
            "low-resolution", "background-colour"]
    page = _text(web.clerk("supervisor"), f"/applications/{application_id}")
    assert "The photo checks doubt this photo:" in page
    assert "The photo has a low resolution" in page
    assert "The photo background looks red, but the rule asks for blue." in page
    indonesian = _text(web.clerk("supervisor", lang="id"), f"/applications/{application_id}")
    assert "Pemeriksaan foto meragukan foto ini:" in indonesian
    assert "Latar foto tampak merah, padahal aturannya biru." in indonesian


def test_a_sound_photo_shows_no_doubt_and_older_photos_are_checked_again(web):
    good = web.seed_application(web.resident())  # seeded with the right background
    assert "photo-doubts" not in web.clerk("supervisor").main(f"/applications/{good}")
    # a photo attached before its doubts were recorded: the background is checked again
    nik = web.resident()
    application_id = web.seed_application(nik, photo=False)
    _post_photo(web.clerk("kpt"), application_id, portrait(RED))
    with web.db.read() as session:
        entry = audit_log.page(session, audit_log.AuditFilter(
            action="application.photo", key=str(application_id)), limit=1)[0]
        assert entry.changes["photo_warnings"] == [None, "background-colour"]
    page = _text(web.clerk("supervisor"), f"/applications/{application_id}")
    assert "The photo background looks red" in page
    assert "low resolution" not in page


def test_a_refused_clerk_is_sent_to_someone_who_can_help(web):
    application_id = web.seed_application(web.resident(), verify=True)
    supervisor = web.clerk("supervisor")
    refused = unescape(supervisor.get(f"/applications/{application_id}/print")
                       .get_data(as_text=True))
    assert "ask a supervisor" not in refused
    assert "This is work for the role Operator: ask a colleague with that role" in refused
    operator = web.clerk("kpt")
    refused = unescape(operator.get("/audit").get_data(as_text=True))
    assert "This is work for the role Supervisor" in refused
    elsewhere = web.seed_application(web.resident(desa_code="33.14.01.2001"))
    refused = unescape(web.clerk("sragen").get(f"/applications/{elsewhere}")
                       .get_data(as_text=True))
    assert "belongs to the area of another office" in refused
    indonesian = unescape(web.clerk("supervisor", lang="id")
                          .get(f"/applications/{application_id}/print").get_data(as_text=True))
    assert "Ini pekerjaan peran Operator" in indonesian and "hubungi pengawas" not in indonesian
