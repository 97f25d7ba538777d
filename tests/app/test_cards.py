"""A resident's card through the app: previews, photo and signature capture, `ktp print`."""

from __future__ import annotations

import io
import json

import pytest
import zxingcpp
from PIL import Image
from pypdfium2 import PdfDocument

from app import cards, create_app
from app.config import too_large_message
from app.database import db as app_db
from registry import residents
from tests.printing.samples import BLUE, RED, handwriting, portrait

from .test_api_residents import create


@pytest.fixture
def nik(client, clerks):
    return create(client, clerks["sragen"]).json["nik"]  # born 1980: an even year, blue


def put(client, clerk, nik, kind, data, **query):
    return client.put(f"/api/v1/residents/{nik}/{kind}", data=data, query_string=query,
                      headers={**clerk.headers, "Content-Type": "image/jpeg"})


def test_photo_upload_is_prepared_and_checked_against_the_birth_year(client, clerks, nik):
    wrong = put(client, clerks["sragen"], nik, "photo", portrait(RED))
    assert wrong.status_code == 200
    assert [w["code"] for w in wrong.json["warnings"]] == ["background-colour"]
    right = put(client, clerks["sragen"], nik, "photo", portrait(BLUE))
    assert right.json["warnings"] == [] and (right.json["width"], right.json["height"]) == (236, 315)
    stored = client.get(f"/api/v1/residents/{nik}/photo", headers=clerks["sragen"].headers)
    image = Image.open(io.BytesIO(stored.data))
    assert (image.format, image.size, stored.mimetype) == ("JPEG", (236, 315), "image/jpeg")
    assert "exif" not in image.info


@pytest.mark.parametrize("data, reason", [
    (b"GIF89a" + b"\0" * 100, "GIF"),
    (portrait(BLUE)[:2000], "truncated"),
    (b"hello", "not an image"),
])
def test_bad_uploads_are_a_clear_400(client, clerks, nik, data, reason):
    response = put(client, clerks["sragen"], nik, "photo", data)
    assert response.status_code == 400
    assert reason.lower() in response.json["message"].lower()


def test_capture_is_for_operators_of_the_area(client, clerks, nik):
    assert put(client, clerks["kalijambe"], nik, "photo", portrait(BLUE)).status_code == 403
    assert put(client, clerks["supervisor"], nik, "photo", portrait(BLUE)).status_code == 403
    missing = client.get(f"/api/v1/residents/{nik}/signature", headers=clerks["sragen"].headers)
    assert missing.status_code == 404


