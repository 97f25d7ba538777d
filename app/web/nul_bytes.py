"""A NUL character (``%00``) anywhere in a page's request is refused before any view runs.

PostgreSQL cannot store or even compare text with a NUL in it (SQLite can), so such a value
reached the database as a 500 on one backend only. No clerk types one: it comes from a paste
of binary junk or a crafted request. The refusal names the field by the label clerks read on
the page (`labels.FIELDS`; the raw name of a field that has none there); a form goes back to the
page it came from with the message, nothing written. The rule is the registry's
(`registry.validation.text_problem`); the API's own routes answer in their own shape
(`app.api.text`).
"""

from __future__ import annotations

from flask import Flask, flash, redirect, render_template, request
from flask_babel import gettext as _

from registry.validation import text_problem

from .access import wants_json
from .labels import FIELDS, label
from .pages import back


def _field_with_nul() -> str | None:
    for source in (request.view_args or {}, request.args, request.form):
        for name, value in (source.items(multi=True) if hasattr(source, "getlist")
                            else source.items()):
            if (isinstance(value, str) and text_problem(value)) or text_problem(name):
                return name.replace("\x00", "")
    for name, upload in request.files.items(multi=True):
        if text_problem(upload.filename or ""):
            return name
    return None


def _refuse_nul():
    if request.path.startswith("/api/") or request.headers.get("Authorization"):
        return None
    name = _field_with_nul()
    if name is None:
        return None
    message = _("The field “%(field)s” contains a NUL character, which cannot be stored. "
                "Remove it and send the form again.", field=label(FIELDS, name))
    if wants_json():
        return {"code": 400, "message": message}, 400
    if request.method == "POST":
        flash(message, "error")
        return redirect(back())
    return render_template("errors/400.html", message=message), 400


def register(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_nul)
