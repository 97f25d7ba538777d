"""The counter in a real browser: a first card from search to handover, a reprint, the camera,
and a form filled in with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from registry import applications, cards, residents
from tests.printing.samples import BLUE, portrait

from .live import CHROMIUM
from .steps import verified_application

pytestmark = pytest.mark.browser


def _sign(page) -> None:
    """Draw a signature on the pad with the mouse."""
    box = page.locator("#signature-pad").bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 120)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 40 + step * 30, box["y"] + (60 if step % 2 else 140), steps=3)
    page.mouse.up()


def _capture(page) -> None:
    page.locator("#photo").set_input_files(files=[{
        "name": "foto.jpg", "mimeType": "image/jpeg", "buffer": portrait(BLUE)}])
    expect(page.locator("#crop-frame")).to_be_visible()
    expect(page.locator("#crop")).to_have_value(re.compile(r"^\d+,\d+,\d+,\d+$"))
    page.get_by_role("button", name="Simpan foto").click()
    expect(page.get_by_text("Foto tersimpan.")).to_be_visible()
    _sign(page)
    page.get_by_role("button", name="Simpan tanda tangan").click()
    expect(page.get_by_text("Tanda tangan tersimpan.")).to_be_visible()


def _print(page) -> None:
    page.get_by_role("link", name="Cetak kartu").click()
    expect(page.locator("img.card-preview")).to_be_visible()
    expect(page.locator("[data-printer-status-url]")).to_have_text("Siap")
    page.get_by_role("button", name="Cetak", exact=True).click()
    expect(page.locator("#print-status")).to_have_attribute("data-state", "printed")
    expect(page.get_by_text("Kartu sudah dicetak.")).to_be_visible()


def _verify(live_server, page, application_id: int) -> None:
    live_server.logout(page)
    live_server.login(page, "supervisor")
    page.goto(f"/applications/{application_id}")
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_text(f"Permohonan #{application_id} sudah diverifikasi")).to_be_visible()
    live_server.logout(page)
    live_server.login(page, "kpt")


def test_a_first_card_from_search_to_handover(live_server, page):
    nik = live_server.resident(nama="SITI AMINAH")
    live_server.login(page, "kpt")
    page.get_by_label("Cari penduduk dengan NIK, nomor KK atau nama").fill("siti aminah")
    page.keyboard.press("Enter")
    page.get_by_role("link", name=nik).click()
    expect(page.get_by_role("heading", name="SITI AMINAH")).to_be_visible()
    page.get_by_role("link", name="Ajukan KTP").click()
    expect(page.get_by_text("Memenuhi syarat")).to_be_visible()
    page.get_by_role("button", name="Terima permohonan").click()
    expect(page.get_by_role("heading", name="Foto dan tanda tangan")).to_be_visible()
    application_id = int(re.search(r"/applications/(\d+)/capture", page.url).group(1))
    _capture(page)
    _verify(live_server, page, application_id)
    page.goto(f"/applications/{application_id}")
    _print(page)
    page.get_by_role("link", name="Serahkan kartu").click()
    page.get_by_label("Nama orang yang menerima kartu").fill("SITI AMINAH")
    page.get_by_label(re.compile("Saya sudah memeriksa identitas penerima")).check()
    page.get_by_role("button", name="Konfirmasi serah terima").click()
    expect(page.get_by_role("heading", name="Tanda terima serah terima")).to_be_visible()
    page.goto(f"/applications/{application_id}")
    timeline = page.locator("ol.timeline")
    for state in ("Diajukan", "Diverifikasi", "Dicetak", "Diserahkan"):
        expect(timeline).to_contain_text(state)
    with live_server.write() as session:
        card = cards.latest(session, residents.get(session, nik).id)
        assert (card.state, card.received_by, card.copy_number) == ("AKTIF", "SITI AMINAH", 1)
    assert len(list((live_server.instance / "virtual-printers" / "counter-1").glob(
        "*-front.png"))) == 1


def _hand_over_first_card(live_server, nik: str) -> None:
    """What an earlier visit left: a first card printed and handed over."""
    application_id = _print_first_card(live_server, nik)
    with live_server.write() as session:
        applications.hand_over(session, live_server.actor("kpt"),
                               applications.get(session, application_id), "SRI WAHYUNI")


def _print_first_card(live_server, nik: str) -> int:
    """A first card applied for, captured, verified and printed: waiting for its handover."""
    from app import issuance

    application_id = verified_application(live_server, nik)
    with live_server.app.app_context():
        issuance.print_for(live_server.db, live_server.actor("kpt"), "application",
                           application_id, nik, live_server.printer, "33.14")
    return application_id


def test_a_lost_card_is_reprinted_and_the_old_one_becomes_invalid(live_server, page):
    nik = live_server.resident()
    _hand_over_first_card(live_server, nik)
    live_server.login(page, "kpt")
    page.goto(f"/residents/{nik}")
    page.get_by_role("link", name="Ajukan cetak ulang").click()
    page.get_by_label(re.compile(r"^Hilang \(HILANG\)")).check()
    page.get_by_role("button", name="Terima permohonan").click()
    expect(page.locator("#police_report_no-error")).to_contain_text("surat keterangan")
    page.get_by_label("Nomor surat keterangan kehilangan").fill("STPL/77/XI/2026")
    page.get_by_role("button", name="Terima permohonan").click()
    application_id = int(re.search(r"/applications/(\d+)/capture", page.url).group(1))
    _capture(page)
    _verify(live_server, page, application_id)
    page.goto(f"/applications/{application_id}")
    expect(page.get_by_text("STPL/77/XI/2026")).to_be_visible()
    _print(page)
    page.get_by_role("link", name="Serahkan kartu").click()
    expect(page.get_by_text("kartu sebelumnya tidak berlaku: cetakan 1")).to_be_visible()
    page.get_by_label(re.compile("Saya sudah memeriksa identitas penerima")).check()
    page.get_by_role("button", name="Konfirmasi serah terima").click()
    page.goto(f"/residents/{nik}")
    history = page.locator("section", has=page.get_by_role("heading", name="Riwayat kartu"))
    expect(history).to_contain_text("Tidak berlaku")
    expect(history).to_contain_text("Diganti dengan cetakan ke-2")
    expect(history).to_contain_text("Hilang")


def test_a_resident_is_registered_with_the_keyboard_alone(live_server, page):
    live_server.login(page, "kpt")
    page.goto("/residents/new")
    page.locator("body").focus()
    order = []
    values = {"kk": "", "nik": "", "tempat_lahir": "SRAGEN", "tanggal_lahir": "14031990",
              "jenis_kelamin": "L", "golongan_darah": "A", "nama": "ANDI WIJAYA",
              "agama": "I", "status_perkawinan": "B", "pekerjaan": "WIRAS",
              "kewarganegaraan": "", "itap_berlaku_hingga": "", "alamat": "JL. MAWAR 3",
              "rt": "1", "rw": "2", "desa_code": "Sine", "hubungan_keluarga": ""}
    while len(order) < len(values):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused in values and focused not in order:
            order.append(focused)
            if values[focused]:
                page.keyboard.type(values[focused])
    assert order[:4] == ["kk", "nik", "tempat_lahir", "tanggal_lahir"]
    for _ in range(5):  # on to the form's button, then press it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.textContent").strip() == "Daftarkan"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="ANDI WIJAYA")).to_be_visible()
    expect(page.get_by_text("ANDI WIJAYA terdaftar dengan NIK")).to_be_visible()
    expect(page.locator("dl.record")).to_contain_text("WIRASWASTA")


# Every field has exactly one label pointing at it (or an aria-label and no label), every
# label points at a field, and no id appears twice: a repeated id sends a label's click, and a
# screen reader's name, to the wrong field.
LABELLING = """() => {
  const problems = [];
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) { ids[el.id] = (ids[el.id] || 0) + 1; }
  for (const [id, n] of Object.entries(ids)) { if (n > 1) problems.push('id ' + id + ' x' + n); }
  for (const el of document.querySelectorAll(
      'input:not([type=hidden]), select, textarea')) {
    const n = el.labels ? el.labels.length : 0;
    if (n > 1 || (n === 0 && !el.getAttribute('aria-label'))) {
      problems.push((el.name || el.id) + ': ' + n + ' labels');
    }
  }
  for (const label of document.querySelectorAll('label[for]')) {
    const target = document.getElementById(label.htmlFor);
    if (!target || label.control !== target) problems.push('label for ' + label.htmlFor);
  }
  return problems;
}"""


def test_every_field_has_one_label_and_every_id_is_unique(live_server, page):
    nik, printed, handed = (live_server.resident() for _ in range(3))
    _hand_over_first_card(live_server, handed)
    waiting = _print_first_card(live_server, printed)
    with live_server.write() as session:
        application_id = applications.submit(session, live_server.actor("kpt"),
                                             residents.get(session, nik), "33.14").id
        kk = residents.get(session, nik).family.kk
    forms = {"kpt": ["/", "/residents?q=sri", "/residents/new", f"/residents/{nik}",
                     f"/residents/{nik}/edit", f"/residents/{handed}/apply", f"/families/{kk}",
                     f"/applications/{application_id}/capture", "/applications",
                     f"/applications/{waiting}/print", f"/applications/{waiting}/handover",
                     "/stock", "/account/password"],
             "supervisor": ["/stock", f"/applications/{application_id}", "/audit", "/reports",
                            "/batches"],
             "admin": ["/admin/users", "/admin/users/new", "/admin/offices", "/admin/printers"]}
    problems = {}
    for user, urls in forms.items():
        live_server.login(page, user)
        for url in urls:
            page.goto(url)
            assert page.url.endswith(url), (page.url, url)  # the page itself, not a refusal
            if found := page.evaluate(LABELLING):
                problems[f"{user} {url}"] = found
        live_server.logout(page)
    assert problems == {}


def test_a_label_on_the_stock_page_focuses_its_own_field(live_server, page):
    live_server.login(page, "supervisor")
    page.goto("/stock")
    for form, label in (("/stock/return", "Dikembalikan kepada siapa, dan mengapa"),
                        ("/stock/transfer", "Catatan")):
        page.locator(f"form[action='{form}'] label", has_text=label).click()
        focused = page.evaluate("document.activeElement.closest('form').getAttribute('action')")
        assert focused == form, label


def test_the_crop_frame_moves_with_the_arrow_keys(live_server, page):
    nik = live_server.resident()
    with live_server.write() as session:
        application_id = applications.submit(session, live_server.actor("kpt"),
                                             residents.get(session, nik), "33.14").id
    live_server.login(page, "kpt")
    page.goto(f"/applications/{application_id}/capture")
    page.locator("#photo").set_input_files(files=[{
        "name": "wide.jpg", "mimeType": "image/jpeg",
        "buffer": portrait(BLUE, size=(1600, 900))}])
    frame = page.locator("#crop-frame")
    expect(frame).to_be_visible()
    before = [int(v) for v in page.locator("#crop").input_value().split(",")]
    frame.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    after = [int(v) for v in page.locator("#crop").input_value().split(",")]
    assert after[0] > before[0] and after[1] == before[1]
    assert abs((after[2] - after[0]) / (after[3] - after[1]) - 3 / 4) < 0.02


def test_the_webcam_picture_goes_through_the_same_form(browser, live_server):
    """Chromium's fake camera stands in for the office webcam."""
    nik = live_server.resident()
    with live_server.write() as session:
        application_id = applications.submit(session, live_server.actor("kpt"),
                                             residents.get(session, nik), "33.14").id
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream",
              "--use-fake-ui-for-media-stream"])
    try:
        context = camera.new_context(base_url=live_server.url, permissions=["camera"])
        page = context.new_page()
        live_server.login(page, "kpt")
        page.goto(f"/applications/{application_id}/capture")
        page.get_by_role("button", name="Pakai kamera").click()
        page.get_by_role("button", name="Ambil gambar").click()
        expect(page.locator("#crop-frame")).to_be_visible()
        page.get_by_role("button", name="Simpan foto").click()
        expect(page.get_by_text("Foto tersimpan.")).to_be_visible()
    finally:
        camera.close()
    with live_server.write() as session:
        assert applications.get(session, application_id).photo_id is not None