def test_card_previews_carry_the_nik_in_text_and_barcode(client, clerks, nik):
    headers = clerks["sragen"].headers
    put(client, clerks["sragen"], nik, "photo", portrait(BLUE))
    put(client, clerks["sragen"], nik, "signature", handwriting())
    pdf = client.get(f"/api/v1/residents/{nik}/card.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    document = PdfDocument(pdf.data)
    width, height = document[0].get_size()
    assert (round(width / 72 * 25.4, 2), round(height / 72 * 25.4, 2)) == (85.6, 53.98)
    text = document[0].get_textpage().get_text_range()
    for expected in (nik, "SRI WAHYUNI", "SRAGEN, 17-08-1980", "SINE", "KABUPATEN SRAGEN"):
        assert expected in text
    png = client.get(f"/api/v1/residents/{nik}/card.png", headers=headers)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    assert [b.text for b in decoded] == [nik]


def test_cli_prints_on_the_virtual_printer_and_the_card_decodes(app, runner, nik, tmp_path):
    runner.invoke(args=["printers", "add", "v1", f"virtual://print-{nik}?cards=1"])
    app.instance_path = str(tmp_path)  # virtual printers write under the instance folder
    refused = runner.invoke(args=["print", nik, "--printer", "v1"])
    assert refused.exit_code == 1 and "no verified application" in refused.output
    result = runner.invoke(args=["print", nik, "--printer", "v1", "--proof"])
    assert result.exit_code == 0, result.output
    assert "came out of v1 (card number 1)" in result.output
    printed = sorted((tmp_path / "virtual-printers" / f"print-{nik}").glob("*-front.png"))
    assert len(printed) == 1
    assert [b.text for b in zxingcpp.read_barcodes(Image.open(printed[0]))] == [nik]
    log = (printed[0].parent / "cards.jsonl").read_text().splitlines()
    assert json.loads(log[0])["job_id"].startswith(f"proof-{nik}")
    empty = runner.invoke(args=["print", nik, "--printer", "v1", "--proof"])
    assert empty.exit_code == 1 and "feeder" in empty.output.lower()


def test_cli_render_and_capture(runner, nik, tmp_path):
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(portrait(RED))
    stored = runner.invoke(args=["photo", "set", nik, str(photo)])
    assert stored.exit_code == 0 and "background" in stored.output
    bad = tmp_path / "foto.gif"
    bad.write_bytes(b"GIF89a" + b"\0" * 50)
    refused = runner.invoke(args=["photo", "set", nik, str(bad)])
    assert refused.exit_code == 1 and "GIF" in refused.output
    card = tmp_path / "card.pdf"
    assert runner.invoke(args=["card", "render", nik, "-o", str(card)]).exit_code == 0
    assert card.read_bytes().startswith(b"%PDF")
    assert runner.invoke(args=["card", "render", nik, "-o", str(tmp_path / "x.txt")]).exit_code == 2


def test_a_jakarta_card_is_issued_in_the_kota_by_its_own_name(app, client, clerks):
    """Kota Administrasi Jakarta Pusat: the card says JAKARTA PUSAT under the photo (it could
    not print at all while the place of issue kept ADMINISTRASI)."""
    jakarta = clerks["jakarta"]
    created = create(client, jakarta, desa_code="31.71.01.1001", tempat_lahir="JAKARTA")
    assert created.status_code == 201, created.json
    nik = created.json["nik"]
    pdf = client.get(f"/api/v1/residents/{nik}/card.pdf", headers=jakarta.headers)
    assert pdf.status_code == 200, pdf.json
    with app.app_context(), app_db().read() as session:
        card = cards.card_data(session, residents.get(session, nik))
    assert (card.kabupaten, card.tempat_terbit) == ("KOTA ADMINISTRASI JAKARTA PUSAT",
                                                    "JAKARTA PUSAT")
    text = PdfDocument(pdf.data)[0].get_textpage().get_text_range()
    assert "JAKARTA PUSAT" in text.replace("KOTA ADMINISTRASI JAKARTA PUSAT", "")


def test_a_photo_over_the_limit_is_refused_in_sensible_units(client, clerks, nik):
    client.application.config["PHOTO_MAX_BYTES"] = 5_000  # KTP_PHOTO_MAX_BYTES=5000
    photo = portrait(BLUE)
    response = put(client, clerks["sragen"], nik, "photo", photo)
    assert response.status_code == 400
    assert response.json["message"] == (
        f"photo is {len(photo) / 1000:.1f} KB; the limit is 5.0 KB")


@pytest.mark.parametrize(("photo_limit", "request_limit"), [
    (5_000_000, 16_000_000),           # the floor: a batch's CSV of NIKs needs room too
    (30_000_000, 41_000_000),          # 4/3 of the photo (a base64 data URL) + 1 MB
])
def test_the_request_limit_follows_the_photo_limit(monkeypatch, tmp_path, photo_limit,
                                                   request_limit):
    monkeypatch.setenv("KTP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("KTP_DATABASE_URL", f"sqlite:///{tmp_path / 'ktp.sqlite'}")
    monkeypatch.setenv("KTP_SECRET_KEY", "test-secret")
    monkeypatch.setenv("KTP_PHOTO_MAX_BYTES", str(photo_limit))
    monkeypatch.setenv("KTP_MAX_CONTENT_LENGTH", "1000")  # cannot cap the photo limit
    app = create_app()
    assert app.config["MAX_CONTENT_LENGTH"] == request_limit
    assert too_large_message(app.config) == (
        f"the upload is larger than the {request_limit / 1e6:.1f} MB this service accepts; "
        f"a photo or signature may be at most {photo_limit / 1e6:.1f} MB")
    app.extensions["ktp.db"].dispose()
