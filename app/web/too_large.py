"""A request body over ``MAX_CONTENT_LENGTH`` (413), said with the limit: a clerk whose photo
is too large learns how large it may be, on the page they sent it from, and an API client
gets the API's error JSON instead of flask-smorest's bare ``{"code": 413}``."""

from __future__ import annotations

from flask import Flask, current_app, flash, redirect
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

import printing

from ..api.errors import error_response
from ..config import too_large_message
from .access import wants_json
from .pages import back


def too_large(exc: RequestEntityTooLarge):
    config = current_app.config
    if wants_json():
        return error_response(413, too_large_message(config))
    flash(_("The upload is larger than the %(limit)s this service accepts; a photo or "
            "signature may be at most %(photo_limit)s.",
            limit=printing.format_bytes(config["MAX_CONTENT_LENGTH"]),
            photo_limit=printing.format_bytes(config["PHOTO_MAX_BYTES"])), "error")
    return redirect(back())


def register(app: Flask) -> None:
    app.register_error_handler(RequestEntityTooLarge, too_large)
