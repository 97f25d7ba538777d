"""Registry errors as JSON in the same shape flask-smorest uses for its own 4xx errors."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Flask, jsonify

from registry.errors import (
    ConflictError,
    DuplicateCandidatesError,
    InvalidRecordError,
    NotFoundError,
    SerialExhaustedError,
)


def error_response(code: int, message: str, **extra: Any):
    body = {"code": code, "status": HTTPStatus(code).phrase, "message": message, **extra}
    response = jsonify(body)
    response.status_code = code
    return response


def register(app: Flask) -> None:
    @app.errorhandler(InvalidRecordError)
    def invalid(exc: InvalidRecordError):
        return error_response(422, "some fields are not valid", errors={"json": exc.errors})

    @app.errorhandler(NotFoundError)
    def not_found(exc: NotFoundError):
        return error_response(404, str(exc))

    @app.errorhandler(DuplicateCandidatesError)
    def duplicate(exc: DuplicateCandidatesError):
        """The candidates the clerk may see; those outside their area only counted (the
        registry redacts them: `registry.duplicates`)."""
        shown = [{k: v for k, v in c.items() if k != "outside_area"}
                 for c in exc.candidates if not c.get("outside_area")]
        return error_response(409, str(exc), candidates=shown,
                              candidates_outside_area=len(exc.candidates) - len(shown))

    @app.errorhandler(ConflictError)
    def conflict(exc: ConflictError):
        return error_response(409, str(exc))

    @app.errorhandler(SerialExhaustedError)
    def exhausted(exc: SerialExhaustedError):
        return error_response(409, str(exc))
