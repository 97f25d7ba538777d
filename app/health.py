"""Liveness and readiness for load balancers and `make run` users: no login needed."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from registry import schema

from .database import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    database = db()
    try:
        with database.read() as session:
            session.execute(text("SELECT 1"))
        current = schema.is_current(database)
    except Exception as exc:  # reported, not raised: this page exists to say what is wrong
        return jsonify(status="error", database="unreachable", detail=type(exc).__name__), 503
    status = "ok" if current else "migrations pending"
    return jsonify(status=status, database=database.engine.dialect.name), 200 if current else 503
