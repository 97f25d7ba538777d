"""Capturing the photo (a file, cropped to 3:4) and the signature (drawn or scanned)."""

from __future__ import annotations

import base64
import io

from PIL import Image

from registry import applications
from tests.printing.samples import BLUE, RED, handwriting, portrait


def _post_photo(clerk, application_id, data, crop=None):
    body = {"photo": (io.BytesIO(data), "photo.jpg")}
    if crop:
        body["crop"] = crop
    return clerk.post(f"/applications/{application_id}/photo", body,
                      content_type="multipart/form-data")


def _photo(web, application_id):
    with web.db.read() as session:
        application = applications.get(session, application_id)
        from registry.models import ResidentImage

        return session.get(ResidentImage, application.photo_id) if application.photo_id \
            else None


def test_a_photo_file_is_cropped_to_3_4_and_attached(web):
    application_id = web.seed_application(web.resident(), photo=False)  # born 1980: blue
    kpt = web.clerk("kpt")
    page = kpt.page(f"/applications/{application_id}/capture")
    assert 'id="camera-start"' in page and 'id="signature-pad"' in page
    wide = portrait(BLUE, size=(1200, 800))
    response = _post_photo(kpt, application_id, wide, crop="300,0,900,800")
    assert response.status_code == 302
    page = kpt.page(f"/applications/{application_id}/capture")
    assert "The photo is saved." in page
    stored = _photo(web, application_id)
    assert stored is not None and abs(stored.width / stored.height - 3 / 4) < 0.01
    assert Image.open(io.BytesIO(stored.data)).format == "JPEG"


def test_photo_check_warnings_are_shown(web):
    application_id = web.seed_application(web.resident(), photo=False)  # even year: blue
    kpt = web.clerk("kpt")
    kpt.page(f"/applications/{application_id}/capture")
    _post_photo(kpt, application_id, portrait(RED, size=(150, 200)))
    page = kpt.page(f"/applications/{application_id}/capture")
    assert "The photo background does not follow the rule" in page
    assert "low resolution" in page
    assert _photo(web, application_id) is not None  # usable, with warnings for the clerk


def test_a_low_resolution_warning_gives_the_pixel_sizes(web):
    application_id = web.seed_application(web.resident(), photo=False)
    kpt = web.clerk("kpt")
    kpt.page(f"/applications/{application_id}/capture")
    _post_photo(kpt, application_id, portrait(BLUE, size=(150, 200)))
    page = kpt.page(f"/applications/{application_id}/capture")
    assert "only 150 x 200 pixels after cropping; the card prints it at 236 x 315" in page


def test_stored_photos_keep_the_values_of_their_warnings(web):
    from app import photos
    from registry import residents
    from tests.web.conftest import actor

    nik = web.resident()  # born 1980: blue
    with web.app.app_context(), web.db.write() as session:
        stored = photos.store(session, actor("kpt"), residents.get(session, nik), "photo",
                              portrait(RED, size=(150, 200)))
    low, background = stored.warnings
    assert low["code"] == "low-resolution" and low["params"] == {
        "width": 150, "height": 200, "print_width": 236, "print_height": 315}
    assert background["params"]["found"] == "red" and background["params"]["expected"] == "blue"


def test_a_file_that_is_no_image_is_refused_and_nothing_attached(web):
    application_id = web.seed_application(web.resident(), photo=False)
    kpt = web.clerk("kpt")
    kpt.page(f"/applications/{application_id}/capture")
    _post_photo(kpt, application_id, b"%PDF-1.4 not a photo")
    page = kpt.page(f"/applications/{application_id}/capture")
    assert "The photo is a PDF file: only JPEG and PNG are accepted." in page
    assert _photo(web, application_id) is None


def test_a_wrong_file_type_is_refused_by_the_form(web):
    application_id = web.seed_application(web.resident(), photo=False)
    kpt = web.clerk("kpt")
    kpt.page(f"/applications/{application_id}/capture")
    kpt.post(f"/applications/{application_id}/photo",
             {"photo": (io.BytesIO(b"GIF89a"), "photo.gif")}, content_type="multipart/form-data")
    assert "Choose a photo file" in kpt.page(f"/applications/{application_id}/capture")
    assert _photo(web, application_id) is None


def test_a_signature_drawn_on_screen_is_attached(web):
    application_id = web.seed_application(web.resident(), photo=False)
    kpt = web.clerk("kpt")
    kpt.page(f"/applications/{application_id}/capture")
    drawn = "data:image/png;base64," + base64.b64encode(
        _png(handwriting(size=(600, 200)))).decode()
    response = kpt.post(f"/applications/{application_id}/signature", {"signature_data": drawn})
    assert response.status_code == 302
    assert "The signature is saved." in kpt.page(f"/applications/{application_id}/capture")
    with web.db.read() as session:
        assert applications.get(session, application_id).signature_id is not None


def test_an_empty_signature_pad_is_refused(web):
    application_id = web.seed_application(web.resident(), photo=False)
    kpt = web.clerk("kpt")
    kpt.page(f"/applications/{application_id}/capture")
    blank = "data:image/png;base64," + base64.b64encode(
        _png(Image.new("RGB", (600, 200), "white"))).decode()
    kpt.post(f"/applications/{application_id}/signature", {"signature_data": blank})
    assert "No ink found in the signature" in kpt.page(f"/applications/{application_id}/capture")
    kpt.post(f"/applications/{application_id}/signature", {"signature_data": ""})
    assert "Draw the signature" in kpt.page(f"/applications/{application_id}/capture")


def test_capture_after_verification_is_refused(web):
    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    page = kpt.page(f"/applications/{application_id}/capture")
    assert "photo and signature are taken before verification" in page
    before, photos_taken = _photo(web, application_id).id, len(web.audit("resident.photo"))
    _post_photo(kpt, application_id, portrait(BLUE))
    assert _photo(web, application_id).id == before
    assert len(web.audit("resident.photo")) == photos_taken  # the new photo was not kept


def _png(image) -> bytes:
    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
