"""Card previews and the photo and signature that go on the card."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

import printing
from registry import images, residents
from registry.models import OPERATOR, PHOTO, SIGNATURE

from .. import cards, photos
from ..auth import require_api_principal
from ..database import db
from .access import principal, require_area, require_role
from .errors import error_response
from .schemas import Error

blp = Blueprint("cards", __name__, url_prefix="/api/v1",
                description="KTP card previews, photos and signatures")
blp.before_request(require_api_principal)

BINARY = {"type": "string", "format": "binary"}
IMAGE_BODY = {"required": True, "content": {"image/jpeg": {"schema": BINARY},
                                            "image/png": {"schema": BINARY}}}


class Warning_(Schema):
    code = fields.String()
    message = fields.String()


class StoredImage(Schema):
    kind = fields.String()
    sha256 = fields.String()
    width = fields.Integer()
    height = fields.Integer()
    warnings = fields.List(fields.Nested(Warning_), metadata={
        "description": "problems a clerk should look at, e.g. a background colour that does "
                       "not match the birth-year rule"})


class CropArgs(Schema):
    crop = fields.String(validate=validate.Regexp(r"^\d{1,5},\d{1,5},\d{1,5},\d{1,5}$",
                                                 flags=re.ASCII), metadata={
        "description": "left,top,right,bottom in pixels of the upright upload; the largest "
                       "centred 3:4 part of it is kept"})


def _resident(session: Any, nik: str):
    resident = residents.get(session, nik)
    require_area(resident.desa_code, "resident", nik)
    return resident


def _card(nik: str) -> printing.CardData:
    with db().read() as session:
        return cards.card_data(session, _resident(session, nik))


def _rendered(render, media: str, nik: str, suffix: str) -> Response:
    try:
        content = render(_card(nik))
    except printing.PrintingError as exc:
        abort(422, message=str(exc))
    return Response(content, mimetype=media, headers={
        "Content-Disposition": f'inline; filename="ktp-{nik}.{suffix}"',
        "Cache-Control": "no-store"})


@blp.route("/residents/<nik>/card.pdf")
class CardPdf(MethodView):
    @blp.response(200, BINARY, content_type="application/pdf")
    @blp.alt_response(422, schema=Error, description="a value cannot be printed on the card")
    @blp.alt_response(404, schema=Error, description="no such resident")
    @blp.alt_response(403, schema=Error, description="outside your office's area")
    def get(self, nik: str):
        """The card as an exact ID-1 PDF (85.60 x 53.98 mm), as it will be printed."""
        return _rendered(printing.render_pdf, "application/pdf", nik, "pdf")


@blp.route("/residents/<nik>/card.png")
class CardPng(MethodView):
    @blp.response(200, BINARY, content_type="image/png")
    @blp.alt_response(422, schema=Error, description="a value cannot be printed on the card")
    @blp.alt_response(404, schema=Error, description="no such resident")
    @blp.alt_response(403, schema=Error, description="outside your office's area")
    def get(self, nik: str):
        """The card at 300 dpi, rendered from the same PDF."""
        return _rendered(printing.render_png, "image/png", nik, "png")


def _image_routes(kind: str) -> None:
    class ImageItem(MethodView):
        @blp.response(200, BINARY, content_type="image/jpeg" if kind == PHOTO else "image/png")
        @blp.alt_response(404, schema=Error, description="no such resident, or none taken yet")
        @blp.alt_response(403, schema=Error, description="outside your office's area")
        def get(self, nik: str):
            with db().read() as session:
                resident = _resident(session, nik)
                image = images.current(session, resident.id, kind)
                if image is None:
                    abort(404, message=f"no {kind} taken yet for {nik}")
                return Response(image.data, mimetype=image.media_type,
                                headers={"Cache-Control": "no-store"})

        @blp.arguments(CropArgs, location="query")
        @blp.doc(requestBody=IMAGE_BODY)
        @blp.response(200, StoredImage)
        @blp.alt_response(400, schema=Error, description="not a sound JPEG or PNG, too large, "
                                                           "truncated, or a decompression bomb")
        @blp.alt_response(404, schema=Error, description="no such resident")
        @blp.alt_response(403, schema=Error, description="outside your office's area or role")
        def put(self, args: dict[str, Any], nik: str):
            require_role(OPERATOR, action=f"capture a {kind}")
            crop = tuple(int(v) for v in args["crop"].split(",")) if "crop" in args else None
            data = request.get_data(cache=False)
            with db().write() as session:
                resident = _resident(session, nik)
                try:
                    stored = photos.store(session, principal().actor, resident, kind, data, crop)
                except printing.PhotoError as exc:
                    return error_response(400, str(exc))
                return {k: v for k, v in stored.__dict__.items() if k != "id"}

    ImageItem.__name__ = f"{kind.title()}Item"
    blp.route(f"/residents/<nik>/{kind}")(ImageItem)


_image_routes(PHOTO)
_image_routes(SIGNATURE)
