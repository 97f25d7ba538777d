"""What every counter blueprint shares: sign-in first, the strict Content-Security-Policy, and
registry errors answered as pages (the JSON API answers the same errors app-wide in JSON)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry.errors import ConflictError, InvalidRecordError, NotFoundError
from registry.models.base import MAX_ROW_ID

from .access import safe_next, signed_in, wants_json
from .labels import ENTITIES, FIELDS, label, reason_text
from .security import strict_csp


def blueprint(name: str, import_name: str, **options) -> Blueprint:
    bp = Blueprint(name, import_name, **options)
    bp.before_request(signed_in)
    strict_csp(name)

    @bp.errorhandler(NotFoundError)
    def not_found(exc: NotFoundError):
        message = _("%(entity)s %(key)s was not found.", entity=label(ENTITIES, exc.entity),
                    key=exc.key)
        if wants_json():
            return {"code": 404, "message": message}, 404
        return render_template("errors/404.html", message=message), 404

    @bp.errorhandler(ConflictError)
    def conflict(exc: ConflictError):
        message = _("This could not be done: %(reason)s", reason=reason_text(str(exc)))
        if wants_json():
            return {"code": 409, "message": message}, 409
        flash(message, "error")
        return redirect(back())

    @bp.errorhandler(InvalidRecordError)
    def invalid(exc: InvalidRecordError):
        lines = [f"{label(FIELDS, field)}: {', '.join(reason_text(r) for r in reasons)}"
                 for field, reasons in exc.errors.items()]
        if wants_json():
            return {"code": 422, "message": "; ".join(lines)}, 422
        for line in lines:
            flash(line, "error")
        return redirect(back())

    return bp


def id_arg(name: str) -> int | None:
    """A row id from the query string (``before=`` of a list), None when it is no id:
    ``before=10**30`` overflowed the database's integers (a 500)."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 <= value <= MAX_ROW_ID else None


def back() -> str:
    """Where a refused POST returns to: the page it came from, on this site."""
    referrer = request.referrer or ""
    host = request.host_url.rstrip("/")
    if referrer.startswith(host):
        target = safe_next(referrer[len(host):])
        if target:
            return target
    return url_for("home.index")
