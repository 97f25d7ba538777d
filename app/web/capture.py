"""Capturing the photo (a file or the office webcam, cropped to 3:4 in the page) and the
signature (drawn on screen, or a scanned file) for an application.

Both arrive as ordinary form posts, so a clerk without a camera or a script-less browser can
still upload files; the crop box is optional (the largest centred 3:4 part is kept).
"""

from __future__ import annotations

import base64
import binascii

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

import printing
from registry import applications
from registry.models import OPERATOR, PHOTO, SIGNATURE, ResidentImage

from .. import photos
from ..database import db
from . import photo_checks
from .access import me, requires
from .applications import load
from .pages import blueprint

bp = blueprint("capture", __name__)
IMAGES = ["jpg", "jpeg", "png"]
DATA_URL = "data:image/png;base64,"


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo file (JPEG or PNG)"),
                      validators=[FileAllowed(IMAGES, _l("Only JPEG or PNG files."))])
    crop = HiddenField(validators=[Optional(), Regexp(r"^\d{1,5},\d{1,5},\d{1,5},\d{1,5}$")])


class SignatureForm(FlaskForm):
    signature_file = FileField(_l("Or a scanned signature (JPEG or PNG)"),
                               validators=[FileAllowed(IMAGES, _l("Only JPEG or PNG files."))])
    signature_data = HiddenField()


@bp.get("/applications/<int:application_id>/capture")
@requires(OPERATOR, action=_l("capture photos and signatures"))
def show(application_id: int):
    with db().read() as session:
        application = load(session, application_id)
        return render_template("capture/show.html", a=application,
                               resident=application.resident, photo_form=PhotoForm(),
                               signature_form=SignatureForm())


def _store(application_id: int, kind: str, data: bytes,
           crop: tuple[int, int, int, int] | None = None) -> photos.Stored | None:
    """Keep the image and attach it to the application, with the codes of its photo checks'
    doubts (shown again at verification); a refused image changes nothing."""
    limit = current_app.config["PHOTO_MAX_BYTES"]
    if len(data) > limit:  # the commonest refusal, said before the image is even opened
        flash(photo_checks.too_large(kind, len(data), limit), "error")
        return None
    try:
        with db().write() as session:
            application = load(session, application_id)
            stored = photos.store(session, me().actor, application.resident, kind, data, crop)
            applications.attach_image(session, me().actor, application, kind, stored.id,
                                      [w["code"] for w in stored.warnings])
    except printing.PhotoError as exc:
        flash(photo_checks.refusal(exc), "error")
        return None
    return stored


def _doubts(application_id: int, stored: photos.Stored) -> list[str]:
    """The photo checks' doubts about the photo just saved, in the clerk's language."""
    if not stored.warnings:
        return []
    with db().read() as session:
        resident = load(session, application_id).resident
        image = session.get(ResidentImage, stored.id)
        return photo_checks.at_capture(stored.warnings, image.data, resident)


@bp.post("/applications/<int:application_id>/photo")
@requires(OPERATOR, action=_l("capture photos and signatures"))
def photo(application_id: int):
    form = PhotoForm()
    back = redirect(url_for("capture.show", application_id=application_id))
    if not form.validate_on_submit() or not form.photo.data:
        flash(_("Choose a photo file or take a picture with the camera first."), "error")
        return back
    crop = tuple(int(v) for v in form.crop.data.split(",")) if form.crop.data else None
    stored = _store(application_id, PHOTO, form.photo.data.read(), crop)
    if stored is not None:
        flash(_("The photo is saved."), "success")
        for doubt in _doubts(application_id, stored):
            flash(doubt, "warning")
    return back


@bp.post("/applications/<int:application_id>/signature")
@requires(OPERATOR, action=_l("capture photos and signatures"))
def signature(application_id: int):
    form = SignatureForm()
    back = redirect(url_for("capture.show", application_id=application_id))
    data = None
    if form.validate_on_submit():
        if form.signature_file.data:
            data = form.signature_file.data.read()
        elif (form.signature_data.data or "").startswith(DATA_URL):
            try:
                data = base64.b64decode(form.signature_data.data[len(DATA_URL):], validate=True)
            except (binascii.Error, ValueError):
                data = None
    if not data:
        flash(_("Draw the signature in the box, or choose a scanned signature file."), "error")
        return back
    if _store(application_id, SIGNATURE, data) is not None:
        flash(_("The signature is saved."), "success")
    return back
